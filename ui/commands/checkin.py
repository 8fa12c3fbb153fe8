"""``konferenz checkin --conference JAHR (--code CODE | --nachmeldung PERSON | --abschliessen)``: the event
day's desk on the command line, as the check-in window has it.

- ``--code``: what the window does with a scan (``konferenz.conferences.checkin.scan``). A check-in, and a
  second scan of the same code, print their line and exit 0; a code of another conference year or an
  unknown code is a user error (one German line, exit 2).
- ``--nachmeldung``: a person of the register who came without being on the list (``add_walk_in``).
- ``--abschliessen``: close the event – who said yes and did not come becomes *nicht erschienen*
  (``close_event``); asks nothing (the command line is for scripts), says how many.
"""

from __future__ import annotations

import argparse

from konferenz.errors import UserError
from ui.commands.cli import EXIT_OK, add_db_argument, number, opened


def cmd_checkin(args: argparse.Namespace) -> int:
    from konferenz.conferences import checkin

    if args.walk_in is not None:
        return _walk_in(args)
    if args.close:
        with opened(args, create=False) as database:
            n = checkin.close_event(database, args.conference)
        print(
            f"Veranstaltung {args.conference} abgeschlossen: {number(n)} Zusage(n) ohne Check-in als "
            "„nicht erschienen“ eingetragen."
        )
        return EXIT_OK
    with opened(args, create=False) as database:
        result = checkin.scan(database, args.conference, args.code)
    if result.outcome in (checkin.ScanOutcome.OTHER_YEAR, checkin.ScanOutcome.UNKNOWN):
        raise UserError(result.message())
    print(result.message())
    return EXIT_OK


def _walk_in(args: argparse.Namespace) -> int:
    from konferenz.conferences import checkin
    from konferenz.privacy.reads import person_display

    with opened(args, create=False) as database:
        who = person_display(database, args.walk_in)  # a German UserError when there is no such person
        invitation_id = checkin.add_walk_in(database, args.conference, args.walk_in)
    print(f"Nachgemeldet und angemeldet: {who}, Einladung {invitation_id}.")
    return EXIT_OK


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = sub.add_parser(
        "checkin",
        help="eine Person per QR-Code als anwesend eintragen",
        description="Trägt die Einladung, deren QR-Code (vom Namensschild, z. B. KIK:2026:7GQ4MXC2RT) "
        "angegeben ist, als „teilgenommen“ ein. Ein zweites Mal derselbe Code ändert nichts und sagt, "
        "seit wann die Person angemeldet ist. Ein Code einer anderen Konferenz oder ein unbekannter Code "
        "ist ein Fehler (Rückgabewert 2).",
    )
    parser.add_argument(
        "--conference", "--konferenz", type=int, required=True, metavar="JAHR", help="Jahr der Konferenz"
    )
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--code", metavar="CODE", help="der Inhalt des QR-Codes, wie der Scanner ihn tippt")
    what.add_argument(
        "--nachmeldung",
        "--walk-in",
        dest="walk_in",
        type=int,
        metavar="PERSON",
        help="eine Person aus den Adressen (Nummer), die ohne Einladung kam, anmelden",
    )
    what.add_argument(
        "--abschliessen",
        "--close",
        dest="close",
        action="store_true",
        help="Veranstaltung abschließen: wer zugesagt hat und nicht kam, wird „nicht erschienen“",
    )
    add_db_argument(parser)
    parser.set_defaults(command=cmd_checkin)
