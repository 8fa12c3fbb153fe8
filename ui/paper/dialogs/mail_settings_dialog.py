"""E-Mail-Einstellungen: the office's sender and mail server in the window (``MailSettingsDialog``).

From address and name, Reply-To, host, port, encryption (STARTTLS, SSL/TLS, keine), user, messages per
minute and the largest message, stored through ``konferenz.mail.settings.save_mail_settings`` (its checks
give the German messages, naming the field). The password goes into the operating system's keyring
(``konferenz.mail.smtp.store_password``), never into the database; the field stays empty afterwards and
says "gespeichert". "Testnachricht an mich" sends to the From address in the background.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from konferenz.errors import UserError
from konferenz.mail import smtp
from konferenz.mail.settings import (
    DEFAULT_PORTS,
    SECURITIES,
    SECURITY_LABELS,
    MailSettings,
    check_mail_settings,
    load_mail_settings,
    save_mail_settings,
)
from ui.context import AppContext
from ui.widgets.dialog_tools import warn
from ui.widgets.geometry import remember_geometry
from ui.widgets.tasks import run_task

#: the hint in the empty password field once a password is in the keyring
STORED = "gespeichert"


class MailSettingsDialog(QDialog):
    """E-Mail-Einstellungen (modal)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("E-Mail-Einstellungen"))
        self.setAccessibleName(self.windowTitle())
        self.setObjectName("MailSettingsDialog")
        with ctx.database.read_session() as s:
            self.loaded = load_mail_settings(s)
        self.last_test = ""

        self.from_address = QLineEdit(self)
        self.from_address.setPlaceholderText("integration@kreis-borken.de")
        self.from_name = QLineEdit(self)
        self.reply_to = QLineEdit(self)
        self.reply_to.setPlaceholderText(self.tr("leer: die Absenderadresse"))
        self.host = QLineEdit(self)
        self.host.setPlaceholderText("mail.kreis-borken.de")
        self.port = QSpinBox(self)
        self.port.setRange(1, 65535)
        self.security = QComboBox(self)
        for key in SECURITIES:
            self.security.addItem(SECURITY_LABELS[key], key)
        self.user = QLineEdit(self)
        self.user.setPlaceholderText(self.tr("leer: ohne Anmeldung (interne Weiterleitung)"))
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setObjectName("mail_password")
        self.password_state = QLabel(self)
        self.password_state.setObjectName("mail_password_state")
        self.per_minute = QSpinBox(self)
        self.per_minute.setRange(0, 10_000)
        self.per_minute.setSpecialValueText(self.tr("ohne Grenze"))
        self.max_megabytes = QSpinBox(self)
        self.max_megabytes.setRange(1, 100)
        self.max_megabytes.setSuffix(" MB")

        form = QFormLayout()
        rows: list[tuple[str, QWidget]] = [
            (self.tr("&Absenderadresse:"), self.from_address),
            (self.tr("Absender&name:"), self.from_name),
            (self.tr("Antwort&adresse (Reply-To):"), self.reply_to),
            (self.tr("Ma&ilserver:"), self.host),
            (self.tr("&Port:"), self.port),
            (self.tr("&Verschlüsselung:"), self.security),
            (self.tr("&Benutzer:"), self.user),
            (self.tr("&Kennwort:"), self.password),
            (self.tr("Nachrichten pro &Minute:"), self.per_minute),
            (self.tr("&Größte Nachricht:"), self.max_megabytes),
        ]
        # "Antwortadresse" would clash with "Absenderadresse" on A: give it R (Reply-To)
        rows[2] = (self.tr("Antwortad&resse (Reply-To):"), self.reply_to)
        for text, widget in rows:
            caption = QLabel(text, self)
            caption.setBuddy(widget)
            widget.setAccessibleName(text.replace("&", "").rstrip(":"))
            if widget is self.password:
                line = QHBoxLayout()
                line.addWidget(self.password, 1)
                line.addWidget(self.password_state)
                form.addRow(caption, line)
            else:
                form.addRow(caption, widget)

        self.test_button = QPushButton(self.tr("&Testnachricht an mich"), self)
        self.save_button = QPushButton(self.tr("&Speichern"), self)
        self.cancel_button = QPushButton(self.tr("Abbrechen"), self)
        self.result_label = QLabel(self)
        self.result_label.setObjectName("mail_settings_result")
        self.result_label.setWordWrap(True)
        for button in (self.test_button, self.cancel_button):
            button.setAutoDefault(False)
        self.save_button.setDefault(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.test_button)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.cancel_button)
        hint = QLabel(
            self.tr(
                "Das Kennwort liegt im Kennwortspeicher des Betriebssystems, nie in der Datenbank. "
                "STARTTLS meist mit Port 587, SSL/TLS mit 465, eine interne Weiterleitung ohne "
                "Verschlüsselung mit 25."
            ),
            self,
        )
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.result_label)
        layout.addLayout(buttons)

        self._show(self.loaded)
        self._security_before = self.loaded.security
        self.security.currentIndexChanged.connect(self._on_security)
        self.user.textChanged.connect(lambda _t: self._show_password_state())
        self.host.textChanged.connect(lambda _t: self._show_password_state())
        self.test_button.clicked.connect(lambda: self.send_test())  # noqa: PLW0108 (clicked(bool))
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        remember_geometry(self, "Dialoge/EMailEinstellungen")
        self.setMinimumWidth(520)
        self.from_address.setFocus()

    def _show(self, settings: MailSettings) -> None:
        self.from_address.setText(settings.from_address)
        self.from_name.setText(settings.from_name)
        self.reply_to.setText(settings.reply_to)
        self.host.setText(settings.host)
        self.port.setValue(settings.port)
        self.security.setCurrentIndex(max(self.security.findData(settings.security), 0))
        self.user.setText(settings.user)
        self.per_minute.setValue(settings.per_minute)
        self.max_megabytes.setValue(settings.max_megabytes)
        self._show_password_state()

    def _on_security(self, _index: int) -> None:
        """A port that was the old encryption's usual one follows the new encryption."""
        new = str(self.security.currentData())
        if self.port.value() == DEFAULT_PORTS.get(self._security_before):
            self.port.setValue(DEFAULT_PORTS[new])
        self._security_before = new

    def settings(self) -> MailSettings:
        """The settings as the fields show them."""
        return replace(
            self.loaded,
            from_address=self.from_address.text().strip(),
            from_name=self.from_name.text().strip(),
            reply_to=self.reply_to.text().strip(),
            host=self.host.text().strip(),
            port=self.port.value(),
            security=str(self.security.currentData()),
            user=self.user.text().strip(),
            per_minute=self.per_minute.value(),
            max_megabytes=self.max_megabytes.value(),
        )

    def _show_password_state(self) -> None:
        settings = self.settings()
        stored = False
        if settings.user and settings.host:
            try:
                stored = smtp.load_password(settings) is not None
            except UserError:
                stored = False
        self.password.setPlaceholderText(self.tr(STORED) if stored else "")
        self.password_state.setText(self.tr("gespeichert") if stored else self.tr("nicht gespeichert"))
        if not settings.user:
            self.password_state.setText(self.tr("nicht nötig"))

    def _store_password(self, settings: MailSettings) -> None:
        """A typed password goes into the keyring (never the database) and leaves the field."""
        typed = self.password.text()
        if typed:
            smtp.store_password(settings, typed)
            self.password.clear()
            self._show_password_state()

    def save(self) -> bool:
        """Check, store (the password in the keyring) and close; a German message names a wrong field."""
        title = self.tr("E-Mail-Einstellungen speichern")
        settings = self.settings()
        try:
            check_mail_settings(settings)
            self._store_password(settings)
            self.ctx.run(lambda: save_mail_settings(self.ctx.database, settings))
        except UserError as exc:
            warn(self, title, exc)
            return False
        self.loaded = settings
        self.accept()
        return True

    def send_test(self) -> str:
        """ "Testnachricht an mich": to the From address with the settings as shown (background)."""
        title = self.tr("Testnachricht an mich")
        settings = self.settings()
        try:
            check_mail_settings(settings)
            self._store_password(settings)
            reply = run_task(
                self,
                title,
                lambda _progress, _cancelled: smtp.send_test(settings),
                label=self.tr("Testnachricht wird gesendet …"),
            )
        except UserError as exc:
            text = exc.message.replace("„konferenz mail-settings --passwort“", "das Feld „Kennwort“")
            self.result_label.setText("⚠ " + text)
            warn(self, title, text)
            self.last_test = ""
            return ""
        text = self.tr("Die Testnachricht an {0} wurde angenommen ({1}).").format(
            settings.from_address, reply
        )
        self.result_label.setText(text)
        QMessageBox.information(self, title, text)
        self.last_test = reply
        return reply
