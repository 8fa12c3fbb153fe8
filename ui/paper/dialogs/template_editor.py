"""Briefvorlagen bearbeiten: the Jinja2 source of a letter template with a live preview.

``TemplateEditorDialog(ctx, parent, template, conference_id=…)`` shows one template at a time. Shipped
templates (``resources/templates``) are read-only; "Kopie bearbeiten …" writes the text under a new name
into the user's template folder (``konferenz.letters.templates.user_template_dir()``), where a file with a shipped
template's name replaces that template in every letter. "Speichern" writes the user's file atomically
(temporary file, then rename), so a letter run never reads half a template.

The preview renders the editor's text 300 ms after the last keystroke, for a real invitation of the
conference (through ``letter_contents``, exactly as a letter would get it) or with invented values
(``sample_context``). User templates are untrusted input: they run in the core's sandboxed environment,
and an error is shown under the editor as "Zeile 3: …" with that line highlighted, never as a crash.
"""

from __future__ import annotations

import html
import os
import re
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor, QFontDatabase, QKeySequence, QShortcut, QTextCharFormat, QTextFormat
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from konferenz.conferences.reads import conference_year
from konferenz.errors import UserError
from konferenz.letters import content, templates
from konferenz.letters.reads import sample_recipients
from konferenz.letters.sender import SenderSettings, load_sender_settings
from konferenz.letters.templates import TEMPLATE_SUFFIX, TemplateError
from konferenz.text import ascii_name
from ui.context import AppContext
from ui.widgets.dialog_tools import ask_save_discard
from ui.widgets.geometry import remember_geometry

#: pause after the last keystroke before the preview is rendered again
PREVIEW_DELAY_MS = 300
#: the background of the line with a template error (the message under the editor names the line too)
ERROR_LINE_COLOR = QColor(255, 214, 214)
#: its text colour: the pair stays legible in every scheme (the scheme's white text of a high-contrast
#: theme would vanish on the pink)
ERROR_LINE_TEXT = QColor(0, 0, 0)
_LINE_PREFIX = re.compile(r"Zeile \d+: (?P<reason>.*)$", re.DOTALL)
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")

PLACEHOLDER_HELP = (
    "Platzhalter (Auswahl): {{ person.first_name }}, {{ person.last_name }}, {{ organisation.name }}, "
    "{{ conference.title }}, {{ conference.date }}, {{ conference.time_range }}, {{ conference.venue }}, "
    "{{ reply_deadline }}, {{ sender.phone }}; Forenliste: {% for forum in forums %}{{ forum.label }}"
    '{% endfor %}. Betreff: {% set subject = "…" %}. Anrede und Gruß setzt das Programm selbst.'
)


def template_label(name: str) -> str:
    """ "Einladung", "Erinnerung (eigene Fassung)", "Einladung kurz (eigene Vorlage)"."""
    text = templates.template_title(name)
    own = (templates.user_template_dir() / name).is_file()
    shipped = (templates.builtin_template_dir() / name).is_file()
    if own and shipped:
        return f"{text} (eigene Fassung)"
    if own:
        return f"{text} (eigene Vorlage)"
    return text


def template_file_name(name: str) -> str:
    """ "Einladung kurz" → "einladung-kurz.html.j2"; UserError for a name that cannot be a file name."""
    stem = re.sub(r"[^a-z0-9_-]+", "-", ascii_name(name.strip().removesuffix(TEMPLATE_SUFFIX))).strip("-")
    if not stem or not _NAME.match(stem):
        raise UserError("Bitte einen Namen aus Buchstaben, Ziffern und Bindestrichen angeben.")
    if len(stem) > 60:
        raise UserError("Der Name ist zu lang (höchstens 60 Zeichen).")
    return stem + TEMPLATE_SUFFIX


def template_source(name: str) -> str:
    """The text of a template: the user's own file if there is one, else the shipped one."""
    for folder in (templates.user_template_dir(), templates.builtin_template_dir()):
        path = folder / name
        if path.is_file():
            return path.read_text(encoding="utf-8")
    raise UserError(f"Die Vorlage „{name}“ gibt es nicht.")


def write_user_template(name: str, text: str) -> Path:
    """Write ``name`` into the user's template folder atomically; returns the file."""
    folder = templates.user_template_dir()
    target = folder / name
    tmp = folder / f".{name}.{os.getpid()}.tmp"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UserError(
            f"Die Vorlage kann nicht gespeichert werden ({target}): {exc.strerror or exc}"
        ) from None
    return target


