"""Fingerprints notice changes by other users, per kind of data."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from konferenz.conferences import editing, inviting, replies
from konferenz.enums import InvitationStatus
from konferenz.programme import new_conference
from konferenz.programme import service as prog
from konferenz.storage.changes import changed_kinds, fingerprints
from konferenz.storage.db import Database, open_database
from konferenz.storage.models import Invitation, Person


def test_each_kind_of_change_is_noticed(db: Database) -> None:
    def snap() -> dict:  # type: ignore[type-arg]
        with db.read_session() as s:
            return fingerprints(s)

    start = snap()
    assert changed_kinds(start, snap()) == frozenset()
    with db.session() as s:
        s.add(Person(last_name="Kaya"))
    after_person = snap()
    assert changed_kinds(start, after_person) == {"persons"}
    new_conference.create_conference(
        db, editing.ConferenceData(year=2026, title="K", date=dt.date(2026, 11, 5))
    )
    after_conf = snap()
    assert "conferences" in changed_kinds(after_person, after_conf)
    inviting.invite(db, 2026, inviting.InviteeFilter(everyone=True))
    after_invite = snap()
    assert changed_kinds(after_conf, after_invite) == {"invitations"}
    with db.read_session() as s:
        inv = s.scalars(sa.select(Invitation.id)).one()
    replies.set_status(db, [inv], InvitationStatus.ACCEPTED)
    after_reply = snap()
    assert changed_kinds(after_invite, after_reply) == {"invitations"}
    a = prog.add_item(db, 2026, prog.ItemData("Begrüßung", 15))
    prog.add_item(db, 2026, prog.ItemData("Vortrag", 30))
    after_agenda = snap()
    assert changed_kinds(after_reply, after_agenda) == {"agenda"}
    prog.move_item(db, a, 1)
    assert changed_kinds(after_agenda, snap()) == {"agenda"}


def test_change_from_another_connection(db: Database) -> None:
    with db.read_session() as s:
        before = fingerprints(s)
    other = open_database(db.url)
    try:
        with other.session() as s:
            s.add(Person(last_name="Иванова"))
    finally:
        other.dispose()
    with db.read_session() as s:
        assert changed_kinds(before, fingerprints(s)) == {"persons"}
