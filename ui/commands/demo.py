"""``konferenz demo``: fill an empty database with demo data."""

from __future__ import annotations

import argparse

from ui.commands.cli import EXIT_OK, add_db_argument, number, opened, positive_int


def cmd_demo(args: argparse.Namespace) -> int:
    from konferenz.demo.builder import generate_demo

    with opened(args) as database:
        summary = generate_demo(database, persons=args.persons, seed=args.seed)
        print(
            f"Demodaten angelegt: {number(summary.persons)} Personen, "
            f"{number(summary.organisations)} Organisationen, {number(summary.conferences)} Konferenzen, "
            f"{number(summary.invitations)} Einladungen (Datenbank: {database.display_name})"
        )
    return EXIT_OK


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    demo = sub.add_parser(
        "demo",
        help="eine leere Datenbank mit Demodaten füllen",
        description="Füllt eine leere Datenbank mit einem erfundenen, aber realistischen Kreis Borken: "
        "17 Kommunen, Organisationen, Personen, Konferenzen 2023–2026 mit Einladungen, Programm, "
        "Protokoll und Empfehlungen. Gleicher Startwert, gleiche Daten.",
    )
    add_db_argument(demo)
    demo.add_argument("--persons", type=positive_int, default=300, metavar="N", help="Anzahl Personen (300)")
    demo.add_argument("--seed", type=int, default=1, metavar="S", help="Startwert des Zufalls (1)")
    demo.set_defaults(command=cmd_demo)
