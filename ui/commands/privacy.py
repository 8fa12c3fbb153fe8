"""``konferenz privacy export|erase|review``: data protection requests (DSGVO Art. 15 and 17)."""

from __future__ import annotations

import argparse
from pathlib import Path

from ui.cli import EXIT_OK, add_db_argument, opened, positive_int


def cmd_export(args: argparse.Namespace) -> int:
    from konferenz import privacy

    with opened(args) as database, database.read_session() as s:
        path = privacy.write_export(s, args.person, Path(args.output))
    print(f"Auskunft für Person {args.person} gespeichert: {path}")
    return EXIT_OK


def cmd_erase(args: argparse.Namespace) -> int:
    from konferenz import privacy

    with opened(args) as database:
        result = privacy.erase_person(database, args.person, args.reason)
    print(
        f"Person {result.person_id} anonymisiert; {result.invitations_kept} Einladungen bleiben für die "
        f"Statistik erhalten. Löschprotokoll: {result.id_hash[:16]}…"
    )
    return EXIT_OK


def cmd_review(args: argparse.Namespace) -> int:
    from konferenz import privacy

    with opened(args) as database, database.read_session() as s:
        rows = privacy.review(s, args.years)
    print(f"{len(rows)} Personen seit mindestens {args.years} Jahren nicht eingeladen:")
    for r in rows:
        last = f"zuletzt {r.last_year}" if r.last_year else f"nie eingeladen, erfasst {r.created_at:%d.%m.%Y}"
        print(f"{r.person_id:>8}  {r.name}  ({last})")
    return EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    privacy = sub.add_parser("privacy", help="Datenschutz: Auskunft, Löschung, Überprüfung")
    psub = privacy.add_subparsers(title="Befehle", metavar="BEFEHL", required=True)

    export = psub.add_parser(
        "export",
        help="alles über eine Person als JSON (Auskunft nach Art. 15 DSGVO)",
        description="Schreibt alle gespeicherten Daten einer Person (Felder, Rollen, Einladungen, "
        "Einwilligungen, Änderungsprotokoll) als JSON. ID ist die Spalte ID des Adressen-Exports.",
    )
    export.add_argument("--person", type=positive_int, required=True, metavar="ID", help="ID der Person")
    export.add_argument("-o", "--output", required=True, metavar="DATEI.json", help="Zieldatei")
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
