"""The printed programme and minutes as plain documents (``konferenz.letters.printing``) on both backends:
the header lines, the items in order with their times and forums, the forums of no Forenphase, and the
minutes with forum sections, status updates of last year's recommendations and this year's recommendations."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from konferenz.conferences import editing
from konferenz.enums import AgendaItemType, RecommendationStatus
from konferenz.errors import UserError
from konferenz.letters import printing
from konferenz.programme import new_conference
from konferenz.programme import service as prog
from konferenz.storage.db import Database
from konferenz.storage.models import Forum


def build(db: Database, year: int) -> dict[str, int]:
    """The items of ``unit.test_programme.build``; the first two forums run in the Forenphase, the third in none."""
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
    prog.assign_forums(db, ids["Forenphase"], forums[:2])
    return ids


@pytest.fixture
def year(db: Database) -> int:
    new_conference.create_conference(
        db,
        editing.ConferenceData(
            year=2025,
            title="Integrationskonferenz 2025",
            theme="Teilhabe vor Ort",
            date=dt.date(2025, 11, 6),
            start_time=dt.time(9, 30),
            end_time=dt.time(16),
            venue_name="Kreishaus Borken",
            venue_street="Burloer Straße 93",
            venue_postal_code="46325",
            venue_city="Borken",
        ),
        [
            editing.ForumData("Forum 1: Sprache & Bildung", room="Raum A", moderation="Frau Demir"),
            editing.ForumData("Forum 2: Arbeit"),
            editing.ForumData("Wohnen"),
        ],
    )
    return 2025


def test_agenda_document(db: Database, year: int) -> None:
    build(db, year)
    with db.read_session() as s:
        doc = printing.agenda_document(s, year)
        with pytest.raises(UserError):
            printing.agenda_document(s, 1999)
    assert doc.header == printing.DocumentHeader(
        2025,
        "Integrationskonferenz 2025",
        "Teilhabe vor Ort",
        "Donnerstag, 6. November 2025, 9:30 bis 16:00 Uhr",
        "Kreishaus Borken, Burloer Straße 93, 46325 Borken",
    )
    assert [(i.title, i.time_range, i.item_type) for i in doc.items] == [
        ("Begrüßung durch den Landrat", "9:30 – 9:45", AgendaItemType.WELCOME),
        ("Vortrag: Teilhabe vor Ort", "9:45 – 10:30", AgendaItemType.TALK),
        ("Forenphase", "10:30 – 12:00", AgendaItemType.FORUM_PHASE),
        ("Mittagspause", "12:00 – 13:00", AgendaItemType.BREAK),
        ("Ergebnisse der Foren", "13:00 – 13:30", AgendaItemType.RESULTS),
    ]
    phase = doc.items[2]
    assert [(f.number, f.label, f.room) for f in phase.forums] == [
        (1, "Forum 1: Sprache & Bildung", "Raum A"),
        (2, "Forum 2: Arbeit", ""),
    ]
    assert [f.label for f in doc.unassigned_forums] == ["Forum 3: Wohnen"]


def test_minutes_document(db: Database, year: int) -> None:
    ids = build(db, year)
    with db.read_session() as s:
        forum = s.scalars(sa.select(Forum.id).order_by(Forum.sort_order)).first()
    entry = prog.save_minutes(
        db, year, prog.MinutesData("Rege Diskussion", "Mehr Sprachkurse", "Frau Demir"), forum_id=forum
    )
    prog.save_minutes(
        db,
        year,
        prog.MinutesData(notes="Begrüßt von Herrn Landrat"),
        item_id=ids["Begrüßung durch den Landrat"],
    )
    rec = prog.add_recommendation(
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
    new_conference.copy_conference(db, 2025, 2026, date=dt.date(2026, 11, 5))
    with db.read_session() as s:
        report = next(r for r in prog.agenda(s, 2026) if r.title == "Sachstand der Empfehlungen aus 2025")
    note_entry = prog.save_minutes(
        db, 2026, prog.MinutesData(results="Sachstand besprochen"), item_id=report.id
    )
    prog.update_status(
        db,
        rec,
        RecommendationStatus.IN_PROGRESS,
        "Gespräch mit VHS",
        on=dt.date(2026, 11, 5),
        minutes_entry_id=note_entry,
    )

    with db.read_session() as s:
        minutes = printing.minutes_document(s, 2025)
        follow_up = printing.minutes_document(s, 2026)
    welcome = minutes.sections[0]
    assert (welcome.heading, welcome.time_range, welcome.notes) == (
        "Begrüßung durch den Landrat",
        "9:30 – 9:45",
        "Begrüßt von Herrn Landrat",
    )
    phase = next(x for x in minutes.sections if x.heading == "Forenphase")
    first = phase.forums[0]
    assert (first.heading, first.details, first.notes, first.results, first.rapporteur) == (
        "Forum 1: Sprache & Bildung",
        "Raum Raum A · Moderation: Frau Demir",
        "Rege Diskussion",
        "Mehr Sprachkurse",
        "Frau Demir",
    )
    assert next(x for x in minutes.sections if x.heading == "Mittagspause").is_break
    assert minutes.recommendations == (
        printing.RecommendationEntry(
            1,
            "Sprachkurse mit Kinderbetreuung ausbauen",
            "Forum 1: Sprache & Bildung",
            "VHS",
            "30.06.2026",
            "in Arbeit",
        ),
    )
    status_report = next(x for x in follow_up.sections if x.heading == "Sachstand der Empfehlungen aus 2025")
    assert status_report.results == "Sachstand besprochen"
    assert status_report.status_updates == (
        printing.StatusLine(
            2025, "Sprachkurse mit Kinderbetreuung ausbauen", "in Arbeit", "Gespräch mit VHS"
        ),
    )
