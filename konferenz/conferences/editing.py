"""Conferences and their forums: the data and its checks, inserting a new or copied conference into a unit of
work, reading one for the window, and editing it and its forums.

Creating a conference is one user action with its agenda's first item: ``konferenz.programme.new_conference``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from konferenz.errors import ConflictError, UserError
from konferenz.storage import schema
from konferenz.storage.db import Database
from konferenz.storage.models import (
    Conference,
    Forum,
    Invitation,
)


@dataclass
class ConferenceData:
    year: int
    title: str
    theme: str = ""
    date: dt.date | None = None
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    venue_name: str = ""
    venue_street: str = ""
    venue_postal_code: str = ""
    venue_city: str = ""
    capacity: int | None = None
    reply_deadline: dt.date | None = None
    notes: str = ""


@dataclass
class ForumData:
    title: str
    room: str = ""
    capacity: int | None = None
    moderation: str = ""
    description: str = ""


def validate_conference(data: ConferenceData) -> list[str]:
    errors = []
    if not 1990 <= data.year <= 2100:
        errors.append(f"Jahr: {data.year} ist kein sinnvolles Jahr.")
    if not data.title.strip():
        errors.append("Titel: Bitte einen Titel angeben.")
    if data.capacity is not None and data.capacity < 0:
        errors.append("Kapazität: darf nicht negativ sein.")
    if data.start_time and data.end_time and data.end_time <= data.start_time:
        errors.append("Ende: muss nach dem Beginn liegen.")
    if data.date and data.reply_deadline and data.reply_deadline > data.date:
        errors.append("Rückmeldefrist: liegt nach dem Konferenztag.")
    return errors


def conference_id(session: Session, year: int) -> int:
    found = session.scalar(sa.select(Conference.id).where(Conference.year == year))
    if found is None:
        raise UserError(f"Es gibt keine Konferenz {year}.")
    return found


def add_conference(session: Session, data: ConferenceData, forums: Sequence[ForumData] = ()) -> int:
    """Check ``data`` and insert the conference and its forums into the caller's unit of work; returns its id."""
    errors = validate_conference(data)
    if errors:
        raise UserError(" ".join(errors))
    if session.scalar(sa.select(Conference.id).where(Conference.year == data.year)) is not None:
        raise UserError(f"Für {data.year} gibt es schon eine Konferenz.")
    conf = Conference(**asdict(data))
    session.add(conf)
    session.flush()
    for order, forum in enumerate(forums):
        session.add(Forum(conference_id=conf.id, sort_order=order, **asdict(forum)))
    session.flush()
    return conf.id


def add_copy(
    session: Session, from_year: int, to_year: int, *, title: str | None = None, date: dt.date | None = None
) -> int:
    """Insert a conference for ``to_year`` with the venue, times, capacity and forums of ``from_year`` into
    the caller's unit of work; returns its id."""
    old = session.get_one(Conference, conference_id(session, from_year))
    if session.scalar(sa.select(Conference.id).where(Conference.year == to_year)) is not None:
        raise UserError(f"Für {to_year} gibt es schon eine Konferenz.")
    new = Conference(
        year=to_year,
        title=title or old.title.replace(str(from_year), str(to_year)),
        theme="",
        date=date,
        start_time=old.start_time,
        end_time=old.end_time,
        venue_name=old.venue_name,
        venue_street=old.venue_street,
        venue_postal_code=old.venue_postal_code,
        venue_city=old.venue_city,
        capacity=old.capacity,
    )
    session.add(new)
    session.flush()
    for forum in old.forums:
        session.add(
            Forum(
                conference_id=new.id,
                sort_order=forum.sort_order,
                title=forum.title,
                room=forum.room,
                capacity=forum.capacity,
                moderation=forum.moderation,
                description=forum.description,
            )
        )
    session.flush()
    return new.id


@dataclass
class ForumRecord:
    """A stored forum with its id and how many invitees chose it."""

    id: int
    data: ForumData
    #: invitations that chose this forum (any status)
    bookings: int = 0


@dataclass
class ConferenceRecord:
    """A stored conference: its data, forums (in order) and version (for optimistic locking)."""

    id: int
    version: int
    data: ConferenceData
    forums: list[ForumRecord]


def _conference_data(conf: Conference) -> ConferenceData:
    return ConferenceData(
        year=conf.year,
        title=conf.title,
        theme=conf.theme,
        date=conf.date,
        start_time=conf.start_time,
        end_time=conf.end_time,
        venue_name=conf.venue_name,
        venue_street=conf.venue_street,
        venue_postal_code=conf.venue_postal_code,
        venue_city=conf.venue_city,
        capacity=conf.capacity,
        reply_deadline=conf.reply_deadline,
        notes=conf.notes,
    )


def _forum_data(forum: Forum) -> ForumData:
    return ForumData(
        title=forum.title,
        room=forum.room,
        capacity=forum.capacity,
        moderation=forum.moderation,
        description=forum.description,
    )


def validate_forum(data: ForumData) -> list[str]:
    errors = []
    if not data.title.strip():
        errors.append("Forum: Bitte einen Titel angeben.")
    if data.capacity is not None and data.capacity < 0:
        errors.append(f"Forum „{data.title.strip()}“: Kapazität darf nicht negativ sein.")
    return errors


def _forum_bookings(session: Session, forum_ids: Sequence[int]) -> dict[int, int]:
    if not forum_ids:
        return {}
    rows = session.execute(
        sa.select(Invitation.forum_id, sa.func.count(Invitation.id))
        .where(Invitation.forum_id.in_(forum_ids))
        .group_by(Invitation.forum_id)
    )
    return {fid: int(n) for fid, n in rows if fid is not None}


