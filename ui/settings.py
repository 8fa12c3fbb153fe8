"""The program's one QSettings identity (organisation "Kreis Borken", application "Konferenz").

A leaf module: everything that reads or writes a remembered setting asks ``settings()`` here, so no module
has to import the main window (or another area) for it.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings

SETTINGS_ORGANISATION = "Kreis Borken"
SETTINGS_APPLICATION = "Konferenz"


def settings() -> QSettings:
    """The per-user settings store of the program (the Windows registry, an .ini file on Linux)."""
    return QSettings(SETTINGS_ORGANISATION, SETTINGS_APPLICATION)
