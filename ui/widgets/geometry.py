"""Remembered size and position of dialogs and windows, per user and PC (QSettings).

``remember_geometry(widget, name)`` restores what was saved under ``name`` and, for a dialog, saves it
again whenever the dialog finishes. Windows that are not dialogs call ``save_geometry(widget, name)`` in
their ``closeEvent``. Everything is stored under ``Dialoge/<name>/geometry``; a name may also be given with
the ``Dialoge/`` prefix (``"Dialoge/Serienbrief"`` and ``"Serienbrief"`` are the same).

There used to be three copies of this function with different keys (``Dialoge/<name>/geometry``,
``<name>/geometry`` and ``Dialoge/<name>``). While nothing is stored under the new key, the old ones are
read, so nobody's dialogs jump back to their default size once; they are left in place (a few bytes).
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray
from PySide6.QtWidgets import QDialog, QWidget

from ui.settings import settings

PREFIX = "Dialoge/"


def geometry_key(name: str) -> str:
    """The settings key of ``name``'s geometry: ``Dialoge/<name>/geometry``."""
    return f"{PREFIX}{name.removeprefix(PREFIX)}/geometry"


def _old_keys(name: str) -> tuple[str, str]:
    bare = name.removeprefix(PREFIX)
    return f"{bare}/geometry", f"{PREFIX}{bare}"


def restore_geometry(widget: QWidget, name: str) -> bool:
    """Give ``widget`` the size and position saved under ``name``; False when none was saved."""
    store = settings()
    for key in (geometry_key(name), *_old_keys(name)):
        saved = store.value(key)
        if isinstance(saved, QByteArray) and not saved.isEmpty():
            return widget.restoreGeometry(saved)
    return False


def save_geometry(widget: QWidget, name: str) -> None:
    """Save ``widget``'s size and position under ``name`` (call it from a window's ``closeEvent``)."""
    store = settings()
    store.setValue(geometry_key(name), widget.saveGeometry())
    store.sync()


def remember_geometry(widget: QWidget, name: str) -> None:
    """Restore the geometry saved under ``name``; a dialog saves it again when it finishes (other windows
    call ``save_geometry`` in their ``closeEvent``)."""
    restore_geometry(widget, name)
    if isinstance(widget, QDialog):
        widget.finished.connect(lambda *_args: save_geometry(widget, name))
