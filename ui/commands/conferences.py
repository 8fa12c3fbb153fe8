"""``konferenz conference create``, ``invite`` and ``stats``."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from konferenz.errors import UserError
from ui.commands.cli import EXIT_OK, add_db_argument, number, opened, positive_int


def parse_date(text: str) -> dt.date:
    """argparse type: JJJJ-MM-TT or TT.MM.JJJJ."""
    for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text.strip(), fmt).date()
        except ValueError:
            continue
    raise argparse.ArgumentTypeError(f"„{text}“ ist kein Datum (JJJJ-MM-TT oder TT.MM.JJJJ)")


def cmd_conference_create(args: argparse.Namespace) -> int:
    from konferenz.conferences import editing
    from konferenz.programme import new_conference

    data = editing.ConferenceData(
        year=args.year,
        title=args.title,
        date=args.date,
        venue_name=args.venue or "",
        capacity=args.capacity,
        reply_deadline=args.deadline,
    )
    with opened(args) as database:
        new_conference.create_conference(database, data)
    print(f"Konferenz {args.year} angelegt: {args.title}")
    return EXIT_OK


def cmd_invite(args: argparse.Namespace) -> int:
    from konferenz.conferences import inviting
    from konferenz.conferences.reads import category_ids

    with opened(args) as database:
        if args.all:
            flt = inviting.InviteeFilter(everyone=True)
        else:
            with database.read_session() as s:
                flt = inviting.InviteeFilter(category_ids=category_ids(s, args.category))
        result = inviting.invite(database, args.conference, flt)
    print(
        f"{number(result.invited)} neu auf die Einladungsliste {args.conference} gesetzt (vorgemerkt), "
        f"{number(result.already)} standen schon darauf."
    )
    return EXIT_OK


def cmd_stats(args: argparse.Namespace) -> int:
    from konferenz.conferences import statistics

    with opened(args) as database, database.read_session() as s:
        if args.conference is not None:
            stats = [statistics.conference_stats(s, args.conference)]
        else:
            stats = statistics.all_years_stats(s)
            if not stats:
                raise UserError("Es gibt noch keine Konferenz.")
    print(statistics.text_table(stats))
    if args.output:
        path = statistics.write_excel(stats, Path(args.output))
        print(f"Gespeichert: {path}")
    return EXIT_OK


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    conference = sub.add_parser("conference", help="Konferenzen anlegen")
    conf_sub = conference.add_subparsers(title="Befehle", metavar="BEFEHL", required=True)
    create = conf_sub.add_parser(
        "create",
        help="eine Konferenz anlegen",
        description="Legt die Konferenz eines Jahres an (eine je Jahr).",
    )
    create.add_argument("--year", type=int, required=True, metavar="JAHR", help="Jahr")
    create.add_argument("--title", required=True, metavar="TEXT", help="Titel")
    create.add_argument("--date", type=parse_date, required=True, metavar="JJJJ-MM-TT", help="Datum")
    create.add_argument("--venue", metavar="TEXT", help="Veranstaltungsort")
    create.add_argument("--capacity", type=positive_int, metavar="N", help="Plätze")
    create.add_argument("--deadline", type=parse_date, metavar="JJJJ-MM-TT", help="Rückmeldefrist")
    add_db_argument(create)
    create.set_defaults(command=cmd_conference_create)

    invite = sub.add_parser(
        "invite",
        help="Eingeladene auf die Liste einer Konferenz setzen",
        description="Setzt Personen (bei ihrer Hauptorganisation) und Organisationen ohne "
        "Ansprechperson auf die Einladungsliste (Status „vorgemerkt“). Niemand steht zweimal darauf. "
        "Eine Person ohne eigene Kategorie zählt unter der Kategorie ihrer Organisation.",
    )
    invite.add_argument("--conference", type=int, required=True, metavar="JAHR", help="Jahr der Konferenz")
    who = invite.add_mutually_exclusive_group(required=True)
    who.add_argument(
        "--all", action="store_true", help="alle Personen und Organisationen ohne Ansprechperson"
    )
    who.add_argument("--category", nargs="+", metavar="NAME", help="nur diese Kategorien (z. B. MSO Politik)")
    add_db_argument(invite)
    invite.set_defaults(command=cmd_invite)

    stats = sub.add_parser(
        "stats",
        help="Statistik einer oder aller Konferenzen",
        description="Eingeladen, Rückmeldungen, Zusagen, Absagen und Teilnahmen – gesamt, nach Kategorie "
        "und nach Kommune, mit dem Anteil der Migrantenselbstorganisationen. Ohne --conference alle Jahre "
        "nebeneinander.",
    )
    stats.add_argument("--conference", type=int, metavar="JAHR", help="nur dieses Jahr")
    stats.add_argument(
        "-o",
        "--output",
        metavar="DATEI.xlsx|.ods",
        help="zusätzlich als Excel- (.xlsx) oder LibreOffice-Datei (.ods) speichern",
    )
    add_db_argument(stats)
    stats.set_defaults(command=cmd_stats)
