"""The stored search keys (``search_text``) of persons and organisations, and their recomputation.

A person is found by first name, particle, last name, title, function, e-mail, city, the names and short
names of their organisations and their municipality; a name in another script is found by its Latin
transliteration as well ("ivanova" finds "Иванова"). An organisation is found by name, department, short
name, city, e-mail and municipality. Renaming an organisation refreshes the keys of its persons.
``refresh_person_search_text()`` recomputes keys after bulk writes (imports).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import sqlalchemy as sa
from sqlalchemy.orm import Session

from konferenz.registry.keys import to_latin
from konferenz.storage import snapshot
from konferenz.storage.models import Municipality, Organisation, Person, Role
from konferenz.text import fold, search_text


def person_search_text(
    *,
    first_name: str,
    name_prefix: str,
    last_name: str,
    title: str,
    function: str,
    email: str,
    city: str,
    organisation_names: Iterable[str],
    municipality_name: str | None,
) -> str:
    """The stored search key of a person (the rule of ``konferenz.demo.builder.person_search_text``), plus the
    Latin transliteration of a name written in another script."""
    text = search_text(
        first_name,
        name_prefix,
        last_name,
        title,
        function,
        email,
        city,
        *organisation_names,
        municipality_name,
    )
    name = fold(" ".join((first_name, name_prefix, last_name)))
    latin = to_latin(name)
    if latin and latin != name:
        text = f"{text} {latin}"
    return text


def organisation_search_text(
    *, name: str, department: str, short_name: str, city: str, email: str, municipality_name: str | None
) -> str:
    return search_text(name, department, short_name, city, email, municipality_name)


def _municipality_names(session: Session) -> dict[int, str]:
    return dict(session.execute(sa.select(Municipality.id, Municipality.name)).all())


def municipality_name(session: Session, municipality_id: int | None) -> str | None:
    mun = session.get(Municipality, municipality_id) if municipality_id is not None else None
    return mun.name if mun is not None else None


def _chunks(values: Sequence[int], size: int = 500) -> Iterable[Sequence[int]]:
    for i in range(0, len(values), size):
        yield values[i : i + size]


def refresh_person_search_text(session: Session, person_ids: Iterable[int] | None = None) -> int:
    """Recompute ``search_text`` of these persons (all when None) with Core statements; returns how many
    changed. Keeps ``updated_at`` and ``version``: the key is bookkeeping, not an edit."""
    session.flush()
    conn = session.connection()
    if person_ids is None:
        ids = list(conn.execute(sa.select(Person.id)).scalars())
    else:
        ids = sorted(set(person_ids))
    munis = _municipality_names(session)
    p = snapshot.TABLES["person"]
    update = (
        sa.update(p)
        .where(p.c.id == sa.bindparam("_id"))
        .values(search_text=sa.bindparam("_st"), updated_at=p.c.updated_at)
    )
    changed = 0
    for chunk in _chunks(ids):
        orgs: dict[int, list[str]] = {}
        for pid, name, short in conn.execute(
            sa.select(Role.person_id, Organisation.name, Organisation.short_name)
            .join(Organisation, Organisation.id == Role.organisation_id)
            .where(Role.person_id.in_(chunk))
            .order_by(Role.person_id, Role.is_primary.desc(), Organisation.name, Organisation.id)
        ):
            orgs.setdefault(pid, []).extend(n for n in (name, short) if n)
        rows = conn.execute(
            sa.select(
                p.c.id,
                p.c.first_name,
                p.c.name_prefix,
                p.c.last_name,
                p.c.title,
                p.c.function,
                p.c.email,
                p.c.city,
                p.c.municipality_id,
                p.c.search_text,
            ).where(p.c.id.in_(chunk))
        ).all()
        params = []
        for r in rows:
            text = person_search_text(
                first_name=r.first_name,
                name_prefix=r.name_prefix,
                last_name=r.last_name,
                title=r.title,
                function=r.function,
                email=r.email,
                city=r.city,
                organisation_names=orgs.get(r.id, []),
                municipality_name=munis.get(r.municipality_id) if r.municipality_id else None,
            )
            if text != r.search_text:
                params.append({"_id": r.id, "_st": text})
        if params:
            conn.execute(update, params)
            changed += len(params)
    return changed


def refresh_organisation_search_text(session: Session, organisation_ids: Iterable[int] | None = None) -> int:
    """Recompute ``search_text`` of these organisations (all when None); returns how many changed."""
    session.flush()
    conn = session.connection()
    o = snapshot.TABLES["organisation"]
    stmt = sa.select(
        o.c.id,
        o.c.name,
        o.c.department,
        o.c.short_name,
        o.c.city,
        o.c.email,
        o.c.municipality_id,
        o.c.search_text,
    )
    if organisation_ids is not None:
        stmt = stmt.where(o.c.id.in_(sorted(set(organisation_ids))))
    munis = _municipality_names(session)
    params = []
    for r in conn.execute(stmt):
        text = organisation_search_text(
            name=r.name,
            department=r.department,
            short_name=r.short_name,
            city=r.city,
            email=r.email,
            municipality_name=munis.get(r.municipality_id) if r.municipality_id else None,
        )
        if text != r.search_text:
            params.append({"_id": r.id, "_st": text})
    if params:
        conn.execute(
            sa.update(o)
            .where(o.c.id == sa.bindparam("_id"))
            .values(search_text=sa.bindparam("_st"), updated_at=o.c.updated_at),
            params,
        )
    return len(params)
