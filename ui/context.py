"""What every window part shares: the open database, the undo stack, and the "data changed" signal.

Widgets never keep a Session. A change the user makes is a small operation that calls a service of the
core (one unit of work) and then announces which kind of data changed with ``announce()``; every list
that shows that kind refreshes itself (``LazyTableModel.refresh``). Edits that the user expects to undo go
on ``undo_stack`` as commands (see ``push_change``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from konferenz.storage.db import Database

#: kinds of data announced by operations; lists subscribe to the kinds they show
PERSONS = "persons"
ORGANISATIONS = "organisations"
CONFERENCES = "conferences"
INVITATIONS = "invitations"
AGENDA = "agenda"
MINUTES = "minutes"
RECOMMENDATIONS = "recommendations"


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

    def push_change(
        self,
        text: str,
        redo: Callable[[], object],
        undo: Callable[[], object],
        kinds: Iterable[str],
        *,
        already_done: bool = True,
    ) -> None:
        """Put a change on the undo stack (Strg+Z / Strg+Umschalt+Z).

        ``redo`` and ``undo`` call services; with ``already_done`` the change was made already, so pushing
        does not run ``redo`` a second time.
        """
        self.undo_stack.push(
            _Change(self, text, redo=redo, undo=undo, kinds=frozenset(kinds), skip_first_redo=already_done)
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
        else:
            self._redo()
        self._ctx.data_changed.emit(self._kinds)

    def undo(self) -> None:
        self._undo()
        self._ctx.data_changed.emit(self._kinds)
