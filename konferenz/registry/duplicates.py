"""Duplicates of one record: the check on save for a person (``find_duplicates_for``) and an organisation
(``find_organisation_duplicates_for``), with the keys of ``konferenz.registry.keys`` weighed by the rule table of ``konferenz.registry.evidence``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import sqlalchemy as sa
from sqlalchemy.orm import Session

from konferenz.registry.evidence import (
    Verdict,
    assess_organisations,
    assess_persons,
    organisation_facts,
    person_facts,
)
from konferenz.registry.keys import (
    as_words,
    email_key,
    keys_of,
    last_name_stem,
    organisation_key,
)
from konferenz.storage.db import Database
from konferenz.storage.models import Organisation, Person, Role
from konferenz.storage.recording import person_display_name
from konferenz.text import fold


class PersonLike(Protocol):
    first_name: str
    name_prefix: str
    last_name: str
    email: str
    street: str
    po_box: str
    postal_code: str
    city: str

    @property
    def roles(self) -> Sequence[Any]: ...


@dataclass(frozen=True)
class Candidate:
    """A stored person that may be the same as the one being saved."""

    person_id: int
    reason: str
    score: float
    certain: bool
    #: "Dr. Ayşe Öztürk · Caritasverband Bocholt · a.oeztuerk@example.org" for the question to the user
    label: str


def _organisations_of(session: Session, person_ids: Iterable[int]) -> dict[int, set[int]]:
    out: dict[int, set[int]] = defaultdict(set)
    ids = sorted(set(person_ids))
    for i in range(0, len(ids), 500):
        for pid, oid in session.execute(
            sa.select(Role.person_id, Role.organisation_id).where(Role.person_id.in_(ids[i : i + 500]))
        ):
            out[pid].add(oid)
    return out


def _labels(session: Session, person_ids: Sequence[int]) -> dict[int, str]:
    rows = session.execute(
        sa.select(
            Person.id, Person.title, Person.first_name, Person.name_prefix, Person.last_name, Person.email
        ).where(Person.id.in_(person_ids))
    ).all()
    orgs = dict(
        session.execute(
            sa.select(Role.person_id, Organisation.name)
            .join(Organisation, Organisation.id == Role.organisation_id)
            .where(Role.person_id.in_(person_ids), Role.is_primary.is_(True))
        ).all()
    )
    out = {}
    for r in rows:
        parts = [person_display_name(dict(r._mapping)), orgs.get(r.id, ""), r.email]
        out[r.id] = " · ".join(p for p in parts if p)
    return out


def find_duplicates_for(session: Session, data: PersonLike, exclude_id: int | None = None) -> list[Candidate]:
    """Stored persons that may be the same as ``data`` (a ``PersonData``), strongest first.

    Candidates are narrowed in SQL (same e-mail key, or a word of the search key starts with the first
    three letters of the Latin last name, or of the name as written) and then compared with all rules in
    Python. Names in another script are found from Latin input through the transliteration the registry
    adds to the search key.
    """
    keys = keys_of(data.first_name, data.name_prefix, data.last_name, data.email)
    orgs = {int(r.organisation_id) for r in data.roles}
    conditions: list[sa.ColumnElement[bool]] = []
    if keys.email:
        conditions.append(sa.func.lower(sa.func.replace(Person.email, " ", "")) == keys.email)
    # the start of a word of the search key (hyphens count as word breaks: "al-hassan" has "hassan")
    words = sa.literal(" ") + sa.func.replace(Person.search_text, "-", " ")
    stems = {last_name_stem(data.name_prefix, data.last_name)[:3]}
    stems.add(as_words(fold(data.last_name)).replace(" ", "")[:3])
    conditions += [words.contains(f" {stem}", autoescape=True) for stem in stems if len(stem) >= 2]
    if not conditions:
        return []
    stmt = sa.select(
        Person.id,
        Person.first_name,
        Person.name_prefix,
        Person.last_name,
        Person.email,
        Person.street,
        Person.po_box,
        Person.postal_code,
        Person.city,
    ).where(sa.or_(*conditions), Person.anonymised_at.is_(None))
    if exclude_id is not None:
        stmt = stmt.where(Person.id != exclude_id)
    rows = session.execute(stmt).all()
    pool_orgs = _organisations_of(session, [r.id for r in rows])
    mine = person_facts(
        keys, orgs, street=data.street, po_box=data.po_box, postal_code=data.postal_code, city=data.city
    )
    found: list[tuple[int, Verdict]] = []
    for r in rows:
        other = person_facts(
            keys_of(r.first_name, r.name_prefix, r.last_name, r.email),
            pool_orgs.get(r.id, set()),
            street=r.street,
            po_box=r.po_box,
            postal_code=r.postal_code,
            city=r.city,
        )
        verdict = assess_persons(mine, other)
        if verdict is not None:
            found.append((r.id, verdict))
    found.sort(key=lambda f: (not f[1].certain, -f[1].points, f[0]))
    labels = _labels(session, [pid for pid, _ in found]) if found else {}
    return [Candidate(pid, v.reason, v.score, v.certain, labels.get(pid, "")) for pid, v in found]


def check_person(database: Database, data: PersonLike, exclude_id: int | None = None) -> list[Candidate]:
    """``find_duplicates_for`` in its own read session (for the window before saving)."""
    with database.read_session() as s:
        return find_duplicates_for(s, data, exclude_id)


class OrganisationLike(Protocol):
    name: str
    department: str
    email: str
    website: str
    postal_code: str
    city: str


@dataclass(frozen=True)
class OrganisationCandidate:
    organisation_id: int
    reason: str
    score: float
    certain: bool
    label: str


def find_organisation_duplicates_for(
    session: Session, data: OrganisationLike, exclude_id: int | None = None
) -> list[OrganisationCandidate]:
    """Stored organisations that may be the same as ``data``, by ``evidence.ORGANISATION_RULES``: same
    e-mail, website or name (legal form ignored) and department (certain), the same name with another
    department or place, a near name at the same place (candidates)."""
    name_only = organisation_key(data.name)
    mail = email_key(data.email)
    conditions: list[sa.ColumnElement[bool]] = []
    if mail:
        conditions.append(sa.func.lower(sa.func.replace(Organisation.email, " ", "")) == mail)
    if len(name_only) >= 2:
        conditions.append(Organisation.search_text.contains(name_only[:4], autoescape=True))
    if not conditions:
        return []
    stmt = sa.select(
        Organisation.id,
        Organisation.name,
        Organisation.department,
        Organisation.email,
        Organisation.website,
        Organisation.postal_code,
        Organisation.city,
    ).where(sa.or_(*conditions))
    if exclude_id is not None:
        stmt = stmt.where(Organisation.id != exclude_id)
    mine = organisation_facts(
        data.name,
        data.department,
        email=data.email,
        website=data.website,
        postal_code=data.postal_code,
        city=data.city,
    )
    found: list[tuple[OrganisationCandidate, int]] = []
    for oid, name, department, email, website, postal_code, city in session.execute(stmt):
        verdict = assess_organisations(
            mine,
            organisation_facts(
                name, department, email=email, website=website, postal_code=postal_code, city=city
            ),
        )
        if verdict is not None:
            label = " – ".join(p for p in (name, department) if p)
            found.append(
                (
                    OrganisationCandidate(oid, verdict.reason, verdict.score, verdict.certain, label),
                    verdict.points,
                )
            )
    found.sort(key=lambda c: (not c[0].certain, -c[1], c[0].organisation_id))
    return [c for c, _ in found]


def check_organisation(
    database: Database, data: OrganisationLike, exclude_id: int | None = None
) -> list[OrganisationCandidate]:
    """``find_organisation_duplicates_for`` in its own read session (for the window before saving)."""
    with database.read_session() as s:
        return find_organisation_duplicates_for(s, data, exclude_id)
