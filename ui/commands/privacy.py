"""``konferenz privacy export|erase|review``: data protection requests (DSGVO Art. 15 and 17)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ui.commands.cli import EXIT_OK, add_db_argument, opened, positive_int


def cmd_export(args: argparse.Namespace) -> int:
    from konferenz.errors import UserError
    from konferenz.privacy import reads as privacy_reads
    from konferenz.privacy.access import save_export

    output = Path(args.output)
    json_path = None if output.suffix.lower() == ".pdf" else output
    pdf_path = output if json_path is None else (Path(args.pdf) if args.pdf else None)
    if pdf_path is not None and pdf_path.suffix.lower() != ".pdf":
        raise UserError(f"„{pdf_path.name}“: PDF-Dateien müssen auf .pdf enden.")
    if pdf_path is not None and not pdf_path.expanduser().absolute().parent.is_dir():
        raise UserError(f"Der Ordner „{pdf_path.expanduser().absolute().parent}“ existiert nicht.")
    with opened(args) as database:
        data = privacy_reads.person_export(database, args.person)
        author = ""
        if pdf_path is not None:
            from ui.paper.archive_pdf import database_author

            author = database_author(database)
    written = []
    if json_path is not None:
        written.append(save_export(data, json_path))
    if pdf_path is not None:
        from ui.paper.privacy_report import privacy_report_pdf

        privacy_report_pdf(data, pdf_path, author=author)
        written.append(pdf_path.expanduser().absolute())
    print(f"Auskunft für Person {args.person} gespeichert: {', '.join(str(p) for p in written)}")
    return EXIT_OK


def cmd_erase(args: argparse.Namespace) -> int:
    from konferenz.privacy.erasure import erase_person

    with opened(args) as database:
        result = erase_person(database, args.person, args.reason)
    print(f"{result.summary(f'Person {result.person_id}')} Löschprotokoll: {result.id_hash[:16]}…")
    return EXIT_OK


def cmd_review(args: argparse.Namespace) -> int:
    from konferenz.privacy import reads as privacy_reads

    with opened(args) as database:
        rows = privacy_reads.review_rows(database, args.years)
    who = "1 Person" if len(rows) == 1 else f"{len(rows)} Personen"
    years = "einem Jahr" if args.years == 1 else f"{args.years} Jahren"
    print(f"{who} seit mindestens {years} nicht eingeladen:")
    for r in rows:
        last = f"zuletzt {r.last_year}" if r.last_year else f"nie eingeladen, erfasst {r.created_at:%d.%m.%Y}"
        print(f"{r.person_id:>8}  {r.name}  ({last})")
    return EXIT_OK


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    privacy = sub.add_parser("privacy", help="Datenschutz: Auskunft, Löschung, Überprüfung")
    psub = privacy.add_subparsers(title="Befehle", metavar="BEFEHL", required=True)

    export = psub.add_parser(
        "export",
        help="alles über eine Person als JSON und/oder PDF (Auskunft nach Art. 15 DSGVO)",
        description="Schreibt alle gespeicherten Daten einer Person (Felder, Rollen, Einladungen, "
        "Einwilligungen, Änderungsprotokoll) als JSON; mit --pdf zusätzlich als lesbares PDF. Endet -o auf "
        ".pdf, entsteht nur das PDF. ID ist die Spalte ID des Adressen-Exports.",
    )
    export.add_argument("--person", type=positive_int, required=True, metavar="ID", help="ID der Person")
    export.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="DATEI.json",
        help="Zieldatei (.json, oder .pdf für nur das PDF)",
    )
    export.add_argument("--pdf", metavar="DATEI.pdf", help="zusätzlich die lesbare Auskunft als PDF")
    add_db_argument(export)
    export.set_defaults(command=cmd_export)

    erase = psub.add_parser(
        "erase",
        help="eine Person anonymisieren (Löschung nach Art. 17 DSGVO)",
        description="Entfernt Name, Kontaktdaten und freie Texte überall; Teilnahmezahlen und Statistik "
        "bleiben unverändert. Ins Löschprotokoll kommen nur ein Hash der ID, Datum und Grund.",
    )
    erase.add_argument("--person", type=positive_int, required=True, metavar="ID", help="ID der Person")
    erase.add_argument("--reason", required=True, metavar="TEXT", help="Grund, z. B. „Antrag vom 03.11.2026“")
    add_db_argument(erase)
    erase.set_defaults(command=cmd_erase)

    review = psub.add_parser(
        "review",
        help="Personen auflisten, die seit N Jahren nicht eingeladen wurden",
        description="Listet Personen, die seit mindestens N Jahren zu keiner Konferenz eingeladen wurden "
        "(nie Eingeladene, wenn sie länger als N Jahre erfasst sind) – zur Prüfung, ob sie gelöscht werden.",
    )
    review.add_argument("--years", type=positive_int, default=3, metavar="N", help="Jahre (3)")
    add_db_argument(review)
    review.set_defaults(command=cmd_review)