def get_conference(database: Database, conf_id: int) -> ConferenceRecord:
    with database.read_session() as s:
        conf = s.get(Conference, conf_id)
        if conf is None:
            raise UserError(f"Die Konferenz Nr. {conf_id} gibt es nicht (mehr).")
        bookings = _forum_bookings(s, [f.id for f in conf.forums])
        return ConferenceRecord(
            id=conf.id,
            version=conf.version,
            data=_conference_data(conf),
            forums=[ForumRecord(f.id, _forum_data(f), bookings.get(f.id, 0)) for f in conf.forums],
        )


def _apply_forum(forum: Forum, data: ForumData) -> None:
    forum.title = data.title.strip()
    forum.room = data.room.strip()
    forum.capacity = data.capacity
    forum.moderation = data.moderation.strip()
    forum.description = data.description


def update_conference(
    database: Database,
    conference_id: int,
    data: ConferenceData,
    expected_version: int | None,
    *,
    forums: Sequence[tuple[int | None, ForumData]] | None = None,
) -> int:
    """Save changed fields of a conference; returns the new version.

    With ``forums`` the conference's forums become exactly that list, in that order, in the same unit of
    work: ``(forum_id, data)`` updates a forum, ``(None, data)`` adds one, and forums not in the list are
    deleted (invitations that chose them keep their status, without a forum).
    Raises ``ConflictError`` when ``expected_version`` is given and someone else saved meanwhile.
    """
    errors = validate_conference(data)
    for _fid, forum_data in forums or ():
        errors += validate_forum(forum_data)
    if errors:
        raise UserError(" ".join(errors))
    with database.session() as s:
        conf = s.get(Conference, conference_id)
        if conf is None:
            raise UserError(f"Die Konferenz Nr. {conference_id} gibt es nicht (mehr).")
        if expected_version is not None and conf.version != expected_version:
            raise ConflictError(
                f"Die Konferenz {conf.year} wurde inzwischen an einem anderen Arbeitsplatz geändert. Es "
                "wurde nichts gespeichert; bitte neu öffnen und die Änderung noch einmal eintragen.",
                current=_conference_data(conf),
            )
        if data.year != conf.year and (
            s.scalar(sa.select(Conference.id).where(Conference.year == data.year, Conference.id != conf.id))
            is not None
        ):
            raise UserError(f"Für {data.year} gibt es schon eine Konferenz.")
        changed = _conference_data(conf) != data
        for name, value in asdict(data).items():
            setattr(conf, name, value)
        if forums is not None:
            existing = {f.id: f for f in conf.forums}
            wanted = [fid for fid, _d in forums if fid is not None]
            unknown = set(wanted) - set(existing)
            if unknown:
                raise UserError("Ein Forum gehört nicht (mehr) zu dieser Konferenz. Bitte neu öffnen.")
            for gone_id, gone in existing.items():
                if gone_id not in wanted:
                    for inv in s.scalars(sa.select(Invitation).where(Invitation.forum_id == gone_id)):
                        inv.forum_id = None
                    s.delete(gone)
                    changed = True
            for order, (fid, wanted_data) in enumerate(forums):
                row = existing[fid] if fid is not None else Forum(conference_id=conf.id)
                before = (_forum_data(row), row.sort_order) if fid is not None else None
                _apply_forum(row, wanted_data)
                row.sort_order = order
                if fid is None:
                    s.add(row)
                if before != (_forum_data(row), row.sort_order):
                    changed = True
        if changed:
            # forums have no version of their own: a forum change counts as a change of the conference
            conf.updated_at = schema.now()
            flag_modified(conf, "updated_at")  # an UPDATE (and a new version) even within the same second
        s.flush()
        return conf.version


def add_forum(database: Database, conference_id: int, data: ForumData) -> int:
    """Append a forum to a conference; returns its id."""
    errors = validate_forum(data)
    if errors:
        raise UserError(" ".join(errors))
    with database.session() as s:
        if s.get(Conference, conference_id) is None:
            raise UserError(f"Die Konferenz Nr. {conference_id} gibt es nicht (mehr).")
        last = s.scalar(sa.select(sa.func.max(Forum.sort_order)).where(Forum.conference_id == conference_id))
        forum = Forum(conference_id=conference_id, sort_order=(last if last is not None else -1) + 1)
        _apply_forum(forum, data)
        s.add(forum)
        s.flush()
        return forum.id


def update_forum(database: Database, forum_id: int, data: ForumData) -> None:
    errors = validate_forum(data)
    if errors:
        raise UserError(" ".join(errors))
    with database.session() as s:
        forum = s.get(Forum, forum_id)
        if forum is None:
            raise UserError(f"Das Forum Nr. {forum_id} gibt es nicht (mehr).")
        _apply_forum(forum, data)


def delete_forum(database: Database, forum_id: int) -> int:
    """Delete a forum; invitations that chose it keep their status without a forum. Returns how many."""
    with database.session() as s:
        forum = s.get(Forum, forum_id)
        if forum is None:
            raise UserError(f"Das Forum Nr. {forum_id} gibt es nicht (mehr).")
        affected = s.scalars(sa.select(Invitation).where(Invitation.forum_id == forum_id)).all()
        for inv in affected:
            inv.forum_id = None
        s.delete(forum)
        return len(affected)
