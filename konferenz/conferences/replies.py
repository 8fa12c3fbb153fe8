"""Replies to invitations: recording a reply or a status change with the capacity check of the venue and the
forums in the same transaction, the waiting list, substitutes, reminders, and the reply states kept for undo.

Two workplaces recording replies at the same moment cannot overbook a forum: every unit of work that may seat
someone (a reply, a bulk status change, the waiting list, a check-in) first locks the conference's row
(``lock_seats``: ``SELECT … FOR UPDATE`` on PostgreSQL, where READ COMMITTED would let two transactions count
the same free seat; on SQLite every unit of work already holds the write lock from its start, ``BEGIN
IMMEDIATE``), and only then reads the invitation and counts the seats. The second workplace waits for the
first one's commit and counts its seat. One lock per conference, always taken first, so two units of work
can never wait for each other in a circle; a forum needs no lock of its own, because its seats are only ever
counted under its conference's lock. Measured without the lock (tests/acceptance/test_capacity_race.py): on
PostgreSQL two workplaces both took the last seat of a forum.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import Session

from konferenz import paths
from konferenz.conferences.editing import conference_id
from konferenz.enums import Channel, InvitationStatus, label
from konferenz.errors import ConflictError, UserError
from konferenz.storage import schema
from konferenz.storage.db import Database
from konferenz.storage.models import (
    Conference,
    Forum,
    Invitation,
    Person,
)


def lock_seats(session: Session, conf_id: int) -> None:
    """Take the conference's seat lock for the rest of the unit of work (see the module docstring)."""
    session.execute(sa.select(Conference.id).where(Conference.id == conf_id).with_for_update())


def lock_seats_of(session: Session, invitation_ids: Iterable[int]) -> None:
    """``lock_seats`` for the conferences of ``invitation_ids``, in the order of their ids."""
    ids = list(invitation_ids)
    if not ids:
        return
    conf_ids = session.scalars(
        sa.select(Invitation.conference_id).where(Invitation.id.in_(ids)).distinct()
    ).all()
    for conf_id in sorted(conf_ids):
        lock_seats(session, conf_id)


class OverbookingError(UserError):
    """A status change would overbook the venue or a forum and overbooking was not allowed; nothing changed."""

    def __init__(self, warnings: list[str]) -> None:
        super().__init__(" ".join(warnings))
        self.warnings = warnings


@dataclass
class Reply:
    status: InvitationStatus
    channel: str | None = None
    replied_on: dt.date | None = None
    forum_id: int | None = None
    companions: int = 0
    substitute_name: str = ""
    needs_accessibility: str = ""
    needs_diet: str = ""


@dataclass
class Occupancy:
    name: str
    capacity: int | None
    booked: int

    @property
    def free(self) -> int | None:
        return None if self.capacity is None else self.capacity - self.booked


def _seats(session: Session, conf_id: int, *, forum_id: int | None = None, exclude: int | None = None) -> int:
    q = sa.select(sa.func.coalesce(sa.func.sum(1 + Invitation.companions), 0)).where(
        Invitation.conference_id == conf_id, Invitation.status.in_(InvitationStatus.seated())
    )
    if forum_id is not None:
        q = q.where(Invitation.forum_id == forum_id)
    if exclude is not None:
        q = q.where(Invitation.id != exclude)
    return int(session.scalar(q) or 0)


def occupancy(session: Session, conf_id: int) -> list[Occupancy]:
    """The venue first, then each forum: capacity and seats taken (accepted invitees plus companions)."""
    conf = session.get_one(Conference, conf_id)
    result = [Occupancy(conf.venue_name or "Veranstaltungsort", conf.capacity, _seats(session, conf_id))]
    for forum in conf.forums:
        result.append(Occupancy(forum.title, forum.capacity, _seats(session, conf_id, forum_id=forum.id)))
    return result


