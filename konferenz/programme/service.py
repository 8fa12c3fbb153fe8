"""Programme (agenda), minutes and the follow-up of recommendations across years.

Agenda times are derived: the first item starts at the conference's start time and every following item
starts when the one before ends, so moving, inserting or lengthening an item moves the times after it.
The forums of a *Forenphase* item run side by side in that item's time slot.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased, selectinload

from konferenz import names, paths
from konferenz.conferences.editing import conference_id
from konferenz.enums import AgendaItemType, InvitationStatus, RecommendationStatus, label
from konferenz.errors import ConflictError, UserError
from konferenz.spreadsheets.xlsx import Cell, Sheet
from konferenz.storage.db import Database
from konferenz.storage.models import (
    AgendaItem,
    Category,
    Conference,
    Forum,
    Invitation,
    MinutesEntry,
    Organisation,
    Person,
    Recommendation,
    RecommendationUpdate,
)

OPEN_STATUSES = (RecommendationStatus.OPEN, RecommendationStatus.IN_PROGRESS)
STATUS_REPORT_TITLE = "Sachstand der Empfehlungen aus {year}"
DEFAULT_START = dt.time(9, 0)


# --- agenda ---------------------------------------------------------------------------------------------


@dataclass
class ItemData:
    title: str
    duration_minutes: int = 30
    item_type: AgendaItemType = AgendaItemType.OTHER
    description: str = ""
    speakers: str = ""
    moderation: str = ""
    room: str = ""
    responsible_staff: str = ""
    internal_notes: str = ""


def _validate_item(data: ItemData) -> None:
    if not data.title.strip():
        raise UserError("Titel: Bitte einen Titel für den Programmpunkt angeben.")
    if not 0 <= data.duration_minutes <= 24 * 60:
        raise UserError("Dauer: bitte eine Dauer zwischen 0 und 1440 Minuten angeben.")


def add_minutes(t: dt.time, minutes: int) -> dt.time:
    """The time ``minutes`` after ``t`` (an item's end, the next item's start)."""
    return (dt.datetime.combine(dt.date(2000, 1, 1), t) + dt.timedelta(minutes=minutes)).time()


def recalculate(session: Session, conf_id: int) -> list[AgendaItem]:
    """Renumber positions 0..n-1 in their order and derive the start times."""
    conf = session.get_one(Conference, conf_id)
    items = list(
        session.scalars(
            sa.select(AgendaItem)
            .where(AgendaItem.conference_id == conf_id)
            .order_by(AgendaItem.position, AgendaItem.id)
        )
    )
    t = conf.start_time or DEFAULT_START
    for position, item in enumerate(items):
        item.position = position
        item.start_time = t
        t = add_minutes(t, item.duration_minutes)
    return items


def agenda_end(session: Session, conf_id: int) -> dt.time | None:
    items = recalculate(session, conf_id)
    return (
        add_minutes(items[-1].start_time, items[-1].duration_minutes)
        if items and items[-1].start_time
        else None
    )


def add_item(database: Database, year: int, data: ItemData, *, position: int | None = None) -> int:
    """Insert an item at ``position`` (default: at the end)."""
    _validate_item(data)
    with database.session() as s:
        conf_id = conference_id(s, year)
        items = recalculate(s, conf_id)
        position = len(items) if position is None else max(0, min(position, len(items)))
        for item in items[position:]:
            item.position += 1
        new = AgendaItem(conference_id=conf_id, position=position, **data.__dict__)
        s.add(new)
        s.flush()
        recalculate(s, conf_id)
        return new.id


def item_data(item: AgendaItem | ItemData) -> ItemData:
    """The editable fields of a stored agenda item, or of a node of the agenda that carries them."""
    return ItemData(**{name: getattr(item, name) for name in ItemData.__dataclass_fields__})


def update_item(
    database: Database, item_id: int, data: ItemData, *, expected: ItemData | None = None
) -> None:
    """Save ``data`` for the item. ``expected`` is what the user saw before editing (None: no check); if
    the stored item differs from it and from ``data``, nothing is written and ``ConflictError`` carries
    the stored ``ItemData``."""
    _validate_item(data)
    with database.session() as s:
        item = s.get(AgendaItem, item_id)
        if item is None:
            raise UserError("Diesen Programmpunkt gibt es nicht mehr.")
        stored = item_data(item)
        if expected is not None and stored not in (expected, data):
            raise ConflictError(
                f"Der Programmpunkt „{stored.title}“ wurde inzwischen an einem anderen Arbeitsplatz "
                "geändert; es wurde nichts gespeichert.",
                current=stored,
            )
        for key, value in data.__dict__.items():
            setattr(item, key, value)
        s.flush()
        recalculate(s, item.conference_id)


def move_item(database: Database, item_id: int, new_position: int) -> None:
    """Move an item to ``new_position`` (0-based); the times after it follow."""
    with database.session() as s:
        item = s.get(AgendaItem, item_id)
        if item is None:
            raise UserError("Diesen Programmpunkt gibt es nicht mehr.")
        items = recalculate(s, item.conference_id)
        items.remove(item)
        items.insert(max(0, min(new_position, len(items))), item)
        for position, it in enumerate(items):
            it.position = position
        s.flush()
        recalculate(s, item.conference_id)


def delete_item(database: Database, item_id: int) -> None:
    with database.session() as s:
        item = s.get(AgendaItem, item_id)
        if item is None:
            return
        conf_id = item.conference_id
        s.delete(item)
        s.flush()
        recalculate(s, conf_id)


def assign_forums(database: Database, item_id: int, forum_ids: Sequence[int]) -> None:
    """Let these forums run in parallel during the Forenphase ``item_id`` (in the given order)."""
    with database.session() as s:
        item = s.get_one(AgendaItem, item_id)
        if item.item_type is not AgendaItemType.FORUM_PHASE:
            raise UserError(f"„{item.title}“ ist keine Forenphase; Foren laufen nur in einer Forenphase.")
        for order, forum_id in enumerate(forum_ids):
            forum = s.get_one(Forum, forum_id)
            if forum.conference_id != item.conference_id:
                raise UserError(f"Das Forum „{forum.title}“ gehört zu einer anderen Konferenz.")
            forum.agenda_item_id = item.id
            forum.sort_order = order


@dataclass
class AgendaRow:
    id: int
    start: dt.time | None
    end: dt.time | None
    title: str
    item_type: str
    description: str
    speakers: str
    moderation: str
    room: str
    responsible_staff: str
    internal_notes: str
    #: forums running in parallel during this item: (title, room, moderation)
    forums: list[tuple[str, str, str]] = field(default_factory=list)


def agenda(session: Session, year: int) -> list[AgendaRow]:
    """The programme in order, with derived times and the parallel forums of each Forenphase."""
    conf_id = conference_id(session, year)
    items = session.scalars(
        sa.select(AgendaItem)
        .where(AgendaItem.conference_id == conf_id)
        .order_by(AgendaItem.position, AgendaItem.id)
    ).all()
    rows = []
    for item in items:
        end = add_minutes(item.start_time, item.duration_minutes) if item.start_time else None
        rows.append(
            AgendaRow(
                item.id,
                item.start_time,
                end,
                item.title,
                label(item.item_type),
                item.description,
                item.speakers,
                item.moderation,
                item.room,
                item.responsible_staff,
                item.internal_notes,
                [(f.title, f.room, f.moderation) for f in item.forums],
            )
        )
    return rows


def add_status_report_item(database: Database, year: int) -> int | None:
    """Add "Sachstand der Empfehlungen aus <previous year>" to ``year``'s agenda, listing the
    recommendations of earlier conferences that are still open or in progress. None if there are none
    or the item exists already."""
    with database.session() as s:
        return status_report_item(s, conference_id(s, year))


def status_report_item(s: Session, conf_id: int) -> int | None:
    """``add_status_report_item`` inside the caller's unit of work (used when a conference is created)."""
    year = s.get_one(Conference, conf_id).year
    previous = s.scalar(sa.select(sa.func.max(Conference.year)).where(Conference.year < year))
    if previous is None:
        return None
    title = STATUS_REPORT_TITLE.format(year=previous)
    exists = s.scalar(
        sa.select(AgendaItem.id).where(AgendaItem.conference_id == conf_id, AgendaItem.title == title)
    )
    if exists is not None:
        return None
    open_recs = s.execute(
        sa.select(Conference.year, Recommendation.text, Recommendation.status)
        .join(Conference, Conference.id == Recommendation.conference_id)
        .where(Conference.year < year, Recommendation.status.in_(OPEN_STATUSES))
        .order_by(Conference.year, Recommendation.id)
    ).all()
    if not open_recs:
        return None
    description = "\n".join(f"• {text} ({y}, {label(status)})" for y, text, status in open_recs)
    items = recalculate(s, conf_id)
    # after the welcome, if the programme starts with one
    position = 1 if items and items[0].item_type is AgendaItemType.WELCOME else 0
    for it in items[position:]:
        it.position += 1
    item = AgendaItem(
        conference_id=conf_id,
        position=position,
        title=title,
        item_type=AgendaItemType.STATUS_REPORT,
        duration_minutes=20,
        description=description,
    )
    s.add(item)
    s.flush()
    recalculate(s, conf_id)
    return item.id


