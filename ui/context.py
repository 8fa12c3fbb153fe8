"""What every window part shares: the open database, the undo stack, and the "data changed" signal.

Widgets never keep a Session. A change the user makes is one call of a service of the core (one unit of
work), made through ``run()``: the units of work say what they wrote (``Database.track``, tables mapped to
kinds of data in ``konferenz.storage.changes``) and ``run()`` announces those kinds; every list that shows
a kind refreshes itself (``LazyTableModel.refresh``). Widgets do not guess kinds. Edits that the user
expects to undo go on ``undo_stack`` as commands (see ``push_change``), whose redo and undo announce the
same way. ``announce()`` stays for changes the program did not make itself (other users', seen by the
change watcher).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from konferenz.storage.changes import Changes
from konferenz.storage.db import Database

T = TypeVar("T")


class AppContext(QObject):
    """Shared state of one main window."""

    #: the kinds of data (see module constants) that changed
    data_changed = Signal(frozenset)
    #: another database was opened
    database_changed = Signal()
    #: a short German line for the window's status bar ("Gespeichert: …", "Rückgängig gemacht: …")
    message = Signal(str)

    def __init__(self, database: Database, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._database = database
        self.undo_stack = QUndoStack(self)
        #: the tracked blocks running now (innermost last) and the kinds the last one announced
        self._tracking: list[Changes] = []
        self._last_kinds: frozenset[str] = frozenset()

    @property
    def database(self) -> Database:
        return self._database

    def set_database(self, database: Database) -> None:
        self._database = database
        self.undo_stack.clear()  # commands refer to records of the old database
        self.database_changed.emit()

    def tell(self, text: str) -> None:
        """Say in the status bar what just happened (the window shows it for a few seconds)."""
        self.message.emit(text)

    def announce(self, *kinds: str) -> None:
        self.data_changed.emit(frozenset(kinds))

    def run(self, operation: Callable[[], T]) -> T:
        """Carry out one user action (a call of the core) and announce what its units of work committed,
        also when it fails halfway (what was committed before the failure is shown)."""
        with self.announcing():
            return operation()

    @contextlib.contextmanager
    def announcing(self) -> Iterator[Changes]:
        """``run()`` as a block: a user action of several steps (or a dialog that saves) announces, when the
        block ends, what its units of work committed."""
        changes: Changes | None = None
        try:
            with self._database.track() as changes:
                self._tracking.append(changes)
                yield changes
        finally:
            if changes is not None:
                self._tracking.remove(changes)
                self._last_kinds = changes.kinds
                if changes.kinds:
                    self.data_changed.emit(changes.kinds)

    def push_change(
        self,
        text: str,
        redo: Callable[[], object],
        undo: Callable[[], object],
        kinds: Iterable[str] | None = None,
        *,
        already_done: bool = True,
    ) -> None:
        """Put a change on the undo stack (Strg+Z / Strg+Umschalt+Z).

        ``redo`` and ``undo`` call services; with ``already_done`` the change was made already (through
        ``run()``, which announced it), so pushing does not run ``redo`` a second time. Undo and redo announce
        what they write, and at least what the change itself wrote (so a step that fails because another
        workplace changed the record still shows the stored state); ``kinds`` names those kinds instead.
        """
        given = frozenset(kinds) if kinds is not None else None
        base: frozenset[str] = frozenset()
        if given is not None:
            base = given
        elif already_done:  # made by the action running now (or the one just finished)
            base = self._tracking[-1].kinds if self._tracking else self._last_kinds
        if already_done:
            self.tell(self.tr("Gespeichert: {0}").format(text))
        self.undo_stack.push(
            _Change(
                self,
                text,
                redo=redo,
                undo=undo,
                kinds=base,
                announce_first_redo=given is not None and already_done,
                skip_first_redo=already_done,
            )
        )


class _Change(QUndoCommand):
    def __init__(
        self,
        ctx: AppContext,
        text: str,
        *,
        redo: Callable[[], object],
        undo: Callable[[], object],
        kinds: frozenset[str],
        announce_first_redo: bool,
        skip_first_redo: bool,
    ) -> None:
        super().__init__(text)
        self._ctx = ctx
        self._redo = redo
        self._undo = undo
        #: at least these kinds are announced by every undo and redo
        self._kinds = kinds
        self._announce_first = announce_first_redo
        self._skip = skip_first_redo

    def redo(self) -> None:
        if self._skip:
            self._skip = False
            if self._announce_first:
                self._ctx.data_changed.emit(self._kinds)
            return
        self._carry_out(self._redo)
        self._ctx.tell(self._ctx.tr("Wiederholt: {0}").format(self.text()))

    def undo(self) -> None:
        self._carry_out(self._undo)
        self._ctx.tell(self._ctx.tr("Rückgängig gemacht: {0}").format(self.text()))

    def _carry_out(self, operation: Callable[[], object]) -> None:
        changes: Changes | None = None
        try:
            with self._ctx.database.track() as changes:
                operation()
        finally:
            written = changes.kinds if changes is not None else frozenset()
            self._kinds = self._kinds | written  # a redo after an undo announces the same
            if self._kinds:
                self._ctx.data_changed.emit(self._kinds)
