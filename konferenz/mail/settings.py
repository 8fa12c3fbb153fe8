"""The mail settings of the office: the From and Reply-To of the messages and the mail server (host, port,
encryption, user, rate, size limit); stored in the ``setting`` table (keys ``mail.<field>``), so every
workplace sends alike. The password is never here: it lives in the operating system's keyring
(``konferenz.mail.smtp``)."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, fields
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from konferenz.errors import UserError
from konferenz.storage.db import Database
from konferenz.storage.models import Setting

#: prefix of the keys in the ``setting`` table ("mail.host")
SETTING_PREFIX = "mail."

#: the encryptions of the connection: STARTTLS on port 587, SSL/TLS from the start on 465, none (an
#: internal relay on port 25 that accepts the office's messages without login)
SECURITY_STARTTLS = "starttls"
SECURITY_SSL = "ssl"
SECURITY_NONE = "none"
SECURITIES = (SECURITY_STARTTLS, SECURITY_SSL, SECURITY_NONE)
SECURITY_LABELS = {SECURITY_STARTTLS: "STARTTLS", SECURITY_SSL: "SSL/TLS", SECURITY_NONE: "keine"}
DEFAULT_PORTS = {SECURITY_STARTTLS: 587, SECURITY_SSL: 465, SECURITY_NONE: 25}

_ADDRESS = re.compile(r"^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+$")


@dataclass(frozen=True)
class MailSettings:
    """From/Reply-To of the messages and the mail server; stored in the ``setting`` table."""

    #: the office's own address, the From of every message
    from_address: str = ""
    #: the name shown with it ("Kreis Borken – Kommunales Integrationszentrum")
    from_name: str = ""
    #: where replies go; empty: to ``from_address``
    reply_to: str = ""
    host: str = ""
    port: int = 587
    security: str = SECURITY_STARTTLS
    #: the login at the server; empty for a relay that needs none
    user: str = ""
    #: at most this many messages per minute (office relays limit bursts); 0: no limit
    per_minute: int = 30
    #: the largest message sent (attachments included), in MB
    max_size_mb: int = 10

    @property
    def keyring_user(self) -> str:
        """The name under which the password is kept in the keyring: "user@host"."""
        return f"{self.user}@{self.host}"

    @property
    def server_label(self) -> str:
        return f"{self.host}:{self.port}"


#: the German names of the fields (messages, ``konferenz mail-settings``)
MAIL_FIELD_LABELS = {
    "from_address": "Absenderadresse",
    "from_name": "Absendername",
    "reply_to": "Antwort an",
    "host": "Mailserver",
    "port": "Port",
    "security": "Verschlüsselung",
    "user": "Benutzer",
    "per_minute": "Nachrichten pro Minute",
    "max_size_mb": "Höchstgröße (MB)",
}

_INTEGERS = {"port", "per_minute", "max_size_mb"}


def is_address(text: str) -> bool:
    """True for something that looks like one e-mail address (local@domain.tld, any script)."""
    return bool(_ADDRESS.match(text))


def check_mail_settings(settings: MailSettings) -> None:
    """Raise a German ``UserError`` naming the field when a value cannot be used."""
    for name in ("from_address", "reply_to"):
        value = getattr(settings, name)
        if value and not is_address(value):
            raise UserError(f"{MAIL_FIELD_LABELS[name]}: „{value}“ ist keine E-Mail-Adresse.")
    if settings.security not in SECURITIES:
        allowed = ", ".join(SECURITIES)
        raise UserError(f"Verschlüsselung: „{settings.security}“ ist nicht möglich (erlaubt: {allowed}).")
    if not 1 <= settings.port <= 65535:
        raise UserError(f"Port: {settings.port} ist kein gültiger Port (1 bis 65535).")
    if settings.per_minute < 0:
        raise UserError("Nachrichten pro Minute: die Zahl darf nicht negativ sein (0 heißt: ohne Grenze).")
    if settings.max_size_mb < 1:
        raise UserError("Höchstgröße (MB): mindestens 1 MB.")
    if any(c.isspace() for c in settings.host):
        raise UserError(f"Mailserver: „{settings.host}“ enthält Leerzeichen.")


def require_server(settings: MailSettings) -> None:
    """Raise a German ``UserError`` when the settings do not yet name a server and a From address."""
    missing = [MAIL_FIELD_LABELS[n] for n in ("host", "from_address") if not getattr(settings, n)]
    if missing:
        raise UserError(
            f"Die E-Mail-Einstellungen sind unvollständig ({', '.join(missing)} fehlt); bitte mit "
            "„konferenz mail-settings“ oder unter Einstellungen → E-Mail eintragen."
        )


def load_mail_settings(session: Session) -> MailSettings:
    """The mail settings from the ``setting`` table (keys ``mail.<field>``), defaults elsewhere."""
    rows = session.execute(
        sa.select(Setting.key, Setting.value).where(Setting.key.like(f"{SETTING_PREFIX}%"))
    ).all()
    stored = {key.removeprefix(SETTING_PREFIX): value for key, value in rows}
    values: dict[str, Any] = {}
    for f in fields(MailSettings):
        value = stored.get(f.name)
        if value is None:
            continue
        if f.name in _INTEGERS:
            try:
                values[f.name] = int(value)
            except (TypeError, ValueError):
                continue  # a damaged value: the default
        else:
            values[f.name] = str(value)
    return MailSettings(**values)


def save_mail_settings(database: Database, settings: MailSettings) -> None:
    """Store every field of ``settings`` (one unit of work) after ``check_mail_settings``."""
    check_mail_settings(settings)
    with database.session() as s:
        for name, value in dataclasses.asdict(settings).items():
            key = SETTING_PREFIX + name
            row = s.get(Setting, key)
            if row is None:
                s.add(Setting(key=key, value=value))
            elif row.value != value:
                row.value = value
