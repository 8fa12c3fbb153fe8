"""``konferenz import`` (Excel/CSV into the registry, with undo) and ``konferenz export`` (Excel lists)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from konferenz.errors import UserError, file_problem
from ui.commands.cli import EXIT_OK, add_db_argument, number, opened, positive_int, progress_printer


def _write_report(path: str, data: dict[str, object]) -> None:
    target = Path(path).expanduser()
    if not target.parent.is_dir():
        raise UserError(f"Der Ordner „{target.parent}“ für den Bericht existiert nicht.")
    try:
        target.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    except OSError as exc:
        raise UserError(file_problem(target, exc)) from exc


def cmd_import(args: argparse.Namespace) -> int:
    from konferenz.importing import profiles, undo
    from konferenz.importing import service as importing
    from konferenz.importing.plan import Outcome

    with opened(args) as database:
        if args.list:
            imports = undo.list_imports(database)
            if not imports:
                print("Es wurde noch nichts importiert.")
            for info in imports:
                state = f", rückgängig gemacht am {info.undone_at:%d.%m.%Y}" if info.undone_at else ""
                print(
                    f"Nr. {info.id}: {info.imported_at:%d.%m.%Y %H:%M} {info.file_name} – "
                    f"{number(info.rows_read)} Zeilen, {number(info.created)} angelegt, "
                    f"{number(info.updated)} aktualisiert ({info.os_user}){state}"
                )
            return EXIT_OK
        if args.undo is not None:
            result = undo.undo_import(database, args.undo)
            print(result.text)
            return EXIT_OK
        if args.file is None:
            raise UserError("Bitte die Datei angeben, die importiert werden soll (konferenz import DATEI).")
        mapping = profiles.load_profile(database, args.profile) if args.profile else None
        # without --dry-run the rows are resolved once, inside the commit (no preview kept in memory)
        plan = importing.plan_import(
            database, Path(args.file), args.sheet, mapping, update=args.update, preview=args.dry_run
        )
        if args.dry_run:
            report = plan.report(args.file)
        else:
            report = importing.commit_import(
                database,
                plan,
                update=args.update,
                progress=progress_printer("Importiere"),
                file_name=args.file,
            )
        if args.save_profile:
            profiles.save_profile(database, args.save_profile, plan)
    print(report.summary())
    for row in report.rows:
        if row.outcome is Outcome.REJECTED or (args.verbose and row.messages):
            print(f"  Zeile {row.excel_row}: {row.outcome_label} – {' '.join(row.messages)}")
    if args.report:
        _write_report(args.report, report.to_json())
        print(f"Bericht: {args.report}")
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from konferenz.enums import InvitationStatus
    from konferenz.exports import workbooks as exporter

    with opened(args) as database:
        if args.what == "registry":
            result = exporter.export_registry(database, Path(args.output))
        elif args.what == "invitations":
            result = exporter.export_invitations(database, args.conference, Path(args.output))
        else:
            statuses = InvitationStatus.seated() if args.accepted else InvitationStatus.attended()
            result = exporter.export_attendees(database, args.conference, Path(args.output), statuses)
    parts = ", ".join(f"{number(n)} {sheet}" for sheet, n in result.rows.items())
    print(f"Gespeichert: {result.path} ({parts})")
    return EXIT_OK


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    imp = sub.add_parser(
        "import",
        help="Adressen aus einer Excel- oder CSV-Datei übernehmen",
        description="Übernimmt Personen und Organisationen aus einer Excel-Datei (.xlsx, .xlsm) oder CSV-Datei. "
        "Die Kopfzeile wird in den ersten 20 Zeilen gesucht, Spalten werden über ihre Überschrift "
        "zugeordnet (Anrede, Titel, Vorname, Nachname, Name, „Name, Vorname“, Organisation, Funktion, "
        "Straße, PLZ, Ort, „PLZ / Ort“, E-Mail, Telefon, Kategorie, Kommune, Notiz, ID …). Dubletten "
        "werden nicht verändert, sondern mit ihrer Nummer gemeldet (mit --update ergänzt). Alles oder "
        "nichts: bricht der Import ab, bleibt die Datenbank unverändert. Ein Import lässt sich mit "
        "--undo NR rückgängig machen, solange seine Datensätze nicht bearbeitet wurden.",
    )
    imp.add_argument(
        "file",
        nargs="?",
        metavar="DATEI",
        help="Excel- (.xlsx/.xlsm/.xlsb/.xls), LibreOffice- (.ods), CSV-/Text- oder vCard-Datei",
    )
    imp.add_argument(
        "--sheet", metavar="NAME", help="dieses Blatt lesen (sonst das erste mit einer Kopfzeile)"
    )
    imp.add_argument("--dry-run", action="store_true", help="nur prüfen und berichten, nichts speichern")
    imp.add_argument("--update", action="store_true", help="Dubletten mit den Werten aus der Datei ergänzen")
    imp.add_argument("--report", metavar="BERICHT.json", help="Bericht zu jeder Zeile als JSON schreiben")
    imp.add_argument("--profile", metavar="NAME", help="gespeicherte Spaltenzuordnung verwenden")
    imp.add_argument("--save-profile", metavar="NAME", help="die verwendete Spaltenzuordnung speichern")
    imp.add_argument("-v", "--verbose", action="store_true", help="Hinweise zu jeder Zeile ausgeben")
    imp.add_argument(
        "--undo", type=positive_int, metavar="NR", help="den Import mit dieser Nummer rückgängig machen"
    )
    imp.add_argument("--list", action="store_true", help="die bisherigen Importe auflisten")
    add_db_argument(imp)
    imp.set_defaults(command=cmd_import)

    exp = sub.add_parser(
        "export",
        help="Listen als Excel-Datei speichern",
        description="Speichert eine Liste als Excel-Datei: den Adressbestand (registry; erste Spalte ID, so "
        "dass die bearbeitete Datei wieder importiert werden kann), die Einladungen einer Konferenz "
        "(invitations) oder ihre Teilnehmenden (attendees).",
    )
    exp_sub = exp.add_subparsers(title="Listen", metavar="LISTE", required=True, dest="what")
    registry = exp_sub.add_parser("registry", help="alle Personen und Organisationen")
    invitations = exp_sub.add_parser("invitations", help="die Einladungen einer Konferenz mit Status")
    attendees = exp_sub.add_parser("attendees", help="die Teilnehmenden einer Konferenz")
    for parser in (invitations, attendees):
        parser.add_argument(
            "--conference", type=int, required=True, metavar="JAHR", help="Jahr der Konferenz"
        )
    attendees.add_argument(
        "--accepted",
        action="store_true",
        help="alle mit Zusage (vor der Veranstaltung), nicht nur Teilgenommene",
    )
    for parser in (registry, invitations, attendees):
        parser.add_argument(
            "-o",
            "--output",
            required=True,
            metavar="DATEI.xlsx|.ods",
            help="Zieldatei (.xlsx für Excel, .ods für LibreOffice)",
        )
        add_db_argument(parser)
        parser.set_defaults(command=cmd_export)
