"""Conferences and invitations on both backends: copy, invite, replies, capacity, check-in, statistics."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

import pytest
import sqlalchemy as sa

from konferenz.conferences import checkin, editing, inviting, replies, statistics
from konferenz.enums import InvitationStatus
from konferenz.errors import UserError
from konferenz.programme import new_conference
from konferenz.storage.db import Database
from konferenz.storage.models import (
    Category,
    Conference,
    Forum,
    Invitation,
    Municipality,
    Organisation,
    Person,
    Role,
    Tag,
)


@dataclass
class World:
    mso: int
    kommune: int
    bocholt: int
    borken: int
    org_mso: int
    org_stadt: int
    org_alone: int
    persons: list[int]
    tag: int


def build_world(db: Database) -> World:
    with db.session() as s:
        cats = {c.name: c.id for c in s.scalars(sa.select(Category))}
        muns = {m.name: m.id for m in s.scalars(sa.select(Municipality))}
        org_mso = Organisation(
            name="Türkischer Elternverein Bocholt",
            category_id=cats["Migrantenselbstorganisation"],
            municipality_id=muns["Bocholt"],
        )
        org_stadt = Organisation(
            name="Stadt Borken", category_id=cats["Kommune"], municipality_id=muns["Borken"]
        )
        org_alone = Organisation(
            name="Syrischer Kulturverein",
            category_id=cats["Migrantenselbstorganisation"],
            municipality_id=muns["Bocholt"],
        )
        tag = Tag(name="Integrationsrat")
        s.add_all([org_mso, org_stadt, org_alone, tag])
        s.flush()
        people = [
            Person(last_name="Öztürk", first_name="Ayşe"),  # via MSO org
            Person(last_name="Yılmaz", first_name="Mehmet"),  # via MSO org
            Person(last_name="Schulte", first_name="Maria"),  # via Stadt Borken
            Person(
                last_name="Иванова",
                first_name="Ольга",
                category_id=cats["Migrantenselbstorganisation"],
                municipality_id=muns["Borken"],
            ),  # own category, no org
            Person(last_name="Nguyễn", first_name="Lan"),  # no category at all
        ]
        s.add_all(people)
        s.flush()
        people[1].tags.append(tag)
        s.add_all(
            [
                Role(person_id=people[0].id, organisation_id=org_mso.id, is_primary=True),
                Role(person_id=people[1].id, organisation_id=org_stadt.id, is_primary=False),
                Role(person_id=people[1].id, organisation_id=org_mso.id, is_primary=True),
                Role(person_id=people[2].id, organisation_id=org_stadt.id, is_primary=True),
            ]
        )
        return World(
            cats["Migrantenselbstorganisation"],
            cats["Kommune"],
            muns["Bocholt"],
            muns["Borken"],
            org_mso.id,
            org_stadt.id,
            org_alone.id,
            [p.id for p in people],
            tag.id,
        )


@pytest.fixture
def world(db: Database) -> World:
    w = build_world(db)
    new_conference.create_conference(
        db,
        editing.ConferenceData(
            year=2025,
            title="Integrationskonferenz 2025",
            date=dt.date(2025, 11, 6),
            venue_name="Kreishaus Borken",
            capacity=4,
            reply_deadline=dt.date(2025, 10, 20),
            start_time=dt.time(9),
            end_time=dt.time(16),
        ),
        [
            editing.ForumData("Forum A: Sprache", room="Raum 1", capacity=2),
            editing.ForumData("Forum B: Arbeit"),
        ],
    )
    return w


def invitations(db: Database, year: int = 2025) -> dict[tuple[int | None, int | None], Invitation]:
    with db.read_session() as s:
        cid = editing.conference_id(s, year)
        return {
            (i.person_id, i.organisation_id): i
            for i in s.scalars(sa.select(Invitation).where(Invitation.conference_id == cid))
        }


def test_validation_names_the_field(db: Database) -> None:
    with pytest.raises(UserError, match="Titel"):
        new_conference.create_conference(db, editing.ConferenceData(year=2030, title=" "))
    with pytest.raises(UserError, match="Ende"):
        new_conference.create_conference(
            db, editing.ConferenceData(year=2030, title="x", start_time=dt.time(12), end_time=dt.time(9))
        )


def test_year_is_unique(world: World, db: Database) -> None:
    with pytest.raises(UserError, match="schon eine Konferenz"):
        new_conference.create_conference(db, editing.ConferenceData(year=2025, title="Doppelt"))


def test_invite_everyone(world: World, db: Database) -> None:
    result = inviting.invite(db, 2025, inviting.InviteeFilter(everyone=True))
    # five persons plus the one organisation without contact persons
    assert (result.invited, result.already) == (6, 0)
    inv = invitations(db)
    assert (world.persons[1], world.org_mso) in inv  # primary organisation, not the other role
    assert (world.persons[3], None) in inv
    assert (None, world.org_alone) in inv
    assert (None, world.org_mso) not in inv  # has contact persons
    assert all(i.status is InvitationStatus.PLANNED for i in inv.values())
    again = inviting.invite(db, 2025, inviting.InviteeFilter(everyone=True))
    assert (again.invited, again.already) == (0, 6)
    assert len(invitations(db)) == 6


def test_invite_by_category_uses_own_or_organisation_category(world: World, db: Database) -> None:
    result = inviting.invite(db, 2025, inviting.InviteeFilter(category_ids=[world.mso]))
    assert result.invited == 4  # Öztürk, Yılmaz (org), Иванова (own), Syrischer Kulturverein (alone)
    assert {k[0] for k in invitations(db)} == {world.persons[0], world.persons[1], world.persons[3], None}


def test_invite_by_municipality_and_tag(world: World, db: Database) -> None:
    assert inviting.invite(db, 2025, inviting.InviteeFilter(municipality_ids=[world.borken])).invited == 2
    assert inviting.invite(db, 2025, inviting.InviteeFilter(tag_ids=[world.tag])).invited == 1


def test_invite_needs_a_choice(world: World, db: Database) -> None:
    with pytest.raises(UserError, match="wer eingeladen"):
        inviting.invite(db, 2025, inviting.InviteeFilter())


def test_copy_last_year_with_invitees(world: World, db: Database) -> None:
    inviting.invite(db, 2025, inviting.InviteeFilter(category_ids=[world.kommune]))
    new_id = new_conference.copy_conference(db, 2025, 2026, date=dt.date(2026, 11, 5), copy_invitees=True)
    with db.read_session() as s:
        forums = s.scalars(
            sa.select(Forum.title).where(Forum.conference_id == new_id).order_by(Forum.sort_order)
        ).all()
        new = s.get_one(Conference, new_id)
    assert forums == ["Forum A: Sprache", "Forum B: Arbeit"]
    assert (new.title, new.venue_name, new.capacity) == ("Integrationskonferenz 2026", "Kreishaus Borken", 4)
    assert set(invitations(db, 2026)) == set(invitations(db, 2025))
    result = inviting.invite(db, 2026, inviting.InviteeFilter(from_year=2025))
    assert (result.invited, result.already) == (0, 1)


def _forum(db: Database, title: str) -> int:
    with db.read_session() as s:
        return s.scalars(sa.select(Forum.id).where(Forum.title == title)).one()


def test_capacity_warning_and_waitlist(world: World, db: Database) -> None:
    inviting.invite(db, 2025, inviting.InviteeFilter(everyone=True))
    inv = invitations(db)
    forum_a = _forum(db, "Forum A: Sprache")
    first = inv[(world.persons[0], world.org_mso)].id
    second = inv[(world.persons[1], world.org_mso)].id
    third = inv[(world.persons[2], world.org_stadt)].id
    ok = replies.record_reply(
        db, first, replies.Reply(InvitationStatus.ACCEPTED, channel="phone", forum_id=forum_a, companions=1)
    )
    assert ok.saved and not ok.warnings
    full = replies.record_reply(db, second, replies.Reply(InvitationStatus.ACCEPTED, forum_id=forum_a))
    assert not full.saved
    assert "Forum A: Sprache" in full.warnings[0] and "2 von 2" in full.warnings[0]
    assert invitations(db)[(world.persons[1], world.org_mso)].status is InvitationStatus.PLANNED
    replies.record_reply(db, second, replies.Reply(InvitationStatus.WAITLIST))
    replies.record_reply(db, third, replies.Reply(InvitationStatus.WAITLIST))
    cancelled = replies.record_reply(db, first, replies.Reply(InvitationStatus.DECLINED, channel="email"))
    assert cancelled.waitlist_next == [second, third]
    with db.read_session() as s:
        occ = replies.occupancy(s, editing.conference_id(s, 2025))
    assert [(o.name, o.booked) for o in occ] == [
        ("Kreishaus Borken", 0),
        ("Forum A: Sprache", 0),
        ("Forum B: Arbeit", 0),
    ]


def test_venue_overbooking_can_be_allowed(world: World, db: Database) -> None:
    inviting.invite(db, 2025, inviting.InviteeFilter(everyone=True))
    ids = [i.id for i in invitations(db).values()]
    replies.record_reply(db, ids[0], replies.Reply(InvitationStatus.ACCEPTED, companions=3))
    blocked = replies.record_reply(db, ids[1], replies.Reply(InvitationStatus.ACCEPTED))
    assert not blocked.saved and "Veranstaltungsort ist voll" in blocked.warnings[0]
    forced = replies.record_reply(
        db, ids[1], replies.Reply(InvitationStatus.ACCEPTED), allow_overbooking=True
    )
    assert forced.saved and forced.warnings


def test_stale_version_is_refused(world: World, db: Database) -> None:
    inviting.invite(db, 2025, inviting.InviteeFilter(everyone=True))
    one = next(iter(invitations(db).values()))
    replies.record_reply(db, one.id, replies.Reply(InvitationStatus.DECLINED))
    with pytest.raises(UserError, match="anderen Arbeitsplatz"):
        replies.record_reply(
            db, one.id, replies.Reply(InvitationStatus.ACCEPTED), expected_version=one.version
        )


def test_check_in_walk_in_and_close(world: World, db: Database) -> None:
    inviting.invite(db, 2025, inviting.InviteeFilter(category_ids=[world.mso]))
    inv = invitations(db)
    a = inv[(world.persons[0], world.org_mso)].id
    b = inv[(world.persons[1], world.org_mso)].id
    replies.set_status(db, [a, b], InvitationStatus.ACCEPTED)
    checkin.check_in(db, a)
    walk_in = checkin.add_walk_in(db, 2025, world.persons[2])
    assert checkin.close_event(db, 2025) == 1
    after = invitations(db)
    assert after[(world.persons[0], world.org_mso)].status is InvitationStatus.ATTENDED
    assert after[(world.persons[0], world.org_mso)].checked_in_at is not None
    assert after[(world.persons[1], world.org_mso)].status is InvitationStatus.NO_SHOW
    walk = after[(world.persons[2], world.org_stadt)]
    assert (walk.id, walk.status) == (walk_in, InvitationStatus.ATTENDED)


def test_reminders_only_after_deadline_and_without_reply(world: World, db: Database) -> None:
    inviting.invite(db, 2025, inviting.InviteeFilter(everyone=True))
    ids = sorted(i.id for i in invitations(db).values())
    replies.set_status(db, ids, InvitationStatus.INVITED)
    replies.record_reply(db, ids[0], replies.Reply(InvitationStatus.ACCEPTED))
    with db.read_session() as s:
        assert replies.reminder_candidates(s, 2025, today=dt.date(2025, 10, 1)) == []
        assert replies.reminder_candidates(s, 2025, today=dt.date(2025, 10, 21)) == ids[1:]


def test_statistics_match_independent_counts(world: World, db: Database) -> None:
    inviting.invite(db, 2025, inviting.InviteeFilter(everyone=True))
    ids = sorted(i.id for i in invitations(db).values())
    statuses = [
        InvitationStatus.ATTENDED,
        InvitationStatus.DECLINED,
        InvitationStatus.NO_SHOW,
        InvitationStatus.ATTENDED,
        InvitationStatus.INVITED,
        InvitationStatus.PLANNED,
    ]
    for inv_id, status in zip(ids, statuses, strict=True):
        replies.set_status(db, [inv_id], status)
    with db.read_session() as s:
        stats = statistics.conference_stats(s, 2025)
        raw = Counter(s.scalars(sa.select(Invitation.status)))
    assert stats.total.invited == sum(n for st, n in raw.items() if st is not InvitationStatus.PLANNED)
    assert stats.total.attended == raw[InvitationStatus.ATTENDED] == 2
    assert stats.total.declined == raw[InvitationStatus.DECLINED]
    assert stats.total.accepted == raw[InvitationStatus.ATTENDED] + raw[InvitationStatus.NO_SHOW]
    assert stats.total.replied == 4
    assert sum(r.invited for r in stats.by_category) == stats.total.invited
    assert sum(r.attended for r in stats.by_municipality) == stats.total.attended
    assert stats.by_status["teilgenommen"] == 2
    # MSO among the invited: Öztürk, Yılmaz, Иванова, the Syrian association minus the PLANNED one
    mso_invited = sum(r.invited for r in stats.by_category if r.name == "Migrantenselbstorganisation")
    assert stats.mso_share_invited == pytest.approx(mso_invited / stats.total.invited)
