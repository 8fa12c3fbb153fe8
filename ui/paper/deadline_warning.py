"""The warning line "the reply deadline has passed" in the Serienbrief and e-mail dialogs.

The rule is ``konferenz.letters.templates.reply_warning`` (``konferenz letters`` prints it to stderr); the
dialogs show it in a ``deadline_label`` before anything is printed, saved or sent.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget


def deadline_label(parent: QWidget, object_name: str) -> QLabel:
    """A hidden, wrapping, selectable label for the warning (``show_warning`` fills it)."""
    label = QLabel(parent)
    label.setObjectName(object_name)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.hide()
    return label


def show_warning(label: QLabel, warning: str) -> None:
    """Show ``warning`` with the warning sign in front (the sign and the words, never colour alone), or hide
    the label when there is none."""
    label.setText("⚠ " + warning if warning else "")
    label.setVisible(bool(warning))