def capacity_warnings(session: Session, invitation: Invitation, reply: Reply) -> list[str]:
    """German warnings if ``reply`` would overbook the venue or the chosen forum."""
    if reply.status not in InvitationStatus.seated():
        return []
    warnings = []
    seats = 1 + reply.companions
    conf = session.get_one(Conference, invitation.conference_id)
    if conf.capacity is not None:
        booked = _seats(session, conf.id, exclude=invitation.id)
        if booked + seats > conf.capacity:
            warnings.append(
                f"Der Veranstaltungsort ist voll: {booked} von {conf.capacity} Plätzen belegt, "
                f"diese Zusage braucht {seats}."
            )
    if reply.forum_id is not None:
        forum = session.get_one(Forum, reply.forum_id)
        if forum.capacity is not None:
            booked = _seats(session, conf.id, forum_id=forum.id, exclude=invitation.id)
            if booked + seats > forum.capacity:
                warnings.append(
                    f"Das Forum „{forum.title}“ ist voll: {booked} von {forum.capacity} Plätzen belegt, "
                    f"diese Zusage braucht {seats}."
                )
    return warnings


@dataclass
class ReplyResult:
    saved: bool
    warnings: list[str]
    #: after a cancellation: who is next on the waiting list (invitation ids, first first)
    waitlist_next: list[int] = field(default_factory=list)
    #: what staff should know about the reply just stored (German), e.g. it came without an invitation
    notes: list[str] = field(default_factory=list)


def record_reply(
    database: Database,
    invitation_id: int,
    reply: Reply,
    *,
    allow_overbooking: bool = False,
    expected_version: int | None = None,
) -> ReplyResult:
    """Store a reply. If it would overbook and ``allow_overbooking`` is False, nothing is stored and the
    warnings are returned, so the window can ask and call again (or put the person on the waiting list)."""
    with database.session() as s:
        lock_seats_of(s, [invitation_id])  # before the invitation is read and the seats are counted
        inv = s.get(Invitation, invitation_id)
        if inv is None:
            raise UserError(f"Die Einladung {invitation_id} gibt es nicht (mehr).")
        if expected_version is not None and inv.version != expected_version:
            raise ConflictError()
        if reply.forum_id is not None:
            forum = s.get(Forum, reply.forum_id)
            if forum is None or forum.conference_id != inv.conference_id:
                raise UserError("Das gewählte Forum gehört nicht zu dieser Konferenz.")
        if reply.companions < 0:
            raise UserError("Begleitpersonen: die Zahl darf nicht negativ sein.")
        warnings = capacity_warnings(s, inv, reply)
        if warnings and not allow_overbooking:
            return ReplyResult(saved=False, warnings=warnings)
        was_seated = inv.status in InvitationStatus.seated()
        notes = []
        if inv.invited_on is None and reply.status in InvitationStatus.replied():
            notes.append(
                f"Hinweis: Es ist keine Einladung vermerkt („eingeladen am“ ist leer; Status war "
                f"„{label(inv.status)}“). Die Rückmeldung ist gespeichert; wurde die Einladung verschickt, "
                "bitte den Versand vermerken (Serienbrief oder E-Mail)."
            )
        position = None
        if reply.status is InvitationStatus.WAITLIST:
            # queried before anything changes, so the save is one UPDATE (one version step)
            last = s.scalar(
                sa.select(sa.func.max(Invitation.waitlist_position)).where(
                    Invitation.conference_id == inv.conference_id
                )
            )
            position = inv.waitlist_position or (last or 0) + 1
        inv.status = reply.status
        inv.reply_channel = Channel(reply.channel) if reply.channel else inv.reply_channel
        inv.replied_on = reply.replied_on or dt.date.today()
        inv.forum_id = reply.forum_id
        inv.companions = reply.companions
        inv.substitute_name = reply.substitute_name
        inv.needs_accessibility = reply.needs_accessibility
        inv.needs_diet = reply.needs_diet
        inv.entered_by = paths.os_user()
        inv.entered_at = schema.now()
        inv.waitlist_position = position
        s.flush()
        following = (
            waitlist(s, inv.conference_id)
            if was_seated and reply.status not in InvitationStatus.seated()
            else []
        )
        return ReplyResult(saved=True, warnings=warnings, waitlist_next=following, notes=notes)


