"""Datei → Datenschutz …: the three tabs driven like a user would, and the PDF access report read back.

Done when: a person exported, erased and exported again shows nothing personal left (second JSON and PDF),
and the statistics of past conferences are unchanged.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import subprocess
import unicodedata
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from pypdf import PdfReader
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QFileDialog, QLabel, QMessageBox
from pytestqt.qtbot import QtBot

from konferenz.conferences import editing, inviting, statistics
from konferenz.enums import AuditAction, Channel, ConsentPurpose, Gender, InvitationStatus
from konferenz.programme import new_conference
from konferenz.registry import search_keys
from konferenz.storage.changes import INVITATIONS, PERSONS
from konferenz.storage.db import Database, open_database
from konferenz.storage.models import (
    AuditEntry,
    ConsentRecord,
    DeletionLog,
    Invitation,
    Organisation,
    Person,
    Role,
)
from ui.addresses.privacy_dialog import PrivacyDialog, open_privacy_dialog
from ui.context import AppContext
from ui.paper.privacy_report import person_rows, privacy_report_pdf

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints")

PERSONAL = (
    "Ayşe",
    "Öztürk",
    "ayse.oeztuerk@example.org",
    "0171 2345678",
    "02871 12345",
    "Nordstraße",
    "Rollstuhl",
    "kennt Frau Demir",
)
ARABIC = "فاطمة"


def pdf_text(data: bytes, tmp_path: Path) -> str:
    """Text of a PDF: pdftotext (Arabic in logical order) when installed, else pypdf; NFKC-normalised."""
    if shutil.which("pdftotext"):
        path = tmp_path / "read.pdf"
        path.write_bytes(data)
        text = subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
    else:
        text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return unicodedata.normalize("NFKC", text)


@pytest.fixture
def people(sqlite_db: Database) -> dict[str, int]:
    db = sqlite_db
    with db.session() as s:
        org = Organisation(name="Türkischer Elternverein Bocholt")
        ayse = Person(
            first_name="Ayşe", last_name="Öztürk", gender=Gender.FEMALE, email="ayse.oeztuerk@example.org",
            mobile="0171 2345678", phone="02871 12345", street="Nordstraße 1", postal_code="46399",
            city="Bocholt", notes="kennt Frau Demir", created_at=dt.datetime(2019, 1, 1),
        )  # fmt: skip
        fatima = Person(first_name=ARABIC, last_name="Haddad", created_at=dt.datetime(2019, 1, 1))
        recent = Person(first_name="Jan", last_name="Neumann")
        s.add_all([org, ayse, fatima, recent])
        s.flush()
        s.add(Role(person_id=ayse.id, organisation_id=org.id, is_primary=True, function="Vorsitzende"))
        s.add(
            ConsentRecord(
                person_id=ayse.id,
                purpose=ConsentPurpose.PARTICIPANT_LIST,
                given_on=dt.date(2022, 5, 2),
                channel=Channel.EMAIL,
                text_version="2022-1",
            )
        )
        ids = {"ayse": ayse.id, "fatima": fatima.id, "recent": recent.id}
        s.flush()
        search_keys.refresh_person_search_text(s, ids.values())
    with db.session() as s:  # an ORM change, so the audit log holds the old e-mail address
        s.get_one(Person, ids["ayse"]).email = "ayse.oeztuerk@example.org "
    with db.session() as s:
        s.get_one(Person, ids["ayse"]).email = "ayse.oeztuerk@example.org"
    for year in (2021, 2022):
        new_conference.create_conference(
            db, editing.ConferenceData(year=year, title=f"Integrationskonferenz {year}")
        )
        inviting.invite(db, year, inviting.InviteeFilter(everyone=True))
    with db.session() as s:
        for inv in s.scalars(
            sa.select(Invitation).where(Invitation.person_id.in_([ids["ayse"], ids["fatima"]]))
        ):
            inv.status = InvitationStatus.ATTENDED
            inv.needs_accessibility = "Rollstuhl"
    # Jan is invited this year: not on the review list
    new_conference.create_conference(db, editing.ConferenceData(year=dt.date.today().year, title="Aktuell"))
    with db.session() as s:
        current = editing.conference_id(s, dt.date.today().year)
        s.add(Invitation(conference_id=current, person_id=ids["recent"]))
    return ids


@pytest.fixture
def ctx(sqlite_db: Database) -> AppContext:
    return AppContext(sqlite_db)


def _stats(db: Database) -> str:
    with db.read_session() as s:
        return statistics.text_table(statistics.all_years_stats(s))


def _save(dialog: PrivacyDialog, monkeypatch: pytest.MonkeyPatch, target: Path) -> tuple[Path, Path]:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    written = dialog.save_access_report()
    assert written is not None
    return written


def test_export_erase_export_leaves_nothing_personal(
    qtbot: QtBot, ctx: AppContext, people: dict[str, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pid = people["ayse"]
    stats_before = _stats(ctx.database)
    dialog = PrivacyDialog(ctx, person_id=pid)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.windowTitle() == "Datenschutz"
    assert "Ayşe Öztürk (Nr." in dialog.person_label.text()

    # Auskunft: JSON and PDF next to each other
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "vorher"), ""))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert dialog.last_written == (tmp_path / "vorher.json", tmp_path / "vorher.pdf")
    data = json.loads((tmp_path / "vorher.json").read_text(encoding="utf-8"))
    assert data["person"]["email"] == "ayse.oeztuerk@example.org"
    assert {i["konferenz"] for i in data["einladungen"]} == {2021, 2022}
    text = pdf_text((tmp_path / "vorher.pdf").read_bytes(), tmp_path)
    for expected in (
        "Auskunft nach Art. 15 DSGVO",
        "Ayşe",
        "Öztürk",
        "0171 2345678",
        "Rollstuhl",
        "kennt Frau Demir",
    ):
        assert expected in text, expected
    for expected in ("Vorsitzende", "Türkischer Elternverein Bocholt", "2021 – Integrationskonferenz 2021"):
        assert expected in text, expected
    assert "teilgenommen" in text and "Textfassung 2022-1" in text and "E-Mail geändert" in text
    assert "Seite 1 von" in text

    # Löschen: the reason is required, the confirmation names the person
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: warned.append(text))
    dialog.tabs.setCurrentIndex(1)
    qtbot.mouseClick(dialog.erase_button, Qt.MouseButton.LeftButton)
    assert warned and "Grund" in warned[-1]
    asked: list[str] = []

    def no(_parent: object, _title: str, text: str, *args: object) -> QMessageBox.StandardButton:
        asked.append(text)
        return QMessageBox.StandardButton.No

    dialog.reason_field.setText("Antrag vom 03.11.2026")
    monkeypatch.setattr(QMessageBox, "question", no)
    qtbot.mouseClick(dialog.erase_button, Qt.MouseButton.LeftButton)
    assert "Ayşe Öztürk" in asked[-1] and "nicht rückgängig" in asked[-1]
    # what else changes: the name in other records' texts and in import journals
    for words in (
        "Schlagworte",
        "Änderungsprotokoll",
        "(Programm, Protokoll, Empfehlungen, Notizen)",
        "Import-Journalen",
    ):
        assert words in asked[-1], words
        assert any(words in label.text() for label in dialog.findChildren(QLabel)), words
    with ctx.database.read_session() as s:
        assert s.get_one(Person, pid).anonymised_at is None  # "Nein" changes nothing

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    ctx.undo_stack.push(QUndoCommand("ältere Änderung"))
    with qtbot.waitSignal(ctx.data_changed) as changed:
        qtbot.mouseClick(dialog.erase_button, Qt.MouseButton.LeftButton)
    assert {PERSONS, INVITATIONS} <= changed.args[0]
    assert ctx.undo_stack.count() == 0
    assert "anonymisiert; 2 Einladungen bleiben für die Statistik erhalten" in dialog.status.text()
    with ctx.database.read_session() as s:
        log = s.scalars(sa.select(DeletionLog)).one()
    assert log.reason == "Antrag vom 03.11.2026"

    # Auskunft again: nothing personal left, statistics unchanged
    dialog.set_person(pid)
    json_path, pdf_path = _save(dialog, monkeypatch, tmp_path / "nachher.json")
    after_json = json_path.read_text(encoding="utf-8")
    after_pdf = pdf_text(pdf_path.read_bytes(), tmp_path)
    for secret in PERSONAL:
        assert secret not in after_json, secret
        assert secret not in after_pdf, secret
    assert "Anonymisiert" in after_pdf
    assert _stats(ctx.database) == stats_before


def test_existing_pdf_next_to_the_json_is_replaced_only_after_asking(
    qtbot: QtBot, ctx: AppContext, people: dict[str, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = PrivacyDialog(ctx, person_id=people["ayse"])
    qtbot.addWidget(dialog)
    pdf = tmp_path / "auskunft.pdf"
    pdf.write_bytes(b"another report")
    asked: list[str] = []
    answer = QMessageBox.StandardButton.No
    monkeypatch.setattr(QMessageBox, "question", lambda _p, _t, text, *a: asked.append(text) or answer)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "auskunft.json"), ""))
    assert dialog.save_access_report() is None  # "Nein": nothing written
    assert str(pdf) in asked[-1] and "Ersetzen?" in asked[-1]
    assert pdf.read_bytes() == b"another report" and not (tmp_path / "auskunft.json").exists()

    answer = QMessageBox.StandardButton.Yes
    assert dialog.save_access_report() == (tmp_path / "auskunft.json", pdf)
    assert pdf.read_bytes().startswith(b"%PDF")

    # ".json" added here: the file dialog did not ask about that file either
    asked.clear()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "auskunft"), ""))
    answer = QMessageBox.StandardButton.No
    assert dialog.save_access_report() is None
    assert str(tmp_path / "auskunft.json") in asked[-1] and str(pdf) in asked[-1]
    # nothing there yet: no question
    asked.clear()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "neu.json"), ""))
    assert dialog.save_access_report() is not None
    assert asked == []


def test_person_chosen_by_typing_with_the_completer(
    qtbot: QtBot, ctx: AppContext, people: dict[str, int]
) -> None:
    dialog = PrivacyDialog(ctx)
    qtbot.addWidget(dialog)
    assert dialog.person_id() is None
    qtbot.keyClicks(dialog.person_field, "ozturk")  # folded spelling: ASCII only (see Testing traps)
    dialog.completer.search_now()
    assert dialog.completer.matches.stringList() == ["Ayşe Öztürk (Türkischer Elternverein Bocholt)"]
    index = dialog.completer.matches.index(0, 0)
    dialog.person_field.setText(str(index.data()))
    dialog.completer.activated[QModelIndex].emit(index)
    assert dialog.person_id() == people["ayse"]
    # issue 17: the label followed the text, before the completion's record was taken
    assert dialog.person_label.text() == f"Gewählt: Ayşe Öztürk (Nr. {people['ayse']})"
    dialog.person_field.setText(str(people["fatima"]))  # a number is taken as the ID
    assert dialog.person_id() == people["fatima"]
    assert "Haddad" in dialog.person_label.text()


def test_missing_person_and_unknown_id_are_german_messages(
    qtbot: QtBot, ctx: AppContext, people: dict[str, int], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: warned.append(text))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(tmp_path / "x.json"), ""))
    dialog = PrivacyDialog(ctx)
    qtbot.addWidget(dialog)
    assert dialog.save_access_report() is None
    assert "Person wählen" in warned[-1]
    dialog.person_field.setText("999999")
    assert "999999" in dialog.person_label.text()
    assert dialog.save_access_report() is None
    assert "ID 999999" in warned[-1]
    assert not (tmp_path / "x.json").exists()


def test_review_lists_and_anonymises_checked_rows(
    qtbot: QtBot, ctx: AppContext, people: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    stats_before = _stats(ctx.database)
    dialog = open_privacy_dialog(ctx, None)
    qtbot.addWidget(dialog)
    dialog.tabs.setCurrentIndex(2)
    assert dialog.years.value() == 3
    qtbot.mouseClick(dialog.search_button, Qt.MouseButton.LeftButton)
    names = [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())]
    assert names == ["Haddad, فاطمة", "Öztürk, Ayşe"]
    assert dialog.table.item(1, 1).text() == "Türkischer Elternverein Bocholt"
    assert dialog.table.item(1, 2).text() == "2022"
    assert dialog.table.item(1, 3).text() == str(people["ayse"])
    assert dialog.review_reason.text()  # a reason is suggested

    # nothing checked or selected: a message, nothing changes
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: warned.append(text))
    dialog.table.clearSelection()
    assert dialog.erase_selected() is None
    assert "anhaken oder markieren" in warned[-1]

    # keyboard: Space checks the current row
    dialog.table.setFocus()
    dialog.table.setCurrentCell(1, 0)
    qtbot.keyClick(dialog.table, Qt.Key.Key_Space)
    assert dialog.checked_ids() == [people["ayse"]]
    asked: list[str] = []

    def yes(_parent: object, _title: str, text: str, *args: object) -> QMessageBox.StandardButton:
        asked.append(text)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", yes)
    with qtbot.waitSignal(ctx.data_changed):
        qtbot.mouseClick(dialog.bulk_button, Qt.MouseButton.LeftButton)
    assert asked[-1].startswith("1 Person anonymisieren?")
    assert [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())] == ["Haddad, فاطمة"]
    with ctx.database.read_session() as s:
        assert s.get_one(Person, people["ayse"]).last_name == "Anonymisiert"
        assert s.get_one(Person, people["fatima"]).last_name == "Haddad"
    assert _stats(ctx.database) == stats_before


def test_review_bulk_with_selection_is_one_transaction(
    qtbot: QtBot, ctx: AppContext, people: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = PrivacyDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.refresh_review()
    dialog.toggle_all()  # check all / uncheck all
    assert len(dialog.checked_ids()) == dialog.table.rowCount() == 2
    dialog.toggle_all()
    assert dialog.checked_ids() == []
    dialog.table.selectAll()
    assert sorted(dialog.chosen_review_ids()) == sorted([people["ayse"], people["fatima"]])
    asked: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda _p, _t, text, *a: asked.append(text) or QMessageBox.StandardButton.Yes
    )
    results = dialog.erase_selected()
    assert results is not None and len(results) == 2
    assert asked[-1].startswith("2 Personen anonymisieren?")
    assert dialog.table.rowCount() == 0
    with ctx.database.read_session() as s:
        change_sets = s.scalars(
            sa.select(AuditEntry.change_set).where(AuditEntry.action == AuditAction.ERASE).distinct()
        ).all()
    assert len(change_sets) == 1  # one unit of work


def test_another_database_closes_the_window_before_ids_could_hit_it(
    qtbot: QtBot, ctx: AppContext, people: dict[str, int], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The review list holds ids of database A; after opening B they must never erase anyone in B."""
    other = open_database(tmp_path / "b.sqlite")
    try:
        with other.session() as s:
            s.add_all(
                [
                    Person(
                        first_name=f"Vorname{i}", last_name=f"Nachname{i}", created_at=dt.datetime(2015, 1, 1)
                    )
                    for i in range(max(people.values()) + 1)
                ]
            )
        dialog = PrivacyDialog(ctx, person_id=people["ayse"])
        qtbot.addWidget(dialog)
        dialog.show()
        dialog.refresh_review()
        dialog.table.selectAll()
        assert dialog.chosen_review_ids()
        with qtbot.waitSignal(dialog.rejected):
            ctx.set_database(other)
        assert not dialog.isVisible()
        ctx.set_database(other)  # disconnected: a second change does not reach the closed window
        warned: list[str] = []
        monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: warned.append(text))
        monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
        assert dialog.erase_selected() is None  # even if called: the list is refreshed, nobody erased
        assert "veraltet" in warned[-1]
        with other.read_session() as s:
            assert s.scalar(sa.select(sa.func.count()).where(Person.anonymised_at.is_not(None))) == 0
    finally:
        other.dispose()


