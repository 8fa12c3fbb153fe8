"""``konferenz checkin --conference JAHR --code CODE``: check in the invitation of a scanned QR code.

What the check-in window does with a scan (``konferenz.conferences.checkin.scan``), for a scripted event
day or a scanner at a terminal. A check-in, and a second scan of the same code, print their line and exit
0; a code of another conference year or an unknown code is a user error (one German line, exit 2).
"""

from __future__ import annotations

import argparse

from konferenz.errors import UserError
from ui.commands.cli import EXIT_OK, add_db_argument, opened


def cmd_checkin(args: argparse.Namespace) -> int:
    from konferenz.conferences import checkin

    with opened(args, create=False) as database:
        result = checkin.scan(database, args.conference, args.code)
    if result.outcome in (checkin.ScanOutcome.OTHER_YEAR, checkin.ScanOutcome.UNKNOWN):
        raise UserError(result.message())
    print(result.message())
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
    parser.add_argument(
        "--code", required=True, metavar="CODE", help="der Inhalt des QR-Codes, wie der Scanner ihn tippt"
    )
    add_db_argument(parser)
    parser.set_defaults(command=cmd_checkin)