def set_status(
    database: Database,
    invitation_ids: Iterable[int],
    status: InvitationStatus,
    *,
    allow_overbooking: bool = True,
) -> int:
    """Bulk status change for a selection, in one transaction. Returns the number changed.

    Without ``allow_overbooking`` a change that would overbook the venue or a forum raises
    ``OverbookingError`` with the warnings of ``status_change_warnings``, counted in the same transaction."""
    ids = list(invitation_ids)
    with database.session() as s:
        lock_seats_of(s, ids)
        if not allow_overbooking:
            warnings = status_change_warnings(s, ids, status)
            if warnings:
                raise OverbookingError(warnings)
        invitations = s.scalars(sa.select(Invitation).where(Invitation.id.in_(ids))).all()
        if len(invitations) != len(set(ids)):
            raise UserError("Einige der gewählten Einladungen gibt es nicht mehr. Bitte die Liste neu laden.")
        changed = 0
        for inv in invitations:
            if inv.status is not status:
                inv.status = status
                inv.entered_by = paths.os_user()
                inv.entered_at = schema.now()
                if status is InvitationStatus.ATTENDED and inv.checked_in_at is None:
                    inv.checked_in_at = schema.now()
                changed += 1
        return changed


def waitlist(session: Session, conf_id: int) -> list[int]:
    """Invitation ids on the waiting list, next first."""
    return list(
        session.scalars(
            sa.select(Invitation.id)
            .where(Invitation.conference_id == conf_id, Invitation.status == InvitationStatus.WAITLIST)
            .order_by(Invitation.waitlist_position, Invitation.id)
        )
    )


def reminder_candidates(session: Session, year: int, today: dt.date | None = None) -> list[int]:
    """Invitations without a reply after the reply deadline (all awaiting ones if no deadline passed)."""
    conf = session.get_one(Conference, conference_id(session, year))
    today = today or dt.date.today()
    if conf.reply_deadline is not None and today <= conf.reply_deadline:
        return []
    return list(
        session.scalars(
            sa.select(Invitation.id)
            .where(
                Invitation.conference_id == conf.id, Invitation.status.in_(InvitationStatus.awaiting_reply())
            )
            .order_by(Invitation.id)
        )
    )


def status_change_warnings(
    session: Session, invitation_ids: Sequence[int], status: InvitationStatus
) -> list[str]:
    """German warnings if giving all of ``invitation_ids`` the seated ``status`` would overbook the venue
    or a forum (the bulk counterpart of ``capacity_warnings``)."""
    if status not in InvitationStatus.seated() or not invitation_ids:
        return []
    rows = session.execute(
        sa.select(Invitation.conference_id, Invitation.forum_id, Invitation.companions).where(
            Invitation.id.in_(invitation_ids), Invitation.status.not_in(InvitationStatus.seated())
        )
    ).all()
    if not rows:
        return []
    conf_id = rows[0][0]
    conf = session.get_one(Conference, conf_id)
    warnings = []
    needed = sum(1 + companions for _c, _f, companions in rows)
    if conf.capacity is not None:
        booked = _seats(session, conf_id)
        if booked + needed > conf.capacity:
            warnings.append(
                f"Der Veranstaltungsort ist voll: {booked} von {conf.capacity} Plätzen belegt, "
                f"diese Zusagen brauchen {needed}."
            )
    per_forum: dict[int, int] = {}
    for _c, forum_id, companions in rows:
        if forum_id is not None:
            per_forum[forum_id] = per_forum.get(forum_id, 0) + 1 + companions
    for forum in conf.forums:
        if forum.id in per_forum and forum.capacity is not None:
            booked = _seats(session, conf_id, forum_id=forum.id)
            if booked + per_forum[forum.id] > forum.capacity:
                warnings.append(
                    f"Das Forum „{forum.title}“ ist voll: {booked} von {forum.capacity} Plätzen belegt, "
                    f"diese Zusagen brauchen {per_forum[forum.id]}."
                )
    return warnings


