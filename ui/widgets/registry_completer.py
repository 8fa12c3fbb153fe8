"""Picking persons and organisations from the address register while typing.

``RegistryCompleter`` attaches to a QLineEdit: a short pause after typing two or more letters, it searches
the register the way the address lists do (``konferenz.lists.registry.PersonList`` / ``OrganisationList``: every
word must occur, "ozturk" finds "Öztürk") and offers the first matches in the completer's popup. The
field stays free text; ``chosen_id`` is the record of the last completion taken, and is forgotten as soon
as the text no longer shows it.

With ``multiple=True`` the field holds a list separated by "; " (speakers of a podium) and only the part
after the last separator is completed.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QStringListModel, Qt, QTimer, Signal
from PySide6.QtWidgets import QCompleter, QLineEdit

from konferenz.lists.registry import OrganisationList, PersonList
from konferenz.lists.source import read_matches
from konferenz.storage.db import Database

#: matches offered at most
LIMIT = 12
MIN_CHARS = 2
DEBOUNCE_MS = 200
SEPARATOR = "; "

Index = QModelIndex | QPersistentModelIndex


def person_matches(database: Database, text: str, limit: int = LIMIT) -> list[tuple[int, str]]:
    """(id, "Dr. Şeyma Çelik (Stadt Bocholt)") of the persons matching ``text``."""
    source = PersonList()
    ids, rows = read_matches(database, source, text, limit)
    result = []
    for pid in ids:
        name, first, title, organisation, *_rest = rows[pid]
        display = " ".join(str(p) for p in (title, first, name) if p)
        if organisation:
            display += f" ({organisation})"
        result.append((pid, display))
    return result


def organisation_matches(database: Database, text: str, limit: int = LIMIT) -> list[tuple[int, str]]:
    """(id, "Jobcenter Kreis Borken, Abteilung") of the organisations matching ``text``."""
    source = OrganisationList()
    ids, rows = read_matches(database, source, text, limit)
    return [(oid, ", ".join(str(p) for p in rows[oid][:2] if p)) for oid in ids]


Finder = Callable[[Database, str], list[tuple[int, str]]]


class RegistryCompleter(QCompleter):
    """Completion from the register for one line edit (see the module docstring)."""

    #: a completion was taken: its record's id (None: a text without a record)
    picked = Signal(object)

    def __init__(
        self,
        field: QLineEdit,
        database: Callable[[], Database],
        finder: Finder = person_matches,
        *,
        multiple: bool = False,
    ) -> None:
        super().__init__(field)
        self._field = field
        self._database = database
        self._finder = finder
        self._multiple = multiple
        self._ids: dict[str, int] = {}
        self._chosen: tuple[int, str] | None = None
        self.matches = QStringListModel(self)
        self.setModel(self.matches)
        # the register search matched already (folded spellings): show its result unfiltered
        self.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setMaxVisibleItems(LIMIT)
        field.setCompleter(self)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.search_now)
        field.textEdited.connect(self._timer.start)
        self.activated[QModelIndex].connect(self._on_activated)  # type: ignore[index]  # overloaded signal

    # --- what the field holds ----------------------------------------------------------------------------

    def current_part(self) -> str:
        text = self._field.text()
        if self._multiple:
            text = text.rsplit(";", 1)[-1]
        return text.strip()

    @property
    def chosen_id(self) -> int | None:
        """The register record of the completion taken, while the field still shows it."""
        if self._chosen is None:
            return None
        record_id, text = self._chosen
        return record_id if text in self._field.text() else None

    def set_chosen(self, record_id: int | None, text: str) -> None:
        """Show a record chosen earlier (editing a saved value)."""
        self._field.setText(text)
        self._chosen = (record_id, text) if record_id is not None else None

    # --- searching ----------------------------------------------------------------------------------------

    def search_now(self) -> None:
        """Search the register for the part being typed and show the matches."""
        self._timer.stop()
        part = self.current_part()
        if len(part) < MIN_CHARS:
            self.matches.setStringList([])
            return
        found = self._finder(self._database(), part)
        self._ids = {text: record_id for record_id, text in found}
        self.matches.setStringList([text for _id, text in found])
        if found and self._field.hasFocus():
            self.complete()

    def splitPath(self, path: str) -> list[str]:
        return [path.rsplit(";", 1)[-1].strip()] if self._multiple else [path]

    def pathFromIndex(self, index: Index) -> str:
        text = str(index.data())
        if not self._multiple:
            return text
        before = self._field.text().rsplit(";", 1)
        return f"{before[0].rstrip()}{SEPARATOR}{text}" if len(before) == 2 else text

    def _on_activated(self, index: QModelIndex) -> None:
        text = str(index.data())
        record_id = self._ids.get(text)
        self._chosen = (record_id, text) if record_id is not None else None
        # the field's text changed before (QCompleter sets it first): who shows the choice follows now
        self.picked.emit(record_id)
        if not self._multiple:
            # a long name shows its beginning, not its end (issue 17); the whole name is the tooltip
            QTimer.singleShot(0, self._field, lambda: self._show_start(text))  # not once the field is gone

    def _show_start(self, text: str) -> None:
        if self._field.text() == text:
            self._field.setCursorPosition(0)
            self._field.setToolTip(
                text if self._field.fontMetrics().horizontalAdvance(text) > self._field.width() else ""
            )
