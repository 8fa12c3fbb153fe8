"""``konferenz agenda``, ``minutes`` and ``recommendations``."""

from __future__ import annotations

import argparse
from pathlib import Path

from konferenz.errors import UserError
from ui.commands.cli import EXIT_OK, add_db_argument, opened


def _suffix(path: str, allowed: tuple[str, ...]) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in allowed:
        raise UserError(f"„{path}“: erlaubt sind {' oder '.join(allowed)}.")
    return suffix


def cmd_agenda(args: argparse.Namespace) -> int:
    from konferenz.programme import reads as programme_reads
    from konferenz.programme import service as programme
    from konferenz.spreadsheets.xlsx import write_workbook

    suffix = _suffix(args.output, (".pdf", ".xlsx", ".ods"))
    with opened(args) as database:
        if suffix in (".xlsx", ".ods"):
            rows = programme_reads.read_agenda_rows(database, args.conference)
            sheets = [programme.agenda_sheet(rows)]
            if args.internal:
                sheets.append(programme.agenda_sheet(rows, internal=True))
            write_workbook(args.output, sheets)
        else:
            from ui.paper import programme_pdf

            programme_pdf.write_agenda_pdf(
                database, args.conference, Path(args.output), internal=args.internal
            )
    print(f"Gespeichert: {args.output}")
    return EXIT_OK


def cmd_minutes(args: argparse.Namespace) -> int:
    suffix = _suffix(args.output, (".pdf", ".docx", ".odt"))
    with opened(args) as database:
        if suffix == ".pdf":
            from ui.paper import programme_pdf

            programme_pdf.write_minutes_pdf(database, args.conference, Path(args.output))
        else:
            from konferenz.letters.documents.files import write_document
            from konferenz.letters.documents.minutes import minutes_document_file
            from konferenz.letters.printing import minutes_document

            with database.read_session() as session:
                doc = minutes_document(session, args.conference)
            write_document(minutes_document_file(doc), args.output)
    print(f"Gespeichert: {args.output}")
    return EXIT_OK


def cmd_recommendations(args: argparse.Namespace) -> int:
    from konferenz.programme import reads as programme_reads
    from konferenz.programme import service as programme
    from konferenz.spreadsheets.xlsx import write_workbook

    _suffix(args.output, (".xlsx", ".ods"))
    flt = programme.RecommendationFilter(statuses=programme.OPEN_STATUSES if args.open else ())
    with opened(args) as database:
        rows = programme_reads.read_recommendations(database, flt)
    write_workbook(args.output, [programme.recommendations_sheet(rows)])
    print(f"{len(rows)} Empfehlungen gespeichert: {args.output}")
    return EXIT_OK


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    agenda = sub.add_parser(
        "agenda",
        help="Programm einer Konferenz als PDF oder Excel",
        description="Schreibt das Programm (Tagesordnung mit Zeiten und parallelen Foren) als PDF – etwa als "
        "Anlage zur Einladung – oder als Excel-Datei. Mit --internal zusätzlich der Regieplan.",
    )
    agenda.add_argument("--conference", type=int, required=True, metavar="JAHR", help="Jahr der Konferenz")
    agenda.add_argument(
        "-o", "--output", required=True, metavar="DATEI.pdf|DATEI.xlsx|DATEI.ods", help="Zieldatei"
    )
    agenda.add_argument("--internal", action="store_true", help="Regieplan mit Verantwortlichen und Notizen")
    add_db_argument(agenda)
    agenda.set_defaults(command=cmd_agenda)

    minutes = sub.add_parser(
        "minutes",
        help="Protokoll einer Konferenz als PDF, Word oder LibreOffice",
        description="Schreibt das Protokoll: Kopf mit Konferenz, Datum, Ort und Teilnahme nach Kategorie, "
        "die Programmpunkte und Foren in ihrer Reihenfolge mit Ergebnissen und die Empfehlungen.",
    )
    minutes.add_argument("--conference", type=int, required=True, metavar="JAHR", help="Jahr der Konferenz")
    minutes.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="DATEI.pdf|DATEI.docx|DATEI.odt",
        help="Zieldatei: .pdf, .docx (Word) oder .odt (LibreOffice) zum Bearbeiten",
    )
    add_db_argument(minutes)
    minutes.set_defaults(command=cmd_minutes)

    recs = sub.add_parser(
        "recommendations",
        help="Handlungsempfehlungen aller Jahre als Excel",
        description="Eine Zeile je Empfehlung: Jahr, Herkunft, Text, Zuständig, Fälligkeit, Status und letzter "
        "Vermerk. Mit --open nur „offen“ und „in Arbeit“.",
    )
    recs.add_argument("--open", action="store_true", help="nur offene und in Arbeit befindliche")
    recs.add_argument("-o", "--output", required=True, metavar="DATEI.xlsx|DATEI.ods", help="Zieldatei")
    add_db_argument(recs)
    recs.set_defaults(command=cmd_recommendations)
