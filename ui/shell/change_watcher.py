"""Refresh the lists when another user changed data: on a timer and when the window gets the focus back.

Only the kinds that changed are announced (``AppContext.announce``); a list whose ids stay the same only
refetches its visible rows, so nothing flickers and the selection stays.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QGuiApplication

from konferenz.storage.changes import Fingerprints, changed_kinds, fingerprints
from ui.context import AppContext

log = logging.getLogger(__name__)
INTERVAL_MS = 30_000


class ChangeWatcher(QObject):
    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._last: Fingerprints | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self.check)
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.applicationStateChanged.connect(self._on_state)
        # our own changes are announced already; take them into the fingerprint without a second refresh
        ctx.data_changed.connect(self._forget)
        ctx.database_changed.connect(self._forget)

    def start(self) -> None:
        self._last = self._read()
        self.timer.start()

    def _read(self) -> Fingerprints | None:
        try:
            with self.ctx.database.read_connection() as session:
                return fingerprints(session)
        except Exception:  # a lost network share must not break the window; the next check tries again
            log.warning("Änderungen anderer Arbeitsplätze konnten nicht geprüft werden", exc_info=True)
            return None

    def _forget(self, *_args: object) -> None:
        self._last = None
        QTimer.singleShot(0, self._remember)

    def _remember(self) -> None:
        if self._last is None:
            self._last = self._read()

    def _on_state(self, state: Qt.ApplicationState) -> None:
        # before ``start`` there is nothing to compare with (the window becomes active when first shown)
        if state == Qt.ApplicationState.ApplicationActive and self.timer.isActive():
            self.check()

    def check(self) -> frozenset[str]:
        """Announce the kinds of data that changed since the last check; returns them."""
        now = self._read()
        if now is None:
            return frozenset()
        before, self._last = self._last, now
        if before is None:
            return frozenset()
        kinds = changed_kinds(before, now)
        if kinds:
            self.ctx.data_changed.disconnect(self._forget)
            try:
                self.ctx.announce(*kinds)
            finally:
                self.ctx.data_changed.connect(self._forget)
        return kinds
