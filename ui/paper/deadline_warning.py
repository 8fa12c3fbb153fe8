"""The warning line "the reply deadline has passed" of the Serienbrief dialog and ``konferenz letters``.

``reply_warning(reply_deadline, template)`` is ``konferenz.letters.dates.deadline_passed`` for a letter that
asks for a reply: a thank-you ("dank…" templates) asks for none, so it gets no warning. The dialog shows it
in a ``deadline_label`` before anything is printed or saved; the command line prints it to stderr.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from konferenz.letters import templates
from konferenz.letters.dates import deadline_passed


def reply_warning(reply_deadline: dt.date | None, template: str, letter_date: dt.date | None = None) -> str:
    """The German warning for letters of ``template`` dated ``letter_date`` (today); "" when none is due."""
    if templates.template_kind(template).startswith("dank"):
        return ""
    return deadline_passed(reply_deadline, letter_date)


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
