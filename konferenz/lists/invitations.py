"""The invitation list of one conference (Konferenzen area) and the check-in list (the day of the event).

Both are ``ListSource``s (see ``konferenz/lists/registry.py``): SQL finds the ids for the search, the status filter
and the order; the display rows are fetched by id, a block at a time. A conference has at most some
thousand invitations, while the persons behind them may be 100,000, so every query starts from the
invitations of the one conference and joins persons and organisations by primary key.

Search: a record matches when every folded token occurs in the invited person's ``search_text``, in that
of the organisation, or in that of the substitute once taken into the register; a substitute known only by
name is matched case-insensitively (without folding: "Müller" is found by "müller", not by "muller").

Everything here is backend-neutral SQL (SQLite and PostgreSQL) and free of Qt.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import sqlalchemy as sa
from sqlalchemy import SQLColumnExpression as Expr

from konferenz import names
from konferenz.enums import Channel, InvitationStatus, label
from konferenz.lists.source import (
    ListColumn,
    ListSource,
    _Order,
    format_date,
    key_order,
    label_order,
    text_order,
    value_order,
    workflow_order,
)
from konferenz.spreadsheets.xlsx import Cell
from konferenz.storage.schema import category, forum, invitation, municipality, organisation, person

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from konferenz.lists.source import Reader

_Substitute = person.alias("substitute")


def format_datetime(value: dt.datetime | None) -> str:
    """TT.MM.JJJJ HH:MM, or "" for none."""
    return value.strftime("%d.%m.%Y %H:%M") if value is not None else ""


def needs_text(accessibility: str, diet: str) -> str:
    return "; ".join(p for p in (accessibility.strip(), diet.strip()) if p)


def entered_text(by: str, at: dt.datetime | None) -> str:
    return ", ".join(p for p in (by, format_datetime(at)) if p)


class InvitationList(ListSource):
    """The invitees of one conference, optionally only those in some statuses."""

    name = "Einladungen"
    columns: ClassVar[tuple[ListColumn, ...]] = (
        ListColumn("name", "Name"),
        ListColumn("organisation", "Organisation"),
        ListColumn("category", "Kategorie"),
        ListColumn("municipality", "Kommune"),
        ListColumn("status", "Status", whole=True),
        ListColumn("channel", "Kanal"),
        ListColumn("invited_on", "eingeladen am", whole=True),
        ListColumn("replied_on", "Rückmeldung am", whole=True),
        ListColumn("forum", "Forum"),
        ListColumn("companions", "Begleitung", numeric=True),
        ListColumn("needs", "Bedarf"),
        ListColumn("substitute", "vertreten durch"),
        ListColumn("entered", "erfasst von/am"),
    )
    default_sort: ClassVar[str | None] = "name"

    def __init__(
        self, conference_id: int | None, statuses: frozenset[InvitationStatus] | None = None
    ) -> None:
        self.conference_id = conference_id
        #: only invitations in these statuses (None: all)
        self.statuses = frozenset(statuses) if statuses is not None else None

    def __repr__(self) -> str:
        return f"{type(self).__name__}(conference_id={self.conference_id!r}, statuses={self.statuses!r})"

    def __eq__(self, other: object) -> bool:
        return (
            type(other) is type(self)
            and isinstance(other, InvitationList)
            and (other.conference_id, other.statuses) == (self.conference_id, self.statuses)
        )

    def __hash__(self) -> int:
        return hash((type(self), self.conference_id, self.statuses))

    # -- expressions

    @staticmethod
    def _name_key() -> Expr[Any]:
        # the filing order of invitations (konferenz.storage.schema.invitee_order): the person's key, an
        # organisation invited without a person by its own
        return sa.func.coalesce(person.c.sort_name, organisation.c.sort_name, "")

    @staticmethod
    def _category_id() -> Expr[Any]:
        return sa.func.coalesce(person.c.category_id, organisation.c.category_id)

    @staticmethod
    def _municipality_id() -> Expr[Any]:
        return sa.func.coalesce(person.c.municipality_id, organisation.c.municipality_id)

    def _by_name(self) -> list[_Order]:
        return key_order(self._name_key(), empty_last=False)

    # -- ListSource

    def _id_column(self) -> Expr[int]:
        return invitation.c.id

    def _id_select(self) -> sa.Select[Any]:
        stmt = (
            sa.select(invitation.c.id)
            .outerjoin(person, person.c.id == invitation.c.person_id)
            .outerjoin(organisation, organisation.c.id == invitation.c.organisation_id)
            .where(invitation.c.conference_id == self.conference_id)
        )
        if self.statuses is not None:
            stmt = stmt.where(invitation.c.status.in_(sorted(self.statuses)))
        return stmt

    def _search_sql(self, stmt: sa.Select[Any], tokens: list[str]) -> sa.Select[Any]:
        stmt = stmt.outerjoin(_Substitute, _Substitute.c.id == invitation.c.substitute_person_id)
        for token in tokens:
            stmt = stmt.where(
                sa.or_(
                    person.c.search_text.contains(token, autoescape=True),
                    organisation.c.search_text.contains(token, autoescape=True),
                    _Substitute.c.search_text.contains(token, autoescape=True),
                    sa.func.lower(invitation.c.substitute_name).contains(token, autoescape=True),
                )
            )
        return stmt

    def _order(self, stmt: sa.Select[Any], sort_key: str | None) -> tuple[sa.Select[Any], list[_Order]]:
        by_name = self._by_name()
        match sort_key:
            case "organisation":
                return stmt, [*key_order(organisation.c.sort_name), *by_name]
            case "category":
                stmt = stmt.outerjoin(category, category.c.id == self._category_id())
                return stmt, [*value_order(category.c.sort_order), *text_order(category.c.name), *by_name]
            case "municipality":
                stmt = stmt.outerjoin(municipality, municipality.c.id == self._municipality_id())
                return stmt, [*text_order(municipality.c.name), *by_name]
            case "status":
                return stmt, [*workflow_order(invitation.c.status, InvitationStatus), *by_name]
            case "channel":
                return stmt, [
                    _Order(invitation.c.reply_channel.is_(None), fixed=True),
                    *label_order(invitation.c.reply_channel, Channel),
                    *by_name,
                ]
            case "invited_on":
                return stmt, [*value_order(invitation.c.invited_on), *by_name]
            case "replied_on":
                return stmt, [*value_order(invitation.c.replied_on), *by_name]
            case "forum":
                stmt = stmt.outerjoin(forum, forum.c.id == invitation.c.forum_id)
                return stmt, [*value_order(forum.c.sort_order), *by_name]
            case "companions":
                return stmt, [_Order(invitation.c.companions), *by_name]
            case "needs":
                needs = invitation.c.needs_accessibility + invitation.c.needs_diet
                return stmt, [*text_order(needs), *by_name]
            case "substitute":
                return stmt, [*text_order(invitation.c.substitute_name), *by_name]
            case "entered":
                return stmt, [*value_order(invitation.c.entered_at), *by_name]
            case _:
                return stmt, by_name

    def _row_select(self) -> sa.Select[*tuple[Any, ...]]:
        stmt: sa.Select[*tuple[Any, ...]] = (
            sa.select(
                invitation.c.id,
                person.c.name_prefix,
                person.c.last_name,
                person.c.first_name,
                person.c.title,
                organisation.c.name,
                category.c.name,
                municipality.c.name,
                invitation.c.status,
                invitation.c.reply_channel,
                invitation.c.invited_on,
                invitation.c.replied_on,
                forum.c.title,
                invitation.c.companions,
                invitation.c.needs_accessibility,
                invitation.c.needs_diet,
                invitation.c.substitute_name,
                invitation.c.entered_by,
                invitation.c.entered_at,
            )
            .outerjoin(person, person.c.id == invitation.c.person_id)
            .outerjoin(organisation, organisation.c.id == invitation.c.organisation_id)
            .outerjoin(category, category.c.id == self._category_id())
            .outerjoin(municipality, municipality.c.id == self._municipality_id())
            .outerjoin(forum, forum.c.id == invitation.c.forum_id)
        )
        return stmt

    def _rows(self, session: Reader, ids: Sequence[int]) -> dict[int, tuple[object, ...]]:
        rows: dict[int, tuple[object, ...]] = {}
        for r in session.execute(self._row_select().where(invitation.c.id.in_(ids))):
            rows[r[0]] = (
                names.invitee_name(r[1], r[2], r[3], r[4], r[5]),
                r[5] or "",
                r[6] or "",
                r[7] or "",
                label(r[8]),
                label(r[9]) if r[9] is not None else "",
                format_date(r[10]),
                format_date(r[11]),
                r[12] or "",
                r[13] or "",
                needs_text(r[14], r[15]),
                r[16],
                entered_text(r[17], r[18]),
            )
        return rows

    # -- export

    #: headers of ``export_rows``: the columns of the list plus how to reach the invitee
    EXPORT_HEADERS: ClassVar[tuple[str, ...]] = (*(c.header for c in columns), "E-Mail", "Telefon")

    def export_rows(self, session: Reader, ids: Sequence[int]) -> list[list[Cell]]:
        """Rows for a spreadsheet (in the order of ``ids``): the list's columns, then e-mail and phone of
        the person (else of the organisation). Dates stay dates and companions a number (also 0), so Excel
        can sort, filter and add them up."""
        display = self.rows(session, ids)
        contact: dict[int, tuple[str, str, dt.date | None, dt.date | None, int]] = {}
        for chunk_start in range(0, len(ids), 500):
            chunk = ids[chunk_start : chunk_start + 500]
            stmt = (
                sa.select(
                    invitation.c.id,
                    sa.func.coalesce(sa.func.nullif(person.c.email, ""), organisation.c.email, ""),
                    sa.func.coalesce(
                        sa.func.nullif(person.c.phone, ""),
                        sa.func.nullif(person.c.mobile, ""),
                        organisation.c.phone,
                        "",
                    ),
                    invitation.c.invited_on,
                    invitation.c.replied_on,
                    invitation.c.companions,
                )
                .outerjoin(person, person.c.id == invitation.c.person_id)
                .outerjoin(organisation, organisation.c.id == invitation.c.organisation_id)
                .where(invitation.c.id.in_(chunk))
            )
            for iid, email, phone, invited_on, replied_on, companions in session.execute(stmt):
                contact[iid] = (email, phone, invited_on, replied_on, companions)
        invited_col = self.column_index("invited_on")
        replied_col = self.column_index("replied_on")
        companions_col = self.column_index("companions")
        result = []
        for iid in ids:
            if iid not in display:
                continue
            row: list[Cell] = [v if isinstance(v, str | int) else str(v) for v in display[iid]]
            email, phone, invited_on, replied_on, companions = contact[iid]
            row[invited_col], row[replied_col], row[companions_col] = invited_on, replied_on, companions
            result.append([*row, email, phone])
        return result


class CheckInList(InvitationList):
    """The invitees of one conference at the entrance: those expected (zugesagt, vertreten) first, then
    those already present, then everyone else; by name within each group."""

    name = "Check-in"
    columns = (
        ListColumn("name", "Name"),
        ListColumn("organisation", "Organisation"),
        ListColumn("status", "Status", whole=True),
        ListColumn("forum", "Forum"),
    )
    default_sort = None

    def __init__(self, conference_id: int | None) -> None:
        super().__init__(conference_id, None)

    def _order(self, stmt: sa.Select[Any], sort_key: str | None) -> tuple[sa.Select[Any], list[_Order]]:
        if sort_key is not None:
            return super()._order(stmt, sort_key)
        group = sa.case(
            (invitation.c.status.in_(sorted(InvitationStatus.expected())), 0),
            (invitation.c.status == InvitationStatus.ATTENDED, 1),
            else_=2,
        )
        return stmt, [_Order(group, fixed=True), *self._by_name()]

    def _rows(self, session: Reader, ids: Sequence[int]) -> dict[int, tuple[object, ...]]:
        rows: dict[int, tuple[object, ...]] = {}
        for r in session.execute(self._row_select().where(invitation.c.id.in_(ids))):
            name = names.invitee_name(r[1], r[2], r[3], r[4], r[5])
            if r[16]:
                name = f"{name} – vertreten durch {r[16]}"
            rows[r[0]] = (name, r[5] or "", label(r[8]), r[12] or "")
        return rows


# --- details of one invitation (the reply panel) -----------------------------------------------------


@dataclass(frozen=True)
class InvitationDetails:
    id: int
    version: int
    conference_id: int
    person_id: int | None
    organisation_id: int | None
    name: str
    organisation: str
    status: InvitationStatus
    reply_channel: Channel | None
    invited_on: dt.date | None
    replied_on: dt.date | None
    forum_id: int | None
    companions: int
    substitute_name: str
    substitute_person_id: int | None
    needs_accessibility: str
    needs_diet: str
    checked_in_at: dt.datetime | None
    entered_by: str
    entered_at: dt.datetime | None
    waitlist_position: int | None

    @property
    def entered_text(self) -> str:
        return entered_text(self.entered_by, self.entered_at)


def invitation_details(session: Session, invitation_id: int) -> InvitationDetails | None:
    from konferenz.storage.models import Invitation  # the one ORM read here (relationships)

    inv = session.get(Invitation, invitation_id)
    if inv is None:
        return None
    person, org = inv.person, inv.organisation
    name = (
        names.list_name(person.name_prefix, person.last_name, person.first_name, person.title)
        if person is not None
        else (org.name if org is not None else "")
    )
    return InvitationDetails(
        id=inv.id,
        version=inv.version,
        conference_id=inv.conference_id,
        person_id=inv.person_id,
        organisation_id=inv.organisation_id,
        name=name,
        organisation=org.name if org is not None else "",
        status=inv.status,
        reply_channel=inv.reply_channel,
        invited_on=inv.invited_on,
        replied_on=inv.replied_on,
        forum_id=inv.forum_id,
        companions=inv.companions,
        substitute_name=inv.substitute_name,
        substitute_person_id=inv.substitute_person_id,
        needs_accessibility=inv.needs_accessibility,
        needs_diet=inv.needs_diet,
        checked_in_at=inv.checked_in_at,
        entered_by=inv.entered_by,
        entered_at=inv.entered_at,
        waitlist_position=inv.waitlist_position,
    )


def invitee_names(session: Reader, invitation_ids: Sequence[int]) -> dict[int, str]:
    """Display names ("Çelik, Dr. Şeyma") of some invitations, e.g. those next on the waiting list."""
    if not invitation_ids:
        return {}
    stmt = (
        sa.select(
            invitation.c.id,
            person.c.name_prefix,
            person.c.last_name,
            person.c.first_name,
            person.c.title,
            organisation.c.name,
        )
        .outerjoin(person, person.c.id == invitation.c.person_id)
        .outerjoin(organisation, organisation.c.id == invitation.c.organisation_id)
        .where(invitation.c.id.in_(invitation_ids))
    )
    return {r[0]: names.invitee_name(r[1], r[2], r[3], r[4], r[5]) for r in session.execute(stmt)}


@dataclass(frozen=True)
class Attendance:
    """Figures for the check-in counter."""

    #: checked in (teilgenommen), walk-ins included
    present: int
    #: still expected: zugesagt or vertreten, not yet checked in
    expected: int

    @property
    def accepted(self) -> int:
        """Everyone who said yes or came: present plus expected."""
        return self.present + self.expected


def attendance(session: Reader, conference_id: int) -> Attendance:
    rows = session.execute(
        sa.select(invitation.c.status, sa.func.count(invitation.c.id))
        .where(invitation.c.conference_id == conference_id)
        .group_by(invitation.c.status)
    )
    counts: dict[InvitationStatus, int] = {status: int(n) for status, n in rows}
    expected = sum(int(counts.get(s, 0)) for s in InvitationStatus.expected())
    return Attendance(present=int(counts.get(InvitationStatus.ATTENDED, 0)), expected=expected)
