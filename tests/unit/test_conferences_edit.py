"""Editing conferences and forums, bulk capacity checks, the waiting list in bulk, substitutes and the
undo snapshots of replies, on both backends (the window's services for the Konferenzen area)."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
import sqlalchemy as sa
from unit.test_conferences import World, build_world, invitations

from konferenz.conferences import editing, inviting, replies
from konferenz.enums import Channel, InvitationStatus
from konferenz.errors import ConflictError, UserError
from konferenz.programme import new_conference
from konferenz.storage.db import Database
from konferenz.storage.models import AuditEntry, Conference, Forum, Invitation, Person

BASE = editing.ConferenceData(
    year=2025,
    title="Integrationskonferenz 2025",
    date=dt.date(2025, 11, 6),
    venue_name="Kreishaus Borken",
    capacity=4,
    reply_deadline=dt.date(2025, 10, 20),
)


@pytest.fixture
def world(db: Database) -> World:
    w = build_world(db)
    new_conference.create_conference(
        db,
        BASE,
        [
            editing.ForumData("Forum A: Sprache", room="Raum 1", capacity=2),
            editing.ForumData("Forum B: Arbeit"),
        ],
    )
    return w


def _conference_id(db: Database, year: int = 2025) -> int:
    with db.read_session() as s:
        return editing.conference_id(s, year)


def _forums(db: Database, conf_id: int) -> list[tuple[str, str, int | None, int]]:
    with db.read_session() as s:
        return [
            (f.title, f.room, f.capacity, f.sort_order)
            for f in s.scalars(
                sa.select(Forum).where(Forum.conference_id == conf_id).order_by(Forum.sort_order)
            )
        ]


# --- conference and forums -----------------------------------------------------------------------------


def test_get_and_update_conference(world: World, db: Database) -> None:
    conf_id = _conference_id(db)
    record = editing.get_conference(db, conf_id)
    assert record.data == BASE
    assert [f.data.title for f in record.forums] == ["Forum A: Sprache", "Forum B: Arbeit"]
    changed = dataclasses.replace(
        record.data, theme="Wohnen", capacity=250, start_time=dt.time(9, 30), end_time=dt.time(16)
    )
    version = editing.update_conference(db, conf_id, changed, record.version)
    assert version == record.version + 1
    again = editing.get_conference(db, conf_id)
    assert again.data == changed
    # saving the same data again changes nothing, not even the version
    assert editing.update_conference(db, conf_id, changed, version) == version


def test_update_refuses_stale_version_and_invalid_data(world: World, db: Database) -> None:
    conf_id = _conference_id(db)
    record = editing.get_conference(db, conf_id)
    editing.update_conference(db, conf_id, dataclasses.replace(record.data, theme="A"), record.version)
    with pytest.raises(ConflictError, match="anderen Arbeitsplatz"):
        editing.update_conference(db, conf_id, dataclasses.replace(record.data, theme="B"), record.version)
    with pytest.raises(UserError, match="Titel"):
        editing.update_conference(db, conf_id, dataclasses.replace(record.data, title=""), None)
    with pytest.raises(UserError, match="Rückmeldefrist"):
        editing.update_conference(
            db, conf_id, dataclasses.replace(record.data, reply_deadline=dt.date(2025, 12, 1)), None
        )
    with db.read_session() as s:
        assert s.get_one(Conference, conf_id).theme == "A"


def test_update_cannot_take_the_year_of_another_conference(world: World, db: Database) -> None:
    new_conference.create_conference(
        db, editing.ConferenceData(year=2026, title="Integrationskonferenz 2026")
    )
    conf_id = _conference_id(db, 2026)
    record = editing.get_conference(db, conf_id)
    with pytest.raises(UserError, match="2025 gibt es schon"):
        editing.update_conference(db, conf_id, dataclasses.replace(record.data, year=2025), None)
    editing.update_conference(db, conf_id, dataclasses.replace(record.data, year=2027), None)
    assert editing.get_conference(db, conf_id).data.year == 2027


def test_update_with_forums_adds_edits_reorders_and_deletes(world: World, db: Database) -> None:
    inviting.invite(db, 2025, inviting.InviteeFilter(everyone=True))
    conf_id = _conference_id(db)
    record = editing.get_conference(db, conf_id)
    a, b = record.forums
    one = next(iter(invitations(db).values()))
    replies.record_reply(db, one.id, replies.Reply(InvitationStatus.ACCEPTED, forum_id=a.id))
    assert editing.get_conference(db, conf_id).forums[0].bookings == 1
    version = editing.update_conference(
        db,
        conf_id,
        record.data,
        record.version,
        forums=[
            (b.id, dataclasses.replace(b.data, capacity=30, moderation="Jobcenter")),
            (None, editing.ForumData("Forum C: Wohnen", room="Raum 3", capacity=20)),
        ],
    )
    assert version == record.version + 1  # a forum change counts as a change of the conference
    assert _forums(db, conf_id) == [
        ("Forum B: Arbeit", "", 30, 0),
        ("Forum C: Wohnen", "Raum 3", 20, 1),
    ]
    # the invitation that had chosen the deleted forum keeps its status, without a forum
    after = invitations(db)[(one.person_id, one.organisation_id)]
    assert (after.status, after.forum_id) == (InvitationStatus.ACCEPTED, None)
    with pytest.raises(UserError, match="Forum: Bitte einen Titel"):
        editing.update_conference(db, conf_id, record.data, None, forums=[(None, editing.ForumData(" "))])
    with pytest.raises(UserError, match="gehört nicht"):
        editing.update_conference(db, conf_id, record.data, None, forums=[(a.id, a.data)])


def test_single_forum_services(world: World, db: Database) -> None:
    conf_id = _conference_id(db)
    new_id = editing.add_forum(db, conf_id, editing.ForumData("Forum C", capacity=10))
    assert _forums(db, conf_id)[-1] == ("Forum C", "", 10, 2)
    editing.update_forum(db, new_id, editing.ForumData("Forum C: Gesundheit", room="Foyer", capacity=12))
    assert _forums(db, conf_id)[-1] == ("Forum C: Gesundheit", "Foyer", 12, 2)
    with pytest.raises(UserError, match="Kapazität"):
        editing.update_forum(db, new_id, editing.ForumData("x", capacity=-1))
    inviting.invite(db, 2025, inviting.InviteeFilter(everyone=True))
    one = next(iter(invitations(db).values()))
    replies.record_reply(db, one.id, replies.Reply(InvitationStatus.ACCEPTED, forum_id=new_id))
    assert editing.delete_forum(db, new_id) == 1
    assert len(_forums(db, conf_id)) == 2
    with pytest.raises(UserError, match="gibt es nicht"):
        editing.delete_forum(db, new_id)


# --- bulk capacity, waiting list, substitute -----------------------------------------------------------


def test_status_change_warnings_for_a_selection(world: World, db: Database) -> None:
    inviting.invite(db, 2025, inviting.InviteeFilter(everyone=True))
    ids = sorted(i.id for i in invitations(db).values())
    with db.read_session() as s:
        assert replies.status_change_warnings(s, ids[:4], InvitationStatus.ACCEPTED) == []
        assert replies.status_change_warnings(s, ids, InvitationStatus.DECLINED) == []
        venue = replies.status_change_warnings(s, ids[:5], InvitationStatus.ACCEPTED)
    assert len(venue) == 1 and "0 von 4" in venue[0] and "brauchen 5" in venue[0]
    forum_a = editing.get_conference(db, _conference_id(db)).forums[0].id
    for inv_id in ids[:3]:
        replies.record_reply(
            db, inv_id, replies.Reply(InvitationStatus.PLANNED, forum_id=forum_a), allow_overbooking=True
        )
    with db.read_session() as s:
        warnings = replies.status_change_warnings(s, ids[:3], InvitationStatus.ACCEPTED)
    assert warnings == [
        "Das Forum „Forum A: Sprache“ ist voll: 0 von 2 Plätzen belegt, diese Zusagen brauchen 3."
    ]


def test_bulk_status_change_without_overbooking_counts_in_its_own_transaction(
    world: World, db: Database
) -> None:
    inviting.invite(db, 2025, inviting.InviteeFilter(everyone=True))
    ids = sorted(i.id for i in invitations(db).values())
    before = replies.capture_reply_states(db, ids)
    with pytest.raises(replies.OverbookingError) as raised:
        replies.set_status(db, ids[:5], InvitationStatus.ACCEPTED, allow_overbooking=False)
    assert raised.value.warnings == [
        "Der Veranstaltungsort ist voll: 0 von 4 Plätzen belegt, diese Zusagen brauchen 5."
    ]
    assert str(raised.value) == raised.value.warnings[0]
    assert replies.capture_reply_states(db, ids) == before  # nothing changed
    assert replies.set_status(db, ids[:4], InvitationStatus.ACCEPTED, allow_overbooking=False) == 4
    with pytest.raises(replies.OverbookingError, match="4 von 4 Plätzen belegt, diese Zusagen brauchen 1"):
        replies.set_status(db, ids[4:5], InvitationStatus.SUBSTITUTED, allow_overbooking=False)
    # the seated ones are not counted twice; a status that takes no seat is never refused
    assert replies.set_status(db, ids[:4], InvitationStatus.SUBSTITUTED, allow_overbooking=False) == 4
    assert replies.set_status(db, ids, InvitationStatus.DECLINED, allow_overbooking=False) == len(ids)


def test_put_on_waitlist_keeps_order_and_places(world: World, db: Database) -> None:
    inviting.invite(db, 2025, inviting.InviteeFilter(everyone=True))
    ids = sorted(i.id for i in invitations(db).values())
    replies.record_reply(db, ids[0], replies.Reply(InvitationStatus.WAITLIST))
    assert replies.put_on_waitlist(db, [ids[3], ids[0], ids[2]]) == 2
    with db.read_session() as s:
        assert replies.waitlist(s, _conference_id(db)) == [ids[0], ids[3], ids[2]]
    with pytest.raises(UserError, match="neu laden"):
        replies.put_on_waitlist(db, [ids[1], 999_999])


def test_link_substitute(world: World, db: Database) -> None:
    inviting.invite(db, 2025, inviting.InviteeFilter(everyone=True))
    one = next(iter(invitations(db).values()))
    replies.record_reply(
        db, one.id, replies.Reply(InvitationStatus.SUBSTITUTED, substitute_name="Jana Vogel")
    )
    with db.session() as s:
        person = Person(last_name="Vogel", first_name="Jana")
        s.add(person)
        s.flush()
        person_id = person.id
    replies.link_substitute(db, one.id, person_id)
    with db.read_session() as s:
        assert s.get_one(Invitation, one.id).substitute_person_id == person_id
    with pytest.raises(UserError, match="Person"):
        replies.link_substitute(db, one.id, 999_999)


def test_invite_preview_counts_without_writing(world: World, db: Database) -> None:
    with db.read_session() as s:
        preview = inviting.invite_preview(s, 2025, inviting.InviteeFilter(category_ids=[world.mso]))
    assert (preview.matching, preview.already, preview.new) == (4, 0, 4)
    assert invitations(db) == {}
    inviting.invite(db, 2025, inviting.InviteeFilter(category_ids=[world.mso]))
    with db.read_session() as s:
        preview = inviting.invite_preview(s, 2025, inviting.InviteeFilter(everyone=True))
    result = inviting.invite(db, 2025, inviting.InviteeFilter(everyone=True))
    assert (preview.new, preview.already) == (result.invited, result.already) == (2, 4)


# --- undo snapshots of replies ---------------------------------------------------------------------------


def test_reply_states_restore_undo_and_redo(world: World, db: Database) -> None:
    inviting.invite(db, 2025, inviting.InviteeFilter(everyone=True))
    ids = sorted(i.id for i in invitations(db).values())[:2]
    forum_a = editing.get_conference(db, _conference_id(db)).forums[0].id
    before = replies.capture_reply_states(db, ids)
    replies.record_reply(
        db,
        ids[0],
        replies.Reply(
            InvitationStatus.ACCEPTED, channel="phone", forum_id=forum_a, companions=1, needs_diet="halal"
        ),
    )
    replies.put_on_waitlist(db, [ids[1]])
    after = replies.capture_reply_states(db, ids)
    assert [s.status for s in after] == [InvitationStatus.ACCEPTED, InvitationStatus.WAITLIST]

    undone = replies.restore_reply_states(db, before, after)
    assert [s.values for s in undone] == [s.values for s in before]
    with db.read_session() as s:
        first = s.get_one(Invitation, ids[0])
        assert (first.status, first.forum_id, first.companions, first.needs_diet, first.reply_channel) == (
            InvitationStatus.PLANNED,
            None,
            0,
            "",
            None,
        )
        assert s.get_one(Invitation, ids[1]).waitlist_position is None
        # the audit log saw the undo like any other change
        assert (
            s.scalar(
                sa.select(sa.func.count())
                .select_from(AuditEntry)
                .where(AuditEntry.entity_type == "invitation", AuditEntry.field == "forum_id")
            )
            == 2
        )

    redone = replies.restore_reply_states(db, after, before)
    assert [s.values for s in redone] == [s.values for s in after]
    with db.read_session() as s:
        first = s.get_one(Invitation, ids[0])
        assert (first.status, first.forum_id, first.reply_channel) == (
            InvitationStatus.ACCEPTED,
            forum_a,
            Channel.PHONE,
        )


def test_restore_refuses_when_someone_changed_it_meanwhile(world: World, db: Database) -> None:
    inviting.invite(db, 2025, inviting.InviteeFilter(everyone=True))
    one = sorted(i.id for i in invitations(db).values())[0]
    before = replies.capture_reply_states(db, [one])
    replies.set_status(db, [one], InvitationStatus.INVITED)
    after = replies.capture_reply_states(db, [one])
    # an unrelated edit elsewhere (a note) does not block the undo …
    with db.session() as s:
        s.get_one(Invitation, one).notes = "Bittet um Rückruf"
    # … but another reply does
    replies.set_status(db, [one], InvitationStatus.DECLINED)
    with pytest.raises(ConflictError):
        replies.restore_reply_states(db, before, after)
    with db.read_session() as s:
        assert s.get_one(Invitation, one).status is InvitationStatus.DECLINED
    replies.set_status(db, [one], InvitationStatus.INVITED)
    with db.session() as s:
        s.get_one(Invitation, one).entered_at = after[0].values[replies.REPLY_FIELDS.index("entered_at")]
    replies.restore_reply_states(db, before, after)
    with db.read_session() as s:
        inv = s.get_one(Invitation, one)
        assert (inv.status, inv.notes) == (InvitationStatus.PLANNED, "Bittet um Rückruf")
