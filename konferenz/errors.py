"""The two kinds of failure: ``UserError`` (shown as one German sentence, nothing changed) and bugs."""

from __future__ import annotations


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
