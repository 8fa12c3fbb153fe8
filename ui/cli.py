"""The command line: ``konferenz`` opens the window; subcommands drive the same services headless.

Every subcommand takes ``--db PATH_OR_URL``. A ``UserError`` (bad input, unreadable database) prints one
German line and exits with status 2; a bug is logged with its traceback to the log file and exits with 1.
"""

from __future__ import annotations

import argparse
import gettext
import logging
import os
import sys
from collections.abc import Callable, Sequence
from typing import NoReturn

from konferenz import __version__
from konferenz.errors import UserError

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_BUG = 1
EXIT_USER_ERROR = 2

# argparse's own texts in German (argparse looks up ``_`` and ``ngettext`` at call time)
_ARGPARSE_DE = {
    "usage: ": "Aufruf: ",
    "positional arguments": "Argumente",
    "options": "Optionen",
    "show this help message and exit": "diese Hilfe zeigen und beenden",
    "show program's version number and exit": "Programmversion zeigen und beenden",
    "%(prog)s: error: %(message)s\n": "%(prog)s: Fehler: %(message)s\n",
    "the following arguments are required: %s": "diese Angaben fehlen: %s",
    "unrecognized arguments: %s": "unbekannte Angaben: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "ungültige Auswahl: %(value)r (möglich: %(choices)s)",
    "argument %(argument_name)s: %(message)s": "Angabe %(argument_name)s: %(message)s",
    "expected one argument": "erwartet einen Wert",
    "invalid %(type)s value: %(value)r": "ungültiger Wert: %(value)r",
    "ambiguous option: %(option)s could match %(matches)s": "mehrdeutige Option: %(option)s passt zu %(matches)s",
    "not allowed with argument %s": "nicht zusammen mit %s erlaubt",
    "one of the arguments %s is required": "eine dieser Angaben ist nötig: %s",
    "subcommands": "Befehle",
}


def _german(text: str) -> str:
    return _ARGPARSE_DE.get(text, gettext.gettext(text))


def _german_n(singular: str, plural: str, n: int) -> str:
    texts = {"expected %s argument": "erwartet %s Wert", "expected %s arguments": "erwartet %s Werte"}
    chosen = singular if n == 1 else plural
    return texts.get(chosen, gettext.ngettext(singular, plural, n))


argparse._ = _german  # type: ignore[attr-defined]
argparse.ngettext = _german_n  # type: ignore[attr-defined]


