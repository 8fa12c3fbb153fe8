"""The printed programme, the internal running order (Regieplan) and the minutes of a conference as plain
documents: ``agenda_document`` and ``minutes_document`` read one conference (in the caller's session) into
frozen dataclasses with finished German text, which the paper layer (``ui.paper.programme_pdf``) lays out."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from konferenz.conferences.editing import conference_id
from konferenz.enums import AgendaItemType, label
from konferenz.letters.dates import german_date_weekday, german_time, numeric_date
from konferenz.letters.selection import forum_label
from konferenz.programme import service as programme
from konferenz.storage.models import (
    AgendaItem,
    Conference,
    Forum,
    MinutesEntry,
    Recommendation,
    RecommendationUpdate,
)
from konferenz.text import collapse_spaces


@dataclass(frozen=True)
class DocumentHeader:
    """What the first page says about the conference."""

    year: int
    title: str
    theme: str
    date_line: str
    venue_line: str


@dataclass(frozen=True)
class ForumEntry:
    id: int
    number: int
    title: str
    room: str = ""
    moderation: str = ""
    description: str = ""

    @property
    def label(self) -> str:
        """ "Forum 2: Arbeit und Ausbildung" (unless the title starts with "Forum" already)."""
        return forum_label(self.number, self.title)


@dataclass(frozen=True)
class AgendaEntry:
    id: int
    start: str
    end: str
    duration_minutes: int
    title: str
    item_type: AgendaItemType
    description: str = ""
    speakers: str = ""
    moderation: str = ""
    room: str = ""
    responsible_staff: str = ""
    internal_notes: str = ""
    forums: tuple[ForumEntry, ...] = ()

    @property
    def time_range(self) -> str:
        """ "9:00 – 9:20" (only the start when the item has no duration)."""
        if self.start and self.end and self.end != self.start:
            return f"{self.start} – {self.end}"
        return self.start


@dataclass(frozen=True)
class AgendaDocument:
    header: DocumentHeader
    items: tuple[AgendaEntry, ...]
    #: forums of the conference that run in no Forenphase (listed after the programme)
    unassigned_forums: tuple[ForumEntry, ...] = ()


@dataclass(frozen=True)
class StatusLine:
    """A status update recorded in the minutes of a "Sachstand …" item."""

    year: int
    text: str
    status: str
    note: str


@dataclass(frozen=True)
class MinutesSection:
    """The minutes of one agenda item or forum (empty texts when nothing was written)."""

    heading: str
    time_range: str = ""
    details: str = ""
    notes: str = ""
    results: str = ""
    rapporteur: str = ""
    #: forums only: who took part, by category
    attendance: tuple[tuple[str, int], ...] = ()
    status_updates: tuple[StatusLine, ...] = ()
    forums: tuple[MinutesSection, ...] = ()
    is_break: bool = False


@dataclass(frozen=True)
class RecommendationEntry:
    number: int
    text: str
    source: str
    responsible: str
    due: str
    status: str


def attendance_text(attendance: Sequence[tuple[str, int]]) -> str:
    """ "1 Person", "23 Personen": everyone counted in the attendance by category."""
    total = sum(n for _name, n in attendance)
    return "1 Person" if total == 1 else f"{total} Personen"


@dataclass(frozen=True)
class MinutesDocument:
    header: DocumentHeader
    attendance: tuple[tuple[str, int], ...]
    sections: tuple[MinutesSection, ...]
    recommendations: tuple[RecommendationEntry, ...] = ()


def _conference(session: Session, year: int) -> Conference:
    return session.get_one(Conference, conference_id(session, year))


def document_header(conf: Conference) -> DocumentHeader:
    start, end = german_time(conf.start_time), german_time(conf.end_time)
    times = f"{start} bis {end} Uhr" if start and end else (f"ab {start} Uhr" if start else "")
    date_line = ", ".join(p for p in (german_date_weekday(conf.date), times) if p)
    place = collapse_spaces(f"{conf.venue_postal_code} {conf.venue_city}")
    venue = ", ".join(p for p in (conf.venue_name, conf.venue_street, place) if p)
    return DocumentHeader(conf.year, conf.title, conf.theme, date_line, venue)


def _end(item: AgendaItem) -> dt.time | None:
    if item.start_time is None:
        return None
    start = dt.datetime.combine(dt.date(2000, 1, 1), item.start_time)
    return (start + dt.timedelta(minutes=item.duration_minutes)).time()


def agenda_document(session: Session, year: int) -> AgendaDocument:
    """The programme of ``year`` in order, with its forums (UserError if there is no such conference)."""
    conf = _conference(session, year)
    items = session.scalars(
        sa.select(AgendaItem)
        .where(AgendaItem.conference_id == conf.id)
        .options(selectinload(AgendaItem.forums))
        .order_by(AgendaItem.position, AgendaItem.id)
    ).all()
    numbers = {forum.id: n for n, forum in enumerate(conf.forums, start=1)}

    def forum_entry(forum: Forum) -> ForumEntry:
        return ForumEntry(
            forum.id,
            numbers.get(forum.id, 0),
            forum.title,
            forum.room,
            forum.moderation,
            forum.description,
        )

    entries = tuple(
        AgendaEntry(
            id=item.id,
            start=german_time(item.start_time),
            end=german_time(_end(item)),
            duration_minutes=item.duration_minutes,
            title=item.title,
            item_type=item.item_type,
            description=item.description,
            speakers=item.speakers,
            moderation=item.moderation,
            room=item.room,
            responsible_staff=item.responsible_staff,
            internal_notes=item.internal_notes,
            forums=tuple(forum_entry(f) for f in item.forums),
        )
        for item in items
    )
    unassigned = tuple(forum_entry(f) for f in conf.forums if f.agenda_item_id is None)
    return AgendaDocument(document_header(conf), entries, unassigned)


def _counts(attendance: dict[str, int]) -> tuple[tuple[str, int], ...]:
    return tuple((name, n) for name, n in attendance.items() if n)


def minutes_document(session: Session, year: int) -> MinutesDocument:
    """The minutes of ``year``: items in programme order, forums inside their Forenphase, then the
    recommendations of this conference."""
    agenda = agenda_document(session, year)
    conf_id = conference_id(session, year)
    entries = session.scalars(sa.select(MinutesEntry).where(MinutesEntry.conference_id == conf_id)).all()
    by_item = {e.agenda_item_id: e for e in entries if e.agenda_item_id is not None and e.forum_id is None}
    by_forum = {e.forum_id: e for e in entries if e.forum_id is not None}
    loose = [e for e in entries if e.agenda_item_id is None and e.forum_id is None]

    def updates(entry: MinutesEntry | None) -> tuple[StatusLine, ...]:
        if entry is None:
            return ()
        rows = session.execute(
            sa.select(
                Conference.year, Recommendation.text, RecommendationUpdate.status, RecommendationUpdate.note
            )
            .join(Recommendation, Recommendation.id == RecommendationUpdate.recommendation_id)
            .join(Conference, Conference.id == Recommendation.conference_id)
            .where(RecommendationUpdate.minutes_entry_id == entry.id)
            .order_by(Conference.year, Recommendation.id, RecommendationUpdate.date, RecommendationUpdate.id)
        ).all()
        return tuple(StatusLine(y, text, label(status), note) for y, text, status, note in rows)

    def forum_section(forum: ForumEntry) -> MinutesSection:
        entry = by_forum.get(forum.id)
        details = " · ".join(
            p
            for p in (
                forum.room and f"Raum {forum.room}",
                forum.moderation and f"Moderation: {forum.moderation}",
            )
            if p
        )
        return MinutesSection(
            heading=forum.label,
            details=details,
            notes=entry.notes if entry else "",
            results=entry.results if entry else "",
            rapporteur=entry.rapporteur if entry else "",
            attendance=_counts(programme.attendance_by_category(session, year, forum.id)),
        )

    sections = []
    for item in agenda.items:
        entry = by_item.get(item.id)
        sections.append(
            MinutesSection(
                heading=item.title,
                time_range=item.time_range,
                notes=entry.notes if entry else "",
                results=entry.results if entry else "",
                rapporteur=entry.rapporteur if entry else "",
                status_updates=updates(entry),
                forums=tuple(forum_section(f) for f in item.forums),
                is_break=item.item_type is AgendaItemType.BREAK,
            )
        )
    for forum in agenda.unassigned_forums:
        if forum.id in by_forum:
            sections.append(forum_section(forum))
    for entry in loose:
        sections.append(
            MinutesSection(
                heading="Allgemeines",
                notes=entry.notes,
                results=entry.results,
                rapporteur=entry.rapporteur,
                status_updates=updates(entry),
            )
        )
    recs = programme.recommendations(session, programme.RecommendationFilter(years=[year]))
    recommendations = tuple(
        RecommendationEntry(n, r.text, r.source, r.responsible, numeric_date(r.due_date), r.status_label)
        for n, r in enumerate(sorted(recs, key=lambda r: r.id), start=1)
    )
    return MinutesDocument(
        agenda.header,
        _counts(programme.attendance_by_category(session, year)),
        tuple(sections),
        recommendations,
    )
