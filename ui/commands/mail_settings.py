"""``konferenz mail-settings``: show and change the mail server settings, keep the password in the
operating system's keyring, and send "Testnachricht an mich"."""

from __future__ import annotations

import argparse
import dataclasses
import getpass
import sys

from konferenz.errors import UserError
from ui.commands.cli import EXIT_OK, add_db_argument, opened, positive_int

_OPTIONS = {
    "host": "host",
    "port": "port",
    "security": "security",
    "user": "user",
    "from_address": "absender",
    "from_name": "absendername",
    "reply_to": "antwort_an",
    "per_minute": "pro_minute",
    "max_megabytes": "max_mb",
}


def _read_password() -> str:
    if sys.stdin.isatty():
        try:
            return getpass.getpass("Kennwort des Mailservers: ")
        except (EOFError, KeyboardInterrupt):
            raise UserError("Kein Kennwort eingegeben; nichts gespeichert.") from None
    password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise UserError("Kein Kennwort auf der Standardeingabe; nichts gespeichert.")
    return password


def cmd_mail_settings(args: argparse.Namespace) -> int:
    from konferenz.mail import smtp
    from konferenz.mail.settings import (
        MAIL_FIELD_LABELS,
        SECURITY_LABELS,
        load_mail_settings,
        save_mail_settings,
    )

    with opened(args) as database:
        with database.read_session() as s:
            settings = load_mail_settings(s)
        changes = {
            name: getattr(args, option)
            for name, option in _OPTIONS.items()
            if getattr(args, option) is not None
        }
        if changes:
            settings = dataclasses.replace(settings, **changes)
            save_mail_settings(database, settings)
            print("E-Mail-Einstellungen gespeichert.")
        if args.passwort:
            smtp.store_password(settings, _read_password())
            print(f"Kennwort für „{settings.keyring_user}“ im Kennwortspeicher des Betriebssystems abgelegt.")
        if args.test:
            reply = smtp.send_test(settings)
            print(f"Testnachricht an {settings.from_address} gesendet (Antwort des Servers: {reply}).")
        if not (changes or args.passwort or args.test):
            for name, label in MAIL_FIELD_LABELS.items():
                value = getattr(settings, name)
                if name == "security":
                    value = SECURITY_LABELS.get(value, value)
                print(f"{label}: {value if value not in ('', None) else '–'}")
            try:
                stored = bool(settings.user and settings.host and smtp.load_password(settings) is not None)
                state = "im Kennwortspeicher" if stored else "nicht gespeichert"
            except UserError:
                state = "unbekannt (der Kennwortspeicher des Betriebssystems ist nicht erreichbar)"
            print(f"Kennwort: {state}")
    return EXIT_OK


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from konferenz.mail.settings import SECURITIES

    parser = sub.add_parser(
        "mail-settings",
        help="Mailserver und Absender der E-Mails zeigen oder ändern",
        description="Ohne Angaben werden die E-Mail-Einstellungen gezeigt. Das Kennwort liegt im "
        "Kennwortspeicher des Betriebssystems, nie in der Datenbank.",
    )
    parser.add_argument("--host", help="Mailserver (Name oder Adresse)")
    parser.add_argument("--port", type=positive_int, help="Port (STARTTLS meist 587, SSL/TLS 465, Relay 25)")
    parser.add_argument("--security", choices=SECURITIES, help="Verschlüsselung")
    parser.add_argument("--user", help="Benutzer am Mailserver (leer: ohne Anmeldung)")
    parser.add_argument("--absender", metavar="ADRESSE", help="Absenderadresse (From)")
    parser.add_argument("--absendername", metavar="NAME", help="Name zur Absenderadresse")
    parser.add_argument(
        "--antwort-an", dest="antwort_an", metavar="ADRESSE", help="Antwortadresse (Reply-To)"
    )
    parser.add_argument(
        "--pro-minute",
        dest="pro_minute",
        type=positive_int,
        help="höchstens so viele Nachrichten pro Minute (0: ohne Grenze)",
    )
    parser.add_argument(
        "--max-mb", dest="max_mb", type=positive_int, help="Höchstgröße einer Nachricht in MB"
    )
    parser.add_argument(
        "--passwort",
        action="store_true",
        help="Kennwort abfragen (oder von der Standardeingabe lesen) und im Kennwortspeicher ablegen",
    )
    parser.add_argument(
        "--test", action="store_true", help="„Testnachricht an mich“ an die Absenderadresse senden"
    )
    add_db_argument(parser)
    parser.set_defaults(command=cmd_mail_settings)
