"""Absender der Briefe: letterhead, Rücksendeangabe, contact person, closing and logo of every letter.

``SenderSettingsDialog(ctx, parent)`` edits ``konferenz.letters.SenderSettings`` (stored in the ``setting``
table, shared by everyone who uses the database) and saves them with ``save_sender_settings`` when the
user presses Speichern. Problems are listed in German under the form while typing; Speichern refuses
while there are any. The Rücksendeangabe is previewed as it will be printed above the address.
"""

from __future__ import annotations

from dataclasses import asdict, fields
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetricsF, QImage, QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from konferenz.errors import UserError
from konferenz.letters import SenderSettings, load_sender_settings, save_sender_settings
from konferenz.registry import is_german_postal_code, is_valid_email
from ui.conference_widgets import remember_geometry
from ui.context import AppContext
from ui.paper import make_font

#: (group, [(field, label with mnemonic, placeholder)]) in the order shown
GROUPS: tuple[tuple[str, tuple[tuple[str, str, str], ...]], ...] = (
    (
        "Briefkopf",
        (
            ("authority", "&Behörde:", "z. B. Kreis Borken"),
            ("head", "Z&weite Zeile:", "z. B. Der Landrat"),
            ("unit", "&Dienststelle:", "z. B. Kommunales Integrationszentrum"),
        ),
    ),
    (
        "Anschrift (Rücksendeangabe)",
        (
            ("street", "St&raße, Hausnummer:", "z. B. Burloer Straße 93"),
            ("postal_code", "&PLZ:", "fünf Ziffern"),
            ("city", "&Ort:", ""),
        ),
    ),
    (
        "Auskunft (Informationsblock)",
        (
            ("contact_name", "&Ansprechperson:", "z. B. Frau Beispiel"),
            ("room", "Zi&mmer:", ""),
            ("contact_phone", "&Telefon (Durchwahl):", "sonst die Zentrale"),
            ("contact_email", "&E-Mail:", ""),
            ("switchboard", "Telefon&zentrale:", ""),
            ("website", "&Internet:", ""),
        ),
    ),
    (
        "Gruß und Unterschrift",
        (
            ("closing", "&Grußformel:", ""),
            ("signature_prefix", "Z&usatz vor dem Namen:", "z. B. Im Auftrag"),
            ("signature_name", "&Name:", ""),
            ("signature_function", "Fun&ktion:", ""),
        ),
    ),
)
#: the Rücksendeangabe is one line in the address field: 80 mm from the 25 mm line, shrunk to at least 6 pt
SENDER_LINE_WIDTH_MM = 80.0
SENDER_LINE_MIN_PT = 6.0
LOGO_PREVIEW = (160, 60)
IMAGE_FILTER = "Bilder (*.png *.jpg *.jpeg *.svg)"


def sender_line_width_mm(text: str, size_pt: float = SENDER_LINE_MIN_PT) -> float:
    """How wide ``text`` is printed at ``size_pt`` in the letters' font (device independent)."""
    metrics = QFontMetricsF(make_font(size_pt))
    # the advance is in pixels at the font's resolution; the font is sized in points
    return metrics.horizontalAdvance(text) / metrics.fontDpi() * 25.4


def problems(settings: SenderSettings) -> list[str]:
    """What is wrong with ``settings``, in German (empty: fine)."""
    found = []
    if not settings.authority.strip():
        found.append("Die Behörde (erste Zeile des Briefkopfs) fehlt.")
    if not settings.street.strip() or not settings.city.strip():
        found.append("Straße und Ort gehören in die Rücksendeangabe und auf den Rückmeldebogen.")
    if settings.postal_code.strip() and not is_german_postal_code(settings.postal_code.strip()):
        found.append(f"Die PLZ „{settings.postal_code}“ hat nicht fünf Ziffern.")
    if not settings.postal_code.strip():
        found.append("Die PLZ fehlt.")
    if settings.contact_email.strip() and not is_valid_email(settings.contact_email.strip()):
        found.append(f"Die E-Mail-Adresse „{settings.contact_email}“ ist nicht gültig.")
    if not (settings.contact_phone.strip() or settings.switchboard.strip()):
        found.append("Bitte eine Telefonnummer angeben (Durchwahl oder Zentrale).")
    if settings.logo_path:
        path = Path(settings.logo_path)
        if not path.is_file():
            found.append(f"Die Logo-Datei „{path}“ gibt es nicht.")
        elif QImage(str(path)).isNull():
            found.append(f"Die Logo-Datei „{path.name}“ ist kein lesbares Bild (PNG, JPEG oder SVG).")
    if sender_line_width_mm(settings.sender_line) > SENDER_LINE_WIDTH_MM:
        found.append(
            "Die Rücksendeangabe ist zu lang für eine Zeile über der Anschrift; bitte kürzen "
            "(z. B. die Straße abkürzen)."
        )
    return found


