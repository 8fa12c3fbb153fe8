"""The command line: ``konferenz`` opens the window; subcommands drive the same services headless.

Every subcommand takes ``--db PATH_OR_URL``. A ``UserError`` (bad input, unreadable database) prints one
German line and exits with status 2; a bug is logged with its traceback to the log file and exits with 1.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import gettext
import importlib
import logging
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, NoReturn

from konferenz import __version__
from konferenz.errors import UserError
from ui.display import ensure_display

if TYPE_CHECKING:
    from konferenz.storage.db import Database

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


argparse._ = _german  # type: ignore[attr-defined]  # argparse's own texts in German (module-level gettext alias)
argparse.ngettext = _german_n  # type: ignore[attr-defined]  # (as above, plural forms)


class GermanParser(argparse.ArgumentParser):
    """ArgumentParser whose errors are one German line and exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USER_ERROR, f"{self.prog}: Fehler: {message}\n")


def positive_int(text: str) -> int:
    """argparse type: a whole number ≥ 0, with a German message otherwise."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"„{text}“ ist keine ganze Zahl") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{value} ist negativ")
    return value


def add_db_argument(parser: argparse.ArgumentParser, *, default: object = argparse.SUPPRESS) -> None:
    """``--db`` on a subcommand (SUPPRESS keeps a ``--db`` given before the subcommand)."""
    parser.add_argument(
        "--db",
        metavar="PFAD_ODER_URL",
        default=default,
        help="Datenbank: Pfad einer SQLite-Datei oder postgresql+psycopg://BENUTZER@SERVER/DATENBANK "
        "(sonst KONFERENZ_DB oder die Datei im Benutzerordner)",
    )


@contextlib.contextmanager
def opened(args: argparse.Namespace, *, create: bool = True, check: bool = True) -> Iterator[Database]:
    """The database named by ``--db`` (or KONFERENZ_DB, or the default file), disposed afterwards."""
    from konferenz import paths
    from konferenz.storage import db as dbmod

    if args.db is None and not os.environ.get(dbmod.ENV_VAR):
        paths.data_dir().mkdir(parents=True, exist_ok=True)
    database = dbmod.open_database(args.db, create=create, check=check)
    try:
        yield database
    finally:
        database.dispose()


def number(n: int) -> str:
    """A whole number the German way: 10.000."""
    return f"{n:,}".replace(",", ".")


def progress_printer(verb: str) -> Callable[[int, int], None]:
    """A progress callback that prints every 10 % to stderr when it is a terminal."""
    state = {"last": -1}

    def report(done: int, total: int) -> None:
        percent = 100 * done // total if total else 100
        if percent // 10 != state["last"] and sys.stderr.isatty():
            state["last"] = percent // 10
            print(f"{verb} … {percent} %", file=sys.stderr, flush=True)

    return report


def cmd_window(args: argparse.Namespace) -> int:
    # Modules without Qt come first: once PySide6 is loaded, its import hook (``__feature__`` support)
    # makes every later import slower – about 0.1 s over SQLAlchemy and the core modules the window needs.
    from konferenz.storage.backups import DamagedDatabaseError
    from ui.shell import app

    if args.check:
        ensure_display()
        with opened(args) as database:
            print(app.check(database))
            return EXIT_OK
    try:
        with opened(args) as database:
            return app.run_window(database)
    except DamagedDatabaseError as exc:
        from ui.shell.data_safety import offer_restore

        if not offer_restore(exc):
            raise
    with opened(args) as database:
        return app.run_window(database)


Command = Callable[[argparse.Namespace], int]

#: modules with a ``register(subparsers)`` function, one per group of subcommands
COMMAND_MODULES = (
    "ui.commands.demo",
    "ui.commands.transfer",
    "ui.commands.conferences",
    "ui.commands.checkin",
    "ui.commands.programme",
    "ui.commands.privacy",
    "ui.commands.audit_log",
    "ui.commands.paper",
    "ui.commands.certificates",
    "ui.commands.mail",
    "ui.commands.spreadsheets",
    "ui.commands.mail_settings",
)


def names_a_command(argv: Sequence[str]) -> bool:
    """True unless ``argv`` only opens the window (options, ``--db`` with its value, no help asked)."""
    tokens = iter(argv)
    for token in tokens:
        if token in ("-h", "--help") or not token.startswith("-"):
            return True
        if token == "--db":
            next(tokens, None)
    return False


def build_parser(*, commands: bool = True) -> GermanParser:
    """The command line; ``commands=False`` leaves out the subcommands (the window's start needs none of
    their ~30 parsers and modules, ~10 ms)."""
    parser = GermanParser(
        prog="konferenz",
        description="Konferenz – Einladungen, Programm, Protokoll und Ergebnisse der "
        "Integrationskonferenz des Kreises Borken. Ohne Befehl öffnet sich das Programmfenster.",
    )
    parser.add_argument(
        "--version", action="version", version=f"konferenz {__version__}", help="Programmversion zeigen"
    )
    add_db_argument(parser, default=None)
    parser.add_argument(
        "--check",
        action="store_true",
        help="Fenster öffnen, warten bis alle Listen geladen sind, eine Zeile mit den Anzahlen ausgeben "
        "und beenden (Prüfung einer Installation)",
    )
    parser.set_defaults(command=cmd_window)
    if not commands:
        return parser
    sub = parser.add_subparsers(title="Befehle", metavar="BEFEHL", parser_class=GermanParser)

    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from konferenz.logs import log_file, setup_logging

    # Opening the window creates some hundred thousand objects and no garbage worth collecting: the cyclic
    # garbage collector would run dozens of times on the way (~0.1 s). It is off until the window shows
    # its lists (``ui.shell.app.startup_finished``) and for no other command.
    gc.disable()
    try:
        arguments = list(argv) if argv is not None else sys.argv[1:]
        parser = build_parser(commands=names_a_command(arguments))
        args = parser.parse_args(arguments)
        if args.command is not cmd_window:
            gc.enable()
        setup_logging()
        command: Command = args.command
        return command(args)
    except UserError as exc:
        print(f"konferenz: Fehler: {exc.message}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("konferenz: abgebrochen", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader of our output went away (`konferenz stats | head`): stop quietly, as other tools do;
        # stdout goes to devnull so the interpreter's final flush cannot fail again
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except Exception:
        log.exception("Unerwarteter Fehler bei %s", " ".join(argv if argv is not None else sys.argv[1:]))
        print(
            f"konferenz: Interner Fehler. Details stehen in der Protokolldatei {log_file()}",
            file=sys.stderr,
        )
        return EXIT_BUG
    finally:
        gc.enable()


if __name__ == "__main__":
    sys.exit(main())
