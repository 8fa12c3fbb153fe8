"""The lists of conferences with their invitation figures, of one conference's programme and minutes, and of
the recommendations (Ergebnisse), with the choices of a conference selector.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy import SQLColumnExpression as Expr

from konferenz import names
from konferenz.enums import AgendaItemType, InvitationStatus, RecommendationStatus
from konferenz.lists.source import (
    ListColumn,
    ListSource,
    _join,
    _label_or_empty,
    _Order,
    format_date,
    format_time,
    label_order,
    one_line,
    text_order,
    value_order,
    workflow_order,
)
from konferenz.storage.schema import (
    agenda_item,
    conference,
    forum,
    invitation,
    minutes_entry,
    organisation,
    person,
    recommendation,
    recommendation_update,
)

if TYPE_CHECKING:
    from konferenz.lists.source import Reader


def _invitation_count(states: frozenset[InvitationStatus]) -> Expr[int]:
    return (
        sa.select(sa.func.count(invitation.c.id))
        .where(invitation.c.conference_id == conference.c.id, invitation.c.status.in_(sorted(states)))
        .correlate(conference)
        .scalar_subquery()
    )


class ConferenceList(ListSource):
    """All conferences, newest first, with invitation figures.

    *Eingeladen* counts every invitation past *vorgemerkt*; *Zusagen* counts accepted, substituted,
    attended and not-shown invitations (all of them had said yes); *Teilgenommen* counts attendees.
    """

    name = "Konferenzen"
    columns = (
        ListColumn("year", "Jahr"),
        ListColumn("title", "Titel"),
        ListColumn("date", "Datum"),
        ListColumn("venue", "Ort"),
        ListColumn("capacity", "Kapazität", numeric=True),
        ListColumn("invited", "Eingeladen", numeric=True),
        ListColumn("accepted", "Zusagen", numeric=True),
        ListColumn("attended", "Teilgenommen", numeric=True),
    )
    default_sort = "year"
    default_descending = True

    def _id_column(self) -> Expr[int]:
        return conference.c.id

    def _id_select(self) -> sa.Select[Any]:
        return sa.select(conference.c.id)

    def _filters_in_python(self) -> bool:
        return True

    @staticmethod
    def _venue_expr() -> Expr[Any]:
        return sa.func.coalesce(sa.func.nullif(conference.c.venue_name, ""), conference.c.venue_city)

    def _order(self, stmt: sa.Select[Any], sort_key: str | None) -> tuple[sa.Select[Any], list[_Order]]:
        by_year = [_Order(conference.c.year)]
        match sort_key:
            case "title":
                return stmt, text_order(conference.c.title)
            case "date":
                return stmt, [*value_order(conference.c.date), *by_year]
            case "venue":
                return stmt, [*text_order(self._venue_expr()), *by_year]
            case "capacity":
                return stmt, [*value_order(conference.c.capacity), *by_year]
            case "invited":
                return stmt, [_Order(_invitation_count(InvitationStatus.sent())), *by_year]
            case "accepted":
                return stmt, [_Order(_invitation_count(InvitationStatus.said_yes())), *by_year]
            case "attended":
                return stmt, [_Order(_invitation_count(InvitationStatus.attended())), *by_year]
            case _:
                return stmt, by_year

    def _rows(self, session: Reader, ids: Sequence[int]) -> dict[int, tuple[object, ...]]:
        stmt = sa.select(
            conference.c.id,
            conference.c.year,
            conference.c.title,
            conference.c.date,
            conference.c.venue_name,
            conference.c.venue_city,
            conference.c.capacity,
            _invitation_count(InvitationStatus.sent()),
            _invitation_count(InvitationStatus.said_yes()),
            _invitation_count(InvitationStatus.attended()),
        ).where(conference.c.id.in_(ids))
        rows: dict[int, tuple[object, ...]] = {}
        for cid, year, title, date, venue, city, capacity, invited, accepted, attended in session.execute(
            stmt
        ):
            rows[cid] = (
                str(year),
                title,
                format_date(date),
                _join(venue, city, sep=", "),
                capacity if capacity is not None else "",
                int(invited),
                int(accepted),
                int(attended),
            )
        return rows


def conference_choices(session: Reader) -> list[tuple[int, str]]:
    """(id, "2025 – Titel") of every conference, newest first: the choices of a conference selector."""
    stmt = sa.select(conference.c.id, conference.c.year, conference.c.title).order_by(
        conference.c.year.desc(), conference.c.id.desc()
    )
    return [(cid, _join(str(year), title, sep=" – ")) for cid, year, title in session.execute(stmt)]


def newest_conference_with_minutes(session: Reader) -> int | None:
    """The newest conference that has minutes (the Protokoll area starts there), or None."""
    stmt = (
        sa.select(conference.c.id)
        .where(sa.exists().where(minutes_entry.c.conference_id == conference.c.id))
        .order_by(conference.c.year.desc(), conference.c.id.desc())
        .limit(1)
    )
    return session.scalar(stmt)


class _ConferencePart(ListSource):
    """A list of one conference; without a conference (none planned yet) it is empty."""

    def __init__(self, conference_id: int | None) -> None:
        self.conference_id = conference_id

    def __repr__(self) -> str:
        return f"{type(self).__name__}(conference_id={self.conference_id!r})"

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, _ConferencePart)
            and type(other) is type(self)
            and other.conference_id == self.conference_id
        )

    def __hash__(self) -> int:
        return hash((type(self), self.conference_id))

    def _filters_in_python(self) -> bool:
        return True


class AgendaList(_ConferencePart):
    """The programme of one conference, in running order unless sorted by a column."""

    name = "Programm"
    columns = (
        ListColumn("start", "Beginn"),
        ListColumn("duration", "Dauer", numeric=True),
        ListColumn("title", "Titel"),
        ListColumn("type", "Art"),
        ListColumn("room", "Raum"),
        ListColumn("contributors", "Mitwirkende"),
    )

    def _id_column(self) -> Expr[int]:
        return agenda_item.c.id

    def _id_select(self) -> sa.Select[Any]:
        return sa.select(agenda_item.c.id).where(agenda_item.c.conference_id == self.conference_id)

    def _order(self, stmt: sa.Select[Any], sort_key: str | None) -> tuple[sa.Select[Any], list[_Order]]:
        running = [*value_order(agenda_item.c.start_time), _Order(agenda_item.c.position)]
        match sort_key:
            case "start":
                return stmt, running
            case "duration":
                return stmt, [_Order(agenda_item.c.duration_minutes), *running]
            case "title":
                return stmt, text_order(agenda_item.c.title)
            case "type":
                return stmt, [*label_order(agenda_item.c.item_type, AgendaItemType), *running]
            case "room":
                return stmt, [*text_order(agenda_item.c.room), *running]
            case "contributors":
                return stmt, [*text_order(agenda_item.c.speakers), *text_order(agenda_item.c.moderation)]
            case _:
                return stmt, [_Order(agenda_item.c.position), *value_order(agenda_item.c.start_time)]

    def _rows(self, session: Reader, ids: Sequence[int]) -> dict[int, tuple[object, ...]]:
        stmt = sa.select(
            agenda_item.c.id,
            agenda_item.c.start_time,
            agenda_item.c.duration_minutes,
            agenda_item.c.title,
            agenda_item.c.item_type,
            agenda_item.c.room,
            agenda_item.c.speakers,
            agenda_item.c.moderation,
        ).where(agenda_item.c.id.in_(ids))
        rows: dict[int, tuple[object, ...]] = {}
        for aid, start, minutes, title, item_type, room, speakers, moderation in session.execute(stmt):
            moderation_text = f"Moderation: {one_line(moderation)}" if moderation.strip() else ""
            contributors = _join(one_line(speakers), moderation_text, sep="; ")
            rows[aid] = (
                format_time(start),
                f"{minutes} Min." if minutes else "",
                title,
                _label_or_empty(item_type),
                room,
                contributors,
            )
        return rows


def _minutes_item_expr() -> Expr[Any]:
    """What a minutes entry is about: its forum's title, else its agenda item's title."""
    return sa.func.coalesce(forum.c.title, agenda_item.c.title, "")


def _minutes_item_text(title: str, is_forum: bool) -> str:
    if is_forum and not title.casefold().startswith("forum"):
        return f"Forum: {title}"
    return title


class MinutesList(_ConferencePart):
    """The minutes of one conference, in the order of the programme and its forums."""

    name = "Protokoll"
    columns = (
        ListColumn("item", "Tagesordnungspunkt / Forum"),
        ListColumn("results", "Ergebnisse"),
        ListColumn("rapporteur", "Berichterstattung"),
    )

    def _id_column(self) -> Expr[int]:
        return minutes_entry.c.id

    def _id_select(self) -> sa.Select[Any]:
        return sa.select(minutes_entry.c.id).where(minutes_entry.c.conference_id == self.conference_id)

    def _joined(self, stmt: sa.Select[Any]) -> sa.Select[Any]:
        return stmt.outerjoin(agenda_item, agenda_item.c.id == minutes_entry.c.agenda_item_id).outerjoin(
            forum, forum.c.id == minutes_entry.c.forum_id
        )

    def _order(self, stmt: sa.Select[Any], sort_key: str | None) -> tuple[sa.Select[Any], list[_Order]]:
        stmt = self._joined(stmt)
        running = [
            *value_order(agenda_item.c.position),
            *value_order(forum.c.sort_order),
        ]
        match sort_key:
            case "item":
                return stmt, text_order(_minutes_item_expr())
            case "results":
                return stmt, [*text_order(minutes_entry.c.results), *running]
            case "rapporteur":
                return stmt, [*text_order(minutes_entry.c.rapporteur), *running]
            case _:
                return stmt, running

    def _rows(self, session: Reader, ids: Sequence[int]) -> dict[int, tuple[object, ...]]:
        stmt = self._joined(
            sa.select(
                minutes_entry.c.id,
                _minutes_item_expr(),
                minutes_entry.c.forum_id,
                minutes_entry.c.results,
                minutes_entry.c.notes,
                minutes_entry.c.rapporteur,
            )
        ).where(minutes_entry.c.id.in_(ids))
        return {
            mid: (
                _minutes_item_text(item, forum_id is not None),
                one_line(results) or one_line(notes),
                rapporteur,
            )
            for mid, item, forum_id, results, notes, rapporteur in session.execute(stmt)
        }


_ResponsiblePerson = person.alias("responsible_person")


class RecommendationList(ListSource):
    """Recommendations (Handlungsempfehlungen) of all conferences, newest conference first."""

    name = "Ergebnisse"
    columns = (
        ListColumn("year", "Jahr"),
        ListColumn("text", "Empfehlung"),
        ListColumn("responsible", "Zuständig"),
        ListColumn("due", "Fällig", whole=True),
        ListColumn("status", "Status", whole=True),
        ListColumn("last_note", "Letzter Vermerk"),
    )
    default_sort = "year"
    default_descending = True

    def _id_column(self) -> Expr[int]:
        return recommendation.c.id

    def _id_select(self) -> sa.Select[Any]:
        return sa.select(recommendation.c.id)

    def _filters_in_python(self) -> bool:
        return True

    @staticmethod
    def _responsible_expr() -> Expr[Any]:
        return sa.func.coalesce(
            sa.func.nullif(organisation.c.name, ""),
            sa.func.nullif(_ResponsiblePerson.c.last_name, ""),
            recommendation.c.responsible_text,
        )

    @staticmethod
    def _last_note_date() -> Expr[Any]:
        return (
            sa.select(sa.func.max(recommendation_update.c.date))
            .where(recommendation_update.c.recommendation_id == recommendation.c.id)
            .correlate(recommendation)
            .scalar_subquery()
        )

    def _order(self, stmt: sa.Select[Any], sort_key: str | None) -> tuple[sa.Select[Any], list[_Order]]:
        match sort_key:
            case "text":
                return stmt, text_order(recommendation.c.text)
            case "responsible":
                stmt = stmt.outerjoin(
                    organisation, organisation.c.id == recommendation.c.responsible_organisation_id
                ).outerjoin(
                    _ResponsiblePerson, _ResponsiblePerson.c.id == recommendation.c.responsible_person_id
                )
                return stmt, text_order(self._responsible_expr())
            case "due":
                return stmt, value_order(recommendation.c.due_date)
            case "status":
                return stmt, [
                    *workflow_order(recommendation.c.status, RecommendationStatus),
                    *value_order(recommendation.c.due_date),
                ]
            case "last_note":
                return stmt, value_order(self._last_note_date())
            case _:
                stmt = stmt.join(conference, conference.c.id == recommendation.c.conference_id)
                return stmt, [_Order(conference.c.year)]

    def _rows(self, session: Reader, ids: Sequence[int]) -> dict[int, tuple[object, ...]]:
        stmt = (
            sa.select(
                recommendation.c.id,
                conference.c.year,
                recommendation.c.text,
                organisation.c.name,
                _ResponsiblePerson.c.title,
                _ResponsiblePerson.c.first_name,
                _ResponsiblePerson.c.name_prefix,
                _ResponsiblePerson.c.last_name,
                recommendation.c.responsible_text,
                recommendation.c.due_date,
                recommendation.c.status,
            )
            .join(conference, conference.c.id == recommendation.c.conference_id)
            .outerjoin(organisation, organisation.c.id == recommendation.c.responsible_organisation_id)
            .outerjoin(_ResponsiblePerson, _ResponsiblePerson.c.id == recommendation.c.responsible_person_id)
            .where(recommendation.c.id.in_(ids))
        )
        notes: dict[int, str] = {}
        updates = (
            sa.select(
                recommendation_update.c.recommendation_id,
                recommendation_update.c.date,
                recommendation_update.c.note,
                recommendation_update.c.status,
            )
            .where(recommendation_update.c.recommendation_id.in_(ids))
            .order_by(recommendation_update.c.date, recommendation_update.c.id)
        )
        for rid, date, note, status in session.execute(updates):
            notes[rid] = f"{format_date(date)}: {one_line(note) or _label_or_empty(status)}"
        rows: dict[int, tuple[object, ...]] = {}
        for rid, year, text, org, title, first, prefix, last, free, due, status in session.execute(stmt):
            person = names.name_with_title(title, first, prefix, last)
            rows[rid] = (
                str(year),
                one_line(text),
                _join(org, person, free, sep=", "),
                format_date(due),
                _label_or_empty(status),
                notes.get(rid, ""),
            )
        return rows
