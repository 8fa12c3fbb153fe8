"""Work the window does while the user pauses: never between two keystrokes.

``Idle(parent, pause_ms)``: ``note()`` marks activity (the window connects each list's ``loaded``: a
search, a refresh); ``later(work, delay_ms)`` runs ``work`` after ``delay_ms`` – or, while something was
noted less than ``pause_ms`` ago, as soon as that pause is over. The main window builds its hidden areas
and detail panes (up to 130 ms each, mostly imports) and takes the change watcher's first reading (tens of
ms on 100,000 persons) this way, so none of it falls between two keystrokes of someone typing a search.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer


class Idle(QObject):
    def __init__(self, parent: QObject, pause_ms: int) -> None:
        super().__init__(parent)
        self.pause_ms = pause_ms
        self._last = 0.0  # time.monotonic() of the last activity

    def note(self) -> None:
        self._last = time.monotonic()

    def later(self, work: Callable[[], None], delay_ms: int = 0) -> None:
        QTimer.singleShot(delay_ms, self, lambda: self._when_paused(work))

    def _when_paused(self, work: Callable[[], None]) -> None:
        busy_ms = self.pause_ms - (time.monotonic() - self._last) * 1000
        if busy_ms > 0:
            self.later(work, max(1, round(busy_ms)))
        else:
            work()