# --- minutes --------------------------------------------------------------------------------------------


@dataclass
class MinutesData:
    notes: str = ""
    results: str = ""
    rapporteur: str = ""


def _stripped(data: MinutesData) -> MinutesData:
    return MinutesData(data.notes.strip(), data.results.strip(), data.rapporteur.strip())


def save_minutes(
    database: Database,
    year: int,
    data: MinutesData,
    *,
    item_id: int | None = None,
    forum_id: int | None = None,
    expected: MinutesData | None = None,
) -> int:
    """Create or replace the minutes of one agenda item or one forum.

    ``expected`` is what the user saw when starting to write (None: no check). If the stored minutes
    differ from it and from ``data`` (someone else saved meanwhile), nothing is written and
    ``ConflictError`` carries the stored ``MinutesData`` so both versions can be shown.
    """
    if (item_id is None) == (forum_id is None):
        raise UserError("Ein Protokolleintrag gehört entweder zu einem Programmpunkt oder zu einem Forum.")
    with database.session() as s:
        conf_id = conference_id(s, year)
        entry = s.scalar(
            sa.select(MinutesEntry).where(
                MinutesEntry.conference_id == conf_id,
                MinutesEntry.agenda_item_id.is_(None)
                if item_id is None
                else MinutesEntry.agenda_item_id == item_id,
                MinutesEntry.forum_id.is_(None) if forum_id is None else MinutesEntry.forum_id == forum_id,
            )
        )
        if expected is not None:
            stored = (
                MinutesData(entry.notes, entry.results, entry.rapporteur)
                if entry is not None
                else MinutesData()
            )
            if _stripped(stored) not in (_stripped(expected), _stripped(data)):
                raise ConflictError(
                    "Dieses Protokoll wurde inzwischen an einem anderen Arbeitsplatz geändert; "
                    "es wurde nichts gespeichert.",
                    current=stored,
                )
        if entry is None:
            entry = MinutesEntry(conference_id=conf_id, agenda_item_id=item_id, forum_id=forum_id)
            s.add(entry)
        entry.notes, entry.results, entry.rapporteur = data.notes, data.results, data.rapporteur
        s.flush()
        return entry.id


