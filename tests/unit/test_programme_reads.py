"""The reads of the Programm, Protokoll and Ergebnisse areas (konferenz.programme.reads) — both backends."""

from __future__ import annotations

import datetime as dt

import pytest

from konferenz import paths
from konferenz.conferences import editing
from konferenz.enums import AgendaItemType, RecommendationStatus
from konferenz.programme import new_conference, reads
from konferenz.programme import service as prog
from konferenz.storage.db import Database


@pytest.fixture
def year(db: Database) -> int:
    new_conference.create_conference(
        db,
        editing.ConferenceData(
            year=2025,
            title="Integrationskonferenz 2025",
            date=dt.date(2025, 11, 6),
            start_time=dt.time(9, 30),
            end_time=dt.time(16, 0),
        ),
        [
            editing.ForumData("Forum 1: Sprache & Bildung", room="Raum A", moderation="Frau Demir"),
            editing.ForumData("Arbeit"),
            editing.ForumData("Wohnen"),
        ],
    )
    return 2025


def conf_id(db: Database, year: int) -> int:
    with db.read_session() as s:
        return editing.conference_id(s, year)


def build(db: Database, year: int) -> tuple[dict[str, int], list[int]]:
    ids = {
        title: prog.add_item(db, year, prog.ItemData(title, minutes, kind))
        for title, minutes, kind in [
            ("Begrüßung", 15, AgendaItemType.WELCOME),
            ("Forenphase", 90, AgendaItemType.FORUM_PHASE),
            ("Ergebnisse der Foren", 30, AgendaItemType.RESULTS),
        ]
    }
    with db.read_session() as s:
        forums = [f.id for f in reads.conference_forums(s, conf_id(db, year))]
    prog.assign_forums(db, ids["Forenphase"], forums[:2])
    return ids, forums


def test_agenda_with_forums_and_minutes(db: Database, year: int) -> None:
    ids, forums = build(db, year)
    prog.save_minutes(db, year, prog.MinutesData(results="Begrüßt"), item_id=ids["Begrüßung"])
    prog.save_minutes(db, year, prog.MinutesData(notes="Rege"), forum_id=forums[1])
    cid = conf_id(db, year)
    with db.read_session() as s:
        agenda = reads.agenda_of(s, cid)
        choices = reads.conference_forums(s, cid)
        empty = reads.agenda_of(s, None)
        conf = reads.agenda_conference(s, cid)
        none = reads.agenda_conference(s, None)
    assert [(i.data.title, i.start) for i in agenda.items] == [
        ("Begrüßung", dt.time(9, 30)),
        ("Forenphase", dt.time(9, 45)),
        ("Ergebnisse der Foren", dt.time(11, 15)),
    ]
    assert agenda.items[1].data.item_type is AgendaItemType.FORUM_PHASE
    assert [(f.number, f.title, f.agenda_item_id) for f in agenda.forums] == [
        (1, "Forum 1: Sprache & Bildung", ids["Forenphase"]),
        (2, "Arbeit", ids["Forenphase"]),
        (3, "Wohnen", None),
    ]
    assert (agenda.forums[0].room, agenda.forums[0].moderation) == ("Raum A", "Frau Demir")
    assert agenda.item_minutes == {ids["Begrüßung"]}
    assert agenda.forum_minutes == {forums[1]}
    assert choices == agenda.forums
    assert empty == reads.Agenda([], [], frozenset(), frozenset())
    assert conf == reads.AgendaConference(2025, dt.time(9, 30), dt.time(16, 0))
    assert none is None


