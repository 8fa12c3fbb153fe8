"""Absender der Briefe: letterhead, Rücksendeangabe, contact person, closing and logo of every letter.

``SenderSettingsDialog(ctx, parent)`` edits ``konferenz.letters.sender.SenderSettings`` (stored in the ``setting``
table, shared by everyone who uses the database) and saves them with ``save_sender_settings`` when the
user presses Speichern. Problems are listed in German under the form while typing; Speichern refuses
while there are any. The Rücksendeangabe is previewed as it will be printed above the address. Speichern
writes only the fields changed since the dialog opened, so another workplace's change of another field (the
logo, say) stays; a field changed here and there is shown in both versions (``ask_conflict``).

The addition before the name is a choice (none, "Im Auftrag", "In Vertretung"; a text an older version
stored stays a choice of its own); it is printed only with a name, and the dialog warns when it is chosen
without one. A scanned signature (PNG or JPEG, at most ``SIGNATURE_IMAGE_MAX_BYTES``) is stored in the
database like the logo and printed between closing and name.

The logo is chosen from a file but stored as a picture in the database (at most ``LOGO_MAX_BYTES``), so
every workplace prints it; the file may go afterwards. A path stored by an older version whose file is
missing at this workplace gets a hint (``logo_hint``) and stays stored for the workplace that has it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, fields, replace
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetricsF, QImage, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
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

from konferenz.errors import ConflictError, UserError
from konferenz.letters.sender import (
    SENDER_FIELD_LABELS,
    SIGNATURE_PREFIXES,
    SenderSettings,
    adopt_logo_file,
    changed_sender_fields,
    load_sender_settings,
    normal_signature_prefix,
    read_logo_file,
    read_signature_file,
    save_sender_settings,
    sender_conflicts,
)
from konferenz.registry.validation import is_german_postal_code, is_valid_email
from konferenz.text import file_size
from ui.context import AppContext
from ui.paper.canvas import make_font
from ui.widgets.destructive import mark_destructive
from ui.widgets.geometry import remember_geometry
from ui.widgets.registry_dialogs import ConflictChoice, ask_conflict

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
SIGNATURE_FILTER = "Eingescannte Unterschrift (*.png *.jpg *.jpeg)"
SIGNATURE_PREVIEW = (200, 50)
#: the German text of each addition in the combo box ("" is printed as nothing)
PREFIX_TEXTS = {"": "(ohne Zusatz)", "Im Auftrag": "Im Auftrag", "In Vertretung": "In Vertretung"}


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
    if settings.logo and QImage.fromData(settings.logo).isNull():
        name = settings.logo_name or "Logo"
        found.append(f"Die Logo-Datei „{name}“ ist kein lesbares Bild (PNG, JPEG oder SVG).")
    if settings.signature_image and QImage.fromData(settings.signature_image).isNull():
        name = settings.signature_image_name or "Unterschrift"
        found.append(f"Die Unterschrift-Datei „{name}“ ist kein lesbares Bild (PNG oder JPEG).")
    if sender_line_width_mm(settings.sender_line) > SENDER_LINE_WIDTH_MM:
        found.append(
            "Die Rücksendeangabe ist zu lang für eine Zeile über der Anschrift; bitte kürzen "
            "(z. B. die Straße abkürzen)."
        )
    return found


def warnings(settings: SenderSettings) -> list[str]:
    """Hints that do not stop Speichern (the letters print, but maybe not as meant), in German."""
    return [hint for hint in (settings.signature_warning,) if hint]


def logo_hint(settings: SenderSettings) -> str:
    """Why a logo stored by path (older versions) is not printed at this workplace, in German; "" when
    there is nothing to say."""
    if settings.logo or not settings.logo_path:
        return ""
    try:
        read_logo_file(settings.logo_path)
    except UserError as exc:
        reason = exc.message
    else:
        return ""
    return (
        f"{reason} Eine frühere Version hat nur diesen Pfad gespeichert; die Briefe werden hier ohne Logo "
        "gedruckt. Bitte das Logo neu wählen: Es wird dann in der Datenbank gespeichert und an jedem "
        "Arbeitsplatz gedruckt."
    )


class SenderSettingsDialog(QDialog):
    """Edit the sender of the letters; Speichern stores them for everyone using the database."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("Absender der Briefe"))
        self.setAccessibleName(self.windowTitle())
        self.setObjectName("SenderSettingsDialog")
        adopt_logo_file(ctx.database)  # a logo file named by an older version goes into the database
        with ctx.database.read_session() as s:
            stored = load_sender_settings(s)
        #: the settings as loaded: Speichern writes only what the user changed since (``save_sender_settings``)
        self.loaded = stored
        self._logo = stored.logo
        self._logo_name = stored.logo_name
        self._logo_path = stored.logo_path
        self._signature_image = stored.signature_image
        self._signature_image_name = stored.signature_image_name

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
            if group_title.startswith("Gruß"):
                self._signature_rows(box, form)
            if group_title.startswith("Anschrift"):
                self.sender_line_label = QLabel(box)
                self.sender_line_label.setObjectName("sender_line_preview")
                self.sender_line_label.setWordWrap(False)  # printed as one line, shown as one line
                self.sender_line_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                form.addRow(self.tr("Gedruckt:"), self.sender_line_label)
            (left if number in (0, 1) else right).addWidget(box)

        # -- logo (stored as a picture in the database; the file only supplies it)
        logo_box = QGroupBox(self.tr("Logo (oben rechts auf der ersten Seite)"), self)
        self.logo_label = QLabel(logo_box)
        self.logo_label.setObjectName("sender_logo_name")
        self.logo_label.setWordWrap(True)
        self.logo_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.logo_label.setAccessibleName(self.tr("Gespeichertes Logo"))
        self.logo_browse = QPushButton(self.tr("Logo wä&hlen …"), logo_box)
        self.logo_browse.setToolTip(
            self.tr("Das Bild wird in der Datenbank gespeichert; die Datei wird danach nicht mehr gebraucht.")
        )
        self.logo_remove = QPushButton(self.tr("Logo ent&fernen"), logo_box)
        mark_destructive(self.logo_remove)
        for button in (self.logo_browse, self.logo_remove):
            button.setAutoDefault(False)
        self.logo_hint_label = QLabel(logo_box)
        self.logo_hint_label.setObjectName("sender_logo_hint")
        self.logo_hint_label.setWordWrap(True)
        self.logo_hint_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.logo_hint_label.setAccessibleName(self.tr("Hinweis zum Logo"))
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
        logo_layout.addRow(self.tr("Gespeichert:"), self.logo_label)
        logo_layout.addRow("", logo_buttons)
        logo_layout.addRow("", self.logo_preview)
        logo_layout.addRow(self.logo_hint_label)
        left.addWidget(logo_box)
        left.addStretch(1)
        right.addStretch(1)
        self.logo_browse.clicked.connect(lambda: self.choose_logo())  # noqa: PLW0108 - clicked(bool)
        self.logo_remove.clicked.connect(self.remove_logo)

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

    def _signature_rows(self, box: QGroupBox, form: QFormLayout) -> None:
        """The addition (a choice, placed above the name) and the scanned signature below the function."""
        self.prefix_combo = QComboBox(box)
        self.prefix_combo.setObjectName("sender_signature_prefix")
        for value in SIGNATURE_PREFIXES:
            self.prefix_combo.addItem(self.tr(PREFIX_TEXTS[value]), value)
        self.prefix_combo.setAccessibleName(self.tr("Zusatz vor dem Namen"))
        self.prefix_combo.setToolTip(
            self.tr(
                "„Im Auftrag“ für Mitarbeitende, „In Vertretung“ für die Vertretung, ohne Zusatz für die "
                "Behördenleitung selbst; gedruckt nur zusammen mit einem Namen"
            )
        )
        prefix_label = QLabel(self.tr("Z&usatz vor dem Namen:"), box)
        prefix_label.setBuddy(self.prefix_combo)
        form.insertRow(1, prefix_label, self.prefix_combo)
        self.prefix_combo.currentIndexChanged.connect(lambda _i: self._check())

        self.signature_label = QLabel(box)
        self.signature_label.setObjectName("sender_signature_name")
        self.signature_label.setWordWrap(True)
        self.signature_label.setAccessibleName(self.tr("Gespeicherte Unterschrift"))
        self.signature_browse = QPushButton(self.tr("Unterschrift (Bi&ld) wählen …"), box)
        self.signature_browse.setToolTip(
            self.tr(
                "Eine eingescannte Unterschrift (PNG oder JPEG), gedruckt zwischen Grußformel und Name; "
                "sie wird in der Datenbank gespeichert"
            )
        )
        self.signature_remove = QPushButton(self.tr("Unterschrift lös&chen"), box)
        mark_destructive(self.signature_remove)
        for button in (self.signature_browse, self.signature_remove):
            button.setAutoDefault(False)
        self.signature_preview = QLabel(box)
        self.signature_preview.setObjectName("sender_signature_preview")
        self.signature_preview.setFixedSize(*SIGNATURE_PREVIEW)
        self.signature_preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.signature_preview.setAccessibleName(self.tr("Vorschau der Unterschrift"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.signature_browse)
        buttons.addWidget(self.signature_remove)
        buttons.addStretch(1)
        self.signature_hint_label = QLabel(box)
        self.signature_hint_label.setObjectName("sender_signature_hint")
        self.signature_hint_label.setWordWrap(True)
        self.signature_hint_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.signature_hint_label.setAccessibleName(self.tr("Hinweis zur Unterschrift"))
        form.addRow(self.signature_hint_label)
        form.addRow(self.tr("Unterschrift:"), self.signature_label)
        form.addRow("", buttons)
        form.addRow("", self.signature_preview)
        self.signature_browse.clicked.connect(lambda: self.choose_signature())  # noqa: PLW0108 - clicked(bool)
        self.signature_remove.clicked.connect(self.remove_signature)

    def _set_prefix(self, value: str) -> None:
        wanted = normal_signature_prefix(value)
        index = self.prefix_combo.findData(wanted)
        if index < 0:  # a text an older version stored: kept as a choice of its own, printed unchanged
            self.prefix_combo.addItem(wanted, wanted)
            index = self.prefix_combo.count() - 1
        self.prefix_combo.setCurrentIndex(index)

    # --- values -----------------------------------------------------------------------------------------

    def set_settings(self, settings: SenderSettings) -> None:
        values = asdict(settings)
        for name, edit in self.fields.items():
            edit.setText(str(values[name]))
        self._logo, self._logo_name, self._logo_path = settings.logo, settings.logo_name, settings.logo_path
        self._signature_image = settings.signature_image
        self._signature_image_name = settings.signature_image_name
        self._set_prefix(settings.signature_prefix)
        self._check()

    def settings(self) -> SenderSettings:
        """The settings as entered (spaces trimmed)."""
        values = {name: edit.text().strip() for name, edit in self.fields.items()}
        known = {f.name for f in fields(SenderSettings)}
        return SenderSettings(
            **{k: v for k, v in values.items() if k in known},
            logo=self._logo,
            logo_name=self._logo_name,
            logo_path=self._logo_path,
            signature_prefix=str(self.prefix_combo.currentData() or ""),
            signature_image=self._signature_image,
            signature_image_name=self._signature_image_name,
        )

    def problems(self) -> list[str]:
        return problems(self.settings())

    def _check(self) -> None:
        settings = self.settings()
        self.sender_line_label.setText(settings.sender_line or self.tr("(leer)"))
        found = problems(settings)
        self.problem_label.setText("\n".join("⚠ " + line for line in found))
        self.problem_label.setVisible(bool(found))
        hints = warnings(settings)
        self.signature_hint_label.setText("\n".join("⚠ " + line for line in hints))
        self.signature_hint_label.setVisible(bool(hints))
        self._show_logo(settings)
        self._show_signature(settings)

    def _show_logo(self, settings: SenderSettings) -> None:
        hint = logo_hint(settings)
        self.logo_hint_label.setText("⚠ " + hint if hint else "")
        self.logo_hint_label.setVisible(bool(hint))
        self.logo_remove.setEnabled(bool(settings.logo or settings.logo_path))
        if settings.logo:
            name = settings.logo_name or self.tr("Logo")
            self.logo_label.setText(
                self.tr("{0} ({1}), in der Datenbank").format(name, file_size(len(settings.logo)))
            )
        elif settings.logo_path:
            self.logo_label.setText(self.tr("nur der Pfad {0}").format(settings.logo_path))
        else:
            self.logo_label.setText(self.tr("kein Logo"))
        image = QImage.fromData(settings.logo) if settings.logo else QImage()
        if image.isNull():
            self.logo_preview.setPixmap(QPixmap())
            self.logo_preview.setText(self.tr("(nicht lesbar)") if settings.logo else self.tr("(kein Logo)"))
            return
        pixmap = QPixmap.fromImage(image).scaled(
            *LOGO_PREVIEW, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
        )
        self.logo_preview.setPixmap(pixmap)

    def _show_signature(self, settings: SenderSettings) -> None:
        self.signature_remove.setEnabled(bool(settings.signature_image))
        if settings.signature_image:
            name = settings.signature_image_name or self.tr("Unterschrift")
            self.signature_label.setText(
                self.tr("{0} ({1}), in der Datenbank").format(name, file_size(len(settings.signature_image)))
            )
        else:
            self.signature_label.setText(self.tr("keine (Platz für die Unterschrift von Hand)"))
        image = QImage.fromData(settings.signature_image) if settings.signature_image else QImage()
        if image.isNull():
            self.signature_preview.setPixmap(QPixmap())
            self.signature_preview.setText(self.tr("(nicht lesbar)") if settings.signature_image else "")
            return
        self.signature_preview.setPixmap(
            QPixmap.fromImage(image).scaled(
                *SIGNATURE_PREVIEW,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )

    def choose_signature(self, path: str | None = None) -> bool:
        """Take the scanned signature in ``path`` (asked for when None); a German message and False when
        the file is missing, too large or no PNG/JPEG picture."""
        picked = self._read_picture(
            path,
            self.tr("Unterschrift wählen"),
            str(Path.home()),
            self.tr(SIGNATURE_FILTER),
            read_signature_file,
            self.tr("Die Unterschrift-Datei „{0}“ ist kein lesbares Bild (PNG oder JPEG)."),
        )
        if picked is None:
            return False
        data, path = picked
        self._signature_image, self._signature_image_name = data, Path(path).name
        self._check()
        return True

    def _read_picture(  # noqa: PLR0917 (the two pictures differ in exactly these)
        self,
        path: str | None,
        title: str,
        start: str,
        file_filter: str,
        read: Callable[[str], bytes],
        unreadable: str,
    ) -> tuple[bytes, str] | None:
        """The bytes of the picture in ``path`` (asked for when None) and the path; None after a German
        message when it is missing, too large (``read``'s checks) or no picture Qt can read."""
        if path is None:
            path, _filter = QFileDialog.getOpenFileName(self, title, start, file_filter)
            if not path:
                return None
        try:
            data = read(path)
        except UserError as exc:
            QMessageBox.warning(self, self.windowTitle(), exc.message)
            return None
        if QImage.fromData(data).isNull():
            QMessageBox.warning(self, self.windowTitle(), unreadable.format(Path(path).name))
            return None
        return data, path

    def remove_signature(self) -> None:
        """No scanned signature: the three lines stay free for signing by hand."""
        self._signature_image, self._signature_image_name = b"", ""
        self._check()

    def choose_logo(self, path: str | None = None) -> bool:
        """Take the picture in ``path`` (asked for when None) as the logo; a German message and False when
        it is missing, too large or no picture."""
        picked = self._read_picture(
            path,
            self.tr("Logo wählen"),
            str(Path(self._logo_path).parent) if self._logo_path else str(Path.home()),
            self.tr(IMAGE_FILTER),
            read_logo_file,
            self.tr("Die Logo-Datei „{0}“ ist kein lesbares Bild (PNG, JPEG oder SVG)."),
        )
        if picked is None:
            return False
        data, path = picked
        self._logo, self._logo_name, self._logo_path = data, Path(path).name, ""
        self._check()
        return True

    def remove_logo(self) -> None:
        """No logo on the letters (also forgets a path stored by an older version)."""
        self._logo, self._logo_name, self._logo_path = b"", "", ""
        self._check()

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
        if self.save():
            super().accept()

    def save(self) -> bool:
        """Store the fields changed since the dialog loaded the settings. When another workplace changed one
        of them meanwhile, both versions are shown (``ask_conflict``): overwrite with the input, take the
        stored settings into the dialog, or keep editing. False when nothing (more) was stored."""
        mine = self.settings()
        before = self.loaded
        while True:
            try:
                save_sender_settings(self.ctx.database, mine, before=before)
            except ConflictError as exc:
                stored = exc.current
                assert isinstance(stored, SenderSettings)
                choice = self.ask_conflict(
                    self.tr("Absender der Briefe"), self.differences(before, mine, stored)
                )
                if choice is ConflictChoice.DISCARD:
                    self.loaded = stored
                    self.set_settings(stored)
                    return False
                if choice is not ConflictChoice.OVERWRITE:
                    return False
                # the input on top of the stored settings: other fields changed elsewhere stay
                changes = {name: getattr(mine, name) for name in changed_sender_fields(before, mine)}
                mine, before = replace(stored, **changes), stored
                continue  # a third change made while the question was open is asked about again
            except UserError as exc:
                QMessageBox.warning(self, self.windowTitle(), exc.message)
                return False
            self.loaded = mine
            return True

    def differences(
        self, before: SenderSettings, mine: SenderSettings, stored: SenderSettings
    ) -> list[tuple[str, str, str]]:
        """(field, the input, the stored value) of every field changed here and elsewhere."""
        return [
            (
                self.tr(SENDER_FIELD_LABELS.get(name, name)),
                self._shown(mine, name),
                self._shown(stored, name),
            )
            for name in sender_conflicts(before, mine, stored)
        ]

    def _shown(self, settings: SenderSettings, name: str) -> str:
        if name == "signature_image":
            if not settings.signature_image:
                return ""
            label = settings.signature_image_name or self.tr("Unterschrift")
            return f"{label} ({file_size(len(settings.signature_image))})"
        if name != "logo":
            return str(getattr(settings, name))
        if settings.logo:
            return f"{settings.logo_name or self.tr('Logo')} ({file_size(len(settings.logo))})"
        return self.tr("nur der Pfad {0}").format(settings.logo_path) if settings.logo_path else ""

    def ask_conflict(self, what: str, differences: Sequence[tuple[str, str, str]]) -> ConflictChoice:
        """Both versions side by side (tests replace this method)."""
        return ask_conflict(self, what, differences)