def attendance_by_category(session: Session, year: int, forum_id: int | None = None) -> dict[str, int]:
    """Who was there (status teilgenommen), counted by category; for one forum if given."""
    conf_id = conference_id(session, year)
    org = aliased(Organisation)
    category = sa.func.coalesce(Person.category_id, org.category_id)
    q = (
        sa.select(Category.name, sa.func.count(Invitation.id))
        .select_from(Invitation)
        .outerjoin(Person, Person.id == Invitation.person_id)
        .outerjoin(org, org.id == Invitation.organisation_id)
        .outerjoin(Category, Category.id == category)
        .where(Invitation.conference_id == conf_id, Invitation.status == InvitationStatus.ATTENDED)
        .group_by(Category.name, Category.sort_order)
        .order_by(Category.sort_order)
    )
    if forum_id is not None:
        q = q.where(Invitation.forum_id == forum_id)
    return {(name or "ohne Kategorie"): int(n) for name, n in session.execute(q)}


# --- recommendations ------------------------------------------------------------------------------------


@dataclass
class RecommendationData:
    text: str
    item_id: int | None = None
    forum_id: int | None = None
    minutes_entry_id: int | None = None
    responsible_organisation_id: int | None = None
    responsible_person_id: int | None = None
    responsible_text: str = ""
    due_date: dt.date | None = None


def add_recommendation(
    database: Database, year: int, data: RecommendationData, *, on: dt.date | None = None
) -> int:
    if not data.text.strip():
        raise UserError("Empfehlung: Bitte den Text der Empfehlung angeben.")
    with database.session() as s:
        conf_id = conference_id(s, year)
        conf = s.get_one(Conference, conf_id)
        rec = Recommendation(
            conference_id=conf_id,
            agenda_item_id=data.item_id,
            forum_id=data.forum_id,
            minutes_entry_id=data.minutes_entry_id,
            text=data.text.strip(),
            responsible_organisation_id=data.responsible_organisation_id,
            responsible_person_id=data.responsible_person_id,
            responsible_text=data.responsible_text,
            due_date=data.due_date,
            status=RecommendationStatus.OPEN,
        )
        s.add(rec)
        s.flush()
        s.add(
            RecommendationUpdate(
                recommendation_id=rec.id,
                date=on or conf.date or dt.date.today(),
                status=RecommendationStatus.OPEN,
                note="Empfehlung beschlossen",
                entered_by=paths.os_user(),
            )
        )
        return rec.id


