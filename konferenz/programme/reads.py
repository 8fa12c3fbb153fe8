"""The reads of the Programm, Protokoll and Ergebnisse areas: the agenda of a conference with its forums and
which have minutes, the minutes of one item or forum, and the history of a recommendation — as plain
dataclasses and tuples, so no ORM object outlives its session."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from konferenz.enums import label
from konferenz.programme.service import (
    OPEN_STATUSES,
    AgendaRow,
    ItemData,
    MinutesData,
    RecommendationFilter,
    RecommendationRow,
    agenda,
    attendance_by_category,
    item_data,
    recommendations,
)
from konferenz.storage.db import Database
from konferenz.storage.models import (
    AgendaItem,
    Conference,
    Forum,
    MinutesEntry,
    Recommendation,
    RecommendationUpdate,
)

# --- the agenda -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ForumRow:
    """A forum of a conference: its number in the programme (1, 2, … in their order) and the Forenphase it
    runs in (None: in none)."""

    id: int
    number: int
    title: str
    agenda_item_id: int | None
    room: str
    moderation: str
    description: str


@dataclass(frozen=True)
class AgendaItemRow:
    """An agenda item: its id, editable fields and derived start time."""

    id: int
    data: ItemData
    start: dt.time | None


@dataclass(frozen=True)
class Agenda:
    """The items of a conference in order, all its forums in order, and which of them have minutes."""

    items: list[AgendaItemRow]
    forums: list[ForumRow]
    item_minutes: frozenset[int]
    forum_minutes: frozenset[int]


def _forum_rows(forums: Sequence[Forum]) -> list[ForumRow]:
    return [
        ForumRow(f.id, n, f.title, f.agenda_item_id, f.room, f.moderation, f.description)
        for n, f in enumerate(forums, start=1)
    ]


def agenda_of(session: Session, conference_id: int | None) -> Agenda:
    """The agenda of a conference (empty when none is chosen)."""
    if conference_id is None:
        return Agenda([], [], frozenset(), frozenset())
    items = session.scalars(
        sa.select(AgendaItem)
        .where(AgendaItem.conference_id == conference_id)
        .order_by(AgendaItem.position, AgendaItem.id)
    ).all()
    forums = session.scalars(
        sa.select(Forum).where(Forum.conference_id == conference_id).order_by(Forum.sort_order, Forum.id)
    ).all()
    minutes = session.execute(
        sa.select(MinutesEntry.agenda_item_id, MinutesEntry.forum_id).where(
            MinutesEntry.conference_id == conference_id
        )
    ).all()
    return Agenda(
        [AgendaItemRow(item.id, item_data(item), item.start_time) for item in items],
        _forum_rows(forums),
        frozenset(item_id for item_id, forum_id in minutes if forum_id is None and item_id is not None),
        frozenset(forum_id for _item_id, forum_id in minutes if forum_id is not None),
    )


def conference_forums(session: Session, conference_id: int) -> list[ForumRow]:
    """The forums of a conference in their order."""
    forums = session.scalars(
        sa.select(Forum).where(Forum.conference_id == conference_id).order_by(Forum.sort_order, Forum.id)
    ).all()
    return _forum_rows(forums)


@dataclass(frozen=True)
class AgendaConference:
    """What the agenda views show of the conference itself."""

    year: int
    start_time: dt.time | None
    end_time: dt.time | None


def agenda_conference(session: Session, conference_id: int | None) -> AgendaConference | None:
    """The year and times of a conference (None: no conference chosen, or it is gone)."""
    conf = session.get(Conference, conference_id) if conference_id is not None else None
    return AgendaConference(conf.year, conf.start_time, conf.end_time) if conf else None


def item_recommendation_count(session: Session, item_id: int) -> int:
    """How many recommendations came from an agenda item."""
    found = session.scalar(
        sa.select(sa.func.count(Recommendation.id)).where(Recommendation.agenda_item_id == item_id)
    )
    return int(found or 0)


# --- the minutes of one item or forum ---------------------------------------------------------------------


@dataclass(frozen=True)
class NodeMinutes:
    """The minutes of one agenda item or forum as the editor shows them: the conference's date, the stored
    entry (None: none yet) and its fields, the attendance, the recommendations that came from it and, for the
    status report, the recommendations of earlier years to report on."""

    conference_date: dt.date | None
    entry_id: int | None
    data: MinutesData
    attendance: dict[str, int]
    recommendations: list[RecommendationRow]
    status_candidates: list[RecommendationRow]


def node_minutes(
    session: Session,
    year: int,
    *,
    item_id: int | None = None,
    forum_id: int | None = None,
    status_report: bool = False,
) -> NodeMinutes:
    """The minutes of the forum ``forum_id``, or (``forum_id`` None) of the agenda item ``item_id`` itself;
    with ``status_report`` also the earlier years' recommendations still open or in progress, and those
    updated in these minutes already."""
    conf_id = session.scalar(sa.select(Conference.id).where(Conference.year == year))
    conf = session.get(Conference, conf_id) if conf_id is not None else None
    entry = None
    if conf_id is not None:
        if forum_id is not None:
            condition = MinutesEntry.forum_id == forum_id
        else:
            condition = sa.and_(MinutesEntry.agenda_item_id == item_id, MinutesEntry.forum_id.is_(None))
        entry = session.scalar(
            sa.select(MinutesEntry).where(MinutesEntry.conference_id == conf_id, condition).limit(1)
        )
    entry_id = entry.id if entry else None
    data = MinutesData(entry.notes, entry.results, entry.rapporteur) if entry else MinutesData()
    return NodeMinutes(
        conf.date if conf else None,
        entry_id,
        data,
        attendance_by_category(session, year, forum_id),
        _node_recommendations(session, year, item_id, forum_id),
        _status_candidates(session, year, entry_id) if status_report else [],
    )


def _node_recommendations(
    session: Session, year: int, item_id: int | None, forum_id: int | None
) -> list[RecommendationRow]:
    if forum_id is not None:
        condition = Recommendation.forum_id == forum_id
    else:
        condition = sa.and_(Recommendation.agenda_item_id == item_id, Recommendation.forum_id.is_(None))
    ids = set(session.scalars(sa.select(Recommendation.id).where(condition)))
    if not ids:
        return []
    rows = recommendations(session, RecommendationFilter(years=[year]))
    return sorted((r for r in rows if r.id in ids), key=lambda r: r.id)


def _status_candidates(session: Session, year: int, entry_id: int | None) -> list[RecommendationRow]:
    """Recommendations of earlier years still open or in progress, and those updated here already."""
    earlier = list(session.scalars(sa.select(Conference.year).where(Conference.year < year)))
    if not earlier:
        return []
    updated: set[int] = set()
    if entry_id is not None:
        updated = set(
            session.scalars(
                sa.select(RecommendationUpdate.recommendation_id).where(
                    RecommendationUpdate.minutes_entry_id == entry_id
                )
            )
        )
    rows = recommendations(session, RecommendationFilter(years=earlier))
    chosen = [r for r in rows if r.status in OPEN_STATUSES or r.id in updated]
    return sorted(chosen, key=lambda r: (r.year, r.id))


# --- the follow-up of recommendations ---------------------------------------------------------------------


def recommendation_history(
    session: Session, recommendation_id: int
) -> list[tuple[dt.date, str, str, str, str]]:
    """(date, status, note, minutes of which conference, entered by) of a recommendation, oldest first."""
    rows = session.execute(
        sa.select(
            RecommendationUpdate.date,
            RecommendationUpdate.status,
            RecommendationUpdate.note,
            Conference.year,
            RecommendationUpdate.entered_by,
        )
        .outerjoin(MinutesEntry, MinutesEntry.id == RecommendationUpdate.minutes_entry_id)
        .outerjoin(Conference, Conference.id == MinutesEntry.conference_id)
        .where(RecommendationUpdate.recommendation_id == recommendation_id)
        .order_by(RecommendationUpdate.date, RecommendationUpdate.id)
    ).all()
    return [
        (date, label(status), note, f"Protokoll {year}" if year else "", entered_by or "")
        for date, status, note, year, entered_by in rows
    ]


def conference_years(session: Session) -> list[int]:
    """The years of all conferences, newest first."""
    return list(session.scalars(sa.select(Conference.year).order_by(Conference.year.desc())))


def recommendation_count(session: Session) -> int:
    """How many recommendations there are, of all years."""
    return int(session.scalar(sa.select(sa.func.count(Recommendation.id))) or 0)


# --- reading through the database (the windows) -----------------------------------------------------------


def read_agenda(database: Database, conference_id: int | None) -> tuple[AgendaConference | None, Agenda]:
    """``agenda_conference`` and ``agenda_of`` in one read-only session."""
    with database.read_session() as session:
        return agenda_conference(session, conference_id), agenda_of(session, conference_id)


def read_forums(database: Database, conference_id: int) -> list[ForumRow]:
    """``conference_forums`` in a read-only session of its own."""
    with database.read_session() as session:
        return conference_forums(session, conference_id)


def read_item_recommendation_count(database: Database, item_id: int) -> int:
    """``item_recommendation_count`` in a read-only session of its own."""
    with database.read_session() as session:
        return item_recommendation_count(session, item_id)


def read_attendance(database: Database, year: int, forum_id: int | None = None) -> dict[str, int]:
    """``programme.service.attendance_by_category`` in a read-only session of its own."""
    with database.read_session() as session:
        return attendance_by_category(session, year, forum_id)


def read_node_minutes(
    database: Database, year: int, *, item_id: int | None, forum_id: int | None, status_report: bool
) -> NodeMinutes:
    """``node_minutes`` in a read-only session of its own."""
    with database.read_session() as session:
        return node_minutes(session, year, item_id=item_id, forum_id=forum_id, status_report=status_report)


def read_recommendation_history(
    database: Database, recommendation_id: int
) -> list[tuple[dt.date, str, str, str, str]]:
    """``recommendation_history`` in a read-only session of its own."""
    with database.read_session() as session:
        return recommendation_history(session, recommendation_id)


def read_recommendation_list(
    database: Database, flt: RecommendationFilter | None
) -> tuple[list[RecommendationRow], list[int], int]:
    """The recommendations ``flt`` lets through (none for None), the conferences' years (newest first) and
    how many recommendations there are in all, in one read-only session."""
    with database.read_session() as session:
        rows = recommendations(session, flt) if flt is not None else []
        return rows, conference_years(session), recommendation_count(session)


def read_recommendations(
    database: Database, flt: RecommendationFilter | None = None
) -> list[RecommendationRow]:
    """``programme.service.recommendations`` in a read-only session of its own."""
    with database.read_session() as session:
        return recommendations(session, flt)


def read_agenda_rows(database: Database, year: int) -> list[AgendaRow]:
    """``programme.service.agenda`` (the programme as rows for a workbook) in a read-only session of its own."""
    with database.read_session() as session:
        return agenda(session, year)
