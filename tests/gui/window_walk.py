"""Every window and dialog of the program, for the walks that check all of them (mnemonics, accessibility).

One home for the list, so a new dialog is walked by every check once it is added here:

- ``make_demo(path)`` builds the demo database the walks run on;
- ``dialogs(database, ctx, folder)`` gives a builder per dialog (every dialog under ui/**/*_dialog.py and
  ui/paper/dialogs/, and the check-in window), built as the window builds it, without a modal loop;
  ``DIALOG_NAMES`` lists their names (a test checks that the two agree);
- ``open_main_window(qtbot, database)`` shows the main window with its lists loaded and
  ``main_window_views(qtbot, window)`` shows each area in turn with its detail pane (each address tab with
  its editor), yielding a name for each view;
- ``import_wizard_pages(qtbot, wizard, csv)`` walks the import wizard's pages, yielding each page's name.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from PySide6.QtWidgets import QWidget

from konferenz.demo.builder import generate_demo
from konferenz.storage.db import Database, open_database
from konferenz.storage.models import Conference, Person
from ui.actions import AREA_NAMES
from ui.context import AppContext
from ui.settings import settings
from ui.shell.main_window import MainWindow


def make_demo(path: Path, persons: int = 60) -> Path:
    database = open_database(path, create=True)
    generate_demo(database, persons=persons, seed=1)
    database.dispose()
    return path


def opened_copy(demo_file: Path, folder: Path) -> Iterator[Database]:
    """A copy of the demo database, open (a dialog that saves does not change the next test's data)."""
    path = folder / "demo.sqlite"
    shutil.copy(demo_file, path)
    database = open_database(path)
    yield database
    database.dispose()


def open_main_window(qtbot: Any, database: Database) -> MainWindow:
    settings().clear()
    window = MainWindow(database)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.lists_loaded, timeout=10_000):
        window.show()
    qtbot.waitExposed(window)
    return window


def main_window_views(qtbot: Any, window: MainWindow) -> Iterator[str]:
    """Show each area (each address tab) with the first row chosen, so its detail pane shows."""
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
                yield f"Adressen/{window.address_area.tabText(tab)}"
            continue
        window.current_panel().table.selectRow(0)
        qtbot.wait(50)
        yield name


def import_wizard_pages(qtbot: Any, wizard: Any, csv: Path) -> Iterator[str]:
    """The import wizard's pages in turn, a file read after the first look at the first page."""
    yield "Datei"
    assert wizard.open_file(csv)
    yield "Datei (gelesen)"
    for page in ("Spalten", "Vorschau", "Ergebnis"):
        wizard.next()
        qtbot.wait(20)
        yield page
    assert wizard.currentPage() is wizard.result_page


def dialogs(database: Database, ctx: AppContext, folder: Path) -> dict[str, Callable[[], QWidget]]:
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


def open_dialog(qtbot: Any, database: Database, folder: Path, name: str) -> QWidget:
    """Build and show the dialog ``name`` (settings cleared first, as on a first run)."""
    settings().clear()
    dialog = dialogs(database, AppContext(database), folder)[name]()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.wait(20)
    return dialog