class GermanParser(argparse.ArgumentParser):
    """ArgumentParser whose errors are one German line and exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USER_ERROR, f"{self.prog}: Fehler: {message}\n")


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"„{text}“ ist keine ganze Zahl") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{value} ist negativ")
    return value


def _add_db(parser: argparse.ArgumentParser, *, default: object) -> None:
    parser.add_argument(
        "--db",
        metavar="PFAD_ODER_URL",
        default=default,
        help="Datenbank: Pfad einer SQLite-Datei oder postgresql+psycopg://BENUTZER@SERVER/DATENBANK "
        "(sonst KONFERENZ_DB oder die Datei im Benutzerordner)",
    )


def _open(args: argparse.Namespace, *, create: bool = True):  # type: ignore[no-untyped-def]
    from konferenz import db as dbmod
    from konferenz import paths

    if args.db is None and not os.environ.get(dbmod.ENV_VAR):
        paths.data_dir().mkdir(parents=True, exist_ok=True)
    return dbmod.open_database(args.db, create=create)


def _ensure_display() -> None:
    """Without a display (SSH, CI), Qt renders offscreen instead of aborting."""
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or os.environ.get("QT_QPA_PLATFORM")
    ):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"


# --- subcommands --------------------------------------------------------------------------------------


def cmd_window(args: argparse.Namespace) -> int:
    from ui import app

    database = _open(args)
    if args.check:
        _ensure_display()
        print(app.check(database))
        return EXIT_OK
    return app.run_window(database)


def cmd_demo(args: argparse.Namespace) -> int:
    from konferenz.demo import generate_demo

    database = _open(args)
    try:
        summary = generate_demo(database, persons=args.persons, seed=args.seed)
    finally:
        database.dispose()
    print(_demo_line(summary, database.display_name))
    return EXIT_OK


def _demo_line(summary: object, name: str) -> str:
    def n(attr: str) -> str:
        return f"{getattr(summary, attr):,}".replace(",", ".")

    return (
        f"Demodaten angelegt: {n('persons')} Personen, {n('organisations')} Organisationen, "
        f"{n('conferences')} Konferenzen, {n('invitations')} Einladungen (Datenbank: {name})"
    )


def _fmt(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def cmd_migrate_to(args: argparse.Namespace) -> int:
    from konferenz import db as dbmod
    from konferenz import transfer

    source = _open(args, create=False)
    try:
        if source.backend != "sqlite":
            raise UserError("Umziehen geht nur von einer SQLite-Datei aus (--db DATEI).")
        target_url = dbmod.resolve_url(args.url)
        if target_url.get_backend_name() != "postgresql":
            raise UserError("Das Ziel muss eine PostgreSQL-Adresse sein (postgresql+psycopg://…).")
        target = dbmod.open_database(target_url)
        try:
            result = transfer.copy_database(source, target, progress=_progress_printer("Kopiere"))
        finally:
            target.dispose()
    finally:
        source.dispose()
    print(
        f"Umzug fertig: {_fmt(result.total_rows)} Zeilen in {len(result.counts)} Tabellen nach "
        f"{result.target} kopiert, Zeilenzahlen geprüft."
    )
    return EXIT_OK


def cmd_backup(args: argparse.Namespace) -> int:
    from pathlib import Path

    from konferenz import transfer

    source = _open(args, create=False)
    try:
        result = transfer.backup(source, Path(args.output))
    finally:
        source.dispose()
    print(f"Sicherung geschrieben: {result.target} ({_fmt(result.total_rows)} Zeilen).")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from pathlib import Path

    from konferenz import transfer

    target = _open(args)
    try:
        result = transfer.restore(Path(args.file), target)
    finally:
        target.dispose()
    print(f"Wiederhergestellt: {result.source} → {result.target} ({_fmt(result.total_rows)} Zeilen).")
    return EXIT_OK


def _progress_printer(verb: str) -> Callable[[int, int], None]:
    state = {"last": -1}

    def report(done: int, total: int) -> None:
        percent = 100 * done // total if total else 100
        if percent // 10 != state["last"] and sys.stderr.isatty():
            state["last"] = percent // 10
            print(f"{verb} … {percent} %", file=sys.stderr, flush=True)

    return report


Command = Callable[[argparse.Namespace], int]


def build_parser() -> GermanParser:
    parser = GermanParser(
        prog="konferenz",
        description="Konferenz – Einladungen, Programm, Protokoll und Ergebnisse der "
        "Integrationskonferenz des Kreises Borken. Ohne Befehl öffnet sich das Programmfenster.",
    )
    parser.add_argument("--version", action="version", version=f"konferenz {__version__}")
    _add_db(parser, default=None)
    parser.add_argument(
        "--check",
        action="store_true",
        help="Fenster öffnen, warten bis alle Listen geladen sind, eine Zeile mit den Anzahlen ausgeben "
        "und beenden (Prüfung einer Installation)",
    )
    parser.set_defaults(command=cmd_window)
    sub = parser.add_subparsers(title="Befehle", metavar="BEFEHL", parser_class=GermanParser)

    demo = sub.add_parser(
        "demo",
        help="eine leere Datenbank mit Demodaten füllen",
        description="Füllt eine leere Datenbank mit einem erfundenen, aber realistischen Kreis Borken: "
        "17 Kommunen, Organisationen, Personen, Konferenzen 2023–2026 mit Einladungen, Programm, "
        "Protokoll und Empfehlungen. Gleicher Startwert, gleiche Daten.",
    )
    _add_db(demo, default=argparse.SUPPRESS)
    demo.add_argument("--persons", type=_positive_int, default=300, metavar="N", help="Anzahl Personen (300)")
    demo.add_argument("--seed", type=int, default=1, metavar="S", help="Startwert des Zufalls (1)")
    demo.set_defaults(command=cmd_demo)

    migrate = sub.add_parser(
        "migrate-to",
        help="die SQLite-Datei in eine leere PostgreSQL-Datenbank umziehen",
        description="Kopiert die ganze SQLite-Datenbank (--db) in eine leere PostgreSQL-Datenbank, mit "
        "allen Kennungen, und prüft danach die Zeilenzahl jeder Tabelle. Eine Zieldatenbank mit Daten "
        "wird abgelehnt.",
    )
    migrate.add_argument("url", metavar="URL", help="Ziel: postgresql+psycopg://BENUTZER@SERVER/DATENBANK")
    _add_db(migrate, default=argparse.SUPPRESS)
    migrate.set_defaults(command=cmd_migrate_to)

    backup = sub.add_parser(
        "backup",
        help="eine vollständige Sicherung als SQLite-Datei schreiben",
        description="Schreibt eine vollständige Kopie der Datenbank als SQLite-Datei, die dieses Programm "
        "direkt öffnen kann – auch von einer Server-Datenbank.",
    )
    backup.add_argument("-o", "--output", required=True, metavar="DATEI", help="neue Sicherungsdatei")
    _add_db(backup, default=argparse.SUPPRESS)
    backup.set_defaults(command=cmd_backup)

    restore = sub.add_parser(
        "restore",
        help="eine Sicherung zurückspielen",
        description="Spielt eine Sicherungsdatei zurück. Eine SQLite-Datenbank wird vorher daneben "
        "gesichert (NAME.vor-wiederherstellung-ZEIT.sqlite); eine Server-Datenbank muss leer sein.",
    )
    restore.add_argument("file", metavar="DATEI", help="Sicherungsdatei (.sqlite)")
    _add_db(restore, default=argparse.SUPPRESS)
    restore.set_defaults(command=cmd_restore)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from konferenz.logs import log_file, setup_logging

    parser = build_parser()
    args = parser.parse_args(argv)
    setup_logging()
    command: Command = args.command
    try:
        return command(args)
    except UserError as exc:
        print(f"konferenz: Fehler: {exc.message}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("konferenz: abgebrochen", file=sys.stderr)
        return 130
    except Exception:
        log.exception("Unerwarteter Fehler bei %s", " ".join(argv if argv is not None else sys.argv[1:]))
        print(
            f"konferenz: Interner Fehler. Details stehen in der Protokolldatei {log_file()}",
            file=sys.stderr,
        )
        return EXIT_BUG


if __name__ == "__main__":
    sys.exit(main())
