"""The filter rows above the person and organisation lists.

- "Verteiler": saved filters (``konferenz.registry.filters.save_filter`` / ``delete_filter``, read with ``konferenz.lists.facets.saved_filters``):
  the search text and the chosen categories, municipalities and tags under a name ("alle MSO in Bocholt
  und Rhede"), reused here and when inviting. Choosing one applies it; "Speichern …" stores the current
  search and filters; "Löschen" removes the chosen one (after a question).
- Filters: Kategorie, Kommune, Schlagwort (several values each, ``MultiSelectButton``), applied in SQL
  by the list source (``PersonList(category_ids=…, …)``); "Zurücksetzen" clears search and filters.
- "Spalten": which columns the list shows (also in the context menu of the column headers); remembered.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from konferenz.lists.facets import RegistryFilter, SavedFilterInfo, saved_filters
from konferenz.lists.registry import category_choices, municipality_choices, tag_choices
from konferenz.storage.db import Database
from ui.addresses.fields import MultiSelectButton
from ui.widgets.destructive import mark_destructive
from ui.widgets.flow_layout import FlowLayout

Facets = tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]


class RegistryFilterBar(QWidget):
    """Verteiler, filters and column choice of one list (persons or organisations)."""

    #: a filter button changed (the page applies the facets)
    facets_changed = Signal()
    #: a saved filter was chosen in the combobox (argument: its info)
    saved_filter_chosen = Signal(object)
    #: "Speichern …" / "Löschen" / "Zurücksetzen" were pressed
    save_requested = Signal()
    delete_requested = Signal()
    reset_requested = Signal()
    #: the column with this index is to be shown (True) or hidden (False)
    column_toggled = Signal(int, bool)

    def __init__(self, kind: str, list_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self._saved: list[SavedFilterInfo] = []

        self.saved_combo = QComboBox(self)
        self.saved_combo.setAccessibleName(self.tr("Verteiler für {0} wählen").format(list_name))
        self.saved_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.saved_combo.setMinimumContentsLength(8)
        self.saved_combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        saved_label = QLabel(self.tr("Verteiler:"), self)
        saved_label.setBuddy(self.saved_combo)
        self.save_button = QPushButton(self.tr("Als Verteiler speichern …"), self)
        self.save_button.setAccessibleName(self.tr("Suche und Filter als Verteiler speichern"))
        self.save_button.setToolTip(self.tr("Die aktuelle Suche und die Filter unter einem Namen speichern"))
        self.delete_button = QPushButton(self.tr("Verteiler löschen"), self)
        mark_destructive(self.delete_button)
        self.delete_button.setAccessibleName(self.tr("Gewählten Verteiler löschen"))

        self.category = MultiSelectButton(self.tr("Kategorie"), self)
        self.municipality = MultiSelectButton(self.tr("Kommune"), self)
        self.tag = MultiSelectButton(self.tr("Schlagwort"), self)
        self.reset_button = QPushButton(self.tr("Zurücksetzen"), self)
        self.reset_button.setAccessibleName(self.tr("Suche und Filter zurücksetzen"))
        self.columns_button = QToolButton(self)
        self.columns_button.setText(self.tr("Spalten ▾"))
        self.columns_button.setAccessibleName(self.tr("Angezeigte Spalten wählen"))
        self.columns_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.columns_button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.column_menu = QMenu(self)
        self.column_menu.setAccessibleName(self.tr("Angezeigte Spalten"))
        self.columns_button.setMenu(self.column_menu)
        self.column_actions: list[QAction] = []

        # what concerns the Verteiler in its row; the filters in one row below (issue 17: they wrapped)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(saved_label)
        top.addWidget(self.saved_combo, 1)
        top.addWidget(self.save_button)
        top.addWidget(self.delete_button)
        # a very narrow list still wraps them rather than cutting them off
        bottom = FlowLayout(one_line_hint=False)
        for widget in (self.category, self.municipality, self.tag, self.reset_button, self.columns_button):
            bottom.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 4)
        layout.addLayout(top)
        layout.addLayout(bottom)

        for button in (self.category, self.municipality, self.tag):
            button.changed.connect(self.facets_changed)
        self.saved_combo.activated.connect(self._on_saved_activated)
        self.save_button.clicked.connect(self.save_requested)
        self.delete_button.clicked.connect(self.delete_requested)
        self.reset_button.clicked.connect(self.reset_requested)
        self.set_saved_filters([])

    # --- choices -----------------------------------------------------------------------------------

    def reload_choices(self, database: Database) -> None:
        """Categories, municipalities and tags from ``database`` (chosen values stay when still there)."""
        with database.read_connection() as session:
            categories = category_choices(session)
            municipalities = municipality_choices(session)
            tags = tag_choices(session)
        self.category.set_choices(categories)
        self.municipality.set_choices(municipalities)
        self.tag.set_choices(tags)

    def reload_tags(self, database: Database) -> None:
        with database.read_connection() as session:
            tags = tag_choices(session)
        self.tag.set_choices(tags)

    def reload_saved(self, database: Database, *, select: int | None = None) -> None:
        with database.read_connection() as connection:
            infos = [f for f in saved_filters(connection) if f.filter.kind == self.kind]
        self.set_saved_filters(infos, select=select)

    def set_saved_filters(self, infos: Sequence[SavedFilterInfo], *, select: int | None = None) -> None:
        current = select if select is not None else self.current_saved_id()
        self._saved = list(infos)
        self.saved_combo.blockSignals(True)
        try:
            self.saved_combo.clear()
            self.saved_combo.addItem(self.tr("(kein Verteiler gewählt)"), None)
            for info in infos:
                self.saved_combo.addItem(info.name, info.id)
            index = self.saved_combo.findData(current) if current is not None else 0
            self.saved_combo.setCurrentIndex(max(index, 0))
        finally:
            self.saved_combo.blockSignals(False)
        self._update_saved_buttons()

    def saved_filters(self) -> list[SavedFilterInfo]:
        return list(self._saved)

    def current_saved(self) -> SavedFilterInfo | None:
        saved_id = self.current_saved_id()
        return next((f for f in self._saved if f.id == saved_id), None)

    def current_saved_id(self) -> int | None:
        value = self.saved_combo.currentData()
        return int(value) if value is not None else None

    def choose_saved(self, saved_id: int | None) -> None:
        """Choose a saved filter as the user does (applies it)."""
        index = self.saved_combo.findData(saved_id) if saved_id is not None else 0
        self.saved_combo.setCurrentIndex(max(index, 0))
        self._on_saved_activated(self.saved_combo.currentIndex())

    def forget_saved_choice(self) -> None:
        """Show "(kein Verteiler gewählt)" (the search or filters no longer are the saved ones)."""
        self.saved_combo.blockSignals(True)
        self.saved_combo.setCurrentIndex(0)
        self.saved_combo.blockSignals(False)
        self._update_saved_buttons()

    def _on_saved_activated(self, _index: int) -> None:
        self._update_saved_buttons()
        info = self.current_saved()
        if info is not None:
            self.saved_filter_chosen.emit(info)

    def _update_saved_buttons(self) -> None:
        self.delete_button.setEnabled(self.current_saved_id() is not None)

    # --- facets --------------------------------------------------------------------------------------

    def facets(self) -> Facets:
        return (
            tuple(self.category.selected_ids()),
            tuple(self.municipality.selected_ids()),
            tuple(self.tag.selected_ids()),
        )

    def set_facets(
        self, categories: Sequence[int], municipalities: Sequence[int], tags: Sequence[int]
    ) -> None:
        """Choose filter values without emitting ``facets_changed``."""
        self.category.set_selected_ids(categories)
        self.municipality.set_selected_ids(municipalities)
        self.tag.set_selected_ids(tags)

    def current_filter(self, search: str) -> RegistryFilter:
        categories, municipalities, tags = self.facets()
        return RegistryFilter(
            kind="organisations" if self.kind == "organisations" else "persons",
            search=search.strip(),
            category_ids=categories,
            municipality_ids=municipalities,
            tag_ids=tags,
        )

    # --- columns -------------------------------------------------------------------------------------

    def set_columns(self, headers: Sequence[str], hidden: set[int]) -> None:
        """One checkable entry per column (the first, the name, cannot be hidden)."""
        self.column_menu.clear()
        self.column_actions = []
        for index, header in enumerate(headers):
            action = QAction(header, self.column_menu)
            action.setCheckable(True)
            action.setChecked(index not in hidden)
            action.setEnabled(index != 0)  # the name column always stays
            action.toggled.connect(lambda on, i=index: self.column_toggled.emit(i, on))
            self.column_menu.addAction(action)
            self.column_actions.append(action)