class SenderSettingsDialog(QDialog):
    """Edit the sender of the letters; Speichern stores them for everyone using the database."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("Absender der Briefe"))
        self.setAccessibleName(self.windowTitle())
        self.setObjectName("SenderSettingsDialog")
        with ctx.database.read_session() as s:
            stored = load_sender_settings(s)

        self.fields: dict[str, QLineEdit] = {}
        columns = QHBoxLayout()
        left, right = QVBoxLayout(), QVBoxLayout()
        columns.addLayout(left, 1)
        columns.addLayout(right, 1)
        for number, (group_title, entries) in enumerate(GROUPS):
            box = QGroupBox(self.tr(group_title), self)
            form = QFormLayout(box)
            for name, caption, placeholder in entries:
                edit = QLineEdit(box)
                edit.setObjectName(f"sender_{name}")
                edit.setPlaceholderText(placeholder)
                edit.setAccessibleName(self.tr(caption).replace("&", "").rstrip(":"))
                label = QLabel(self.tr(caption), box)
                label.setBuddy(edit)
                form.addRow(label, edit)
                self.fields[name] = edit
                edit.textChanged.connect(self._check)
            if group_title.startswith("Anschrift"):
                self.sender_line_label = QLabel(box)
                self.sender_line_label.setObjectName("sender_line_preview")
                self.sender_line_label.setWordWrap(False)  # printed as one line, shown as one line
                self.sender_line_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                form.addRow(self.tr("Gedruckt:"), self.sender_line_label)
            (left if number in (0, 1) else right).addWidget(box)

        # -- logo
        logo_box = QGroupBox(self.tr("Logo (oben rechts auf der ersten Seite)"), self)
        self.logo_edit = QLineEdit(logo_box)
        self.logo_edit.setObjectName("sender_logo_path")
        self.logo_edit.setAccessibleName(self.tr("Logo-Datei"))
        self.logo_edit.setPlaceholderText(self.tr("kein Logo"))
        logo_caption = QLabel(self.tr("&Logo-Datei:"), logo_box)
        logo_caption.setBuddy(self.logo_edit)
        self.logo_browse = QPushButton(self.tr("Durchsuc&hen …"), logo_box)
        self.logo_remove = QPushButton(self.tr("Ent&fernen"), logo_box)
        for button in (self.logo_browse, self.logo_remove):
            button.setAutoDefault(False)
        self.logo_preview = QLabel(logo_box)
        self.logo_preview.setObjectName("sender_logo_preview")
        self.logo_preview.setFixedSize(*LOGO_PREVIEW)
        self.logo_preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.logo_preview.setAccessibleName(self.tr("Vorschau des Logos"))
        logo_buttons = QHBoxLayout()
        logo_buttons.addWidget(self.logo_browse)
        logo_buttons.addWidget(self.logo_remove)
        logo_buttons.addStretch(1)
        logo_layout = QFormLayout(logo_box)
        logo_layout.addRow(logo_caption, self.logo_edit)
        logo_layout.addRow("", logo_buttons)
        logo_layout.addRow("", self.logo_preview)
        left.addWidget(logo_box)
        left.addStretch(1)
        right.addStretch(1)
        self.logo_edit.textChanged.connect(self._check)
        self.logo_browse.clicked.connect(lambda: self.choose_logo())  # noqa: PLW0108 - clicked(bool)
        self.logo_remove.clicked.connect(lambda: self.logo_edit.setText(""))

        self.problem_label = QLabel(self)
        self.problem_label.setObjectName("sender_problems")
        self.problem_label.setWordWrap(True)
        self.problem_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problem_label.setAccessibleName(self.tr("Hinweise zu den Angaben"))

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("&Speichern"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Abbrechen"))
        self.defaults_button = self.buttons.addButton(
            self.tr("&Vorgaben einsetzen"), QDialogButtonBox.ButtonRole.ResetRole
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.defaults_button.clicked.connect(lambda: self.set_settings(SenderSettings()))

        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addWidget(self.problem_label)
        layout.addWidget(self.buttons)
        self.set_settings(stored)
        self.resize(max(self.sizeHint().width(), 940), self.sizeHint().height())
        remember_geometry(self, "Dialoge/Absender")

    # --- values -----------------------------------------------------------------------------------------

    def set_settings(self, settings: SenderSettings) -> None:
        values = asdict(settings)
        for name, edit in self.fields.items():
            edit.setText(str(values[name]))
        self.logo_edit.setText(settings.logo_path)
        self._check()

    def settings(self) -> SenderSettings:
        """The settings as entered (spaces trimmed)."""
        values = {name: edit.text().strip() for name, edit in self.fields.items()}
        values["logo_path"] = self.logo_edit.text().strip()
        known = {f.name for f in fields(SenderSettings)}
        return SenderSettings(**{k: v for k, v in values.items() if k in known})

    def problems(self) -> list[str]:
        return problems(self.settings())

    def _check(self) -> None:
        settings = self.settings()
        self.sender_line_label.setText(settings.sender_line or self.tr("(leer)"))
        found = problems(settings)
        self.problem_label.setText("\n".join("⚠ " + line for line in found))
        self.problem_label.setVisible(bool(found))
        self._show_logo(settings.logo_path)

    def _show_logo(self, path: str) -> None:
        image = QImage(path) if path else QImage()
        if image.isNull():
            self.logo_preview.setPixmap(QPixmap())
            self.logo_preview.setText(self.tr("(kein Logo)") if not path else self.tr("(nicht lesbar)"))
            return
        pixmap = QPixmap.fromImage(image).scaled(
            *LOGO_PREVIEW, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
        )
        self.logo_preview.setPixmap(pixmap)

    def choose_logo(self, path: str | None = None) -> None:
        if path is None:
            start = self.logo_edit.text() or str(Path.home())
            path, _filter = QFileDialog.getOpenFileName(
                self, self.tr("Logo wählen"), start, self.tr(IMAGE_FILTER)
            )
            if not path:
                return
        self.logo_edit.setText(path)

    # --- saving -----------------------------------------------------------------------------------------

    def accept(self) -> None:
        found = self.problems()
        if found:
            QMessageBox.warning(
                self,
                self.windowTitle(),
                self.tr("Bitte erst korrigieren:\n\n{0}").format("\n".join("• " + line for line in found)),
            )
            return
        try:
            save_sender_settings(self.ctx.database, self.settings())
        except UserError as exc:
            QMessageBox.warning(self, self.windowTitle(), exc.message)
            return
        super().accept()
