"""Bearbeiten → Dubletten suchen …: duplicate groups of persons and of organisations over the whole
registry, and merging a pair.

``find_duplicates(ctx, parent)`` runs ``konferenz.registry.scan.find_all_duplicates`` in the background
(``run_task``: progress dialog with Abbrechen; 100,000 persons take a few seconds) and opens the dialog:

- top: "Personen" or "Organisationen" (``konferenz.registry.scan.find_all_organisation_duplicates``);
- left: the groups ("Ayşe Öztürk · 3 Personen · gleiche E-Mail-Adresse · sicher"), certain ones first,
  with the reason of the rule table (``konferenz.registry.evidence``); "Nur sichere Dubletten" hides the
  others;
- right: the persons of the chosen group (fetched when the group is chosen, so 100,000 persons in
  thousands of groups cost nothing up front);
- "Zusammenführen …" with two persons selected (or a group of two) opens the merge dialog; after the
  merge the dropped person leaves the group. "In der Liste zeigen" selects the person in the Adressen area.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal, cast

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from konferenz.errors import UserError
from konferenz.lists.registry import OrganisationList, PersonList
from konferenz.lists.source import format_count, read_rows
from konferenz.registry.reads import DuplicateScan, scan_registry
from konferenz.registry.scan import DuplicateGroup
from ui.addresses.merge_dialog import MergeDialog
from ui.context import AppContext
from ui.widgets.geometry import remember_geometry
from ui.widgets.tasks import run_task

#: columns of the person table (indexes into ``PersonList.columns``)
_SHOWN_COLUMNS = (0, 1, 3, 6, 7)
#: columns of the organisation table (indexes into ``OrganisationList.columns``)
_SHOWN_ORG_COLUMNS = (0, 1, 4, 5, 7)


class DuplicatesDialog(QDialog):
    """The duplicate groups of the registry; merge a pair."""

    #: the user wants to see this person in the Adressen area
    show_person = Signal(int)

    def __init__(self, ctx: AppContext, scan: DuplicateScan, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.scan = scan
        self.setWindowTitle(self.tr("Dubletten"))
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.kind = QComboBox(self)
        self.kind.addItem(self.tr("Personen"), "person")
        self.kind.addItem(self.tr("Organisationen"), "organisation")
        self.kind.setAccessibleName(self.tr("Dubletten von Personen oder von Organisationen zeigen"))
        self.certain_only = QCheckBox(self.tr("Nur &sichere Dubletten"), self)
        self.certain_only.setAccessibleName(self.tr("Nur sichere Dubletten zeigen"))
        self.groups = QListWidget(self)
        self.groups.setAccessibleName(self.tr("Gruppen möglicher Dubletten"))
        self.persons = QTableWidget(0, len(_SHOWN_COLUMNS) + 1, self)
        self.persons.setAccessibleName(self.tr("Datensätze der gewählten Gruppe"))
        self.persons.verticalHeader().hide()
        self.persons.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.persons.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.persons.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.persons.setTabKeyNavigation(False)
        self.persons.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.persons.horizontalHeader().setStretchLastSection(True)
        self.pair_label = QLabel(self)
        self.pair_label.setWordWrap(True)

        self.merge_button = QPushButton(self.tr("&Zusammenführen …"), self)
        self.merge_button.setAccessibleName(self.tr("Die zwei gewählten Personen zusammenführen"))
        self.show_button = QPushButton(self.tr("In der &Liste zeigen"), self)
        self.show_button.setAccessibleName(self.tr("Die gewählte Person in der Adressliste zeigen"))
        self.rescan_button = QPushButton(self.tr("&Neu suchen"), self)
        self.rescan_button.setAccessibleName(self.tr("Neu nach Dubletten suchen"))
        self.close_button = QPushButton(self.tr("Schließen"), self)
        self.close_button.setAccessibleName(self.tr("Schließen"))
        buttons = QDialogButtonBox(self)
        buttons.addButton(self.merge_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.show_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.rescan_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.RejectRole)

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        groups_label = QLabel(self.tr("&Gruppen:"), left)
        groups_label.setBuddy(self.groups)
        left_layout.addWidget(groups_label)
        left_layout.addWidget(self.groups, 1)
        left_layout.addWidget(self.certain_only)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        self.persons_label = persons_label = QLabel(right)
        persons_label.setBuddy(self.persons)
        right_layout.addWidget(persons_label)
        right_layout.addWidget(self.persons, 1)
        right_layout.addWidget(self.pair_label)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        kind_label = QLabel(self.tr("&Art:"), self)
        kind_label.setBuddy(self.kind)
        top.addWidget(kind_label)
        top.addWidget(self.kind)
        top.addWidget(self.summary, 1)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(buttons)
        layout.addLayout(bottom)

        self.groups.currentRowChanged.connect(self._on_group_chosen)
        self.persons.itemSelectionChanged.connect(self._update_buttons)
        self.persons.itemDoubleClicked.connect(lambda _item: self.show_selected())
        self.certain_only.toggled.connect(lambda _on: self._fill_groups())
        self.kind.currentIndexChanged.connect(lambda _i: self._on_kind_changed())
        self.merge_button.clicked.connect(self.merge_selected)
        self.show_button.clicked.connect(self.show_selected)
        self.rescan_button.clicked.connect(self.rescan)
        self.close_button.clicked.connect(self.reject)

        em = self.fontMetrics().horizontalAdvance("M")
        self.resize(80 * em, 34 * self.fontMetrics().height())
        splitter.setSizes([36 * em, 44 * em])
        remember_geometry(self, "Dubletten")
        self._on_kind_changed()

    # --- kind -------------------------------------------------------------------------------------------

    def is_organisations(self) -> bool:
        return bool(self.kind.currentData() == "organisation")

    def set_kind(self, kind: str) -> None:
        """Show the groups of "person" or "organisation"."""
        self.kind.setCurrentIndex(self.kind.findData(kind))

    def _scan_groups(self) -> list[DuplicateGroup]:
        return self.scan.organisation_groups if self.is_organisations() else self.scan.groups

    def _heads(self) -> dict[int, str]:
        return self.scan.organisation_heads if self.is_organisations() else self.scan.heads

    def _on_kind_changed(self) -> None:
        orgs = self.is_organisations()
        source = OrganisationList if orgs else PersonList
        shown = _SHOWN_ORG_COLUMNS if orgs else _SHOWN_COLUMNS
        self.persons.setColumnCount(len(shown) + 1)
        self.persons.setHorizontalHeaderLabels([self.tr("Nr.")] + [source.columns[c].header for c in shown])
        self.persons_label.setText(
            self.tr("&Organisationen der Gruppe (zwei auswählen):")
            if orgs
            else self.tr("&Personen der Gruppe (zwei auswählen):")
        )
        self.merge_button.setAccessibleName(
            self.tr("Die zwei gewählten Organisationen zusammenführen")
            if orgs
            else self.tr("Die zwei gewählten Personen zusammenführen")
        )
        self._fill_groups()

    # --- groups -----------------------------------------------------------------------------------------

    def shown_groups(self) -> list[DuplicateGroup]:
        return [self.groups.item(r).data(Qt.ItemDataRole.UserRole) for r in range(self.groups.count())]

    def _fill_groups(self) -> None:
        previous = self.current_group()
        self.groups.blockSignals(True)
        try:
            self.groups.clear()
            heads = self._heads()
            pattern = (
                self.tr("{0} · {1} Organisationen · {2} · {3}")
                if self.is_organisations()
                else self.tr("{0} · {1} Personen · {2} · {3}")
            )
            for number, group in enumerate(self._scan_groups(), start=1):
                if self.certain_only.isChecked() and not group.certain:
                    continue
                head = heads.get(group.person_ids[0], "")
                sure = self.tr("sicher") if group.certain else self.tr("möglich")
                text = pattern.format(
                    head or self.tr("Gruppe {0}").format(number), len(group.person_ids), group.reason, sure
                )
                item = QListWidgetItem(text, self.groups)
                item.setData(Qt.ItemDataRole.UserRole, group)
                item.setToolTip(text)
        finally:
            self.groups.blockSignals(False)
        groups = self._scan_groups()
        certain = sum(1 for g in groups if g.certain)
        members = sum(len(g.person_ids) for g in groups)
        summary = (
            self.tr("{0} Gruppen mit {1} Organisationen, davon {2} sichere Gruppen.")
            if self.is_organisations()
            else self.tr("{0} Gruppen mit {1} Personen, davon {2} sichere Gruppen.")
        )
        self.summary.setText(
            summary.format(format_count(len(groups)), format_count(members), format_count(certain))
            if groups
            else self.tr("Keine Dubletten gefunden.")
        )
        index = 0
        if previous is not None:
            for row in range(self.groups.count()):
                if self.groups.item(row).data(Qt.ItemDataRole.UserRole) is previous:
                    index = row
        if self.groups.count():
            self.groups.setCurrentRow(index)
        else:
            self._on_group_chosen(-1)

    def current_group(self) -> DuplicateGroup | None:
        item = self.groups.currentItem()
        return cast(
            "DuplicateGroup | None", item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        )

    def _on_group_chosen(self, _row: int) -> None:
        group = self.current_group()
        self.persons.setRowCount(0)
        if group is not None:
            orgs = self.is_organisations()
            source = OrganisationList() if orgs else PersonList()
            shown = _SHOWN_ORG_COLUMNS if orgs else _SHOWN_COLUMNS
            rows = read_rows(self.ctx.database, source, group.person_ids)
            ids = [pid for pid in group.person_ids if pid in rows]
            self.persons.setRowCount(len(ids))
            for r, pid in enumerate(ids):
                values = rows[pid]
                number = QTableWidgetItem(str(pid))
                number.setData(Qt.ItemDataRole.UserRole, pid)
                number.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.persons.setItem(r, 0, number)
                for c, column in enumerate(shown, start=1):
                    item = QTableWidgetItem(str(values[column]))
                    item.setData(Qt.ItemDataRole.UserRole, pid)
                    self.persons.setItem(r, c, item)
            if len(ids) == 2:
                self.persons.selectAll()
        self._update_buttons()

    # --- persons ----------------------------------------------------------------------------------------

    def selected_ids(self) -> list[int]:
        rows = sorted({index.row() for index in self.persons.selectedIndexes()})
        items = [self.persons.item(r, 0) for r in rows]
        return [int(item.data(Qt.ItemDataRole.UserRole)) for item in items if item is not None]

    def _update_buttons(self) -> None:
        ids = self.selected_ids()
        self.merge_button.setEnabled(len(ids) == 2)
        self.show_button.setEnabled(len(ids) >= 1 and not self.is_organisations())
        group = self.current_group()
        if len(ids) == 2 and group is not None:
            pair = set(ids)
            link = next((lk for lk in group.links if {lk.a, lk.b} == pair), None)
            self.pair_label.setText(
                self.tr("Diese beiden: {0}").format(link.reason)
                if link is not None
                else self.tr("Diese beiden sind über andere Personen der Gruppe verbunden.")
            )
        elif group is not None:
            self.pair_label.setText(
                self.tr("Zwei Datensätze auswählen (Strg+Klick oder Umschalt+Pfeiltaste).")
            )
        else:
            self.pair_label.clear()

    def show_selected(self) -> None:
        ids = self.selected_ids()
        if ids and not self.is_organisations():
            self.show_person.emit(ids[0])

    def merge_selected(self) -> MergeDialog | None:
        """Open the merge dialog for the two selected records (the first one stays by default)."""
        ids = self.selected_ids()
        if len(ids) != 2:
            return None
        try:
            kind: Literal["person", "organisation"] = "organisation" if self.is_organisations() else "person"
            dialog = MergeDialog(self.ctx, kind, ids[0], ids[1], self)
        except UserError as exc:
            QMessageBox.warning(self, self.windowTitle(), exc.message)
            return None
        dialog.accepted.connect(lambda: self._after_merge(dialog))
        dialog.open()
        return dialog

    def _after_merge(self, dialog: MergeDialog) -> None:
        dropped = dialog.drop_id
        groups = self._scan_groups()
        for group in list(groups):
            if dropped in group.person_ids:
                group.person_ids = [p for p in group.person_ids if p != dropped]
                group.links = [lk for lk in group.links if dropped not in (lk.a, lk.b)]
                if len(group.person_ids) < 2 or not group.links:
                    groups.remove(group)
        self._fill_groups()

    def rescan(self) -> None:
        try:
            self.scan = run_task(
                self, self.tr("Dubletten suchen"), lambda p, c: scan_registry(self.ctx.database, p, c)
            )
        except UserError as exc:
            QMessageBox.information(self, self.windowTitle(), exc.message)
            return
        self._fill_groups()


def find_duplicates(
    ctx: AppContext, parent: QWidget | None, on_show_person: Callable[[int], None] | None = None
) -> DuplicatesDialog | None:
    """Search the whole registry in the background, then show the groups (non-modal)."""
    title = QCoreApplication.translate("DuplicatesDialog", "Dubletten suchen")
    try:
        scan = run_task(
            parent,
            title,
            lambda progress, cancelled: scan_registry(ctx.database, progress, cancelled),
            label=QCoreApplication.translate(
                "DuplicatesDialog", "Alle Personen und Organisationen werden verglichen …"
            ),
        )
    except UserError as exc:
        QMessageBox.information(parent, title, exc.message)
        return None
    dialog = DuplicatesDialog(ctx, scan, parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if on_show_person is not None:
        dialog.show_person.connect(on_show_person)
    dialog.show()
    return dialog