def test_bulk_confirmation_names_the_persons(
    qtbot: QtBot, ctx: AppContext, people: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    with ctx.database.session() as s:
        s.add_all(
            [
                Person(first_name="Olga", last_name=f"Aal{i:02d}", created_at=dt.datetime(2015, 1, 1))
                for i in range(11)
            ]
        )
    dialog = PrivacyDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.refresh_review()
    assert dialog.table.rowCount() == 13
    dialog.table.selectAll()
    asked: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda _p, _t, text, *a: asked.append(text) or QMessageBox.StandardButton.No
    )
    assert dialog.erase_selected() is None
    text = asked[-1]
    assert text.startswith("13 Personen anonymisieren?")
    for name in ("Aal00, Olga", "Aal09, Olga"):
        assert f"– {name}\n" in text, name
    assert "Aal10" not in text and "Haddad" not in text and "– und 3 weitere" not in text
    assert "\nund 3 weitere\n" in text
    for words in (
        "Schlagworte",
        "Änderungsprotokoll",
        "(Programm, Protokoll, Empfehlungen, Notizen)",
        "Import-Journalen",
    ):
        assert words in text, words


def test_bulk_erasure_refuses_persons_invited_since_the_search(
    qtbot: QtBot, ctx: AppContext, people: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = PrivacyDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.refresh_review()
    dialog.table.selectAll()
    assert sorted(dialog.chosen_review_ids()) == sorted([people["ayse"], people["fatima"]])
    with ctx.database.session() as s:  # meanwhile, in another window: Ayşe is invited this year
        current = editing.conference_id(s, dt.date.today().year)
        s.add(Invitation(conference_id=current, person_id=people["ayse"]))
    warned: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: warned.append(text))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    assert dialog.erase_selected() is None
    assert "Ayşe Öztürk" in warned[-1] and "niemand" in warned[-1]
    with ctx.database.read_session() as s:
        assert s.scalar(sa.select(sa.func.count()).where(Person.anonymised_at.is_not(None))) == 0
    assert [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())] == ["Haddad, فاطمة"]


