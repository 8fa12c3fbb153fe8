"""``konferenz audit-log``: the change log as an Excel file."""

from __future__ import annotations

import argparse

from ui.commands.cli import EXIT_OK, add_db_argument, opened, positive_int
from ui.commands.conferences import parse_date


def cmd_audit_log(args: argparse.Namespace) -> int:
    from konferenz.audit.history import write_audit_log

    entity: tuple[str, int] | None = None
    if args.person is not None:
        entity = ("person", args.person)
    elif args.organisation is not None:
        entity = ("organisation", args.organisation)
    with opened(args) as database:
        path = write_audit_log(database, args.output, since=args.since, entity=entity)
    print(f"Änderungsprotokoll gespeichert: {path}")
    return EXIT_OK


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    audit = sub.add_parser(
        "audit-log",
        help="das Änderungsprotokoll als Excel-Datei",
        description="Jede Änderung an Personen, Organisationen, Einladungen und Empfehlungen mit Zeitpunkt, "
        "Windows-Benutzer, Rechner, altem und neuem Wert.",
    )
    audit.add_argument(
        "-o", "--output", required=True, metavar="DATEI.xlsx|.ods", help="Zieldatei (.xlsx oder .ods)"
    )
    audit.add_argument("--since", type=parse_date, metavar="JJJJ-MM-TT", help="nur Änderungen ab diesem Tag")
    who = audit.add_mutually_exclusive_group()
    who.add_argument("--person", type=positive_int, metavar="ID", help="nur diese Person")
    who.add_argument("--organisation", type=positive_int, metavar="ID", help="nur diese Organisation")
    add_db_argument(audit)
    audit.set_defaults(command=cmd_audit_log)
