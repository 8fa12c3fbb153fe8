"""Long work off the GUI thread, with a progress dialog and Cancel.

``run_task(parent, title, work)`` runs ``work(progress, cancelled)`` in Qt's thread pool while a modal
QProgressDialog shows ``progress(done, total)`` and offers Abbrechen; the window keeps repainting. The
core's long operations (import, export, letters, backups) all take these two callbacks; a cancelled unit
of work raises UserError inside its transaction, so nothing is stored. Writes are serialised by one lock.
The work runs in a copy of the caller's context (``contextvars``), so ``AppContext.run`` around
``run_task`` sees what the background units of work wrote (``Database.track``) and announces it.
"""

from __future__ import annotations

import contextvars
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QEventLoop, QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressBar, QProgressDialog, QWidget

T = TypeVar("T")
Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]

#: one writer at a time from this process (SQLite allows one anyway; it keeps the order predictable)
WRITE_LOCK = threading.Lock()


class _Signals(QObject):
    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(object)


class Task(QRunnable):
    """A QRunnable that reports progress, result and exception through Qt signals."""

    def __init__(self, work: Callable[[Progress, Cancelled], Any]) -> None:
        super().__init__()
        self.work = work
        self.signals = _Signals()
        self.cancel_requested = threading.Event()
        #: the creating thread's context: what it tracks, the work's units of work report to
        self.context = contextvars.copy_context()

    def run(self) -> None:
        self.context.run(self._run)

    def _run(self) -> None:
        try:
            with WRITE_LOCK:
                result = self.work(self.signals.progress.emit, self.cancel_requested.is_set)
        except BaseException as exc:  # handed to the GUI thread, which shows or re-raises it
            self.signals.failed.emit(exc)
        else:
            self.signals.finished.emit(result)


def run_task(
    parent: QWidget | None,
    title: str,
    work: Callable[[Progress, Cancelled], T],
    *,
    label: str = "",
    minimum_duration_ms: int = 400,
) -> T:
    """Run ``work`` in the background with a progress dialog; return its result or raise its exception."""
    task = Task(work)
    dialog = QProgressDialog(label or title, parent.tr("Abbrechen") if parent else "Abbrechen", 0, 0, parent)
    dialog.setWindowTitle(title)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setMinimumDuration(minimum_duration_ms)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    dialog.setAccessibleName(title)
    bar = QProgressBar(dialog)
    bar.setFormat(parent.tr("%v von %m") if parent else "%v von %m")  # "12 von 81", not only a percentage
    dialog.setBar(bar)
    outcome: dict[str, Any] = {}
    loop = QEventLoop()

    def on_progress(done: int, total: int) -> None:
        if total > 0:
            dialog.setMaximum(total)
            dialog.setValue(min(done, total))

    def on_finished(result: object) -> None:
        outcome["result"] = result
        loop.quit()

    def on_failed(exc: object) -> None:
        outcome["error"] = exc
        loop.quit()

    task.signals.progress.connect(on_progress, Qt.ConnectionType.QueuedConnection)
    task.signals.finished.connect(on_finished, Qt.ConnectionType.QueuedConnection)
    task.signals.failed.connect(on_failed, Qt.ConnectionType.QueuedConnection)
    dialog.canceled.connect(task.cancel_requested.set)
    QThreadPool.globalInstance().start(task)
    loop.exec()
    dialog.close()
    dialog.deleteLater()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]  # type: ignore[no-any-return]  # the worker's result, of the type T of its callable


class _Job(QRunnable):
    def __init__(self, work: Callable[[], object], generation: int, signals: _LatestSignals) -> None:
        super().__init__()
        self.work = work
        self.generation = generation
        self.signals = signals

    def run(self) -> None:
        outcome: object
        try:
            outcome = self.work()
        except Exception as exc:  # handed to the GUI thread: a UserError is shown, anything else logged
            outcome = exc
        self.signals.done.emit(self.generation, outcome)


class _LatestSignals(QObject):
    done = Signal(int, object)


class Latest(QObject):
    """Read-only work off the GUI thread where only the newest request counts (a count, a recipient list):
    ``start(work)`` runs ``work()`` in Qt's thread pool; ``ready`` is emitted on the GUI thread with its
    result (or the exception it raised) unless a newer ``start`` came meanwhile. ``busy`` while one runs."""

    ready = Signal(object)
    busy: bool

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._generation = 0
        self._signals = _LatestSignals()
        self._signals.done.connect(self._done, Qt.ConnectionType.QueuedConnection)
        self.busy = False

    def start(self, work: Callable[[], object]) -> None:
        self._generation += 1
        self.busy = True
        QThreadPool.globalInstance().start(_Job(work, self._generation, self._signals))

    def forget(self) -> None:
        """Drop the result of the work running now (the request it answers is gone)."""
        self._generation += 1
        self.busy = False

    def _done(self, generation: int, outcome: object) -> None:
        if generation != self._generation:
            return  # superseded: a newer result is on its way
        self.busy = False
        self.ready.emit(outcome)
