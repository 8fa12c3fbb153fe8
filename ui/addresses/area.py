"""Adressen: the address register, tabs Personen and Organisationen.

Each tab is a ``RegistryPage``: on the left the filter rows (Verteiler, Kategorie, Kommune, Schlagwort,
Spalten; ``ui.addresses.filters``) above the searchable list (``ListPanel``), on the right the detail pane
(``PersonEditor`` / ``OrganisationEditor``) in a splitter. Choosing a row shows the record; Eingabetaste
or F2 moves into the form; Strg+S saves; Entf deletes (after a question naming what hangs on the record);
Strg+Z / Strg+Umschalt+Z undo and redo (the window's Bearbeiten menu). Unsaved input is never replaced
silently: before another record is shown the user is asked to save or discard it.

Search, filters and sorting run in SQL (``konferenz.lists.registry``); with 100,000 persons a keystroke costs a
few dozen milliseconds (tests/bench/bench_registry.py). The splitter position and the hidden columns are
remembered per list.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Literal, cast

from PySide6.QtCore import (
    QByteArray,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QSettings,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QInputDialog,
    QLineEdit,
    QMenu,
    QMessageBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from konferenz.errors import UserError
from konferenz.lists.facets import SavedFilterInfo
from konferenz.lists.registry import OrganisationList, PersonList
from konferenz.lists.source import ListSource
from konferenz.storage.changes import ORGANISATIONS, PERSONS
from ui.addresses.filters import RegistryFilterBar
from ui.context import AppContext
from ui.widgets.dialog_tools import confirm
from ui.widgets.list_panel import ListPanel

if TYPE_CHECKING:
    from ui.addresses.merge_dialog import MergeDialog
    from ui.addresses.organisation_editor import OrganisationEditor
    from ui.addresses.person_editor import PersonEditor
    from ui.addresses.record_editor import RecordEditor

Kind = Literal["persons", "organisations"]
_Index = QModelIndex | QPersistentModelIndex


def _settings() -> QSettings:
    from ui.settings import settings

    return settings()


class RegistryPage(QWidget):
    """Filters and list of persons or organisations, with the detail pane beside them.

    The detail pane (``editor``) is made on first use – a chosen row, Neu, or the window's idle time after
    the first load (``build_editor``) – so the window shows its list without the services behind the
    forms (the ORM).
    """

    #: the context menu asked for the data protection dialog of this person
    privacy_requested = Signal(int)

    def __init__(
        self,
        ctx: AppContext,
        panel: ListPanel,
        kind: Kind,
        make_editor: Callable[[], RecordEditor],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.panel = panel
        self.kind = kind
        self._make_editor = make_editor
        self._editor: RecordEditor | None = None
        self.model = panel.model
        self.name = self.model.source.name
        self._syncing = False
        self._choices_loaded = False
        self.setAccessibleName(self.name)

        self.filters = RegistryFilterBar(kind, self.name, self)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.filters)
        left_layout.addWidget(panel, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(left)
        self.splitter.addWidget(QWidget())  # the detail pane's place until it is made
        # a wider window widens the list, not the form (issue 17: the pane pushed the list into a corner)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)

        # what the list shows: columns, context menu
        table = panel.table
        header = table.horizontalHeader()
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._show_column_menu)
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        table.customContextMenuRequested.connect(self._show_table_menu)
        self._restore_view()
        self.splitter.splitterMoved.connect(lambda _pos, _index: self._save_splitter())

        # list ↔ detail pane
        table.selectionModel().currentRowChanged.connect(self._on_current_changed)
        table.selectionModel().selectionChanged.connect(lambda *_a: self._update_actions())
        table.activated.connect(lambda _index: self.editor.edit())
        self.model.loaded.connect(self._on_loaded)

        # filters
        self.filters.facets_changed.connect(self._apply_facets)
        self.filters.saved_filter_chosen.connect(self.apply_saved_filter)
        self.filters.save_requested.connect(self.save_filter)
        self.filters.delete_requested.connect(self.delete_filter)
        self.filters.reset_requested.connect(self.reset_filters)
        self.filters.column_toggled.connect(self.set_column_visible)
        panel.search_field.textChanged.connect(lambda _t: self._check_saved_choice())
        ctx.database_changed.connect(self._on_database_changed)
        ctx.data_changed.connect(self._on_data_changed)

        self.edit_action: QAction | None = None
        self.delete_action: QAction | None = None
        self.merge_action: QAction | None = None

    # --- the detail pane -------------------------------------------------------------------------------

    @property
    def editor(self) -> RecordEditor:
        """The detail pane (made now if it does not exist yet)."""
        if self._editor is None:
            self._editor = self._build_editor()
        return self._editor

    @property
    def has_editor(self) -> bool:
        return self._editor is not None

    def build_editor(self) -> None:
        """Make the detail pane now (the window does this when idle, so the first click is instant)."""
        self.editor  # noqa: B018 (the property makes it)

    def _build_editor(self) -> RecordEditor:
        editor = self._make_editor()
        placeholder = self.splitter.replaceWidget(1, editor)
        if placeholder is not None:
            placeholder.deleteLater()
        editor.saved.connect(self._on_saved)
        editor.deleted.connect(lambda _id: self._update_actions())
        back = QAction(self.tr("Zur Liste"), editor)
        back.setShortcut(Qt.Key.Key_Escape)
        back.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        back.triggered.connect(self.panel.focus_table)
        editor.addAction(back)
        return editor

    # --- view settings ---------------------------------------------------------------------------------

    def _key(self, what: str) -> str:
        return f"Adressen/{self.name}/{what}"

    def _restore_view(self) -> None:
        store = _settings()
        stored = store.value(self._key("hidden_columns"), [])
        # QSettings gives a single entry back as a string, several as a list
        hidden_keys = (
            [stored] if isinstance(stored, str) and stored else stored if isinstance(stored, list) else []
        )
        keys = self.model.source.column_keys()
        hidden = {keys.index(k) for k in hidden_keys or [] if k in keys and k != keys[0]}
        for index in range(len(keys)):
            self.panel.table.setColumnHidden(index, index in hidden)
        headers = [str(self.model.headerData(i, Qt.Orientation.Horizontal)) for i in range(len(keys))]
        self.filters.set_columns(headers, hidden)
        state = store.value(self._key("splitter"))
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.splitter.restoreState(state)
        else:
            em = self.fontMetrics().horizontalAdvance("M")
            self.splitter.setSizes([90 * em, 40 * em])

    def _save_splitter(self) -> None:
        _settings().setValue(self._key("splitter"), self.splitter.saveState())

    def hidden_columns(self) -> list[str]:
        keys = self.model.source.column_keys()
        return [k for i, k in enumerate(keys) if self.panel.table.isColumnHidden(i)]

    def set_column_visible(self, index: int, visible: bool) -> None:
        if index == 0:
            return
        self.panel.table.setColumnHidden(index, not visible)
        action = self.filters.column_actions[index]
        if action.isChecked() != visible:
            action.blockSignals(True)
            action.setChecked(visible)
            action.blockSignals(False)
        _settings().setValue(self._key("hidden_columns"), self.hidden_columns())

    def _show_column_menu(self, pos: QPoint) -> None:
        header = self.panel.table.horizontalHeader()
        self.filters.column_menu.popup(header.mapToGlobal(pos))

    def _show_table_menu(self, pos: QPoint) -> None:
        menu = self.table_menu()
        menu.exec(self.panel.table.viewport().mapToGlobal(pos))
        menu.deleteLater()

    def table_menu(self) -> QMenu:
        """The list's context menu for the chosen rows."""
        menu = QMenu(self)
        menu.setAccessibleName(self.tr("Aktionen für {0}").format(self.name))
        for action in (self.edit_action, self.delete_action, self.merge_action):
            if action is not None:
                menu.addAction(action)
        chosen = self.current_id()
        if self.kind == "persons" and chosen is not None:
            menu.addSeparator()
            privacy = menu.addAction(self.tr("&Datenschutz (Auskunft, Anonymisieren) …"))
            privacy.triggered.connect(lambda _checked=False, pid=chosen: self.privacy_requested.emit(pid))
        return menu

    # --- actions -----------------------------------------------------------------------------------------

    def install_actions(self, edit: QAction, delete: QAction, merge: QAction) -> None:
        """The page-scoped actions (F2, Entf, Zusammenführen): shortcuts work inside this page."""
        self.edit_action, self.delete_action, self.merge_action = edit, delete, merge
        self._update_actions()

    def _update_actions(self) -> None:
        if self.merge_action is not None:
            self.merge_action.setEnabled(len(self.selected_ids()) == 2)

    def selected_ids(self) -> list[int]:
        rows = sorted({index.row() for index in self.panel.table.selectionModel().selectedRows()})
        return [self.model.id_at(r) for r in rows if 0 <= r < self.model.rowCount()]

    def current_id(self) -> int | None:
        """The record in the detail pane; None while there is none (or no pane yet)."""
        return self._editor.record_id if self._editor is not None else None

    # --- list ↔ detail pane ----------------------------------------------------------------------------

    def _on_current_changed(self, current: _Index, _previous: _Index) -> None:
        if self._syncing or not current.isValid():
            return
        record_id = self.model.id_at(current.row())
        if record_id == self.editor.record_id:
            return
        if not self.editor.confirm_leave():
            # stay on the record with unsaved input
            QTimer.singleShot(0, lambda: self.select_record(self.editor.record_id))
            return
        self.select_record(record_id)
        self.editor.load(record_id)

    def select_record(self, record_id: int | None, *, scroll: bool = True) -> bool:
        """Make ``record_id`` the current row (without loading it again); False when not in the list."""
        table = self.panel.table
        selection = table.selectionModel()
        row = self.model.row_of(record_id) if record_id is not None else None
        self._syncing = True
        try:
            if row is None:
                selection.clearSelection()
                return False
            index = self.model.index(row, 0)
            selection.setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
            )
            if scroll:
                table.scrollTo(index)
            return True
        finally:
            self._syncing = False
            self._update_actions()

    def show_record(self, record_id: int) -> bool:
        """Show ``record_id`` in the pane and select it in the list (clearing search and filters if it is
        not in the list); False when the user kept unsaved input or the record does not exist."""
        if record_id != self.editor.record_id and not self.editor.confirm_leave():
            return False
        if self.model.row_of(record_id) is None and (self.model.search_text or self._source_filtered()):
            self.reset_filters()
        if not self.editor.load(record_id):
            return False
        self.select_record(record_id)
        return True

    def _on_loaded(self) -> None:
        if self._source_filtered():  # the panel has just counted; say that filters narrow the list
            label = self.panel.count_label
            label.setText(self.tr("{0} – gefiltert").format(label.text()))
        if not self._choices_loaded and self.model.database is not None:
            self._choices_loaded = True
            self._reload_filter_choices()
        shown = self.current_id()
        if shown is not None:
            self.select_record(shown, scroll=False)
        self._update_actions()

    def _on_saved(self, record_id: int) -> None:
        self.select_record(record_id)

    def new_record(self) -> None:
        if not self.editor.confirm_leave():
            return
        self.select_record(None)
        self.editor.start_new()

    def edit_current(self) -> None:
        if self.editor.record_id is None and not self.editor.is_new:
            index = self.panel.table.currentIndex()
            if index.isValid():
                self.editor.load(self.model.id_at(index.row()))
        self.editor.edit()

    def delete_current(self) -> bool:
        if self.editor.record_id is None:
            index = self.panel.table.currentIndex()
            if not index.isValid():
                return False
            self.editor.load(self.model.id_at(index.row()))
        return self.editor.delete()

    def merge_selected(self) -> MergeDialog | None:
        """Open the merge dialog for the two selected rows (the first one stays by default)."""
        ids = self.selected_ids()
        if len(ids) != 2:
            return None
        if not self.editor.confirm_leave():
            return None
        kind: Literal["person", "organisation"] = "person" if self.kind == "persons" else "organisation"
        try:
            from ui.addresses.merge_dialog import MergeDialog  # late: not needed to start the window

            dialog = MergeDialog(self.ctx, kind, ids[0], ids[1], self)
        except UserError as exc:
            QMessageBox.warning(self, self.tr("Zusammenführen"), exc.message)
            return None
        dialog.accepted.connect(lambda: self._after_merge(dialog.keep_id))
        dialog.open()
        return dialog

    def _after_merge(self, keep_id: int) -> None:
        self.editor.load(keep_id)
        self.select_record(keep_id)

    # --- filters -----------------------------------------------------------------------------------------

    def _source_filtered(self) -> bool:
        source = self.model.source
        return isinstance(source, PersonList | OrganisationList) and source.filtered

    def _make_source(self) -> ListSource:
        categories, municipalities, tags = self.filters.facets()
        cls = PersonList if self.kind == "persons" else OrganisationList
        return cls(category_ids=categories, municipality_ids=municipalities, tag_ids=tags)

    def _apply_facets(self) -> None:
        source = self._make_source()
        if source != self.model.source:
            self.model.set_source(source)
        self._check_saved_choice()

    def _reload_filter_choices(self) -> None:
        database = self.ctx.database
        self.filters.reload_choices(database)
        self.filters.reload_saved(database)

    def apply_saved_filter(self, info: SavedFilterInfo) -> None:
        flt = info.filter
        self.filters.set_facets(flt.category_ids, flt.municipality_ids, flt.tag_ids)
        self.model.set_source(self._make_source())
        self.panel.search_field.blockSignals(True)
        self.panel.search_field.setText(flt.search)
        self.panel.search_field.blockSignals(False)
        self.panel.apply_search()

    def _check_saved_choice(self) -> None:
        info = self.filters.current_saved()
        if info is None:
            return
        current = self.filters.current_filter(self.panel.search_field.text())
        if current != info.filter:
            self.filters.forget_saved_choice()

    def save_filter(self) -> int | None:
        """Store the current search and filters as a Verteiler (asks for the name)."""
        current = self.filters.current_saved()
        name, ok = QInputDialog.getText(
            self,
            self.tr("Verteiler speichern"),
            self.tr("Name des Verteilers (z. B. „alle MSO in Bocholt und Rhede“):"),
            QLineEdit.EchoMode.Normal,
            current.name if current is not None else "",
        )
        if not ok or not name.strip():
            return None
        from konferenz.registry import (
            filters,
            validation,  # late: the services are not needed to show the list
        )

        existing = next(
            (
                f
                for f in filters.list_filters(self.ctx.database)
                if f.name.casefold() == name.strip().casefold()
            ),
            None,
        )
        if existing is not None and (current is None or existing.id != current.id):
            if not confirm(
                self,
                self.tr("Verteiler speichern"),
                self.tr("Einen Verteiler „{0}“ gibt es schon. Ersetzen?").format(existing.name),
            ):
                return None
            name = existing.name
        try:
            saved_id = filters.save_filter(
                self.ctx.database, name, self.filters.current_filter(self.panel.search_field.text())
            )
        except validation.ValidationError as exc:
            QMessageBox.warning(self, self.tr("Verteiler speichern"), exc.message)
            return None
        self.filters.reload_saved(self.ctx.database, select=saved_id)
        return saved_id

    def delete_filter(self) -> bool:
        info = self.filters.current_saved()
        if info is None:
            return False
        if not confirm(
            self,
            self.tr("Verteiler löschen"),
            self.tr("Den Verteiler „{0}“ löschen? Die Adressen selbst bleiben erhalten.").format(info.name),
        ):
            return False
        from konferenz.registry import filters

        filters.delete_filter(self.ctx.database, info.id)
        self.filters.reload_saved(self.ctx.database)
        return True

    def reset_filters(self) -> None:
        """No search, no filters, no Verteiler."""
        self.filters.set_facets((), (), ())
        self.filters.forget_saved_choice()
        if self._source_filtered():
            self.model.set_source(self._make_source())
        self.panel.search_field.blockSignals(True)
        self.panel.search_field.clear()
        self.panel.search_field.blockSignals(False)
        self.panel.apply_search()

    # --- data changes ------------------------------------------------------------------------------------

    def _on_data_changed(self, kinds: frozenset[str]) -> None:
        if self._choices_loaded and kinds & {PERSONS, ORGANISATIONS}:
            self.filters.reload_tags(self.ctx.database)

    def _on_database_changed(self) -> None:
        self.filters.set_facets((), (), ())
        self.filters.forget_saved_choice()
        if self._source_filtered():
            self.model.set_source(self._make_source())
        self._choices_loaded = False
        if self.model.is_loaded:
            self._choices_loaded = True
            self._reload_filter_choices()


