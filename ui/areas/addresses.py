"""Adressen: persons and organisations (tabs)."""

from __future__ import annotations

from PySide6.QtWidgets import QTabWidget, QWidget

from ui.context import AppContext
from ui.list_panel import ListPanel


class AddressArea(QTabWidget):
    """The address register: tabs Personen and Organisationen."""

    def __init__(
        self, ctx: AppContext, persons: ListPanel, organisations: ListPanel, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setAccessibleName(self.tr("Adressen"))
        self.tabBar().setAccessibleName(self.tr("Adressen: Personen oder Organisationen"))
        self.persons = persons
        self.organisations = organisations
        self.addTab(persons, self.tr("&Personen"))
        self.addTab(organisations, self.tr("&Organisationen"))
        self.setDocumentMode(True)

    def current_panel(self) -> ListPanel:
        widget = self.currentWidget()
        return widget if isinstance(widget, ListPanel) else self.persons

    def focus_search(self) -> None:
        self.current_panel().focus_search()
