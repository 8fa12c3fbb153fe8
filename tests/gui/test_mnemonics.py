"""Unique mnemonics (issue 17): in the main window (each area shown in turn, with its detail pane, and the
menu bar's top-level menus), inside every menu, and in every dialog that can be built without a modal
loop, no two visible controls share an Alt+letter. A clash makes Alt+letter cycle between the two (Alt+H
went to "Rolle hinzufügen" instead of Hilfe) – the failure names both, so the fix is a rename."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import fixtures_spreadsheets as fx
import pytest
import sqlalchemy as sa
from mnemonic_walk import clashes, menu_clashes, mnemonic
from PySide6.QtWidgets import QTabWidget, QWidget

from konferenz.demo.builder import generate_demo
from konferenz.storage.db import Database, open_database
from konferenz.storage.models import Conference, Person
from ui.actions import AREA_NAMES
from ui.context import AppContext
from ui.settings import settings
from ui.shell.main_window import MainWindow

pytestmark = pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints")


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    database = open_database(path, create=True)
    generate_demo(database, persons=60, seed=1)
    database.dispose()
    return path


@pytest.fixture
def demo(demo_file: Path, tmp_path: Path) -> Iterator[Database]:
    """A copy of the demo database (a dialog that saves does not change the next test's data)."""
    path = tmp_path / "demo.sqlite"
    shutil.copy(demo_file, path)
    database = open_database(path)
    yield database
    database.dispose()


def test_mnemonic_reads_the_letter_after_a_single_ampersand() -> None:
    assert mnemonic("&Datei") == "d"
    assert mnemonic("Rolle hinzuf&ügen") == "ü"
    assert mnemonic("Mayer && Söhne") is None
    assert mnemonic("A && B &Cäsar") == "c"
    assert mnemonic("Löschen") is None


def test_a_clash_is_found(qtbot: Any) -> None:
    """The walk itself can fail: two buttons with Alt+S are reported by name."""
    from PySide6.QtWidgets import QPushButton, QVBoxLayout

    window = QWidget()
    layout = QVBoxLayout(window)
    layout.addWidget(QPushButton("&Speichern"))
    layout.addWidget(QPushButton("&Suchen"))
    hidden = QPushButton("&Senden")
    layout.addWidget(hidden)
    qtbot.addWidget(window)
    window.show()
    hidden.hide()
    assert clashes(window) == ["Alt+S: QPushButton „&Speichern“, QPushButton „&Suchen“"]


def _walk_tabs(widget: QWidget, qtbot: Any) -> list[str]:
    """The clashes of ``widget`` as shown, then with each page of each visible tab widget shown."""
    found = clashes(widget)
    for tabs in [t for t in widget.findChildren(QTabWidget) if t.isVisible()]:
        for index in range(tabs.count()):
            tabs.setCurrentIndex(index)
            qtbot.wait(10)
            found += [f"[Reiter {tabs.tabText(index)}] {line}" for line in clashes(widget)]
    return sorted(set(found))


def test_main_window_has_no_mnemonic_clash(qtbot: Any, demo: Database) -> None:
    settings().clear()
    window = MainWindow(demo)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.lists_loaded, timeout=10_000):
        window.show()
    qtbot.waitExposed(window)
    assert menu_clashes(window) == []
    found: list[str] = []
    for index, name in enumerate(AREA_NAMES):
        window.show_area(index)
        qtbot.wait(20)
        if name == "Adressen":
            for tab in range(window.address_area.count()):
                window.address_area.setCurrentIndex(tab)
                panel = window.address_area.current_panel()
                panel.table.selectRow(0)  # the detail pane (person or organisation editor) shows
                qtbot.waitUntil(lambda: window.address_area.current_page().has_editor, timeout=5000)
                qtbot.wait(50)
                found += [f"Adressen/{window.address_area.tabText(tab)}: {c}" for c in clashes(window)]
            continue
        window.current_panel().table.selectRow(0)
        qtbot.wait(50)
        found += [f"{name}: {c}" for c in clashes(window)]
    assert found == []


