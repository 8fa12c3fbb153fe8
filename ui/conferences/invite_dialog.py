"""Einladen: put invitees on a conference's list by category, municipality, tag, saved filter
("Verteiler"), an earlier year's list, a hand-picked selection, or everyone.

The dialog builds an ``InviteeFilter`` from the chosen tab, shows how many match and how many of them
are already on the list (``invite_preview``), and calls ``conferences.invite`` in the background. Nobody
is invited twice: the result says "N eingeladen, M standen schon auf der Liste".
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from konferenz.conferences import inviting
from konferenz.conferences.reads import conference_title, conference_titles
from konferenz.errors import UserError
from konferenz.lists.facets import RegistryFilter, SavedFilterInfo
from konferenz.lists.registry import (
    OrganisationList,
    PersonList,
    category_choices,
    municipality_choices,
    tag_choices,
)
from konferenz.lists.source import format_count
from konferenz.registry.filters import filter_ids, list_filters
from konferenz.storage.db import Database
from ui.widgets.destructive import mark_destructive
from ui.widgets.geometry import remember_geometry
from ui.widgets.list_panel import ListPanel
from ui.widgets.table_model import LazyTableModel
from ui.widgets.tasks import Latest, run_task

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

#: pause after the last change of the choice before the number of matches is counted again
PREVIEW_DEBOUNCE_MS = 250


def _check_list(parent: QWidget, name: str, items: list[tuple[int, str]]) -> QListWidget:
    widget = QListWidget(parent)
    widget.setAccessibleName(name)
    # which list has the focus shows (issue 17), in any theme: the frame takes the highlight colour
    widget.setStyleSheet("QListWidget:focus { border: 2px solid palette(highlight); }")
    widget.setToolTip(parent.tr("Leertaste hakt den gewählten Eintrag an oder ab"))
    for item_id, text in items:
        item = QListWidgetItem(text, widget)
        item.setData(Qt.ItemDataRole.UserRole, item_id)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Unchecked)
    if widget.count():
        widget.setCurrentRow(0)
    return widget


def checked_ids(widget: QListWidget) -> list[int]:
    return [
        int(widget.item(i).data(Qt.ItemDataRole.UserRole))
        for i in range(widget.count())
        if widget.item(i).checkState() == Qt.CheckState.Checked
    ]


def check_items(widget: QListWidget, texts: list[str]) -> None:
    """Tick the entries with these texts (tests, and remembering a choice)."""
    for i in range(widget.count()):
        if widget.item(i).text() in texts:
            widget.item(i).setCheckState(Qt.CheckState.Checked)


class InviteDialog(QDialog):
    """Put invitees on the list of the conference ``year``."""

    #: the count for the current choice is shown (``preview`` holds it, None if nothing was counted)
    preview_ready = Signal()

    TAB_FEATURES, TAB_FILTER, TAB_EARLIER, TAB_SELECTION, TAB_EVERYONE = range(5)

    def __init__(self, database: Database, year: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._database = database
        self.year = year
        self.result_counts: inviting.InviteResult | None = None
        with database.read_session() as s:
            title = conference_title(s, year) or str(year)
            categories = category_choices(s)
            municipalities = municipality_choices(s)
            tags = tag_choices(s)
            years = [(c.year, f"{c.year} – {c.title}") for c in conference_titles(s, except_year=year)]
        self.setWindowTitle(self.tr("Einladen – {0}").format(title))
        self.setAccessibleName(self.windowTitle())

        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName(self.tr("Wer soll eingeladen werden?"))

        # -- by features
        features = QWidget(self.tabs)
        self.categories = _check_list(features, self.tr("Kategorien"), categories)
        self.municipalities = _check_list(features, self.tr("Kommunen"), municipalities)
        self.tags = _check_list(features, self.tr("Schlagworte"), tags)
        columns = QHBoxLayout()
        for text, widget in (
            (self.tr("&Kategorien"), self.categories),
            (self.tr("K&ommunen"), self.municipalities),
            (self.tr("Sch&lagworte"), self.tags),
        ):
            column = QVBoxLayout()
            heading = QLabel(text, features)
            heading.setBuddy(widget)
            column.addWidget(heading)
            column.addWidget(widget, 1)
            columns.addLayout(column, 1)
            widget.itemChanged.connect(self._schedule_preview)
        explanation = QLabel(
            self.tr(
                "Innerhalb einer Liste genügt ein Treffer, zwischen den Listen muss alles passen (z. B. "
                "Migrantenselbstorganisationen in Bocholt). Personen ohne eigene Kategorie oder Kommune zählen "
                "unter ihrer Hauptorganisation; Organisationen werden selbst eingeladen, wenn dort niemand als "
                "Ansprechperson eingetragen ist."
            ),
            features,
        )
        explanation.setWordWrap(True)
        features_layout = QVBoxLayout(features)
        features_layout.addLayout(columns, 1)
        features_layout.addWidget(explanation)
        self.tabs.addTab(features, self.tr("Nach &Merkmalen"))

        # -- saved filter
        saved = QWidget(self.tabs)
        self._filters: list[SavedFilterInfo] = list_filters(database)
        self.saved_filter = QComboBox(saved)
        self.saved_filter.setAccessibleName(self.tr("Verteiler"))
        for info in self._filters:
            self.saved_filter.addItem(info.name, info.id)
        if not self._filters:
            self.saved_filter.addItem(self.tr("(noch kein Verteiler gespeichert)"), None)
            self.saved_filter.setEnabled(False)
        self.saved_filter.currentIndexChanged.connect(self._schedule_preview)
        saved_form = QFormLayout(saved)
        saved_label = QLabel(self.tr("&Verteiler:"), saved)
        saved_label.setBuddy(self.saved_filter)
        saved_form.addRow(saved_label, self.saved_filter)
        saved_hint = QLabel(
            self.tr("Verteiler sind gespeicherte Filter der Adressen (Bereich „Adressen“)."), saved
        )
        saved_hint.setWordWrap(True)
        saved_form.addRow(saved_hint)
        self.tabs.addTab(saved, self.tr("Ver&teiler"))

        # -- an earlier year
        earlier = QWidget(self.tabs)
        self.earlier_year = QComboBox(earlier)
        self.earlier_year.setAccessibleName(self.tr("Eingeladene dieses Jahres"))
        for other_year, text in years:
            self.earlier_year.addItem(text, other_year)
        if not years:
            self.earlier_year.addItem(self.tr("(keine andere Konferenz)"), None)
            self.earlier_year.setEnabled(False)
        else:
            previous = [i for i, (y, _t) in enumerate(years) if y < year]
            self.earlier_year.setCurrentIndex(previous[0] if previous else 0)
        self.earlier_year.currentIndexChanged.connect(self._schedule_preview)
        earlier_form = QFormLayout(earlier)
        earlier_label = QLabel(self.tr("Alle, die eingeladen waren &zu:"), earlier)
        earlier_label.setBuddy(self.earlier_year)
        earlier_form.addRow(earlier_label, self.earlier_year)
        self.tabs.addTab(earlier, self.tr("Vor&jahr"))

        # -- hand-picked
        selection = QWidget(self.tabs)
        self.pick_persons = QRadioButton(self.tr("&Personen"), selection)
        self.pick_organisations = QRadioButton(self.tr("Or&ganisationen"), selection)
        self.pick_persons.setChecked(True)
        kind_group = QButtonGroup(selection)
        kind_group.addButton(self.pick_persons)
        kind_group.addButton(self.pick_organisations)
        self.pick_model = LazyTableModel(database, PersonList(), parent=self)
        self.pick_panel = ListPanel(self.pick_model, selection)
        self.pick_panel.table.setAccessibleName(self.tr("Adressen zur Auswahl"))
        self.pick_model.refresh()
        self.pick_panel.table.doubleClicked.connect(lambda _i: self.add_picked())
        self.add_button = QPushButton(self.tr("&Hinzufügen ↓"), selection)
        self.add_button.setAccessibleName(self.tr("Gewählte Adressen zur Auswahl hinzufügen"))
        self.add_button.clicked.connect(self.add_picked)
        self.remove_button = QPushButton(self.tr("Aus Auswahl entfe&rnen"), selection)
        mark_destructive(self.remove_button)
        self.remove_button.setAccessibleName(self.tr("Aus der Auswahl entfernen"))
        self.remove_button.clicked.connect(self.remove_picked)
        self.picked = QListWidget(selection)
        self.picked.setAccessibleName(self.tr("Ausgewählt zum Einladen"))
        self.picked.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.pick_persons.toggled.connect(self._on_pick_kind)
        kinds = QHBoxLayout()
        kinds.addWidget(self.pick_persons)
        kinds.addWidget(self.pick_organisations)
        kinds.addStretch(1)
        pick_buttons = QHBoxLayout()
        pick_buttons.addWidget(self.add_button)
        pick_buttons.addWidget(self.remove_button)
        pick_buttons.addStretch(1)
        selection_layout = QVBoxLayout(selection)
        selection_layout.addLayout(kinds)
        selection_layout.addWidget(self.pick_panel, 3)
        selection_layout.addLayout(pick_buttons)
        picked_label = QLabel(self.tr("Ausge&wählt:"), selection)
        picked_label.setBuddy(self.picked)
        selection_layout.addWidget(picked_label)
        selection_layout.addWidget(self.picked, 1)
        self.tabs.addTab(selection, self.tr("&Einzeln"))

        # -- everyone
        everyone = QWidget(self.tabs)
        self.everyone = QCheckBox(
            self.tr(
                "Alle Personen (bei ihrer Hauptorganisation) und alle Organisationen ohne Ansprechperson"
            ),
            everyone,
        )
        self.everyone.setAccessibleName(self.tr("Alle einladen"))
        self.everyone.toggled.connect(self._schedule_preview)
        everyone_layout = QVBoxLayout(everyone)
        everyone_layout.addWidget(self.everyone)
        everyone_layout.addStretch(1)
        self.tabs.addTab(everyone, self.tr("&Alle"))

        self.preview_label = QLabel(self)
        self.preview_label.setAccessibleName(self.tr("Vorschau"))
        self.preview_label.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.invite_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.invite_button.setText(self.tr("Einladen"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Abbrechen"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.preview_label)
        layout.addWidget(self.buttons)

        self.preview: inviting.InvitePreview | None = None
        self._counter = Latest(self)
        self._counter.ready.connect(self._show_preview)
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_DEBOUNCE_MS)
        self._preview_timer.timeout.connect(self.update_preview)
        self.tabs.currentChanged.connect(self._schedule_preview)
        self.resize(900, 600)
        remember_geometry(self, "InviteDialog")
        # the first list has the focus: Space ticks, the arrows move (issue 17: only after Alt+K)
        self.categories.setFocus(Qt.FocusReason.OtherFocusReason)
        self.update_preview()

    # --- the choice ---------------------------------------------------------------------------------

    def choice(self) -> InviteChoice:
        """What the chosen tab says, read from the widgets (in the GUI thread)."""
        tab = self.tabs.currentIndex()
        if tab == self.TAB_FEATURES:
            return InviteChoice(
                inviting.InviteeFilter(
                    category_ids=checked_ids(self.categories),
                    municipality_ids=checked_ids(self.municipalities),
                    tag_ids=checked_ids(self.tags),
                )
            )
        if tab == self.TAB_FILTER:
            filter_id = self.saved_filter.currentData()
            info = next((f for f in self._filters if f.id == filter_id), None)
            return InviteChoice(None, info.filter if info is not None else None)
        if tab == self.TAB_EARLIER:
            other = self.earlier_year.currentData()
            return InviteChoice(
                inviting.InviteeFilter(from_year=int(other))
                if other is not None
                else inviting.InviteeFilter()
            )
        if tab == self.TAB_SELECTION:
            persons, organisations = self.picked_ids()
            return InviteChoice(inviting.InviteeFilter(person_ids=persons, organisation_ids=organisations))
        return InviteChoice(inviting.InviteeFilter(everyone=self.everyone.isChecked()))

    def picked_ids(self) -> tuple[list[int], list[int]]:
        persons: list[int] = []
        organisations: list[int] = []
        for i in range(self.picked.count()):
            kind, record_id = self.picked.item(i).data(Qt.ItemDataRole.UserRole)
            (persons if kind == "person" else organisations).append(int(record_id))
        return persons, organisations

    def _on_pick_kind(self, persons: bool) -> None:
        self.pick_model.set_source(PersonList() if persons else OrganisationList())
        self.pick_panel.table.setAccessibleName(self.tr("Adressen zur Auswahl"))

    def add_picked(self) -> None:
        """Add the rows selected in the address list to the selection (each once)."""
        kind = "person" if self.pick_persons.isChecked() else "organisation"
        have = {tuple(self.picked.item(i).data(Qt.ItemDataRole.UserRole)) for i in range(self.picked.count())}
        rows = sorted({i.row() for i in self.pick_panel.table.selectionModel().selectedRows()})
        for row in rows:
            record_id = self.pick_model.id_at(row)
            if (kind, record_id) in have:
                continue
            values = self.pick_model.row_values(row)
            if kind == "person":
                text = ", ".join(str(v) for v in values[:2] if v)
                if values[3]:
                    text += f" ({values[3]})"
            else:
                text = str(values[0]) + (f", {values[1]}" if values[1] else "")
            item = QListWidgetItem(text, self.picked)
            item.setData(Qt.ItemDataRole.UserRole, (kind, record_id))
        self._schedule_preview()

    def remove_picked(self) -> None:
        for item in self.picked.selectedItems():
            self.picked.takeItem(self.picked.row(item))
        self._schedule_preview()

    # --- preview and inviting ----------------------------------------------------------------------

    def _schedule_preview(self, *_args: object) -> None:
        self._preview_timer.start()

    def update_preview(self) -> None:
        """Count the matches in the background (100,000 persons take a second or two); the label says
        "wird gezählt …" meanwhile and ``preview_ready`` is emitted with the result."""
        self._preview_timer.stop()
        self.preview = None
        choice = self.choice()
        if choice.is_empty:
            self._counter.forget()
            self.preview_label.setText(self.tr("Bitte wählen, wer eingeladen werden soll."))
            self.invite_button.setEnabled(False)
            self.preview_ready.emit()
            return
        self.preview_label.setText(self.tr("Die Auswahl wird gezählt …"))
        self.invite_button.setEnabled(False)
        database, year = self._database, self.year

        def count() -> inviting.InvitePreview:
            with database.read_session() as s:
                return inviting.invite_preview(s, year, choice.resolve(s))

        self._counter.start(count)

    def _show_preview(self, outcome: object) -> None:
        if isinstance(outcome, UserError):
            self.preview_label.setText(outcome.message)
        elif isinstance(outcome, inviting.InvitePreview):
            self.preview = outcome
            self.preview_label.setText(
                self.tr("{0} passen zur Auswahl: {1} neu einzuladen, {2} stehen schon auf der Liste.").format(
                    format_count(outcome.matching), format_count(outcome.new), format_count(outcome.already)
                )
            )
            self.invite_button.setEnabled(outcome.new > 0)
        else:
            log.error("Vorschau der Einladung fehlgeschlagen: %r", outcome)
            self.preview_label.setText(self.tr("Die Auswahl konnte nicht gezählt werden."))
        self.preview_ready.emit()

    def accept(self) -> None:
        choice = self.choice()
        if choice.is_empty:
            return
        database, year = self._database, self.year

        def work(
            _progress: Callable[[int, int], None], _cancelled: Callable[[], bool]
        ) -> inviting.InviteResult:
            with database.read_session() as s:
                flt = choice.resolve(s)
            return inviting.invite(database, year, flt)

        try:
            result = run_task(
                self, self.tr("Einladen"), work, label=self.tr("Einladungsliste wird ergänzt …")
            )
        except UserError as exc:
            log.info("Nicht eingeladen: %s", exc)
            QMessageBox.warning(self, self.windowTitle(), exc.message)
            return
        self.result_counts = result
        QMessageBox.information(self, self.windowTitle(), result_text(result))
        super().accept()


@dataclass(frozen=True)
class InviteChoice:
    """The user's choice, free of widgets: a filter, or a saved registry filter resolved to ids later."""

    flt: inviting.InviteeFilter | None
    saved: RegistryFilter | None = None

    @property
    def is_empty(self) -> bool:
        return self.saved is None and (self.flt is None or self.flt.is_empty)

    def resolve(self, session: Session) -> inviting.InviteeFilter:
        if self.saved is None:
            return self.flt or inviting.InviteeFilter()
        ids = filter_ids(session, self.saved)
        if not ids:
            # a Verteiler that matches nobody invites nobody (an empty id list means "no restriction")
            return inviting.InviteeFilter(person_ids=[-1], organisation_ids=[-1])
        if self.saved.kind == "organisations":
            return inviting.InviteeFilter(organisation_ids=ids)
        return inviting.InviteeFilter(person_ids=ids)


def result_text(result: inviting.InviteResult) -> str:
    """ "12 eingeladen (vorgemerkt), 3 standen schon auf der Liste." """
    text = QCoreApplication.translate(
        "InviteDialog", "{0} eingeladen (vorgemerkt), {1} standen schon auf der Liste."
    )
    return text.format(format_count(result.invited), format_count(result.already))
