"""The main window: navigation on the left, five areas (Adressen, Konferenzen, Programm, Protokoll,
Ergebnisse), each a searchable, sortable list; menus Datei, Bearbeiten, Ansicht, Konferenz and Hilfe.

The window shows itself empty and loads right after (a zero timer): only the ids of each list are read
eagerly, the rows come block by block as the tables show them, so a database of 100,000 persons opens
without a noticeable pause. ``lists_loaded`` is emitted once, when the first load is complete.

Startup: only the area the user sees is built (and its modules imported) before the window is shown; the
others are built when first shown, or one by one when the window is idle after the first load
(``areas`` builds an area on first access, so code may use ``window.areas["Ergebnisse"]`` at any time).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import QByteArray, QSize, Qt, QTimer, Signal, qVersion
from PySide6.QtGui import QCloseEvent, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

import konferenz
from konferenz.errors import UserError
from konferenz.lists.conferences import (
    AgendaList,
    ConferenceList,
    MinutesList,
    RecommendationList,
    newest_conference_with_minutes,
)
from konferenz.lists.registry import OrganisationList, PersonList
from konferenz.storage.changes import (
    AGENDA,
    CONFERENCES,
    INVITATIONS,
    MINUTES,
    ORGANISATIONS,
    PERSONS,
    RECOMMENDATIONS,
)
from konferenz.storage.db import Database, open_database
from ui.actions import (
    AREA_NAMES,
    Actions,
    ConferenceActions,
    FileActions,
    RegistryActions,
    create_actions,
    create_conference_actions,
    create_file_actions,
    create_registry_actions,
)
from ui.addresses.area import AddressArea
from ui.context import AppContext
from ui.settings import settings
from ui.shell import data_safety
from ui.shell.area_toolbar import AreaToolbar, area_actions
from ui.shell.change_watcher import ChangeWatcher
from ui.shell.field_undo import FieldUndo
from ui.shell.idle import Idle
from ui.shell.presence_indicator import PresenceIndicator
from ui.widgets.destructive import mark_destructive
from ui.widgets.dialog_tools import SPREADSHEET_FILTER, choose_open_path, choose_save_path
from ui.widgets.icons import area_icon
from ui.widgets.list_panel import ConferenceListPanel, ListPanel
from ui.widgets.table_model import LazyTableModel

log = logging.getLogger(__name__)

DATABASE_FILTER = "Konferenz-Datenbanken (*.sqlite);;Alle Dateien (*)"
EXCEL_FILTER = SPREADSHEET_FILTER

#: keys of ``area_counts()``: the lists of the window
LIST_NAMES: tuple[str, ...] = (
    "Personen",
    "Organisationen",
    "Konferenzen",
    "Programm",
    "Protokoll",
    "Ergebnisse",
)

#: which lists show which kinds of data (see ui.context): they refresh when those change
LIST_KINDS: dict[str, frozenset[str]] = {
    "Personen": frozenset({PERSONS, ORGANISATIONS}),
    "Organisationen": frozenset({ORGANISATIONS, PERSONS}),
    "Konferenzen": frozenset({CONFERENCES, INVITATIONS}),
    "Programm": frozenset({AGENDA, CONFERENCES}),
    "Protokoll": frozenset({MINUTES, AGENDA, CONFERENCES}),
    "Ergebnisse": frozenset({RECOMMENDATIONS, CONFERENCES, ORGANISATIONS, PERSONS}),
}

#: the lists each area shows
AREA_LISTS: dict[str, tuple[str, ...]] = {
    "Adressen": ("Personen", "Organisationen"),
    "Konferenzen": ("Konferenzen",),
    "Programm": ("Programm",),
    "Protokoll": ("Protokoll",),
    "Ergebnisse": ("Ergebnisse",),
}
#: how long a message stays in the status bar
STATUS_MS = 5000
#: pause between building the hidden areas one by one after the first load
IDLE_BUILD_MS = 200
#: the change watcher takes its first fingerprint this long after the first load
WATCH_DELAY_MS = 100

V = TypeVar("V")


class Lazy(Mapping[str, V]):
    """A mapping whose values are made on first access (``built()``: those made so far)."""

    def __init__(self, factories: Mapping[str, Callable[[], V]]) -> None:
        self._factories = dict(factories)
        self._made: dict[str, V] = {}

    def __getitem__(self, key: str) -> V:
        found = self._made.get(key)
        if found is None:
            found = self._made[key] = self._factories[key]()
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._factories)

    def __len__(self) -> int:
        return len(self._factories)

    def is_built(self, key: str) -> bool:
        return key in self._made

    def built(self) -> dict[str, V]:
        return dict(self._made)


def short_name(database: Database) -> str:
    """The database as named in the window title: the file name, or the server database's name."""
    name = database.url.database or database.display_name
    return Path(name).name if database.backend == "sqlite" else name


