"""Status bar note "Auch geöffnet von: …" while another program has the same database file open."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QWidget

from konferenz.storage.db import Database
from konferenz.storage.presence import PresenceMarker

HEARTBEAT_MS = 60_000


class PresenceIndicator(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Weitere Benutzer dieser Datenbank"))
        self.marker: PresenceMarker | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(HEARTBEAT_MS)
        self.timer.timeout.connect(self.refresh)
        self.hide()

    def attach(self, database: Database) -> None:
        """Announce ourselves for ``database`` (a SQLite file) and show who else is there."""
        self.detach()
        if database.backend != "sqlite" or not database.url.database:
            return
        self.marker = PresenceMarker(Path(database.url.database))
        self.marker.register()
        self.timer.start()
        self.refresh()

    def detach(self) -> None:
        self.timer.stop()
        if self.marker is not None:
            self.marker.unregister()
            self.marker = None
        self.setText("")
        self.hide()

    def refresh(self) -> None:
        if self.marker is None:
            return
        self.marker.heartbeat()
        others = self.marker.others()
        if others:
            self.setText(self.tr("Auch geöffnet von: {0}").format("; ".join(p.text for p in others)))
            self.setToolTip(
                self.tr(
                    "Diese Datenbank ist noch an anderen Arbeitsplätzen geöffnet. Änderungen sind sicher: "
                    "wer einen inzwischen geänderten Eintrag speichert, bekommt eine Meldung."
                )
            )
            self.show()
        else:
            self.setText("")
            self.hide()
