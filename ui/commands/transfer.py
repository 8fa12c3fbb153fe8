"""``konferenz migrate-to``, ``backup``, ``restore``: whole-database copies."""

from __future__ import annotations

import argparse
from pathlib import Path

from konferenz.errors import UserError
from ui.commands.cli import EXIT_OK, add_db_argument, number, opened, progress_printer


def cmd_migrate_to(args: argparse.Namespace) -> int:
    from konferenz.storage import db as dbmod
    from konferenz.storage import transfer

    with opened(args, create=False) as source:
        if source.backend != "sqlite":
            raise UserError("Umziehen geht nur von einer SQLite-Datei aus (--db DATEI).")
        target_url = dbmod.resolve_url(args.url)
        if target_url.get_backend_name() != "postgresql":
            raise UserError("Das Ziel muss eine PostgreSQL-Adresse sein (postgresql+psycopg://…).")
        target = dbmod.open_database(target_url)
        try:
            result = transfer.copy_database(source, target, progress=progress_printer("Kopiere"))
        finally:
            target.dispose()
    print(
        f"Umzug fertig: {number(result.total_rows)} Zeilen in {len(result.counts)} Tabellen nach "
        f"{result.target} kopiert, Zeilenzahlen geprüft."
    )
    return EXIT_OK


def cmd_backup(args: argparse.Namespace) -> int:
    from konferenz.storage import transfer

    with opened(args, create=False) as source:
        result = transfer.backup(source, Path(args.output))
    print(f"Sicherung geschrieben: {result.target} ({number(result.total_rows)} Zeilen).")
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from konferenz.storage import transfer

    with opened(args, check=False) as target:
        result = transfer.restore(Path(args.file), target)
    print(f"Wiederhergestellt: {result.source} → {result.target} ({number(result.total_rows)} Zeilen).")
    return EXIT_OK


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    migrate = sub.add_parser(
        "migrate-to",
        help="die SQLite-Datei in eine leere PostgreSQL-Datenbank umziehen",
        description="Kopiert die ganze SQLite-Datenbank (--db) in eine leere PostgreSQL-Datenbank, mit "
        "allen Kennungen, und prüft danach die Zeilenzahl jeder Tabelle. Eine Zieldatenbank mit Daten "
        "wird abgelehnt.",
    )
    migrate.add_argument("url", metavar="URL", help="Ziel: postgresql+psycopg://BENUTZER@SERVER/DATENBANK")
    add_db_argument(migrate)
    migrate.set_defaults(command=cmd_migrate_to)

    backup = sub.add_parser(
        "backup",
        help="eine vollständige Sicherung als SQLite-Datei schreiben",
        description="Schreibt eine vollständige Kopie der Datenbank als SQLite-Datei, die dieses Programm "
        "direkt öffnen kann – auch von einer Server-Datenbank.",
    )
    backup.add_argument("-o", "--output", required=True, metavar="DATEI", help="neue Sicherungsdatei")
    add_db_argument(backup)
    backup.set_defaults(command=cmd_backup)

    restore = sub.add_parser(
        "restore",
        help="eine Sicherung zurückspielen",
        description="Spielt eine Sicherungsdatei zurück. Eine SQLite-Datenbank wird vorher daneben "
        "gesichert (NAME.vor-wiederherstellung-ZEIT.sqlite); eine Server-Datenbank muss leer sein.",
    )
    restore.add_argument("file", metavar="DATEI", help="Sicherungsdatei (.sqlite)")
    add_db_argument(restore)
    restore.set_defaults(command=cmd_restore)