def _dialogs(database: Database, ctx: AppContext, folder: Path) -> dict[str, Callable[[], QWidget]]:
    """Every dialog under ui/**/*_dialog.py and ui/paper/dialogs/ (and the check-in window), built as the
    window builds it, on the demo data."""
    from konferenz.registry.reads import scan_registry
    from ui.addresses.duplicates_dialog import DuplicatesDialog
    from ui.addresses.merge_dialog import MergeDialog
    from ui.addresses.privacy_dialog import PrivacyDialog
    from ui.conferences.checkin_window import CheckInWindow, PersonPickerDialog
    from ui.conferences.conference_dialog import ConferenceDialog, CopyConferenceDialog
    from ui.conferences.invite_dialog import InviteDialog
    from ui.conferences.statistics_view import StatisticsDialog
    from ui.conferences.widgets import QuickPersonDialog
    from ui.paper.dialogs.certificates_dialog import CertificatesDialog
    from ui.paper.dialogs.drafts_dialog import DraftsDialog
    from ui.paper.dialogs.letters_dialog import LettersDialog
    from ui.paper.dialogs.mail_dialog import MailDialog
    from ui.paper.dialogs.mail_settings_dialog import MailSettingsDialog
    from ui.paper.dialogs.print_dialogs import (
        AttendeesDialog,
        BadgesDialog,
        ConferenceInfo,
        LabelsDialog,
        SigninDialog,
    )
    from ui.paper.dialogs.sender_dialog import SenderSettingsDialog
    from ui.paper.dialogs.template_editor import TemplateEditorDialog
    from ui.programme.agenda_dialog import AgendaItemDialog, ForumAssignDialog
    from ui.programme.agenda_model import ForumChoice
    from ui.programme.recommendation_dialog import RecommendationDialog
    from ui.shell.data_safety import BackupChooser, ServerDialog
    from ui.shell.shortcuts_dialog import ShortcutsDialog
    from ui.spreadsheets.import_undo import ImportsDialog
    from ui.widgets.registry_dialogs import ConflictDialog, DuplicateCandidate, DuplicateQuestion

    with database.read_session() as s:
        conference = s.scalars(sa.select(Conference).order_by(Conference.year.desc())).first()
        assert conference is not None
        conf_id, year = conference.id, conference.year
        first, second = s.scalars(sa.select(Person.id).order_by(Person.id).limit(2)).all()
    info = ConferenceInfo.load(ctx, conf_id)
    return {
        "Adressetiketten": lambda: LabelsDialog(ctx, info),
        "Namensschilder": lambda: BadgesDialog(ctx, info),
        "Unterschriftenliste": lambda: SigninDialog(ctx, info),
        "Teilnehmerliste": lambda: AttendeesDialog(ctx, info),
        "E-Mail-Entwürfe": lambda: DraftsDialog(ctx),
        "Teilnahmebescheinigungen": lambda: CertificatesDialog(ctx, None, conf_id),
        "Absender": lambda: SenderSettingsDialog(ctx),
        "E-Mail-Einstellungen": lambda: MailSettingsDialog(ctx),
        "E-Mail": lambda: MailDialog(ctx, None, conf_id),
        "Serienbriefe": lambda: LettersDialog(ctx, None, conf_id),
        "Briefvorlagen": lambda: TemplateEditorDialog(ctx, None, conference_id=conf_id),
        "Sicherung zurückspielen": lambda: BackupChooser(folder / "demo.sqlite"),
        "Auf Server umziehen": ServerDialog,
        "Programmpunkt": lambda: AgendaItemDialog(lambda: database),
        "Foren zuordnen": lambda: ForumAssignDialog(
            [ForumChoice(1, 1, "Forum 1", None), ForumChoice(2, 2, "Forum 2", 5)], 5, {5: "Forenphase"}
        ),
        "Empfehlung": lambda: RecommendationDialog(lambda: database),
        "Person aus Adressen": lambda: PersonPickerDialog(ctx),
        "Check-in": lambda: CheckInWindow(ctx, conf_id),
        "Statistik": lambda: StatisticsDialog(ctx, conf_id),
        "Konferenz bearbeiten": lambda: ConferenceDialog(database, conf_id),
        "Neue Konferenz": lambda: ConferenceDialog(database, None),
        "Vorjahr kopieren": lambda: CopyConferenceDialog(database, from_year=year),
        "Neue Person (Check-in)": lambda: QuickPersonDialog(database),
        "Einladen": lambda: InviteDialog(database, year),
        "Konflikt": lambda: ConflictDialog("Person", [("E-Mail", "a@example.org", "b@example.org")]),
        "Mögliche Dublette": lambda: DuplicateQuestion(
            "Person", [DuplicateCandidate(first, "Öztürk, Ayşe", "gleicher Name", True)]
        ),
        "Dubletten": lambda: DuplicatesDialog(ctx, scan_registry(database, lambda *_a: None, lambda: False)),
        "Zusammenführen": lambda: MergeDialog(ctx, "person", first, second),
        "Datenschutz": lambda: PrivacyDialog(ctx, None, first),
        "Importe": lambda: ImportsDialog(ctx),
        "Tastenkürzel": ShortcutsDialog,
    }


DIALOG_NAMES = [
    "Adressetiketten",
    "Namensschilder",
    "Unterschriftenliste",
    "Teilnehmerliste",
    "E-Mail-Entwürfe",
    "Teilnahmebescheinigungen",
    "Absender",
    "E-Mail-Einstellungen",
    "E-Mail",
    "Serienbriefe",
    "Briefvorlagen",
    "Sicherung zurückspielen",
    "Auf Server umziehen",
    "Programmpunkt",
    "Foren zuordnen",
    "Empfehlung",
    "Person aus Adressen",
    "Check-in",
    "Statistik",
    "Konferenz bearbeiten",
    "Neue Konferenz",
    "Vorjahr kopieren",
    "Neue Person (Check-in)",
    "Einladen",
    "Konflikt",
    "Mögliche Dublette",
    "Dubletten",
    "Zusammenführen",
    "Datenschutz",
    "Importe",
    "Tastenkürzel",
]


def test_every_dialog_is_walked(demo: Database, tmp_path: Path) -> None:
    assert sorted(_dialogs(demo, AppContext(demo), tmp_path)) == sorted(DIALOG_NAMES)


@pytest.mark.parametrize("name", DIALOG_NAMES)
def test_dialog_has_no_mnemonic_clash(qtbot: Any, demo: Database, tmp_path: Path, name: str) -> None:
    settings().clear()
    ctx = AppContext(demo)
    dialog = _dialogs(demo, ctx, tmp_path)[name]()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.wait(20)
    assert _walk_tabs(dialog, qtbot) == []


def test_import_wizard_pages_have_no_mnemonic_clash(qtbot: Any, demo: Database, tmp_path: Path) -> None:
    from ui.spreadsheets.import_wizard import ImportWizard

    wizard = ImportWizard(AppContext(demo))
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    found = [f"Datei: {c}" for c in clashes(wizard)]
    assert wizard.open_file(fx.german_csv(tmp_path))
    found += [f"Datei (gelesen): {c}" for c in clashes(wizard)]
    for page in ("Spalten", "Vorschau", "Ergebnis"):
        wizard.next()
        qtbot.wait(20)
        found += [f"{page}: {c}" for c in clashes(wizard)]
    assert wizard.currentPage() is wizard.result_page
    assert found == []
