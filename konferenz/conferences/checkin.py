"""The day of the event: checking invitees in, walk-ins, and closing the event (no-shows).

Like a reply, a check-in takes the conference's seat lock (``replies.lock_seats``) before it reads: two
entrances checking in the same person, or the same walk-in, at the same moment give one invitation checked
in once (the second waits and finds it), not a conflict or a second invitation. A check-in or walk-in is not
checked against the capacity (whoever stands at the entrance is let in); under the lock, a reply recorded
at the same moment counts that seat."""

from __future__ import annotations

import sqlalchemy as sa

from konferenz import paths
from konferenz.conferences.editing import conference_id
from konferenz.conferences.inviting import primary_roles
from konferenz.conferences.replies import lock_seats, lock_seats_of
from konferenz.enums import InvitationStatus
from konferenz.errors import UserError
from konferenz.storage import schema
from konferenz.storage.db import Database
from konferenz.storage.models import (
    Invitation,
)


def check_in(database: Database, invitation_id: int) -> None:
    with database.session() as s:
        lock_seats_of(s, [invitation_id])
        inv = s.get(Invitation, invitation_id)
        if inv is None:
            raise UserError(f"Die Einladung {invitation_id} gibt es nicht (mehr).")
        if inv.status is InvitationStatus.ATTENDED and inv.checked_in_at is not None:
            return  # checked in already (at another entrance): nothing to change
        inv.status = InvitationStatus.ATTENDED
        inv.checked_in_at = inv.checked_in_at or schema.now()
        inv.entered_by = paths.os_user()


def add_walk_in(database: Database, year: int, person_id: int, organisation_id: int | None = None) -> int:
    """A person who came without being on the list (or whose invitation is in another status)."""
    with database.session() as s:
        conf_id = conference_id(s, year)
        lock_seats(s, conf_id)  # before looking for the person's invitation
        inv = s.scalar(
            sa.select(Invitation).where(
                Invitation.conference_id == conf_id, Invitation.person_id == person_id
            )
        )
        if inv is None:
            if organisation_id is None:
                prim = primary_roles()
                organisation_id = s.scalar(
                    sa.select(prim.c.organisation_id).where(prim.c.person_id == person_id)
                )
            inv = Invitation(conference_id=conf_id, person_id=person_id, organisation_id=organisation_id)
            s.add(inv)
        inv.status = InvitationStatus.ATTENDED
        inv.checked_in_at = schema.now()
        inv.entered_by = paths.os_user()
        s.flush()
        return inv.id


def close_event(database: Database, year: int) -> int:
    """After the event: everyone still *zugesagt* (or *vertreten*) who did not check in → *nicht erschienen*."""
    with database.session() as s:
        conf_id = conference_id(s, year)
        rows = s.scalars(
            sa.select(Invitation).where(
                Invitation.conference_id == conf_id,
                Invitation.status.in_(InvitationStatus.expected()),
            )
        ).all()
        for inv in rows:
            inv.status = InvitationStatus.NO_SHOW
            inv.entered_by = paths.os_user()
            inv.entered_at = schema.now()
        return len(rows)