class AddressArea(QTabWidget):
    """The address register: tabs Personen and Organisationen, each with list and detail pane."""

    def __init__(
        self, ctx: AppContext, persons: ListPanel, organisations: ListPanel, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setAccessibleName(self.tr("Adressen"))
        self.tabBar().setAccessibleName(self.tr("Adressen: Personen oder Organisationen"))
        self.persons = persons
        self.organisations = organisations
        self.person_page = RegistryPage(ctx, persons, "persons", self._make_person_editor)
        self.organisation_page = RegistryPage(
            ctx, organisations, "organisations", self._make_organisation_editor
        )
        self.addTab(self.person_page, self.tr("&Personen"))
        self.addTab(self.organisation_page, self.tr("&Organisationen"))
        self.setDocumentMode(True)
        self.privacy_requested = self.person_page.privacy_requested

    def _make_person_editor(self) -> PersonEditor:
        from ui.addresses.person_editor import PersonEditor  # late: imports the registry services (the ORM)

        return PersonEditor(self.ctx)

    def _make_organisation_editor(self) -> OrganisationEditor:
        from ui.addresses.organisation_editor import OrganisationEditor

        editor = OrganisationEditor(self.ctx)
        editor.show_person.connect(self.show_person)
        return editor

    @property
    def person_editor(self) -> PersonEditor:
        return cast("PersonEditor", self.person_page.editor)

    @property
    def organisation_editor(self) -> OrganisationEditor:
        return cast("OrganisationEditor", self.organisation_page.editor)

    def chosen_person_id(self) -> int | None:
        """The person chosen in the Personen tab, if that tab is shown."""
        return self.person_page.current_id() if self.currentWidget() is self.person_page else None

    def pages(self) -> tuple[RegistryPage, RegistryPage]:
        return (self.person_page, self.organisation_page)

    def current_page(self) -> RegistryPage:
        widget = self.currentWidget()
        return widget if isinstance(widget, RegistryPage) else self.person_page

    def current_panel(self) -> ListPanel:
        return self.current_page().panel

    def focus_search(self) -> None:
        self.current_panel().focus_search()

    def install_actions(self, edit: QAction, delete: QAction, merge: QAction) -> None:
        """Page-scoped actions (F2, Entf, Zusammenführen …): added to this area, so their shortcuts work
        while the focus is inside it; each acts on the tab shown."""
        for action in (edit, delete, merge):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
        edit.triggered.connect(lambda: self.current_page().edit_current())
        delete.triggered.connect(lambda: self.current_page().delete_current())
        merge.triggered.connect(lambda: self.current_page().merge_selected())
        for page in self.pages():
            page.install_actions(edit, delete, merge)
        self.currentChanged.connect(lambda _i: self.current_page()._update_actions())

    def new_person(self) -> None:
        self.setCurrentWidget(self.person_page)
        self.person_page.new_record()

    def new_organisation(self) -> None:
        self.setCurrentWidget(self.organisation_page)
        self.organisation_page.new_record()

    def show_person(self, person_id: int) -> bool:
        self.setCurrentWidget(self.person_page)
        return self.person_page.show_record(person_id)