def put_on_waitlist(database: Database, invitation_ids: Sequence[int]) -> int:
    """Put a selection on the waiting list, behind those already waiting, in the given order.

    Invitations already waiting keep their place. Returns the number changed."""
    ids = list(dict.fromkeys(invitation_ids))
    with database.session() as s:
        lock_seats_of(s, ids)  # the places behind the last one, counted by one workplace at a time
        invitations = {i.id: i for i in s.scalars(sa.select(Invitation).where(Invitation.id.in_(ids)))}
        if len(invitations) != len(ids):
            raise UserError("Einige der gewählten Einladungen gibt es nicht mehr. Bitte die Liste neu laden.")
        last: dict[int, int] = {}
        changed = 0
        for inv_id in ids:
            inv = invitations[inv_id]
            if inv.status is InvitationStatus.WAITLIST:
                continue
            if inv.conference_id not in last:
                last[inv.conference_id] = (
                    s.scalar(
                        sa.select(sa.func.max(Invitation.waitlist_position)).where(
                            Invitation.conference_id == inv.conference_id
                        )
                    )
                    or 0
                )
            last[inv.conference_id] += 1
            inv.status = InvitationStatus.WAITLIST
            inv.waitlist_position = last[inv.conference_id]
            inv.entered_by = paths.os_user()
            inv.entered_at = schema.now()
            changed += 1
        return changed


def link_substitute(database: Database, invitation_id: int, person_id: int | None) -> None:
    """Record that the substitute ("vertreten durch") is the registry person ``person_id`` (None: unlink)."""
    with database.session() as s:
        inv = s.get(Invitation, invitation_id)
        if inv is None:
            raise UserError(f"Die Einladung {invitation_id} gibt es nicht (mehr).")
        if person_id is not None and s.get(Person, person_id) is None:
            raise UserError(f"Die Person Nr. {person_id} gibt es nicht (mehr).")
        inv.substitute_person_id = person_id


#: the fields of an invitation a reply or status change writes; ``ReplyState`` keeps them for undo
REPLY_FIELDS: tuple[str, ...] = (
    "status",
    "reply_channel",
    "replied_on",
    "forum_id",
    "companions",
    "substitute_name",
    "substitute_person_id",
    "needs_accessibility",
    "needs_diet",
    "waitlist_position",
    "checked_in_at",
    "entered_by",
    "entered_at",
)


@dataclass(frozen=True)
class ReplyState:
    """What a reply or status change may alter on one invitation, to restore it (undo, redo)."""

    invitation_id: int
    version: int
    values: tuple[object, ...]

    @property
    def status(self) -> InvitationStatus:
        value = self.values[0]
        assert isinstance(value, InvitationStatus)
        return value


def reply_states(session: Session, invitation_ids: Sequence[int]) -> list[ReplyState]:
    """The current reply fields of ``invitation_ids`` (in the given order; unknown ids are left out)."""
    by_id = {
        inv.id: inv for inv in session.scalars(sa.select(Invitation).where(Invitation.id.in_(invitation_ids)))
    }
    return [
        ReplyState(i, by_id[i].version, tuple(getattr(by_id[i], name) for name in REPLY_FIELDS))
        for i in dict.fromkeys(invitation_ids)
        if i in by_id
    ]


def capture_reply_states(database: Database, invitation_ids: Sequence[int]) -> list[ReplyState]:
    with database.read_session() as s:
        return reply_states(s, invitation_ids)


def restore_reply_states(
    database: Database, states: Sequence[ReplyState], expected: Sequence[ReplyState] | None = None
) -> list[ReplyState]:
    """Write the reply fields of ``states`` back (undo or redo of a reply or status change).

    ``expected`` are the states the invitations must still be in (for an undo: the states right after the
    change); if the reply fields of any of them differ (someone else changed it meanwhile),
    ``ConflictError`` is raised and nothing is written. Only the reply fields are compared, so an unrelated
    edit (a note, a letter sent) does not block the undo. Returns the states as now stored."""
    wanted = {st.invitation_id: st.values for st in expected or ()}
    with database.session() as s:
        ids = [st.invitation_id for st in states]
        by_id = {inv.id: inv for inv in s.scalars(sa.select(Invitation).where(Invitation.id.in_(ids)))}
        for st in states:
            inv = by_id.get(st.invitation_id)
            if inv is None:
                raise UserError(f"Die Einladung {st.invitation_id} gibt es nicht (mehr).")
            if inv.id in wanted and tuple(getattr(inv, n) for n in REPLY_FIELDS) != wanted[inv.id]:
                raise ConflictError()
        for st in states:
            inv = by_id[st.invitation_id]
            for name, value in zip(REPLY_FIELDS, st.values, strict=True):
                setattr(inv, name, value)
        s.flush()
        return reply_states(s, ids)