def error_text(exc: UserError) -> str:
    """ "Zeile 3: Syntaxfehler (…)" for a template error with a line, else the whole message."""
    if isinstance(exc, TemplateError) and exc.lineno:
        found = _LINE_PREFIX.search(exc.message)
        reason = found["reason"] if found else exc.message
        return f"Zeile {exc.lineno}: {reason}"
    return exc.message


def mark_template_error(
    editor: QPlainTextEdit, label: QLabel, exc: UserError | None
) -> tuple[str, int | None]:
    """Show a template's error under its editor, its line marked with a wavy underline (or clear both when
    ``exc`` is None); returns the message and the line number, as the editors keep them."""
    if exc is None:
        label.setText("")
        label.setVisible(False)
        editor.setExtraSelections([])
        return "", None
    message = error_text(exc)
    line = exc.lineno if isinstance(exc, TemplateError) else None
    label.setText("⚠ " + message)
    label.setVisible(True)
    selections = []
    if line:
        block = editor.document().findBlockByNumber(line - 1)
        if block.isValid():
            selection = QTextEdit.ExtraSelection()
            selection.format.setBackground(ERROR_LINE_COLOR)
            selection.format.setForeground(ERROR_LINE_TEXT)
            selection.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
            selection.format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
            selection.cursor = editor.textCursor()
            selection.cursor.setPosition(block.position())
            selection.cursor.clearSelection()
            selections.append(selection)
    editor.setExtraSelections(selections)
    return message, line