def test_report_pdf_page_breaks_and_scripts(qapp: Any, tmp_path: Path) -> None:
    export = {
        "erstellt": "2026-11-03T10:15:00",
        "person": {
            "id": 7,
            "first_name": ARABIC,
            "last_name": "Yılmaz",
            "gender": "female",
            "legal_basis": "consent",
            "email": "f.yilmaz@example.org",
            "search_text": "verborgen",
            "created_at": "2020-01-01T00:00:00",
        },
        "rollen": [],
        "einladungen": [],
        "einwilligungen": [],
        "mitwirkung_programm": [],
        "aenderungsprotokoll_lesbar": [
            {
                "zeit": "2024-05-02T10:00:00",
                "benutzer": "mueller.k",
                "datensatz": "Person",
                "datensatz_id": 7,
                "aktion": "geändert",
                "feld": "E-Mail",
                "alt": f"alt{n}@example.org",
                "neu": "f.yilmaz@example.org",
            }
            for n in range(120)
        ],
    }
    rows = dict(person_rows(export["person"]))
    assert rows["Geschlecht"] == "weiblich" and rows["Rechtsgrundlage"].startswith("Einwilligung")
    assert "search_text" not in rows and rows["Erfasst am"] == "01.01.2020 00:00"
    data = privacy_report_pdf(export, tmp_path / "bericht.pdf")
    assert (tmp_path / "bericht.pdf").read_bytes() == data
    pages = PdfReader(io.BytesIO(data)).pages
    assert len(pages) > 2
    texts = [page.extract_text() for page in pages]
    for number, text in enumerate(texts, start=1):
        assert f"Seite {number} von {len(pages)}" in " ".join(text.split())
    assert "Yılmaz" in texts[0] and "Keine Rollen gespeichert." in " ".join(texts[0].split())
    full = pdf_text(data, tmp_path)
    assert ARABIC in full
    assert all(f"alt{n}@example.org" in full for n in range(120))  # nothing lost at page breaks


def test_a_long_completion_shows_its_beginning(qtbot: QtBot, ctx: AppContext) -> None:
    """Issue 17: organisation suggestions showed the end of a long name after choosing."""
    from PySide6.QtWidgets import QLineEdit

    from ui.widgets.registry_completer import RegistryCompleter

    field = QLineEdit()
    qtbot.addWidget(field)
    field.resize(120, 30)
    field.show()
    long_name = "Arbeitsgemeinschaft der Migrantenselbstorganisationen im Kreis Borken e. V."
    completer = RegistryCompleter(field, lambda: ctx.database, lambda _db, _part: [(1, long_name)])
    qtbot.keyClicks(field, "Arbeits")
    completer.search_now()
    index = completer.matches.index(0, 0)
    field.setText(long_name)  # what QCompleter does before it says "activated"
    completer.activated[QModelIndex].emit(index)
    qtbot.waitUntil(lambda: field.cursorPosition() == 0)
    assert field.toolTip() == long_name and completer.chosen_id == 1
