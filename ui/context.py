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

from collections.abc import Callable, Iterable
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

    def __init__(self, database: Database, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._database = database
        self.undo_stack = QUndoStack(self)

    @property
    def database(self) -> Database:
        return self._database

    def set_database(self, database: Database) -> None:
        self._database = database
        self.undo_stack.clear()  # commands refer to records of the old database
        self.database_changed.emit()

    def announce(self, *kinds: str) -> None:
        self.data_changed.emit(frozenset(kinds))

    def run(self, operation: Callable[[], T]) -> T:
        """Carry out one user action (a call of the core) and announce what its units of work committed,
        also when it fails halfway (what was committed before the failure is shown)."""
        changes: Changes | None = None
        try:
            with self._database.track() as changes:
                return operation()
        finally:
            if changes is not None and changes.kinds:
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
        what they wrote; ``kinds`` (old style) announces those kinds instead.
        """
        self.undo_stack.push(
            _Change(
                self,
                text,
                redo=redo,
                undo=undo,
                kinds=frozenset(kinds) if kinds is not None else None,
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
        kinds: frozenset[str] | None,
        skip_first_redo: bool,
    ) -> None:
        super().__init__(text)
        self._ctx = ctx
        self._redo = redo
        self._undo = undo
        self._kinds = kinds
        self._skip = skip_first_redo

    def redo(self) -> None:
        if self._skip:
            self._skip = False
            if self._kinds is not None:
                self._ctx.data_changed.emit(self._kinds)
            return
        self._carry_out(self._redo)

    def undo(self) -> None:
        self._carry_out(self._undo)

    def _carry_out(self, operation: Callable[[], object]) -> None:
        if self._kinds is None:
            self._ctx.run(operation)
            return
        operation()
        self._ctx.data_changed.emit(self._kinds)
