"""Fingerprints notice changes by other users, per kind of data."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa

from konferenz.conferences import editing, inviting, replies
from konferenz.enums import InvitationStatus
from konferenz.importing import service as importing
from konferenz.programme import new_conference
from konferenz.programme import service as prog
from konferenz.registry import persons as registry_persons
from konferenz.registry.validation import PersonData
from konferenz.storage.changes import (
    AGENDA,
    CONFERENCES,
    INVITATIONS,
    MINUTES,
    ORGANISATIONS,
    PERSONS,
    RECOMMENDATIONS,
    Changes,
    changed_kinds,
    fingerprints,
)
from konferenz.storage.db import Database, open_database
from konferenz.storage.models import Forum, Invitation, Person


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


# --- our own changes: what a unit of work wrote ------------------------------------------------------------


def test_a_service_says_what_it_changed(db: Database, tmp_path: Path) -> None:
    """``Database.track`` collects the tables the units of work wrote, ORM flushes and Core statements
    alike; the kinds follow from the tables, so no caller lists them by hand."""
    with db.track() as changes:
        registry_persons.create_person(db, PersonData(last_name="Öztürk", first_name="Ayşe"))
    assert {"person", "audit_entry"} <= changes.tables
    assert changes.kinds == {PERSONS}

    with db.track() as changes:
        new_conference.create_conference(db, editing.ConferenceData(year=2026, title="K"))
    assert changes.kinds == {CONFERENCES}  # no Sachstand item: no open recommendations yet

    with db.track() as changes:  # Core: INSERT … SELECT of the invitations
        inviting.invite(db, 2026, inviting.InviteeFilter(everyone=True))
    assert changes.kinds == {INVITATIONS}

    path = tmp_path / "liste.csv"
    path.write_text("Nachname;Vorname;Organisation\nИванов;Пётр;Мост\n", encoding="utf-8")
    with db.track() as changes:  # Core bulk inserts of the import
        importing.import_file(db, path)
    assert {PERSONS, ORGANISATIONS} <= changes.kinds


def test_a_unit_of_work_that_rolls_back_changed_nothing(db: Database) -> None:
    with db.track() as changes:
        with pytest.raises(RuntimeError), db.session() as s:
            s.add(Person(last_name="Kaya"))
            s.flush()
            raise RuntimeError("Stromausfall")
        with db.read_session() as s:
            s.execute(sa.select(Person.id)).all()
    assert changes.tables == set()
    with db.read_session() as s:
        assert s.scalar(sa.select(sa.func.count(Person.id))) == 0


def test_only_the_tracked_block_counts(db: Database) -> None:
    registry_persons.create_person(db, PersonData(last_name="Vorher"))  # outside: not collected
    with db.track() as outer:
        with db.track() as inner:
            registry_persons.create_person(db, PersonData(last_name="Innen"))
        inviting_nothing = inner.tables.copy()
    assert inviting_nothing >= {"person"}
    assert outer.tables == set()  # an inner block keeps its own


def test_a_delete_counts_what_the_database_cascades_to() -> None:
    """A DELETE changes what the foreign keys cascade to (or clear): deleting a conference changes its
    invitations, agenda, minutes and recommendations; deleting an organisation changes the persons' roles
    and the invitations and recommendations that named it."""
    assert Changes({"conference", "conference:delete"}).kinds == {
        CONFERENCES,
        INVITATIONS,
        AGENDA,
        MINUTES,
        RECOMMENDATIONS,
    }
    assert Changes({"organisation", "organisation:delete"}).kinds == {
        ORGANISATIONS,
        PERSONS,
        INVITATIONS,
        RECOMMENDATIONS,
    }
    assert Changes({"organisation"}).kinds == {ORGANISATIONS}  # an update changes the organisation only


def test_deleting_a_forum_is_seen_by_the_invitations(db: Database) -> None:
    new_conference.create_conference(
        db, editing.ConferenceData(year=2026, title="K"), [editing.ForumData(title="Forum Sprache")]
    )
    with db.track() as changes, db.session() as s:
        s.execute(sa.delete(Forum))
    assert {CONFERENCES, INVITATIONS} <= changes.kinds