def update_status(
    database: Database,
    recommendation_id: int,
    status: RecommendationStatus,
    note: str,
    *,
    on: dt.date | None = None,
    minutes_entry_id: int | None = None,
) -> None:
    """Record a dated status note ("2026-03-01: Gespräch mit Schulamt geführt") and the new status."""
    with database.session() as s:
        rec = s.get(Recommendation, recommendation_id)
        if rec is None:
            raise UserError("Diese Empfehlung gibt es nicht mehr.")
        rec.status = status
        s.add(
            RecommendationUpdate(
                recommendation_id=rec.id,
                date=on or dt.date.today(),
                status=status,
                note=note.strip(),
                minutes_entry_id=minutes_entry_id,
                entered_by=paths.os_user(),
            )
        )


@dataclass(frozen=True)
class RecommendationFilter:
    statuses: Sequence[RecommendationStatus] = ()
    years: Sequence[int] = ()
    #: a fragment of the responsible organisation, person or free text
    responsible: str = ""
    overdue_on: dt.date | None = None


@dataclass
class RecommendationRow:
    id: int
    year: int
    source: str
    text: str
    responsible: str
    due_date: dt.date | None
    status: RecommendationStatus
    last_note: str
    last_note_date: dt.date | None

    @property
    def status_label(self) -> str:
        return label(self.status)


def recommendations(session: Session, flt: RecommendationFilter | None = None) -> list[RecommendationRow]:
    """Recommendations of all years, newest conference first, with their last status note."""
    flt = flt or RecommendationFilter()
    q = (
        sa.select(Recommendation, Conference.year)
        .join(Conference, Conference.id == Recommendation.conference_id)
        .options(
            selectinload(Recommendation.history),
            selectinload(Recommendation.responsible_organisation),
            selectinload(Recommendation.responsible_person),
            selectinload(Recommendation.forum),
            selectinload(Recommendation.agenda_item),
        )
        .order_by(Conference.year.desc(), Recommendation.id)
    )
    if flt.statuses:
        q = q.where(Recommendation.status.in_(flt.statuses))
    if flt.years:
        q = q.where(Conference.year.in_(flt.years))
    if flt.overdue_on is not None:
        q = q.where(
            Recommendation.due_date.is_not(None),
            Recommendation.due_date < flt.overdue_on,
            Recommendation.status.in_(OPEN_STATUSES),
        )
    rows = []
    for rec, year in session.execute(q):
        responsible = ", ".join(
            x
            for x in (
                rec.responsible_organisation.name if rec.responsible_organisation else "",
                (
                    names.full_name(
                        rec.responsible_person.first_name,
                        rec.responsible_person.name_prefix,
                        rec.responsible_person.last_name,
                    )
                    if rec.responsible_person
                    else ""
                ),
                rec.responsible_text,
            )
            if x
        )
        if flt.responsible and flt.responsible.casefold() not in responsible.casefold():
            continue
        source = rec.forum.title if rec.forum else (rec.agenda_item.title if rec.agenda_item else "")
        last = rec.history[-1] if rec.history else None
        rows.append(
            RecommendationRow(
                rec.id,
                year,
                source,
                rec.text,
                responsible,
                rec.due_date,
                rec.status,
                last.note if last else "",
                last.date if last else None,
            )
        )
    return rows


# --- Excel ----------------------------------------------------------------------------------------------


def agenda_sheet(rows: Sequence[AgendaRow], *, internal: bool = False) -> Sheet:
    """The programme as a table; ``internal`` adds the running-order columns (Regieplan)."""
    headers = [
        "Beginn",
        "Ende",
        "Programmpunkt",
        "Art",
        "Beschreibung",
        "Mitwirkende",
        "Moderation",
        "Raum",
        "Foren",
    ]
    if internal:
        headers += ["Verantwortlich", "Notizen"]
    table = []
    for r in rows:
        forums = "\n".join(" – ".join(x for x in f if x) for f in r.forums)
        row: list[Cell] = [
            r.start,
            r.end,
            r.title,
            r.item_type,
            r.description,
            r.speakers,
            r.moderation,
            r.room,
            forums,
        ]
        if internal:
            row += [r.responsible_staff, r.internal_notes]
        table.append(row)
    return Sheet("Regieplan" if internal else "Programm", headers, table)


def recommendations_sheet(rows: Sequence[RecommendationRow]) -> Sheet:
    return Sheet(
        "Empfehlungen",
        ["Jahr", "Herkunft", "Empfehlung", "Zuständig", "Fällig", "Status", "Letzter Vermerk", "Vermerk vom"],
        [
            [
                r.year,
                r.source,
                r.text,
                r.responsible,
                r.due_date,
                r.status_label,
                r.last_note,
                r.last_note_date,
            ]
            for r in rows
        ],
    )