class TemplateEditorDialog(QDialog):
    """Choose a template, copy a shipped one, edit the source, see the letter text at once."""

    def __init__(
        self,
        ctx: AppContext,
        parent: QWidget | None = None,
        template: str | None = None,
        *,
        conference_id: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.conference_id = conference_id
        self.year: int | None = None
        self.current = ""
        self.error = ""
        self.error_line: int | None = None
        self.setWindowTitle(self.tr("Briefvorlagen bearbeiten"))
        self.setAccessibleName(self.windowTitle())
        self.setObjectName("TemplateEditorDialog")

        self.template_combo = QComboBox(self)
        self.template_combo.setAccessibleName(self.tr("Vorlage"))
        template_caption = QLabel(self.tr("&Vorlage:"), self)
        template_caption.setBuddy(self.template_combo)
        self.copy_button = QPushButton(self.tr("&Kopie bearbeiten …"), self)
        self.copy_button.setAutoDefault(False)
        self.hint_label = QLabel(self)
        self.hint_label.setWordWrap(True)
        self.hint_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.editor = QPlainTextEdit(self)
        self.editor.setObjectName("template_source")
        self.editor.setAccessibleName(self.tr("Text der Vorlage"))
        self.editor.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.editor.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.editor.setTabChangesFocus(True)
        source_caption = QLabel(self.tr("&Text der Vorlage (Jinja2 und HTML):"), self)
        source_caption.setBuddy(self.editor)
        self.error_label = QLabel(self)
        self.error_label.setObjectName("template_error")
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.setAccessibleName(self.tr("Fehler in der Vorlage"))
        help_label = QLabel(self.tr(PLACEHOLDER_HELP), self)
        help_label.setWordWrap(True)
        help_label.setTextFormat(Qt.TextFormat.PlainText)
        help_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.recipient_combo = QComboBox(self)
        self.recipient_combo.setAccessibleName(self.tr("Vorschau für"))
        recipient_caption = QLabel(self.tr("Vorschau &für:"), self)
        recipient_caption.setBuddy(self.recipient_combo)
        self.preview = QTextBrowser(self)
        self.preview.setObjectName("template_preview")
        self.preview.setAccessibleName(self.tr("Vorschau des Brieftextes"))
        self.preview.setOpenLinks(False)

        self.save_button = QPushButton(self.tr("&Speichern"), self)
        self.close_button = QPushButton(self.tr("Schließen"), self)
        self.save_button.setAutoDefault(False)
        self.close_button.setAutoDefault(False)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save)

        top = QHBoxLayout()
        top.addWidget(template_caption)
        top.addWidget(self.template_combo, 1)
        top.addWidget(self.copy_button)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(source_caption)
        left_layout.addWidget(self.editor, 1)
        left_layout.addWidget(self.error_label)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        recipient_row = QHBoxLayout()
        recipient_row.addWidget(recipient_caption)
        recipient_row.addWidget(self.recipient_combo, 1)
        right_layout.addLayout(recipient_row)
        right_layout.addWidget(self.preview, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.hint_label)
        layout.addWidget(splitter, 1)
        layout.addWidget(help_label)
        layout.addLayout(buttons)
        self.resize(1100, 700)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(PREVIEW_DELAY_MS)
        self._timer.timeout.connect(self.render_preview)

        self._fill_recipients()
        self._fill_templates(templates.template_name(template) if template else templates.DEFAULT_TEMPLATE)
        self.load(self.template_combo.currentData())

        self.template_combo.activated.connect(self._on_template_chosen)
        self.copy_button.clicked.connect(lambda: self.copy_template())  # noqa: PLW0108 - clicked(bool)
        self.editor.textChanged.connect(self._on_text_changed)
        self.recipient_combo.currentIndexChanged.connect(lambda _i: self.render_preview())
        self.save_button.clicked.connect(self.save)
        self.close_button.clicked.connect(self.reject)
        remember_geometry(self, "Dialoge/Vorlagen")

    # --- loading ----------------------------------------------------------------------------------------

    def _fill_templates(self, wanted: str) -> None:
        self.template_combo.blockSignals(True)
        self.template_combo.clear()
        for name in templates.available_templates():
            self.template_combo.addItem(template_label(name), name)
        self.template_combo.setCurrentIndex(max(self.template_combo.findData(wanted), 0))
        self.template_combo.blockSignals(False)

    def _fill_recipients(self) -> None:
        """The conference's invitations by name (if a conference is given), then invented sample values."""
        self.recipient_combo.blockSignals(True)
        self.recipient_combo.clear()
        if self.conference_id is not None:
            with self.ctx.database.read_session() as s:
                year = conference_year(s, self.conference_id)
                if year is not None:
                    self.year = year
                    for name, inv_id in sample_recipients(s, self.conference_id):
                        self.recipient_combo.addItem(name, inv_id)
        sample = content.sample_context()
        self.recipient_combo.addItem(
            self.tr("Beispieldaten ({0})").format(sample["person"]["name_with_title"]), None
        )
        self.recipient_combo.setCurrentIndex(0)
        self.recipient_combo.blockSignals(False)

    def is_builtin(self, name: str) -> bool:
        """True when ``name`` is a shipped template the user has not replaced (read-only here)."""
        return not (templates.user_template_dir() / name).is_file()

    def load(self, name: str) -> None:
        """Show template ``name`` (file name) in the editor."""
        self.current = name
        try:
            text = template_source(name)
        except UserError as exc:
            text = ""
            self._show_error(exc)
        builtin = self.is_builtin(name)
        self.editor.blockSignals(True)
        self.editor.setPlainText(text)
        self.editor.blockSignals(False)
        self.editor.document().setModified(False)
        self.editor.setReadOnly(builtin)
        if builtin:
            self.hint_label.setText(
                self.tr(
                    "Mitgelieferte Vorlage – nur zum Lesen. Zum Ändern „Kopie bearbeiten …“ wählen: die Kopie "
                    "wird in Ihrem Vorlagenordner gespeichert ({0})."
                ).format(templates.user_template_dir())
            )
        else:
            path = templates.user_template_dir() / name
            shipped = (templates.builtin_template_dir() / name).is_file()
            note = self.tr(" Sie ersetzt die mitgelieferte Vorlage gleichen Namens.") if shipped else ""
            self.hint_label.setText(self.tr("Eigene Vorlage: {0}.{1}").format(path, note))
        self._update_buttons()
        self.render_preview()

    def _update_buttons(self) -> None:
        self.save_button.setEnabled(not self.editor.isReadOnly() and self.editor.document().isModified())

    # --- reacting ---------------------------------------------------------------------------------------

    def _on_template_chosen(self, _index: int) -> None:
        name = self.template_combo.currentData()
        if name == self.current:
            return
        if not self._may_leave():
            self.template_combo.setCurrentIndex(self.template_combo.findData(self.current))
            return
        self.load(name)

    def _on_text_changed(self) -> None:
        self._update_buttons()
        self._timer.start()

    def _may_leave(self) -> bool:
        """Unsaved changes: save them, drop them, or stay (False)."""
        if self.editor.isReadOnly() or not self.editor.document().isModified():
            return True
        answer = ask_unsaved(self, template_label(self.current))
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def reject(self) -> None:
        if self._may_leave():
            super().reject()

    def done(self, result: int) -> None:
        self._timer.stop()  # no preview after closing (the database may be gone)
        super().done(result)

    # --- preview ----------------------------------------------------------------------------------------

    def render_preview(self) -> None:
        """Render the editor's text now for the chosen recipient; errors go under the editor."""
        self._timer.stop()
        # a trailing line break makes the core read the text as source, never as a template name
        source = self.editor.toPlainText() + "\n"
        invitation_id = self.recipient_combo.currentData()
        sender = self._sender()
        try:
            if invitation_id is not None and self.year is not None:
                letters = content.letter_contents(
                    self.ctx.database, self.year, invitation_ids=[invitation_id], template=source
                )
                if not letters:
                    raise UserError("Diese Einladung gibt es nicht mehr.")
                letter = letters[0]
                subject, salutation, body = letter.subject, letter.salutation, letter.body_html
                closing, signature = letter.closing, letter.signature
            else:
                ctx = content.sample_context(sender)
                rendered = templates.render_template(source, ctx)
                subject, salutation, body = rendered.subject, ctx["salutation"], rendered.body
                closing = sender.closing
                signature = sender.signature_lines
        except UserError as exc:
            self._show_error(exc)
            # the last good text stays, greyed: the message under the editor says why
            self.preview.setEnabled(False)
            return
        self._show_error(None)
        self.preview.setEnabled(True)
        self.preview.setHtml(
            f"<p><b>{html.escape(subject)}</b></p><p>{html.escape(salutation)}</p>{body}"
            f"<p>{html.escape(closing)}</p><p>{'<br>'.join(html.escape(line) for line in signature)}</p>"
        )

    def _sender(self) -> SenderSettings:
        with self.ctx.database.read_session() as s:
            return load_sender_settings(s)

    def _show_error(self, exc: UserError | None) -> None:
        self.error, self.error_line = mark_template_error(self.editor, self.error_label, exc)

    # --- writing ----------------------------------------------------------------------------------------

    def copy_template(self, name: str | None = None) -> str | None:
        """ "Kopie bearbeiten …": the current text as a user template named ``name`` (asked if None)."""
        title = self.tr("Kopie bearbeiten")
        if name is None:
            suggested = templates.template_kind(self.current) + "-eigene"
            name, ok = QInputDialog.getText(
                self,
                title,
                self.tr(
                    "Name der neuen Vorlage (Buchstaben, Ziffern, Bindestriche). Heißt sie wie eine "
                    "mitgelieferte Vorlage (z. B. „einladung“), ersetzt sie diese in allen Briefen."
                ),
                QLineEdit.EchoMode.Normal,
                suggested,
            )
            if not ok:
                return None
        try:
            file_name = template_file_name(name)
        except UserError as exc:
            QMessageBox.warning(self, title, exc.message)
            return None
        if (templates.user_template_dir() / file_name).exists():
            QMessageBox.warning(
                self,
                title,
                self.tr("Eine eigene Vorlage „{0}“ gibt es schon; bitte einen anderen Namen wählen.").format(
                    templates.template_kind(file_name)
                ),
            )
            return None
        try:
            write_user_template(file_name, self.editor.toPlainText())
        except UserError as exc:
            QMessageBox.warning(self, title, exc.message)
            return None
        self._fill_templates(file_name)
        self.load(file_name)
        self.editor.setFocus()
        return file_name

    def save(self) -> bool:
        """ "Speichern": the editor's text into the user's file (also when it has an error, which is shown)."""
        if self.editor.isReadOnly():
            return False
        try:
            write_user_template(self.current, self.editor.toPlainText())
        except UserError as exc:
            QMessageBox.warning(self, self.tr("Speichern"), exc.message)
            return False
        self.editor.document().setModified(False)
        self._update_buttons()
        self.render_preview()
        return True


def ask_unsaved(parent: QWidget, name: str) -> QMessageBox.StandardButton:
    """Save, discard or stay? (a module function, so tests can answer it)"""
    return ask_save_discard(
        parent,
        parent.tr("Briefvorlagen bearbeiten"),
        parent.tr("Die Vorlage „{0}“ wurde geändert. Änderungen speichern?").format(name),
    )
