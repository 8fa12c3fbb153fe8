"""The two kinds of failure: ``UserError`` (shown as one German sentence, nothing changed) and bugs."""

from __future__ import annotations

import errno
from pathlib import Path


class UserError(Exception):
    """A failure the user can understand and fix: bad file, locked database, invalid value.

    The message is German, complete and names what failed (file, row, field). It is shown without a
    traceback; the action that raised it has changed nothing.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ConflictError(UserError):
    """Someone else changed the record since it was loaded (optimistic locking: its version moved on).

    Nothing was saved. ``current`` may carry the stored state, so the window can show both versions.
    """

    DEFAULT = (
        "Dieser Eintrag wurde inzwischen an einem anderen Arbeitsplatz geändert. Es wurde nichts "
        "gespeichert; bitte neu laden und die Änderung noch einmal eintragen."
    )

    def __init__(self, message: str = DEFAULT, current: object = None) -> None:
        super().__init__(message)
        self.current = current


def file_problem(path: Path, exc: OSError | None = None) -> str:
    """Why ``path`` cannot be written, as a German sentence (not the system's English message alone)."""
    if path.is_dir() or isinstance(exc, IsADirectoryError):
        return f"„{path}“ ist ein Ordner; bitte einen anderen Dateinamen wählen."
    if not path.parent.is_dir() or isinstance(exc, FileNotFoundError | NotADirectoryError):
        return f"„{path}“ kann nicht geschrieben werden: Den Ordner „{path.parent}“ gibt es nicht."
    if isinstance(exc, PermissionError):
        return (
            f"„{path}“ ist gerade geöffnet (z. B. in einem PDF-Programm) oder schreibgeschützt; bitte "
            "schließen bzw. freigeben und noch einmal versuchen."
        )
    if exc is not None and exc.errno == errno.ENOSPC:
        return f"„{path}“ kann nicht geschrieben werden: Der Datenträger ist voll."
    reason = (exc.strerror or str(exc)) if exc is not None else "unbekannter Fehler"
    return f"„{path}“ kann nicht geschrieben werden ({reason})."