class MainWindow(QMainWindow):
    """The main window over one open database (``set_database`` swaps it)."""

    #: emitted once after construction, when every list has loaded its ids
    lists_loaded = Signal()
    #: emitted after ``set_database`` showed another database
    database_changed = Signal()

    def __init__(self, database: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._database = database
        self._lists_loaded = False
        #: hidden parts are built only after a pause of IDLE_BUILD_MS without a search
        self.idle = Idle(self, IDLE_BUILD_MS)
        self.setObjectName("MainWindow")
        self.ctx = AppContext(database, self)
        self.ctx.data_changed.connect(self._on_data_changed)
        self.ctx.message.connect(self.show_message)
        self.change_watcher = ChangeWatcher(self.ctx, self)

        self.models: dict[str, LazyTableModel] = {
            "Personen": LazyTableModel(database, PersonList(), parent=self),
            "Organisationen": LazyTableModel(database, OrganisationList(), parent=self),
            "Konferenzen": LazyTableModel(database, ConferenceList(), parent=self),
            "Programm": LazyTableModel(database, AgendaList(None), parent=self),
            "Protokoll": LazyTableModel(database, MinutesList(None), parent=self),
            "Ergebnisse": LazyTableModel(database, RecommendationList(), parent=self),
        }
        for model in self.models.values():
            model.loaded.connect(self.idle.note)
        self._conference_panels: Lazy[ConferenceListPanel] = Lazy(
            {
                "Programm": lambda: ConferenceListPanel(self.models["Programm"], AgendaList),
                "Protokoll": lambda: ConferenceListPanel(
                    self.models["Protokoll"], MinutesList, preferred=newest_conference_with_minutes
                ),
            }
        )
        self._panels: Lazy[ListPanel] = Lazy(
            {
                "Personen": lambda: ListPanel(self.models["Personen"]),
                "Organisationen": lambda: ListPanel(self.models["Organisationen"]),
                "Konferenzen": lambda: ListPanel(self.models["Konferenzen"]),
                "Programm": lambda: self._conference_panels["Programm"].panel,
                "Protokoll": lambda: self._conference_panels["Protokoll"].panel,
                "Ergebnisse": lambda: ListPanel(self.models["Ergebnisse"]),
            }
        )
        #: the list panel of each list, keyed like ``models`` (asking for one builds its area)
        self.panels: Lazy[ListPanel] = Lazy({name: self._panel_factory(name) for name in LIST_NAMES})
        #: the areas in navigation order (``AREA_NAMES``), each built on first access
        self.areas: Lazy[QWidget] = Lazy({name: self._area_factory(name) for name in AREA_NAMES})

        self.stack = QStackedWidget()
        self.stack.setAccessibleName(self.tr("Bereich"))
        self.navigation = QListWidget()
        self.navigation.setAccessibleName(self.tr("Bereiche"))
        self.navigation.setAccessibleDescription(self.tr("Strg+1 bis Strg+5 wechseln den Bereich"))
        for number, name in enumerate(AREA_NAMES, start=1):
            self.stack.addWidget(QWidget())  # a placeholder until the area is first shown
            item = QListWidgetItem(area_icon(name), self.tr(name))
            item.setToolTip(self.tr("{0} (Strg+{1})").format(self.tr(name), number))
            item.setSizeHint(QSize(0, self.fontMetrics().height() * 2 + 4))
            self.navigation.addItem(item)
        addresses = self.areas["Adressen"]
        assert isinstance(addresses, AddressArea)
        self.address_area: AddressArea = addresses
        em = self.fontMetrics().horizontalAdvance("M")
        icon_width = self.navigation.iconSize().width() or self.fontMetrics().height()
        self.navigation.setFixedWidth(
            max(self.fontMetrics().horizontalAdvance(self.tr(n)) for n in AREA_NAMES) + 4 * em + icon_width
        )
        self.navigation.currentRowChanged.connect(self._on_area_changed)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.addWidget(self.navigation)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.menu_actions: Actions = create_actions(self)
        self._build_menus()
        self.registry_actions: RegistryActions = create_registry_actions(self, self.ctx.undo_stack)
        # Strg+Z in an editor field: the field's own undo first, else Bearbeiten → Rückgängig
        self.field_undo = FieldUndo(self)
        self._build_edit_menu()
        self.conference_actions: ConferenceActions = create_conference_actions(self)
        self._build_conference_menu()
        for name, action in zip(AREA_NAMES, self.menu_actions.areas, strict=True):
            action.setIcon(area_icon(name))
        #: the everyday actions of the area shown (``ui.shell.area_toolbar``)
        self.toolbar = AreaToolbar(self)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)
        self.database_label = QLabel()
        self.database_label.setAccessibleName(self.tr("Geöffnete Datenbank"))
        self.database_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.statusBar().addWidget(self.database_label, 1)
        self.presence = PresenceIndicator()
        self.statusBar().addPermanentWidget(self.presence)
        self.presence.attach(database)
        self._show_database_name()

        self._restore_settings()
        # keyboard users can type a name right away
        self.current_panel().search_field.setFocus(Qt.FocusReason.OtherFocusReason)
        QTimer.singleShot(0, self._initial_load)

    # --- construction ---------------------------------------------------------------------------------

    @property
    def agenda_area(self) -> ConferenceListPanel:
        """The conference selector and list of the Programm area."""
        self.areas["Programm"]
        return self._conference_panels["Programm"]

    @property
    def minutes_area(self) -> ConferenceListPanel:
        """The conference selector and list of the Protokoll area."""
        self.areas["Protokoll"]
        return self._conference_panels["Protokoll"]

    def _panel_factory(self, list_name: str) -> Callable[[], ListPanel]:
        return lambda: self._area_panel(list_name)

    def _area_panel(self, list_name: str) -> ListPanel:
        area = next(name for name, lists in AREA_LISTS.items() if list_name in lists)
        self.areas[area]
        return self._panels[list_name]

    def _area_factory(self, name: str) -> Callable[[], QWidget]:
        return lambda: self._build_area(name)

    def _build_area(self, name: str) -> QWidget:
        """Make the area ``name`` (importing its module now), put it in place of its placeholder in the
        stack, and load its lists if the window has loaded already."""
        area: QWidget
        if name == "Adressen":
            area = AddressArea(self.ctx, self._panels["Personen"], self._panels["Organisationen"])
        elif name == "Konferenzen":
            from ui.conferences.area import ConferencesArea

            area = ConferencesArea(self.ctx, self._panels["Konferenzen"])
        elif name == "Programm":
            from ui.programme.area import ProgrammeArea

            area = ProgrammeArea(self.ctx, self._conference_panels["Programm"])
        elif name == "Protokoll":
            from ui.programme.minutes_area import MinutesArea

            area = MinutesArea(self.ctx, self._conference_panels["Protokoll"])
        else:
            from ui.programme.results_area import ResultsArea

            area = ResultsArea(self.ctx, self._panels["Ergebnisse"])
        index = AREA_NAMES.index(name)
        placeholder = self.stack.widget(index)
        current = self.stack.currentIndex()
        self.stack.insertWidget(index, area)
        if placeholder is not None:
            self.stack.removeWidget(placeholder)
            placeholder.deleteLater()
        if current == index:
            self.stack.setCurrentIndex(index)
        if self._lists_loaded:
            self._load_area(name)
        return area

    def _load_area(self, name: str) -> None:
        if name in self._conference_panels:
            self._conference_panels[name].load_conferences(self._database)
        for list_name in AREA_LISTS[name]:
            self.models[list_name].refresh()

    def _built_lists(self) -> list[str]:
        """The lists whose area exists (only those are loaded and refreshed)."""
        return [n for area in self.areas.built() for n in AREA_LISTS[area]]

    def _build_next_hidden_area(self) -> None:
        """Make one part not made yet – the detail panes of Adressen first, then the areas not shown yet –
        and wait for the next idle moment: first clicks and switches feel instant. While a list searches
        (someone types), the part waits until IDLE_BUILD_MS have passed without a search (``self.idle``)."""
        if not self.isVisible():
            return
        pages = [page for page in self.address_area.pages() if not page.has_editor]
        missing = [name for name in AREA_NAMES if not self.areas.is_built(name)]
        if pages:
            pages.pop(0).build_editor()
        elif missing:
            self.areas[missing.pop(0)]
        if pages or missing:
            self.idle.later(self._build_next_hidden_area, IDLE_BUILD_MS)

    def _build_menus(self) -> None:
        a = self.menu_actions
        file_menu = self.menuBar().addMenu(self.tr("&Datei"))
        file_menu.addAction(a.open_database)
        file_menu.addAction(a.new_database)
        file_menu.addSeparator()
        self.file_actions: FileActions = create_file_actions(self)
        for action in self.file_actions.all():
            file_menu.addAction(action)
        self.file_actions.import_file.triggered.connect(self.import_file)
        self.file_actions.export_list.triggered.connect(self.export_list)
        self.file_actions.imports.triggered.connect(self.show_imports)
        self.file_actions.privacy.triggered.connect(lambda _checked=False: self.show_privacy())
        self.file_actions.audit_log.triggered.connect(lambda _checked=False: self.export_audit_log())
        file_menu.addSeparator()
        self.data_safety_actions = data_safety.install_menu(self, file_menu)
        file_menu.addSeparator()
        file_menu.addAction(a.quit)
        view_menu = self.menuBar().addMenu(self.tr("&Ansicht"))
        for action in a.areas:
            view_menu.addAction(action)
        view_menu.addSeparator()
        view_menu.addAction(a.find)
        help_menu = self.menuBar().addMenu(self.tr("&Hilfe"))
        help_menu.addAction(a.handbook)
        help_menu.addAction(a.shortcuts)
        help_menu.addSeparator()
        help_menu.addAction(a.about)

        a.open_database.triggered.connect(self.choose_database)
        a.new_database.triggered.connect(self.create_database)
        a.quit.triggered.connect(self.close)
        a.find.triggered.connect(self.focus_search)
        a.about.triggered.connect(self.show_about)
        a.handbook.triggered.connect(lambda _checked=False: self.show_handbook())
        a.shortcuts.triggered.connect(lambda _checked=False: self.show_shortcuts())
        for index, action in enumerate(a.areas):
            action.triggered.connect(lambda _checked=False, i=index: self.show_area(i))

    def _build_edit_menu(self) -> None:
        """Menu "Bearbeiten" (after "Datei"): undo and redo of the window's changes, new persons and
        organisations, the duplicate search; F2, Entf and Zusammenführen act inside the Adressen area."""
        r = self.registry_actions
        menu = self.menuBar().addMenu(self.tr("&Bearbeiten"))
        view = next((a for a in self.menuBar().actions() if a.text() == self.tr("&Ansicht")), None)
        if view is not None:
            self.menuBar().insertMenu(view, menu)
        for action in (r.undo, r.redo, None, r.new_person, r.new_organisation, None, r.find_duplicates):
            if action is None:
                menu.addSeparator()
            else:
                menu.addAction(action)
        r.new_person.triggered.connect(lambda _checked=False: self._in_addresses().new_person())
        r.new_organisation.triggered.connect(lambda _checked=False: self._in_addresses().new_organisation())
        r.find_duplicates.triggered.connect(self.find_duplicates)
        self.address_area.privacy_requested.connect(self.show_privacy)
        self.address_area.install_actions(r.edit_record, r.delete_record, r.merge_records)
        mark_destructive(r.delete_record)

    def find_duplicates(self) -> None:
        """Bearbeiten → Dubletten suchen …"""
        from ui.addresses.duplicates_dialog import find_duplicates

        find_duplicates(self.ctx, self, self._show_person)

    def _show_person(self, person_id: int) -> None:
        self._in_addresses().show_person(person_id)

    def _in_addresses(self) -> AddressArea:
        """Show the Adressen area and return it."""
        self.show_area(AREA_NAMES.index("Adressen"))
        return self.address_area

    def _build_conference_menu(self) -> None:
        """Menu "Konferenz" (before "Hilfe"): acts on the conference chosen in the Konferenzen area."""
        menu = self.menuBar().addMenu(self.tr("&Konferenz"))
        menu_actions = self.menuBar().actions()
        help_action = next((a for a in menu_actions if a.text() == self.tr("&Hilfe")), None)
        if help_action is not None:
            self.menuBar().insertMenu(help_action, menu)
        c = self.conference_actions
        for action, method in (
            (c.new_conference, "new_conference"),
            (c.edit_conference, "edit_conference"),
            (c.copy_conference, "copy_conference"),
            (None, None),
            (c.invite, "invite"),
            (c.reminders, "show_reminders"),
            (None, None),
            (c.send_mail, "open_mail"),
            (c.mail_reminders, "mail_reminders"),
            (c.mail_drafts, "confirm_mail_drafts"),
            (c.mail_settings, "edit_mail_settings"),
            (None, None),
            (c.checkin, "open_checkin"),
            (c.statistics, "show_statistics"),
        ):
            if action is None or method is None:
                menu.addSeparator()
                continue
            menu.addAction(action)
            action.triggered.connect(lambda _checked=False, m=method: self._in_conferences(m))
        menu.addSeparator()
        printing = menu.addMenu(self.tr("&Drucken"))
        slots = {
            c.letters: "open_letters",
            c.labels: "open_labels",
            c.badges: "open_badges",
            c.signin_sheet: "open_signin_sheet",
            c.attendee_list: "open_attendee_list",
            c.templates: "edit_templates",
            c.sender: "edit_sender",
        }
        for entry in c.printing():
            if entry is None:
                printing.addSeparator()
                continue
            printing.addAction(entry)
            if entry is c.certificates:
                entry.triggered.connect(lambda _checked=False: self.open_certificates())
                continue
            entry.triggered.connect(lambda _checked=False, m=slots[entry]: self._in_conferences(m))

    def open_certificates(self) -> QWidget | None:
        """Konferenz → Drucken → Teilnahmebescheinigungen …: for the conference chosen in the Konferenzen
        area and the invitations selected there."""
        from ui.paper.dialogs.certificates_dialog import open_certificates_dialog

        title = self.tr("Teilnahmebescheinigungen")
        self.show_area(AREA_NAMES.index("Konferenzen"))
        area = self.areas["Konferenzen"]
        conf_id = area.conference_id()  # type: ignore[attr-defined]  # the Konferenzen area (built lazily as a QWidget)
        if conf_id is None:
            QMessageBox.information(
                self, title, self.tr("Bitte zuerst eine Konferenz anlegen oder auswählen.")
            )
            return None
        selected: list[int] = area.invitations.selected_ids()  # type: ignore[attr-defined]  # as above
        try:
            return open_certificates_dialog(self.ctx, self, conf_id, selected)
        except UserError as exc:  # e.g. the conference was deleted at another workplace
            QMessageBox.warning(self, title, exc.message)
            return None

    def _in_conferences(self, method: str) -> object:
        """Show the Konferenzen area and call its ``method`` (the area is built if need be)."""
        self.show_area(AREA_NAMES.index("Konferenzen"))
        run: Callable[[], object] = getattr(self.areas["Konferenzen"], method)
        return run()

    def _restore_settings(self) -> None:
        store = settings()
        geometry = store.value("MainWindow/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)  # the size and place, and whether it was maximised
        else:  # the first run: the whole screen, and a sensible size when the user un-maximises
            self._default_size()
            self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)
        try:
            area = int(store.value("MainWindow/area", 0))  # type: ignore[call-overload]  # QSettings.value is typed object
        except (TypeError, ValueError):
            area = 0
        self.show_area(area if 0 <= area < len(AREA_NAMES) else 0)
        tab = store.value("MainWindow/address_tab", 0)
        self.address_area.setCurrentIndex(1 if str(tab) == "1" else 0)

    def _default_size(self) -> None:
        screen = QGuiApplication.primaryScreen()
        width, height = 1280, 800
        if screen is not None:
            available = screen.availableGeometry()
            width = min(width, int(available.width() * 0.9))
            height = min(height, int(available.height() * 0.9))
        self.resize(width, height)

    def _save_settings(self) -> None:
        store = settings()
        store.setValue("MainWindow/geometry", self.saveGeometry())
        store.setValue("MainWindow/area", self.stack.currentIndex())
        store.setValue("MainWindow/address_tab", self.address_area.currentIndex())
        store.sync()

    # --- loading ----------------------------------------------------------------------------------------

    @property
    def database(self) -> Database:
        return self._database

    @property
    def is_loaded(self) -> bool:
        """True once the first load finished (``lists_loaded`` was emitted)."""
        return self._lists_loaded

    def _initial_load(self) -> None:
        self.load_lists()
        if not self._lists_loaded:
            self._lists_loaded = True
            self.lists_loaded.emit()
            # after the first paint, in pauses: watching other users' changes, building the hidden areas
            self.idle.later(self.change_watcher.start, WATCH_DELAY_MS)
            self.idle.later(self._build_next_hidden_area, IDLE_BUILD_MS)

    def load_lists(self) -> None:
        """(Re)load the ids of every list shown so far from the current database."""
        for name in self.areas.built():
            self._load_area(name)

    def _on_data_changed(self, kinds: frozenset[str]) -> None:
        for name in self._built_lists():
            if kinds & LIST_KINDS[name]:
                self.models[name].refresh()
        if kinds & {CONFERENCES}:
            for panel in self._conference_panels.built().values():
                panel.load_conferences(self._database)

    def area_counts(self) -> dict[str, int]:
        """Rows loaded in each list (Programm and Protokoll: of the chosen conference; at first the
        newest one, for Protokoll the newest one with minutes). Builds and loads every area."""
        for name in AREA_NAMES:
            self.areas[name]
        return {name: self.models[name].rowCount() for name in LIST_NAMES}

    def set_database(self, database: Database) -> None:
        """Show ``database`` instead of the current one, which is disposed."""
        old = self._database
        self._database = database
        self.ctx.set_database(database)
        self.presence.attach(database)
        for model in self.models.values():
            model.set_database(database)
        for panel in self._conference_panels.built().values():
            panel.load_conferences(database, keep_choice=False)
        if not all(self.models[name].is_loaded for name in self._built_lists()):
            self.load_lists()
        self._show_database_name()
        if old is not database:
            old.dispose()
        self.database_changed.emit()

    def _show_database_name(self) -> None:
        self.setWindowTitle(self.tr("Konferenz – {0}").format(short_name(self._database)))
        self.database_label.setText(self.tr("Datenbank: {0}").format(self._database.display_name))

    # --- areas ------------------------------------------------------------------------------------------

    def show_area(self, index: int) -> None:
        self.navigation.setCurrentRow(index)

    def current_area(self) -> QWidget:
        """The area the user sees."""
        return self.areas[self.current_area_name()]

    def current_area_name(self) -> str:
        return AREA_NAMES[self.stack.currentIndex()]

    def current_panel(self) -> ListPanel:
        """The list panel the user sees (in Adressen: of the chosen tab)."""
        name = self.current_area_name()
        if name == "Adressen":
            return self.address_area.current_panel()
        return self.panels[name]

    def focus_search(self) -> None:
        area = self.current_area()
        if area is not self.address_area:
            # the area's own search or list, not the hidden list panel behind it
            area.focus_search()  # type: ignore[attr-defined]  # every area but Adressen has one (lazy QWidget mapping)
            return
        self.current_panel().focus_search()

    def _on_area_changed(self, index: int) -> None:
        if index < 0:
            return
        self.areas[AREA_NAMES[index]]  # built on first show
        self.stack.setCurrentIndex(index)
        self.menu_actions.areas[index].setChecked(True)
        self.toolbar.show_area(AREA_NAMES[index], area_actions(self, AREA_NAMES[index]))

    # --- file actions -----------------------------------------------------------------------------------

    def _dialog_folder(self) -> str:
        if self._database.backend == "sqlite" and self._database.url.database:
            return str(Path(self._database.url.database).parent)
        return str(Path.home())

    def choose_database(self) -> None:
        """Datei → Datenbank öffnen …"""
        path = choose_open_path(
            self, self.tr("Datenbank öffnen"), self.tr(DATABASE_FILTER), start=Path(self._dialog_folder())
        )
        if path is not None:
            self.open_path(str(path), create=False)

    def create_database(self) -> None:
        """Datei → Neue Datenbank …: an empty, migrated database in a new file."""
        target = choose_save_path(
            self,
            self.tr("Neue Datenbank anlegen"),
            "konferenz.sqlite",
            self.tr(DATABASE_FILTER),
            folder_key=None,  # next to the open database
            start=Path(self._dialog_folder()),
            keep_suffix=True,
            new_only=True,
        )
        if target is None:
            return
        if target.exists():
            QMessageBox.warning(
                self,
                self.tr("Neue Datenbank anlegen"),
                self.tr(
                    "Die Datei „{0}“ gibt es bereits. Eine bestehende Datenbank öffnen Sie mit "
                    "„Datei → Datenbank öffnen …“."
                ).format(target),
            )
            return
        self.open_path(str(target), create=True)

    def open_path(self, path: str, *, create: bool) -> bool:
        """Open (or create) the database at ``path`` and show it; on a UserError keep the current one."""
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            database = open_database(path, create=create)
            self.set_database(database)
        except UserError as exc:
            QApplication.restoreOverrideCursor()
            log.info("Datenbank nicht geöffnet: %s", exc)
            QMessageBox.critical(self, self.tr("Datenbank öffnen"), exc.message)
            return False
        except BaseException:
            QApplication.restoreOverrideCursor()
            raise
        QApplication.restoreOverrideCursor()
        self.statusBar().showMessage(self.tr("Datenbank „{0}“ geöffnet").format(database.display_name), 5000)
        return True

    # --- import and export --------------------------------------------------------------------------------

    def import_file(self) -> None:
        """Datei → Importieren …: the import wizard (Excel/CSV into the address register)."""
        from ui.spreadsheets.import_wizard import ImportWizard

        wizard = ImportWizard(self.ctx, self, self._dialog_folder())
        wizard.exec()
        wizard.deleteLater()

    def export_list(self) -> None:
        """Datei → Liste exportieren …: the list shown, with its search, sort and visible columns."""
        from ui.spreadsheets.list_export import export_list_dialog

        panel = self.current_panel()
        export_list_dialog(self, self._database, panel.table, panel.model, self._dialog_folder())

    def show_imports(self) -> None:
        """Datei → Importe …: past imports, one of which can be undone."""
        from ui.spreadsheets.import_undo import ImportsDialog

        dialog = ImportsDialog(self.ctx, self)
        dialog.exec()
        dialog.deleteLater()

    def export_audit_log(self, path: Path | None = None) -> Path | None:
        """Datei → Änderungsprotokoll exportieren …: the whole audit log as an Excel file."""
        import datetime as dt

        from konferenz.audit.history import write_audit_log
        from ui.widgets.dialog_tools import choose_save_path, save_in_background

        title = self.tr("Änderungsprotokoll exportieren")
        target = path or choose_save_path(
            self, title, f"Aenderungsprotokoll-{dt.date.today():%Y-%m-%d}.xlsx", self.tr(EXCEL_FILTER)
        )
        if target is None:
            return None
        database = self._database
        return save_in_background(self, title, lambda: write_audit_log(database, target))

    def show_privacy(self, person_id: int | None = None) -> QWidget:
        """Datei → Datenschutz …: access report, anonymisation, review (for the person chosen in Adressen)."""
        from ui.addresses.privacy_dialog import open_privacy_dialog

        if person_id is None and self.current_area_name() == "Adressen":
            person_id = self.address_area.chosen_person_id()
        return open_privacy_dialog(self.ctx, self, person_id)

    def show_message(self, text: str) -> None:
        """A short line in the status bar (after save, undo, import, send), gone after five seconds."""
        self.statusBar().showMessage(text, STATUS_MS)

    # --- help -------------------------------------------------------------------------------------------

    def show_shortcuts(self) -> QWidget:
        """Hilfe → Tastenkürzel …: every shortcut of the action registry (each area is built, so its own
        actions are listed) and the status keys of the replies; non-modal, Esc closes it."""
        from ui.actions import shortcut_entries
        from ui.shell.shortcuts_dialog import ShortcutsDialog

        places = {self.areas[name]: self.tr("Bereich {0}").format(self.tr(name)) for name in AREA_NAMES}
        dialog = ShortcutsDialog(shortcut_entries(self, places), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        dialog.activateWindow()
        return dialog

    def show_handbook(self) -> Path:
        """Hilfe → Handbuch: the offline handbook (resources/handbook/index.html) in the browser."""
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        from konferenz import paths

        page = paths.resources_dir() / "handbook" / "index.html"
        if not page.is_file():
            QMessageBox.warning(
                self,
                self.tr("Handbuch"),
                self.tr("Das Handbuch fehlt in dieser Installation („{0}“).").format(page),
            )
            return page
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(page))):
            QMessageBox.information(
                self,
                self.tr("Handbuch"),
                self.tr("Kein Browser gefunden. Das Handbuch liegt hier: {0}").format(page),
            )
        return page

    def show_about(self) -> None:
        QMessageBox.about(
            self,
            self.tr("Über Konferenz"),
            self.tr(
                "<h3>Konferenz {0}</h3>"
                "<p>Organisation der jährlichen Integrationskonferenz des Kreises Borken: Adressen, "
                "Einladungen, Programm, Protokoll und Ergebnisse.</p>"
                "<p>Kommunales Integrationszentrum Kreis Borken</p>"
                "<p>Lizenz: EUPL-1.2 · Qt {1}</p>"
            ).format(konferenz.__version__, qVersion()),
        )

    # --- Qt -------------------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        self.presence.detach()
        self._save_settings()
        super().closeEvent(event)
