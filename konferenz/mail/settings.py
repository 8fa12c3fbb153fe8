"""The mail settings of the office, stored in the ``setting`` table (keys ``mail.<field>``) so every workplace
sends alike: the From address and name, the Reply-To address, the largest message, and the mail server
(host, port, encryption, user, rate). One home for the keys, their defaults and their checks. The password
is never here: it lives in the operating system's keyring (``konferenz.mail.smtp``)."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from konferenz.errors import UserError
from konferenz.letters.sender import load_sender_settings
from konferenz.registry.validation import is_valid_email
from konferenz.storage.db import Database
from konferenz.storage.models import Setting

#: prefix of the keys in the ``setting`` table ("mail.from_address")
SETTING_PREFIX = "mail."
#: the largest message (with its attachments, as sent) unless configured otherwise
DEFAULT_MAX_MEGABYTES = 10

#: the encryptions of the connection: STARTTLS on port 587, SSL/TLS from the start on 465, none (an
#: internal relay on port 25 that accepts the office's messages without login)
SECURITY_STARTTLS = "starttls"
SECURITY_SSL = "ssl"
SECURITY_NONE = "none"
SECURITIES = (SECURITY_STARTTLS, SECURITY_SSL, SECURITY_NONE)
SECURITY_LABELS = {SECURITY_STARTTLS: "STARTTLS", SECURITY_SSL: "SSL/TLS", SECURITY_NONE: "keine"}
DEFAULT_PORTS = {SECURITY_STARTTLS: 587, SECURITY_SSL: 465, SECURITY_NONE: 25}


@dataclass(frozen=True)
class MailSettings:
    """From, Reply-To, size limit and mail server of the e-mails; stored in the ``setting`` table."""

    #: the office's own address, the From of every message ("integration@kreis-borken.de")
    from_address: str = ""
    #: the name shown with it ("Kreis Borken – Kommunales Integrationszentrum")
    from_name: str = ""
    #: where replies go; empty: the From address
    reply_to: str = ""
    #: the largest message in megabytes (text and attachments as sent)
    max_megabytes: int = DEFAULT_MAX_MEGABYTES
    host: str = ""
    port: int = 587
    security: str = SECURITY_STARTTLS
    #: the login at the server; empty for a relay that needs none
    user: str = ""
    #: at most this many messages per minute (office relays limit bursts); 0: no limit
    per_minute: int = 30

    @property
    def reply_address(self) -> str:
        return self.reply_to or self.from_address

    @property
    def max_bytes(self) -> int:
        return self.max_megabytes * 1024 * 1024

    @property
    def keyring_user(self) -> str:
        """The name under which the password is kept in the keyring: "user@host"."""
        return f"{self.user}@{self.host}"

    @property
    def server_label(self) -> str:
        return f"{self.host}:{self.port}"


#: the German names of the settings (messages, dialogs, ``konferenz mail-settings``)
MAIL_FIELD_LABELS = {
    "from_address": "Absenderadresse",
    "from_name": "Absendername",
    "reply_to": "Antwortadresse (Reply-To)",
    "max_megabytes": "Größte Nachricht (MB)",
    "host": "Mailserver",
    "port": "Port",
    "security": "Verschlüsselung",
    "user": "Benutzer",
    "per_minute": "Nachrichten pro Minute",
}


def _defaults(session: Session) -> MailSettings:
    """What the letters' sender settings suggest while nothing is stored: their contact e-mail as From,
    authority and unit as the name."""
    sender = load_sender_settings(session)
    name = " – ".join(p for p in (sender.authority, sender.unit) if p)
    return MailSettings(from_address=sender.contact_email, from_name=name)


def load_mail_settings(session: Session) -> MailSettings:
    """The mail settings from the ``setting`` table; a field never stored takes its default (From and
    name from the letters' sender settings)."""
    rows = session.execute(
        sa.select(Setting.key, Setting.value).where(Setting.key.like(f"{SETTING_PREFIX}%"))
    ).all()
    stored = {key.removeprefix(SETTING_PREFIX): value for key, value in rows}
    settings = _defaults(session)
    values: dict[str, Any] = {}
    for f in fields(MailSettings):
        if f.name not in stored or stored[f.name] is None:
            continue
        value = stored[f.name]
        default = getattr(settings, f.name)
        if isinstance(default, int):
            try:
                values[f.name] = int(value)
            except (TypeError, ValueError):
                continue  # a damaged value: the default applies
        else:
            values[f.name] = str(value)
    return replace(settings, **values)


def check_mail_settings(settings: MailSettings) -> None:
    """Raise a German ``UserError`` naming the setting that cannot be used."""
    for name in ("from_address", "reply_to"):
        value = getattr(settings, name)
        if value and not is_valid_email(value):
            raise UserError(f"{MAIL_FIELD_LABELS[name]}: „{value}“ ist keine gültige E-Mail-Adresse.")
    if "\n" in settings.from_name or "\r" in settings.from_name:
        raise UserError(f"{MAIL_FIELD_LABELS['from_name']}: bitte ohne Zeilenumbruch.")
    if not 1 <= settings.max_megabytes <= 100:
        raise UserError(
            f"{MAIL_FIELD_LABELS['max_megabytes']}: {settings.max_megabytes} liegt nicht zwischen 1 und 100."
        )
    if settings.security not in SECURITIES:
        allowed = ", ".join(SECURITIES)
        raise UserError(f"Verschlüsselung: „{settings.security}“ ist nicht möglich (erlaubt: {allowed}).")
    if not 1 <= settings.port <= 65535:
        raise UserError(f"Port: {settings.port} ist kein gültiger Port (1 bis 65535).")
    if settings.per_minute < 0:
        raise UserError("Nachrichten pro Minute: die Zahl darf nicht negativ sein (0 heißt: ohne Grenze).")
    if any(c.isspace() for c in settings.host):
        raise UserError(f"Mailserver: „{settings.host}“ enthält Leerzeichen.")


def require_server(settings: MailSettings) -> None:
    """Raise a German ``UserError`` when the settings do not yet name a server and a From address."""
    missing = [MAIL_FIELD_LABELS[n] for n in ("host", "from_address") if not getattr(settings, n)]
    if missing:
        raise UserError(
            f"Die E-Mail-Einstellungen sind unvollständig ({', '.join(missing)} {'fehlt' if len(missing) == 1 else 'fehlen'}); bitte mit "
            "„konferenz mail-settings“ eintragen."
        )


def save_mail_settings(database: Database, settings: MailSettings) -> None:
    """Store every field (one unit of work) after ``check_mail_settings``; nothing is written on an error."""
    check_mail_settings(settings)
    with database.session() as s:
        for f in fields(MailSettings):
            key = SETTING_PREFIX + f.name
            value = getattr(settings, f.name)
            row = s.get(Setting, key)
            if row is None:
                s.add(Setting(key=key, value=value))
            elif row.value != value:
                row.value = value
