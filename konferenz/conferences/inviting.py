"""Inviting: who matches a filter (persons at their primary organisation, organisations without a contact
person), putting them on a year's list as *vorgemerkt*, and the preview of what that would add.

Inviting is safe against a second process doing the same at the same moment: rows go in with
``INSERT … ON CONFLICT DO NOTHING`` against the unique constraints (conference, person) and (conference,
organisation without person), and ``RETURNING`` tells which rows this call really added.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, aliased

from konferenz import paths
from konferenz.conferences.editing import conference_id
from konferenz.enums import InvitationStatus
from konferenz.errors import UserError
from konferenz.storage import schema
from konferenz.storage.db import Database
from konferenz.storage.models import (
    Invitation,
    Organisation,
    Person,
    Role,
    organisation_tag,
    person_tag,
)


@dataclass(frozen=True)
class InviteeFilter:
    """Who to invite. Empty lists mean "no restriction"; ``everyone`` must be set to invite without any."""

    everyone: bool = False
    category_ids: Sequence[int] = ()
    municipality_ids: Sequence[int] = ()
    tag_ids: Sequence[int] = ()
    person_ids: Sequence[int] = ()
    organisation_ids: Sequence[int] = ()
    #: everyone invited to this earlier year
    from_year: int | None = None

    @property
    def is_empty(self) -> bool:
        return not (
            self.everyone
            or self.category_ids
            or self.municipality_ids
            or self.tag_ids
            or self.person_ids
            or self.organisation_ids
            or self.from_year
        )


@dataclass
class InviteResult:
    invited: int
    already: int
    invitation_ids: list[int] = field(default_factory=list)


def primary_roles() -> sa.Subquery:
    """One row per person: the organisation of the primary role (or the lowest role id)."""
    ranked = sa.select(
        Role.person_id,
        Role.organisation_id,
        sa.func.row_number()
        .over(partition_by=Role.person_id, order_by=(Role.is_primary.desc(), Role.id))
        .label("rank"),
    ).subquery()
    return (
        sa.select(ranked.c.person_id, ranked.c.organisation_id)
        .where(ranked.c.rank == 1)
        .subquery("primary_role")
    )


def invitee_candidates(session: Session, flt: InviteeFilter) -> list[tuple[int | None, int | None]]:
    """(person_id, organisation_id) pairs matching ``flt``: persons at their primary organisation and
    organisations that have no contact person."""
    if flt.is_empty:
        raise UserError("Bitte angeben, wer eingeladen werden soll (z. B. Kategorie, Kommune oder alle).")
    prim = primary_roles()
    org_of_person = aliased(Organisation)
    person_category = sa.func.coalesce(Person.category_id, org_of_person.category_id)
    person_municipality = sa.func.coalesce(Person.municipality_id, org_of_person.municipality_id)
    q = (
        sa.select(Person.id, prim.c.organisation_id)
        .outerjoin(prim, prim.c.person_id == Person.id)
        .outerjoin(org_of_person, org_of_person.id == prim.c.organisation_id)
        .where(Person.anonymised_at.is_(None))
    )
    has_roles = sa.select(Role.id).where(Role.organisation_id == Organisation.id).exists()
    oq = sa.select(sa.null(), Organisation.id)
    if not flt.organisation_ids:
        # an organisation is invited itself only when nobody there can be addressed by name
        oq = oq.where(~has_roles)
    if flt.category_ids:
        q = q.where(person_category.in_(flt.category_ids))
        oq = oq.where(Organisation.category_id.in_(flt.category_ids))
    if flt.municipality_ids:
        q = q.where(person_municipality.in_(flt.municipality_ids))
        oq = oq.where(Organisation.municipality_id.in_(flt.municipality_ids))
    if flt.tag_ids:
        q = q.where(
            sa.select(person_tag.c.person_id)
            .where(person_tag.c.person_id == Person.id, person_tag.c.tag_id.in_(flt.tag_ids))
            .exists()
        )
        oq = oq.where(
            sa.select(organisation_tag.c.organisation_id)
            .where(
                organisation_tag.c.organisation_id == Organisation.id,
                organisation_tag.c.tag_id.in_(flt.tag_ids),
            )
            .exists()
        )
    if flt.person_ids or flt.organisation_ids:
        q = q.where(Person.id.in_(flt.person_ids))
        oq = oq.where(Organisation.id.in_(flt.organisation_ids))
    if flt.from_year is not None:
        earlier = conference_id(session, flt.from_year)
        q = q.where(
            sa.select(Invitation.id)
            .where(Invitation.conference_id == earlier, Invitation.person_id == Person.id)
            .exists()
        )
        oq = oq.where(
            sa.select(Invitation.id)
            .where(
                Invitation.conference_id == earlier,
                Invitation.person_id.is_(None),
                Invitation.organisation_id == Organisation.id,
            )
            .exists()
        )
    pairs: list[tuple[int | None, int | None]] = [(p, o) for p, o in session.execute(q.order_by(Person.id))]
    pairs += [(None, o) for _n, o in session.execute(oq.order_by(Organisation.id))]
    return pairs


def _insert_invitations(
    session: Session, conf_id: int, pairs: Sequence[tuple[int | None, int | None]], entered_by: str
) -> list[int]:
    if not pairs:
        return []
    now = schema.now()
    rows = [
        {
            "conference_id": conf_id,
            "person_id": person_id,
            "organisation_id": org_id,
            "status": InvitationStatus.PLANNED.value,
            "companions": 0,
            "substitute_name": "",
            "needs_accessibility": "",
            "needs_diet": "",
            "notes": "",
            "letter_template": "",
            "entered_by": entered_by,
            "entered_at": now,
            "version": 1,
        }
        for person_id, org_id in pairs
    ]
    dialect = session.get_bind().dialect.name
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(Invitation)
    stmt = insert.on_conflict_do_nothing().returning(Invitation.id)
    ids: list[int] = []
    for start in range(0, len(rows), 2_000):
        ids.extend(session.execute(stmt, rows[start : start + 2_000]).scalars())
    return ids


def invite(
    database: Database, year: int, flt: InviteeFilter, *, entered_by: str | None = None
) -> InviteResult:
    """Put everyone matching ``flt`` on the year's list as *vorgemerkt*; nobody is invited twice."""
    with database.session() as s:
        conf_id = conference_id(s, year)
        pairs = invitee_candidates(s, flt)
        ids = _insert_invitations(s, conf_id, pairs, entered_by or paths.os_user())
        return InviteResult(invited=len(ids), already=len(pairs) - len(ids), invitation_ids=ids)


