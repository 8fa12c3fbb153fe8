"""The conference windows' reads (``konferenz.conferences.reads``) on both backends: the choosers' titles,
one conference's heading with its forums in order, the next conference to come, who is still expected at the
entrance, an invitation's forum, and categories named on the command line."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from unit.test_conferences import World, build_world

from konferenz.conferences import editing, inviting, reads
from konferenz.enums import InvitationStatus
from konferenz.errors import UserError
from konferenz.programme import new_conference
from konferenz.storage.db import Database
from konferenz.storage.models import Category, Forum, Invitation


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
            reply_deadline=dt.date(2025, 10, 20),
        ),
        [editing.ForumData("Forum B: Arbeit", capacity=20), editing.ForumData("Forum A: Sprache")],
    )
    new_conference.create_conference(
        db, editing.ConferenceData(year=2024, title="Konferenz 2024", date=dt.date(2024, 11, 7))
    )
    new_conference.create_conference(db, editing.ConferenceData(year=2026, title="Konferenz 2026"))
    return w


def _conf_id(db: Database, year: int) -> int:
    with db.read_session() as s:
        return editing.conference_id(s, year)


def test_titles_newest_first_and_without_one_year(world: World, db: Database) -> None:
    with db.read_session() as s:
        every = reads.conference_titles(s)
        others = reads.conference_titles(s, except_year=2025)
        assert reads.conference_title(s, 2024) == "Konferenz 2024"
        assert reads.conference_title(s, 1999) is None
        assert reads.conference_year(s, _conf_id(db, 2026)) == 2026
        assert reads.conference_year(s, -1) is None
    assert [(c.year, c.title) for c in every] == [
        (2026, "Konferenz 2026"),
        (2025, "Integrationskonferenz 2025"),
        (2024, "Konferenz 2024"),
    ]
    assert every[0].id == _conf_id(db, 2026)
    assert [c.year for c in others] == [2026, 2024]


def test_summary_has_the_heading_and_the_forums_in_their_order(world: World, db: Database) -> None:
    conf_id = _conf_id(db, 2025)
    with db.session() as s:  # the second forum first: the summary follows sort_order, not the id
        forums = s.scalars(sa.select(Forum).where(Forum.conference_id == conf_id).order_by(Forum.id)).all()
        forums[0].sort_order, forums[1].sort_order = 2, 1
    with db.read_session() as s:
        summary = reads.conference_summary(s, conf_id)
        assert reads.conference_summary(s, -1) is None
    assert summary is not None
    assert (summary.id, summary.year, summary.title) == (conf_id, 2025, "Integrationskonferenz 2025")
    assert (summary.date, summary.venue_name, summary.reply_deadline) == (
        dt.date(2025, 11, 6),
        "Kreishaus Borken",
        dt.date(2025, 10, 20),
    )
    assert [(f.title, f.capacity) for f in summary.forums] == [
        ("Forum A: Sprache", None),
        ("Forum B: Arbeit", 20),
    ]


def test_next_conference_is_the_earliest_on_or_after_today_or_without_date(
    world: World, db: Database
) -> None:
    with db.read_session() as s:
        assert reads.next_conference_id(s, dt.date(2024, 11, 7)) == _conf_id(db, 2024)
        assert reads.next_conference_id(s, dt.date(2024, 11, 8)) == _conf_id(db, 2025)
        assert reads.next_conference_id(s, dt.date(2025, 11, 7)) == _conf_id(db, 2026)


def test_expected_ids_and_the_forum_of_an_invitation(world: World, db: Database) -> None:
    inviting.invite(db, 2025, inviting.InviteeFilter(everyone=True))
    conf_id = _conf_id(db, 2025)
    with db.session() as s:
        invs = s.scalars(
            sa.select(Invitation).where(Invitation.conference_id == conf_id).order_by(Invitation.id)
        )
        invs = list(invs)
        forum_id = s.scalar(sa.select(Forum.id).where(Forum.title == "Forum A: Sprache"))
        invs[0].status = InvitationStatus.ACCEPTED
        invs[0].forum_id = forum_id
        invs[1].status = InvitationStatus.SUBSTITUTED
        invs[2].status = InvitationStatus.ATTENDED
        invs[3].status = InvitationStatus.DECLINED
        ids = [i.id for i in invs]
    with db.read_session() as s:
        assert sorted(reads.expected_invitation_ids(s, conf_id)) == sorted(ids[:2])
        assert reads.expected_invitation_ids(s, _conf_id(db, 2024)) == []
        assert reads.invitation_forum_title(s, ids[0]) == "Forum A: Sprache"
        assert reads.invitation_forum_title(s, ids[1]) == ""
        assert reads.invitation_forum_title(s, -1) == ""


def test_category_ids_by_name_or_synonym(world: World, db: Database) -> None:
    with db.read_session() as s:
        assert reads.category_ids(s, ["  migrantenselbstorganisation ", "Stadt"]) == [
            world.mso,
            world.kommune,
        ]
        names = list(s.scalars(sa.select(Category.name)))
        with pytest.raises(UserError) as caught:
            reads.category_ids(s, ["Kommune", "Sportverein"])
    head, known = caught.value.message.split(" Vorhanden: ")
    assert head == "Die Kategorie „Sportverein“ gibt es nicht."
    assert sorted(known.split(", ")) == sorted(names)