def test_minutes_of_an_item_a_forum_and_the_status_report(db: Database, year: int) -> None:
    ids, forums = build(db, year)
    with db.read_session() as s:
        nothing = reads.node_minutes(s, year, item_id=ids["Begrüßung"])
    assert nothing == reads.NodeMinutes(dt.date(2025, 11, 6), None, prog.MinutesData(), {}, [], [])

    entry = prog.save_minutes(
        db, year, prog.MinutesData("Notiz", "Ergebnis", "Herr Kaya"), forum_id=forums[0]
    )
    r1 = prog.add_recommendation(
        db, year, prog.RecommendationData("Sprachkurse ausbauen", forum_id=forums[0], minutes_entry_id=entry)
    )
    r2 = prog.add_recommendation(
        db, year, prog.RecommendationData("Elternbriefe", item_id=ids["Ergebnisse der Foren"])
    )
    r3 = prog.add_recommendation(
        db, year, prog.RecommendationData("Wohnraum", item_id=ids["Ergebnisse der Foren"])
    )
    with db.read_session() as s:
        forum = reads.node_minutes(s, year, item_id=ids["Forenphase"], forum_id=forums[0])
        item = reads.node_minutes(s, year, item_id=ids["Ergebnisse der Foren"])
        phase = reads.node_minutes(s, year, item_id=ids["Forenphase"])
    assert (forum.entry_id, forum.data) == (entry, prog.MinutesData("Notiz", "Ergebnis", "Herr Kaya"))
    assert [r.id for r in forum.recommendations] == [r1]
    assert [r.id for r in item.recommendations] == [r2, r3]
    assert (phase.entry_id, phase.recommendations) == (None, [])  # the forum's minutes are not the item's

    # a year later the status report lists the earlier ones still open or in progress, and those updated here
    new_conference.copy_conference(db, 2025, 2026, date=dt.date(2026, 11, 5))
    with db.read_session() as s:
        report = next(
            i for i in reads.agenda_of(s, conf_id(db, 2026)).items if i.data.title.startswith("Sachstand")
        )
    note = prog.save_minutes(db, 2026, prog.MinutesData(results="besprochen"), item_id=report.id)
    prog.update_status(
        db, r2, RecommendationStatus.DONE, "erledigt", on=dt.date(2026, 11, 5), minutes_entry_id=note
    )
    prog.update_status(db, r3, RecommendationStatus.DONE, "erledigt", on=dt.date(2026, 3, 1))
    with db.read_session() as s:
        status = reads.node_minutes(s, 2026, item_id=report.id, status_report=True)
        plain = reads.node_minutes(s, 2026, item_id=report.id)
        first = reads.node_minutes(s, 2025, item_id=ids["Begrüßung"], status_report=True)
    assert status.entry_id == note
    assert [r.id for r in status.status_candidates] == [r1, r2]  # r3 is done, and not here
    assert plain.status_candidates == []
    assert first.status_candidates == []  # no earlier conference


def test_history_years_and_counts(db: Database, year: int) -> None:
    ids, _forums = build(db, year)
    rec = prog.add_recommendation(db, year, prog.RecommendationData("Elternbriefe", item_id=ids["Begrüßung"]))
    new_conference.create_conference(
        db, editing.ConferenceData(year=2026, title="Integrationskonferenz 2026", date=dt.date(2026, 11, 5))
    )
    item = prog.add_item(db, 2026, prog.ItemData("Sachstand", 30, AgendaItemType.STATUS_REPORT))
    entry = prog.save_minutes(db, 2026, prog.MinutesData(results="besprochen"), item_id=item)
    prog.update_status(
        db,
        rec,
        RecommendationStatus.IN_PROGRESS,
        "Entwurf liegt vor",
        on=dt.date(2026, 11, 5),
        minutes_entry_id=entry,
    )
    with db.read_session() as s:
        history = reads.recommendation_history(s, rec)
        years = reads.conference_years(s)
        total = reads.recommendation_count(s)
        from_item = reads.item_recommendation_count(s, ids["Begrüßung"])
        from_other = reads.item_recommendation_count(s, ids["Forenphase"])
    who = paths.os_user() or ""
    assert history == [
        (dt.date(2025, 11, 6), "offen", "Empfehlung beschlossen", "", who),
        (dt.date(2026, 11, 5), "in Arbeit", "Entwurf liegt vor", "Protokoll 2026", who),
    ]
    assert years == [2026, 2025]
    assert (total, from_item, from_other) == (1, 1, 0)