def copy_invitees(session: Session, from_year: int, conf_id: int) -> list[int]:
    """Put everyone invited to ``from_year`` (not anonymised) on the list of ``conf_id`` as *vorgemerkt*, in the
    caller's unit of work; returns the new invitation ids."""
    pairs = session.execute(
        sa.select(Invitation.person_id, Invitation.organisation_id)
        .outerjoin(Person, Person.id == Invitation.person_id)
        .where(Invitation.conference_id == conference_id(session, from_year), Person.anonymised_at.is_(None))
    ).all()
    return _insert_invitations(session, conf_id, [(p, o) for p, o in pairs], paths.os_user())


@dataclass
class InvitePreview:
    """What ``invite`` would do: how many match the filter and how many of them are on the list already."""

    matching: int
    already: int

    @property
    def new(self) -> int:
        return self.matching - self.already


def invite_preview(session: Session, year: int, flt: InviteeFilter) -> InvitePreview:
    """Count what ``invite(year, flt)`` would add, without writing anything."""
    conf_id = conference_id(session, year)
    pairs = invitee_candidates(session, flt)
    listed = session.execute(
        sa.select(Invitation.person_id, Invitation.organisation_id).where(Invitation.conference_id == conf_id)
    ).all()
    persons = {p for p, _o in listed if p is not None}
    organisations = {o for p, o in listed if p is None}
    already = sum(1 for p, o in pairs if (p in persons if p is not None else o in organisations))
    return InvitePreview(matching=len(pairs), already=already)
