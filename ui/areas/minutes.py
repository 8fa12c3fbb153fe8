"""Protokoll: the minutes of the chosen conference."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from ui.context import AppContext
from ui.list_panel import ConferenceListPanel


class MinutesArea(QWidget):
    """Protokoll area."""

    def __init__(self, ctx: AppContext, panel: ConferenceListPanel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.panel = panel
        self.setAccessibleName(self.tr("Protokoll"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(panel)

    def focus_search(self) -> None:
        self.panel.focus_search()
