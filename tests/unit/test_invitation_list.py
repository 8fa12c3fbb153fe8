"""The invitation list and the check-in list of one conference, on both backends: display rows, status
filter, folded search over persons, organisations and substitutes, every sort column, export rows."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
import sqlalchemy as sa
from unit.test_conferences import World, build_world, invitations

from konferenz import paths
from konferenz.conferences import checkin, editing, inviting
from konferenz.conferences import replies as reply_service
from konferenz.enums import Channel, InvitationStatus
from konferenz.lists.invitations import (
    CheckInList,
    InvitationList,
    attendance,
    invitation_details,
    invitee_names,
)
from konferenz.names import invitee_name
from konferenz.programme import new_conference
from konferenz.registry.search_keys import refresh_organisation_search_text, refresh_person_search_text
from konferenz.storage.db import Database
from konferenz.storage.models import Invitation, Organisation, Person


@pytest.fixture
def world(db: Database) -> World:
    w = build_world(db)
    with db.session() as s:
        s.get_one(Person, w.persons[2]).title = "Dr."
        s.get_one(Person, w.persons[2]).email = "maria.schulte@borken.de"
        s.get_one(Organisation, w.org_alone).email = "info@syrischer-verein.de"
        s.get_one(Organisation, w.org_alone).phone = "02871 12345"
        s.flush()
        refresh_person_search_text(s)
        refresh_organisation_search_text(s)
    new_conference.create_conference(
        db,
        editing.ConferenceData(year=2025, title="Integrationskonferenz 2025", capacity=100),
        [editing.ForumData("Forum A: Sprache", capacity=20), editing.ForumData("Forum B: Arbeit")],
    )
    inviting.invite(db, 2025, inviting.InviteeFilter(everyone=True))
    return w


def _ids(db: Database, w: World) -> dict[str, int]:
    inv = invitations(db)
    return {
        "oeztuerk": inv[(w.persons[0], w.org_mso)].id,
        "yilmaz": inv[(w.persons[1], w.org_mso)].id,
        "schulte": inv[(w.persons[2], w.org_stadt)].id,
        "ivanova": inv[(w.persons[3], None)].id,
        "nguyen": inv[(w.persons[4], None)].id,
        "verein": inv[(None, w.org_alone)].id,
    }


def _conf_id(db: Database) -> int:
    with db.read_session() as s:
        return editing.conference_id(s, 2025)


@pytest.fixture
def replies(world: World, db: Database) -> dict[str, int]:
    """Replies in several states, with channel, forum, companions, needs and a substitute."""
    ids = _ids(db, world)
    forum_a = editing.get_conference(db, _conf_id(db)).forums[0].id
    reply_service.set_status(db, list(ids.values()), InvitationStatus.INVITED)
    reply_service.record_reply(
        db,
        ids["oeztuerk"],
        reply_service.Reply(
            InvitationStatus.ACCEPTED,
            channel="phone",
            replied_on=dt.date(2025, 10, 1),
            forum_id=forum_a,
            companions=2,
            needs_accessibility="Rollstuhl",
            needs_diet="halal",
        ),
    )
    reply_service.record_reply(
        db, ids["yilmaz"], reply_service.Reply(InvitationStatus.DECLINED, channel="email")
    )
    reply_service.record_reply(
        db,
        ids["schulte"],
        reply_service.Reply(InvitationStatus.SUBSTITUTED, channel="post", substitute_name="Jana Vogel"),
    )
    checkin.check_in(db, ids["ivanova"])
    with db.session() as s:
        s.get_one(Invitation, ids["verein"]).invited_on = dt.date(2025, 9, 1)
    return ids


def test_rows_show_every_column(replies: dict[str, int], db: Database) -> None:
    source = InvitationList(_conf_id(db))
    with db.read_session() as s:
        rows = source.rows(s, list(replies.values()))
    assert [c.header for c in source.columns] == [
        "Name",
        "Organisation",
        "Kategorie",
        "Kommune",
        "Status",
        "Kanal",
        "eingeladen am",
        "Rückmeldung am",
        "Forum",
        "Begleitung",
        "Bedarf",
        "vertreten durch",
        "erfasst von/am",
    ]
    oez = rows[replies["oeztuerk"]]
    assert oez[:10] == (
        "Öztürk, Ayşe",
        "Türkischer Elternverein Bocholt",
        "Migrantenselbstorganisation",
        "Bocholt",
        "zugesagt",
        "Telefon",
        "",
        "01.10.2025",
        "Forum A: Sprache",
        2,
    )
    assert oez[10] == "Rollstuhl; halal"
    assert oez[12].startswith(paths.os_user() + ", ")
    schulte = rows[replies["schulte"]]
    assert schulte[0] == "Schulte, Dr. Maria"
    assert (schulte[2], schulte[3], schulte[4], schulte[5], schulte[11]) == (
        "Kommune",
        "Borken",
        "vertreten",
        "Post",
        "Jana Vogel",
    )
    # a person with own category and municipality and no organisation
    assert rows[replies["ivanova"]][:5] == (
        "Иванова, Ольга",
        "",
        "Migrantenselbstorganisation",
        "Borken",
        "teilgenommen",
    )
    # no category anywhere; no companions shows as empty, not as 0
    assert rows[replies["nguyen"]][2] == "" and rows[replies["nguyen"]][9] == ""
    # an organisation invited without a contact person is listed by its name
    verein = rows[replies["verein"]]
    assert verein[:2] == ("Syrischer Kulturverein", "Syrischer Kulturverein")
    assert verein[6] == "01.09.2025"


def test_status_filter_and_count(replies: dict[str, int], db: Database) -> None:
    conf_id = _conf_id(db)
    with db.read_session() as s:
        assert InvitationList(conf_id).count(s) == 6
        awaiting = InvitationList(conf_id, InvitationStatus.awaiting_reply())
        assert set(awaiting.ids(s)) == {replies["nguyen"], replies["verein"]}
        assert awaiting.count(s) == 2
        accepted = InvitationList(
            conf_id, frozenset({InvitationStatus.ACCEPTED, InvitationStatus.SUBSTITUTED})
        )
        assert set(accepted.ids(s)) == {replies["oeztuerk"], replies["schulte"]}
        # the reminder list of the core is the same as the filter "ohne Rückmeldung" after the deadline
        assert sorted(awaiting.ids(s)) == reply_service.reminder_candidates(s, 2025)
        assert InvitationList(None).ids(s) == []


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("ozturk", {"oeztuerk"}),  # folded: Ö and ü typed without
        ("OEZTUERK ayse", {"oeztuerk"}),
        ("elternverein", {"oeztuerk", "yilmaz"}),  # the organisation's name
        ("syrischer", {"verein"}),  # an organisation alone
        ("иванова", {"ivanova"}),
        ("vogel", {"schulte"}),  # the substitute's name
        ("nguyen lan", {"nguyen"}),
        ("nobody", set()),
    ],
)
def test_search(replies: dict[str, int], db: Database, search: str, expected: set[str]) -> None:
    with db.read_session() as s:
        found = set(InvitationList(_conf_id(db)).ids(s, search=search))
    assert found == {replies[k] for k in expected}


def test_search_finds_a_substitute_taken_into_the_register(replies: dict[str, int], db: Database) -> None:
    with db.session() as s:
        sub = Person(last_name="Kowalczyk", first_name="Zofia", search_text="kowalczyk zofia")
        s.add(sub)
        s.flush()
        sub_id = sub.id
    reply_service.link_substitute(db, replies["nguyen"], sub_id)
    with db.read_session() as s:
        assert InvitationList(_conf_id(db)).ids(s, search="zofia") == [replies["nguyen"]]


def test_every_column_sorts_both_ways(replies: dict[str, int], db: Database) -> None:
    source = InvitationList(_conf_id(db))
    with db.read_session() as s:
        everything = sorted(source.ids(s))
        for key in source.column_keys():
            for descending in (False, True):
                ids = source.ids(s, sort_key=key, descending=descending)
                assert sorted(ids) == everything, key
        by_name = source.ids(s)
        by_status = source.ids(s, sort_key="status")
        by_companions = source.ids(s, sort_key="companions", descending=True)
        rows = source.rows(s, by_name)
    assert [rows[i][0] for i in by_name] == [
        "Nguyễn, Lan",
        "Öztürk, Ayşe",
        "Schulte, Dr. Maria",
        "Syrischer Kulturverein",
        "Yılmaz, Mehmet",
        "Иванова, Ольга",
    ]
    order = list(InvitationStatus)
    statuses = [order.index(InvitationStatus(_status_of(db, i))) for i in by_status]
    assert statuses == sorted(statuses)
    assert by_companions[0] == replies["oeztuerk"]


def _status_of(db: Database, invitation_id: int) -> str:
    with db.read_session() as s:
        return s.get_one(Invitation, invitation_id).status.value


def test_check_in_list_puts_the_expected_first(replies: dict[str, int], db: Database) -> None:
    source = CheckInList(_conf_id(db))
    with db.read_session() as s:
        ids = source.ids(s)
        rows = source.rows(s, ids)
        figures = attendance(s, _conf_id(db))
    assert ids[:2] == [replies["oeztuerk"], replies["schulte"]]  # zugesagt, vertreten (by name)
    assert ids[2] == replies["ivanova"]  # present already
    assert rows[replies["schulte"]] == (
        "Schulte, Dr. Maria – vertreten durch Jana Vogel",
        "Stadt Borken",
        "vertreten",
        "",
    )
    assert rows[replies["oeztuerk"]][3] == "Forum A: Sprache"
    assert (figures.present, figures.expected, figures.accepted) == (1, 2, 3)
    with db.read_session() as s:
        raw = Counter(s.scalars(sa.select(Invitation.status)))
    assert figures.present == raw[InvitationStatus.ATTENDED]
    assert figures.expected == raw[InvitationStatus.ACCEPTED] + raw[InvitationStatus.SUBSTITUTED]


def test_export_rows_keep_dates_and_add_contacts(replies: dict[str, int], db: Database) -> None:
    source = InvitationList(_conf_id(db))
    with db.read_session() as s:
        ids = source.ids(s)
        rows = source.export_rows(s, ids)
    assert len(source.EXPORT_HEADERS) == len(rows[0]) == len(source.columns) + 2
    by_name = {r[0]: r for r in rows}
    assert by_name["Öztürk, Ayşe"][7] == dt.date(2025, 10, 1)
    assert (by_name["Öztürk, Ayşe"][9], by_name["Nguyễn, Lan"][9]) == (2, 0)
    assert by_name["Schulte, Dr. Maria"][-2:] == ["maria.schulte@borken.de", ""]
    assert by_name["Syrischer Kulturverein"][-2:] == ["info@syrischer-verein.de", "02871 12345"]
    assert by_name["Syrischer Kulturverein"][6] == dt.date(2025, 9, 1)


def test_details_and_names(replies: dict[str, int], db: Database) -> None:
    with db.read_session() as s:
        details = invitation_details(s, replies["oeztuerk"])
        assert invitation_details(s, 999_999) is None
        names = invitee_names(s, [replies["verein"], replies["schulte"]])
    assert details is not None
    assert (details.name, details.organisation, details.status, details.reply_channel) == (
        "Öztürk, Ayşe",
        "Türkischer Elternverein Bocholt",
        InvitationStatus.ACCEPTED,
        Channel.PHONE,
    )
    assert (details.companions, details.needs_accessibility, details.needs_diet) == (2, "Rollstuhl", "halal")
    assert details.entered_text.startswith(paths.os_user())
    assert names == {replies["verein"]: "Syrischer Kulturverein", replies["schulte"]: "Schulte, Dr. Maria"}


def test_person_name() -> None:
    assert invitee_name("von", "Stein", "Dietrich", "", "Kreistag") == "von Stein, Dietrich"
    assert invitee_name(None, None, None, None, "Caritas") == "Caritas"
    assert invitee_name("", "Çelik", "Şeyma", "Dr.", None) == "Çelik, Dr. Şeyma"
    assert invitee_name("", "Müller", "", "", None) == "Müller"
