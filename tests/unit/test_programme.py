"""Agenda with derived times and parallel forums, minutes, recommendations followed up across years."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
import sqlalchemy as sa

from konferenz.conferences import checkin, editing, inviting, replies
from konferenz.enums import AgendaItemType, InvitationStatus, RecommendationStatus
from konferenz.errors import ConflictError, UserError
from konferenz.programme import new_conference
from konferenz.programme import service as prog
from konferenz.storage.db import Database
from konferenz.storage.models import (
    AgendaItem,
    Category,
    Forum,
    Invitation,
    MinutesEntry,
    Organisation,
    Person,
    Role,
)


@pytest.fixture
def year(db: Database) -> int:
    new_conference.create_conference(
        db,
        editing.ConferenceData(
            year=2025,
            title="Integrationskonferenz 2025",
            date=dt.date(2025, 11, 6),
            start_time=dt.time(9, 30),
        ),
        [
            editing.ForumData("Forum 1: Sprache & Bildung", room="Raum A"),
            editing.ForumData("Forum 2: Arbeit"),
            editing.ForumData("Forum 3: Wohnen"),
        ],
    )
    return 2025


def titles_and_times(db: Database, year: int) -> list[tuple[str, str]]:
    with db.read_session() as s:
        return [(r.title, r.start.strftime("%H:%M") if r.start else "") for r in prog.agenda(s, year)]


def build(db: Database, year: int) -> dict[str, int]:
    ids = {}
    for title, minutes, kind in [
        ("Begrüßung durch den Landrat", 15, AgendaItemType.WELCOME),
        ("Vortrag: Teilhabe vor Ort", 45, AgendaItemType.TALK),
        ("Forenphase", 90, AgendaItemType.FORUM_PHASE),
        ("Mittagspause", 60, AgendaItemType.BREAK),
        ("Ergebnisse der Foren", 30, AgendaItemType.RESULTS),
    ]:
        ids[title] = prog.add_item(db, year, prog.ItemData(title, minutes, kind))
    with db.read_session() as s:
        forums = s.scalars(sa.select(Forum.id).order_by(Forum.sort_order)).all()
    prog.assign_forums(db, ids["Forenphase"], forums)
    return ids


def test_times_follow_durations_and_moves(db: Database, year: int) -> None:
    ids = build(db, year)
    assert titles_and_times(db, year) == [
        ("Begrüßung durch den Landrat", "09:30"),
        ("Vortrag: Teilhabe vor Ort", "09:45"),
        ("Forenphase", "10:30"),
        ("Mittagspause", "12:00"),
        ("Ergebnisse der Foren", "13:00"),
    ]
    prog.move_item(db, ids["Mittagspause"], 1)
    assert titles_and_times(db, year)[1:4] == [
        ("Mittagspause", "09:45"),
        ("Vortrag: Teilhabe vor Ort", "10:45"),
        ("Forenphase", "11:30"),
    ]
    prog.update_item(
        db,
        ids["Begrüßung durch den Landrat"],
        prog.ItemData("Begrüßung durch den Landrat", 30, AgendaItemType.WELCOME),
    )
    assert titles_and_times(db, year)[1] == ("Mittagspause", "10:00")
    prog.delete_item(db, ids["Mittagspause"])
    assert [t for t, _ in titles_and_times(db, year)] == [
        "Begrüßung durch den Landrat",
        "Vortrag: Teilhabe vor Ort",
        "Forenphase",
        "Ergebnisse der Foren",
    ]
    assert titles_and_times(db, year)[1] == ("Vortrag: Teilhabe vor Ort", "10:00")


def test_forums_run_in_parallel_in_the_forum_phase(db: Database, year: int) -> None:
    ids = build(db, year)
    with db.read_session() as s:
        rows = {r.title: r for r in prog.agenda(s, year)}
    phase = rows["Forenphase"]
    assert [f[0] for f in phase.forums] == [
        "Forum 1: Sprache & Bildung",
        "Forum 2: Arbeit",
        "Forum 3: Wohnen",
    ]
    assert (phase.start, phase.end) == (dt.time(10, 30), dt.time(12, 0))
    with pytest.raises(UserError, match="keine Forenphase"):
        prog.assign_forums(db, ids["Mittagspause"], [])


def test_empty_title_is_refused(db: Database, year: int) -> None:
    with pytest.raises(UserError, match="Titel"):
        prog.add_item(db, year, prog.ItemData("  "))


def test_agenda_item_changed_meanwhile_is_not_overwritten(db: Database, year: int) -> None:
    ids = build(db, year)
    item_id = next(iter(ids.values()))
    with db.read_session() as s:
        seen = prog.item_data(s.get_one(AgendaItem, item_id))
    theirs = dataclasses.replace(seen, room="Saal Gronau")
    prog.update_item(db, item_id, theirs, expected=seen)
    mine = dataclasses.replace(seen, speakers="Олена Коваленко")
    with pytest.raises(ConflictError) as caught:
        prog.update_item(db, item_id, mine, expected=seen)
    assert caught.value.current == theirs
    with db.read_session() as s:
        assert prog.item_data(s.get_one(AgendaItem, item_id)) == theirs
    prog.update_item(db, item_id, mine)  # the user chose to overwrite
    with db.read_session() as s:
        assert prog.item_data(s.get_one(AgendaItem, item_id)) == mine


def test_minutes_saved_meanwhile_at_another_workplace_are_not_overwritten(db: Database, year: int) -> None:
    build(db, year)
    with db.read_session() as s:
        forum = s.scalars(sa.select(Forum.id).order_by(Forum.sort_order)).first()
    seen = prog.MinutesData("Rege Diskussion", "", "Frau Demir")
    prog.save_minutes(db, year, seen, forum_id=forum)
    # another workplace adds results …
    theirs = prog.MinutesData("Rege Diskussion", "Mehr Sprachkurse", "Frau Demir")
    prog.save_minutes(db, year, theirs, forum_id=forum, expected=seen)
    # … while this one still starts from what it saw: nothing is written, the stored state comes along
    mine = prog.MinutesData("Rege Diskussion, Şükrü Yılmaz berichtet", "", "Frau Demir")
    with pytest.raises(ConflictError) as caught:
        prog.save_minutes(db, year, mine, forum_id=forum, expected=seen)
    assert caught.value.current == theirs
    with db.read_session() as s:
        stored = s.scalars(sa.select(MinutesEntry).where(MinutesEntry.forum_id == forum)).one()
        assert (stored.notes, stored.results) == ("Rege Diskussion", "Mehr Sprachkurse")
    # saving the same text as the other workplace, or without a check, goes through
    prog.save_minutes(db, year, theirs, forum_id=forum, expected=seen)
    prog.save_minutes(db, year, mine, forum_id=forum)
    # a new entry that someone else created meanwhile is a conflict too
    with db.read_session() as s:
        other_forum = s.scalars(sa.select(Forum.id).order_by(Forum.sort_order)).all()[1]
    prog.save_minutes(db, year, theirs, forum_id=other_forum)
    with pytest.raises(ConflictError):
        prog.save_minutes(db, year, mine, forum_id=other_forum, expected=prog.MinutesData())


def test_minutes_recommendations_and_follow_up_next_year(db: Database, year: int) -> None:
    ids = build(db, year)
    with db.read_session() as s:
        forum = s.scalars(sa.select(Forum.id).order_by(Forum.sort_order)).first()
    entry = prog.save_minutes(
        db, year, prog.MinutesData("Rege Diskussion", "Mehr Sprachkurse", "Frau Demir"), forum_id=forum
    )
    again = prog.save_minutes(
        db,
        year,
        prog.MinutesData("Rege Diskussion", "Mehr Sprachkurse (ergänzt)", "Frau Demir"),
        forum_id=forum,
    )
    assert again == entry
    r1 = prog.add_recommendation(
        db,
        year,
        prog.RecommendationData(
            "Sprachkurse mit Kinderbetreuung ausbauen",
            forum_id=forum,
            minutes_entry_id=entry,
            responsible_text="VHS",
            due_date=dt.date(2026, 6, 30),
        ),
    )
    r2 = prog.add_recommendation(
        db,
        year,
        prog.RecommendationData(
            "Mehrsprachige Elternbriefe",
            item_id=ids["Ergebnisse der Foren"],
            responsible_text="Schulamt",
            due_date=dt.date(2027, 6, 30),
        ),
    )

    # a year later: a new conference lists the open ones, and its minutes update their status
    new_conference.copy_conference(db, 2025, 2026, date=dt.date(2026, 11, 5))
    with db.read_session() as s:
        rows = prog.agenda(s, 2026)
    report = next(r for r in rows if r.title == "Sachstand der Empfehlungen aus 2025")
    assert "Sprachkurse mit Kinderbetreuung ausbauen (2025, offen)" in report.description
    assert "Mehrsprachige Elternbriefe" in report.description
    note_entry = prog.save_minutes(
        db, 2026, prog.MinutesData(results="Sachstand besprochen"), item_id=report.id
    )
    prog.update_status(
        db,
        r2,
        RecommendationStatus.DONE,
        "Elternbriefe in 6 Sprachen verschickt",
        on=dt.date(2026, 11, 5),
        minutes_entry_id=note_entry,
    )
    prog.update_status(
        db, r1, RecommendationStatus.IN_PROGRESS, "Gespräch mit VHS geführt", on=dt.date(2026, 3, 1)
    )

    with db.read_session() as s:
        overdue = prog.recommendations(s, prog.RecommendationFilter(overdue_on=dt.date(2026, 11, 25)))
        everything = {r.id: r for r in prog.recommendations(s)}
        open_only = prog.recommendations(s, prog.RecommendationFilter(statuses=prog.OPEN_STATUSES))
        by_resp = prog.recommendations(s, prog.RecommendationFilter(responsible="schulamt"))
    assert [r.id for r in overdue] == [r1]
    assert overdue[0].status_label == "in Arbeit"
    assert (everything[r1].last_note, everything[r1].last_note_date) == (
        "Gespräch mit VHS geführt",
        dt.date(2026, 3, 1),
    )
    assert everything[r1].source == "Forum 1: Sprache & Bildung"
    assert everything[r2].status is RecommendationStatus.DONE
    assert [r.id for r in open_only] == [r1]
    assert [r.id for r in by_resp] == [r2]

    # creating the next conference again does not add the item twice
    assert prog.add_status_report_item(db, 2026) is None


def test_attendance_by_category(db: Database, year: int) -> None:
    with db.session() as s:
        mso = s.scalars(sa.select(Category.id).where(Category.name == "Migrantenselbstorganisation")).one()
        org = Organisation(name="Kurdischer Kulturverein", category_id=mso)
        people = [Person(last_name=n) for n in ("Aydın", "Kaya", "Demir")]
        s.add_all([org, *people])
        s.flush()
        s.add_all([Role(person_id=p.id, organisation_id=org.id, is_primary=True) for p in people])
    inviting.invite(db, year, inviting.InviteeFilter(everyone=True))
    with db.read_session() as s:
        ids = s.scalars(sa.select(Invitation.id).order_by(Invitation.id)).all()
        forum = s.scalars(sa.select(Forum.id).order_by(Forum.sort_order)).first()
    replies.record_reply(db, ids[0], replies.Reply(InvitationStatus.ACCEPTED, forum_id=forum))
    checkin.check_in(db, ids[0])
    checkin.check_in(db, ids[1])
    with db.read_session() as s:
        assert prog.attendance_by_category(s, year) == {"Migrantenselbstorganisation": 2}
        assert prog.attendance_by_category(s, year, forum_id=forum) == {"Migrantenselbstorganisation": 1}
