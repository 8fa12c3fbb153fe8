"""``konferenz certificates``: Teilnahmebescheinigungen for everyone who attended (laut Check-in), or for
chosen persons, as one PDF (``-o``) or one PDF per person in a folder (``--ordner``)."""

from __future__ import annotations

import argparse
from pathlib import Path

from konferenz.errors import UserError
from ui.commands.cli import EXIT_OK, add_db_argument, opened, progress_printer


def person_ids(text: str) -> list[int]:
    """ "12,40, 7" → [12, 40, 7]; a German UserError naming the entry that is no number."""
    ids = []
    for part in text.split(","):
        entry = part.strip()
        if not entry:
            continue
        if not entry.isdigit() or int(entry) <= 0:
            raise UserError(f"--person: „{entry}“ ist keine Personennummer (erwartet z. B. 12,40,7).")
        ids.append(int(entry))
    if not ids:
        raise UserError("--person: Bitte mindestens eine Personennummer angeben (z. B. 12,40,7).")
    return ids


def cmd_certificates(args: argparse.Namespace) -> int:
    from konferenz.letters.certificates import certificate_contents
    from ui.paper.canvas import ensure_application
    from ui.paper.certificates import write_certificates, written_text

    chosen = person_ids(args.person) if args.person is not None else None
    per_person = args.folder is not None
    target = Path(args.folder if per_person else args.output).expanduser()
    if per_person and not target.is_dir():
        raise UserError(f"Den Ordner „{target}“ gibt es nicht.")
    if not per_person:
        if target.is_dir():
            raise UserError(
                f"„{target}“ ist ein Ordner; bitte einen Dateinamen angeben (z. B. bescheinigungen.pdf)."
            )
        if not target.parent.is_dir():
            raise UserError(f"Der Ordner „{target.parent}“ existiert nicht.")
    with opened(args, create=False) as database:
        certs = certificate_contents(database, args.conference, person_ids=chosen)
        if not certs:
            raise UserError(
                f"Für die Konferenz {args.conference} hat laut Check-in niemand teilgenommen; "
                "es gibt keine Teilnahmebescheinigungen."
            )
        ensure_application()
        report = progress_printer("Bescheinigungen") if per_person and len(certs) > 20 else None
        written = write_certificates(certs, target, per_person=per_person, progress=report)
    print(written_text(written, per_person=per_person))
    return EXIT_OK


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "certificates",
        aliases=["bescheinigungen"],
        help="Teilnahmebescheinigungen als PDF (alle mit Check-in oder ausgewählte Personen)",
        description="Schreibt eine Teilnahmebescheinigung je Person, die laut Check-in an der Konferenz "
        "teilgenommen hat (Status „teilgenommen“): Briefkopf, Name, Datum, Titel und Dauer der Konferenz, "
        "besuchte Foren, Unterschrift aus „Briefkopf und Absender“. Text aus der Vorlage "
        "„teilnahmebescheinigung“ (eine eigene Fassung im Vorlagenordner ersetzt sie). Mit -o alle in "
        "eine PDF-Datei (eine Seite je Person), mit --ordner eine PDF-Datei je Person, benannt wie im "
        "Briefarchiv (2026-teilnahmebescheinigung-00042-name-vorname.pdf).",
    )
    parser.add_argument(
        "--conference", "--konferenz", type=int, required=True, metavar="JAHR", help="Jahr der Konferenz"
    )
    parser.add_argument(
        "--person",
        "--personen",
        metavar="NR,…",
        help="nur für diese Personen (Personennummern, durch Komma getrennt); sonst für alle mit Check-in",
    )
    output = parser.add_mutually_exclusive_group(required=True)
    output.add_argument("-o", "--output", metavar="DATEI.pdf", help="alle Bescheinigungen in eine PDF-Datei")
    output.add_argument(
        "--ordner",
        "--folder",
        dest="folder",
        metavar="ORDNER",
        help="eine PDF-Datei je Person in diesen Ordner",
    )
    add_db_argument(parser)
    parser.set_defaults(command=cmd_certificates)
