"""``konferenz letters``, ``labels``, ``badges``, ``signin-sheet``, ``attendee-list``: PDFs for print.

The PDFs come from the same painting code as the print preview and the printer in the window
(``ui/paper``), rendered with a QGuiApplication on the offscreen platform when there is no display.
Letters, the sign-in sheet and the attendee list are also written as documents to edit when the output
file ends in .docx (Word) or .odt (LibreOffice): ``konferenz.letters.documents``, without Qt.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from konferenz.errors import UserError, file_problem
from ui.commands.cli import EXIT_OK, add_db_argument, number, opened, positive_int

if TYPE_CHECKING:
    from konferenz.enums import InvitationStatus
    from konferenz.storage.db import Database


STATUS_HELP = (
    "nur Einladungen mit diesem Status: vorgemerkt, eingeladen, zugesagt, abgesagt, "
    "„keine Rückmeldung“, vertreten, Warteliste, teilgenommen, „nicht erschienen“"
)
#: for letters and e-mails, whose recipients are proposed as in the window (``chosen_statuses``)
PROPOSED_HELP = (
    STATUS_HELP + "; alle: jede Einladung. Ohne: wie im Fenster vorgeschlagen (Einladung: vorgemerkt, "
    "Erinnerung: ohne Rückmeldung, Dank: teilgenommen)"
)


def _status(text: str | None) -> InvitationStatus | None:
    from konferenz.enums import InvitationStatus, parse_label

    if text is None:
        return None
    try:
        return parse_label(InvitationStatus, text)
    except ValueError as exc:
        raise UserError(f"Status: {exc}") from None


#: ``--status alle``: every invitation of the conference, those who replied too (a choice, never the default)
ALL_STATUSES = "alle"


def chosen_statuses(
    args: argparse.Namespace, database: object, template: str
) -> frozenset[InvitationStatus] | None:
    """``--status``, or who the template goes to unless staff choose (``sending.proposed_statuses``, as the
    dialog preselects it): an invitation goes to those *vorgemerkt*, not to everyone who replied."""
    from konferenz.enums import InvitationStatus
    from konferenz.letters import sending
    from konferenz.letters.reads import letter_counts
    from konferenz.letters.selection import find_conference
    from konferenz.storage.db import Database

    assert isinstance(database, Database)
    if (args.status or "").strip().casefold() == ALL_STATUSES:
        return frozenset(InvitationStatus)
    status = _status(args.status)
    if status is not None:
        return frozenset({status})
    with database.read_session() as s:
        counts = letter_counts(s, find_conference(s, args.conference).id)
    return sending.proposed_statuses(template, counts)


def _output(path_text: str) -> Path:
    path = Path(path_text).expanduser()
    if path.is_dir():
        raise UserError(f"„{path}“ ist ein Ordner; bitte einen Dateinamen angeben (z. B. briefe.pdf).")
    if not path.parent.is_dir():
        raise UserError(f"Der Ordner „{path.parent}“ existiert nicht.")
    return path


def _write(path: Path, data: bytes) -> None:
    try:
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
    except OSError as exc:
        raise UserError(file_problem(path, exc)) from None


def _office(path: Path) -> bool:
    """True for an output to edit (.docx, .odt); the suffix chooses the format, as .pdf does."""
    return path.suffix.lower() in (".docx", ".odt")


def _warn_deadline(database: Database, year: int, template: str) -> None:
    """Letters that ask for a reply by a day gone already: the dialog's warning line, on stderr (the letters
    are written all the same, the exit code stays)."""
    from konferenz.conferences.editing import conference_id
    from konferenz.conferences.reads import conference_summary
    from konferenz.letters.templates import reply_warning

    with database.read_session() as s:
        summary = conference_summary(s, conference_id(s, year))
    warning = reply_warning(template, summary.reply_deadline if summary else None)
    if warning:
        print(f"Warnung: {warning}", file=sys.stderr)


def cmd_letters(args: argparse.Namespace) -> int:
    from konferenz.enums import InvitationStatus, label
    from konferenz.letters import content, sending, templates

    if (args.status or "").strip().casefold() != ALL_STATUSES:
        _status(args.status)  # a wrong status is named before anything is opened
    output = _output(args.output)
    if args.qr and not args.reply_form:
        raise UserError(
            "--qr druckt den Check-in-Code auf den Rückmeldebogen: bitte zusammen mit --rueckmeldebogen angeben."
        )
    if _office(output) and args.mark_sent:
        raise UserError(
            "--als-versendet gilt nur für PDF-Briefe: Word- und LibreOffice-Dateien sind Entwürfe zum "
            "Bearbeiten. Bitte ohne --als-versendet speichern oder eine .pdf-Datei angeben."
        )
    with opened(args, create=False) as database:
        template = templates.template_name(args.template)
        # as the window proposes: reminders to those who have not replied, thanks to those who came, an
        # invitation to those vorgemerkt
        chosen = chosen_statuses(args, database, template)
        letters = content.letter_contents(
            database,
            args.conference,
            chosen,
            template=template,
            programme=args.programme,
            reply_form=args.reply_form,
            qr=args.qr,
        )
        if not letters:
            order = list(InvitationStatus)
            wanted = [] if chosen == frozenset(InvitationStatus) else sorted(chosen or (), key=order.index)
            which = f" mit Status {' oder '.join(f'„{label(x)}“' for x in wanted)}" if wanted else ""
            raise UserError(f"Für die Konferenz {args.conference} gibt es keine Einladungen{which}.")
        _warn_deadline(database, args.conference, template)
        if _office(output):
            from konferenz.letters.documents.files import write_document
            from konferenz.letters.documents.letters import letters_document

            write_document(letters_document(letters, args.form, title=letters[0].subject), output)
        else:
            from ui.paper.canvas import ensure_application
            from ui.paper.letters import letters_pdf

            ensure_application()
            _write(output, letters_pdf(letters, form=args.form, title=letters[0].subject))
        print(f"{number(len(letters))} Briefe geschrieben: {output}")
        incomplete = [letter.recipient for letter in letters if not letter.address_complete]
        if incomplete:
            names = ", ".join(incomplete[:5]) + (" …" if len(incomplete) > 5 else "")
            print(f"Hinweis: {len(incomplete)} Anschrift(en) ohne PLZ und Ort: {names}")
        if args.mark_sent:
            from ui.paper.letters import letter_pdfs

            ids = [letter.invitation_id for letter in letters if letter.invitation_id is not None]
            pdfs = letter_pdfs(letters, form=args.form)
            recorded = sending.record_sending(database, ids, template, pdfs)
            print(
                f"Als versendet vermerkt: {number(recorded)} Einladungen (Vorlage {templates.template_title(template)}; ohne "
                "Einladungsdatum: Post, heute); „vorgemerkt“ ist jetzt „eingeladen“, jeder Brief liegt im Archiv."
            )
    return EXIT_OK


def cmd_labels(args: argparse.Namespace) -> int:
    from konferenz.letters import sheets
    from ui.paper.canvas import ensure_application
    from ui.paper.geometry import LABEL_SHEETS
    from ui.paper.labels import labels_pdf

    status = _status(args.status)
    output = _output(args.output)
    sheet = LABEL_SHEETS[args.sheet]
    if not 1 <= args.start <= sheet.per_sheet:
        raise UserError(f"--start muss zwischen 1 und {sheet.per_sheet} liegen ({sheet.name}).")
    with opened(args, create=False) as database:
        addresses = sheets.label_addresses(database, args.conference, status)
    if not addresses:
        raise UserError(f"Für die Konferenz {args.conference} gibt es keine passenden Einladungen.")
    ensure_application()
    _write(output, labels_pdf(addresses, sheet, start=args.start, outlines=args.outlines))
    print(f"{number(len(addresses))} Etiketten ({sheet.name}) geschrieben: {output}")
    return EXIT_OK


def cmd_badges(args: argparse.Namespace) -> int:
    from konferenz.letters import sheets
    from ui.paper.badges import badges_pdf
    from ui.paper.canvas import ensure_application
    from ui.paper.geometry import AVERY_L4785

    output = _output(args.output)
    if not 1 <= args.start <= AVERY_L4785.per_sheet:
        raise UserError(f"--start muss zwischen 1 und {AVERY_L4785.per_sheet} liegen.")
    with opened(args, create=False) as database:
        sheet = sheets.attendees(database, args.conference, forum=args.forum)
    if not sheet.rows and not args.blanks:
        raise UserError(f"Für die Konferenz {args.conference} hat noch niemand zugesagt.")
    ensure_application()
    data = badges_pdf(
        sheet.rows,
        title=sheet.title,
        show_forum=not args.no_forum,
        blanks=args.blanks,
        start=args.start,
        outlines=args.outlines,
    )
    _write(output, data)
    print(f"{number(len(sheet.rows))} Namensschilder geschrieben: {output}")
    return EXIT_OK


def cmd_signin_sheet(args: argparse.Namespace) -> int:
    from konferenz.letters import sheets
    from ui.paper.canvas import ensure_application
    from ui.paper.lists import signin_sheet_pdf

    output = _output(args.output)
    with opened(args, create=False) as database:
        sheet = sheets.signin_sheet(database, args.conference, forum=args.forum)
    if _office(output):
        from konferenz.letters.documents.files import write_document
        from konferenz.letters.documents.sheets import signin_sheet_document

        write_document(signin_sheet_document(sheet, blank_rows=args.blank_rows), output)
    else:
        ensure_application()
        _write(output, signin_sheet_pdf(sheet, blank_rows=args.blank_rows))
    print(
        f"Unterschriftenliste mit {number(len(sheet.rows))} Namen und {args.blank_rows} leeren Zeilen "
        f"geschrieben: {output}"
    )
    return EXIT_OK


def cmd_attendee_list(args: argparse.Namespace) -> int:
    from konferenz.letters import sheets
    from ui.paper.canvas import ensure_application
    from ui.paper.lists import attendee_list_pdf

    output = _output(args.output)
    with opened(args, create=False) as database:
        sheet = sheets.attendee_list(database, args.conference, forum=args.forum)
    if _office(output):
        from konferenz.letters.documents.files import write_document
        from konferenz.letters.documents.sheets import attendee_list_document

        write_document(attendee_list_document(sheet), output)
    else:
        ensure_application()
        _write(output, attendee_list_pdf(sheet))
    print(
        f"Teilnehmerliste mit {number(len(sheet.rows))} Namen geschrieben: {output} "
        f"({number(sheet.omitted)} ohne Einwilligung zur Nennung nicht aufgeführt)"
    )
    return EXIT_OK


def _common(parser: argparse.ArgumentParser, *, output_help: str, metavar: str = "DATEI.pdf") -> None:
    parser.add_argument(
        "--conference", "--konferenz", type=int, required=True, metavar="JAHR", help="Jahr der Konferenz"
    )
    parser.add_argument("-o", "--output", required=True, metavar=metavar, help=output_help)
    add_db_argument(parser)


#: the keys of ui.paper.geometry.LABEL_SHEETS (a test keeps them equal); importing ui.paper here would load
#: Qt's painting modules for every command and slow down the window's start
SHEET_NAMES = ("avery-l7160", "zweckform-3474", "zweckform-3475")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:

    letters = sub.add_parser(
        "letters",
        help="Briefe (Einladung, Erinnerung, Dank) als PDF für Fensterumschläge DIN lang",
        description="Schreibt einen Brief je Einladung der Konferenz nach DIN 5008 in eine PDF-Datei "
        "(jeder Brief beginnt auf einer neuen Seite) – oder, wenn die Datei auf .docx oder .odt endet, in ein "
        "Word- bzw. LibreOffice-Dokument zum Bearbeiten (Anschriftfeld als Rahmen an derselben Stelle). Ohne --status bekommt jede Einladung einen Brief – "
        "bei der Vorlage „erinnerung“ nur, wer noch nicht geantwortet hat (eingeladen, keine Rückmeldung), "
        "bei „dank“ nur, wer teilgenommen hat. "
        "Die Einladungen werden NUR mit --als-versendet als versendet vermerkt (Weg Post, Datum heute, "
        "Vorlage, „vorgemerkt“ wird „eingeladen“, jeder Brief kommt ins Archiv) – erst drucken und "
        "prüfen, dann mit --als-versendet vermerken.",
    )
    _common(
        letters,
        output_help="die Datei mit allen Briefen: .pdf zum Drucken, .docx (Word) oder .odt (LibreOffice) "
        "zum Bearbeiten",
        metavar="DATEI.pdf|.docx|.odt",
    )
    letters.add_argument("--status", metavar="STATUS", help=PROPOSED_HELP)
    letters.add_argument(
        "--form", type=str.upper, choices=["A", "B"], default="B", help="Briefform nach DIN 5008 (B)"
    )
    letters.add_argument(
        "--template",
        "--vorlage",
        default="einladung",
        metavar="NAME",
        help="Vorlage: einladung, erinnerung, dank oder eine eigene aus dem Ordner „Vorlagen“ (einladung)",
    )
    letters.add_argument("--programm", dest="programme", action="store_true", help="das Programm beilegen")
    letters.add_argument(
        "--rueckmeldebogen",
        "--rückmeldebogen",
        dest="reply_form",
        action="store_true",
        help="einen Rückmeldebogen mit Namen und Foren zum Ankreuzen beilegen",
    )
    letters.add_argument(
        "--qr",
        action="store_true",
        help="den Check-in-Code der Einladung als QR-Code (20 mm) auf den Rückmeldebogen drucken "
        "(nur mit --rueckmeldebogen)",
    )
    letters.add_argument(
        "--als-versendet",
        "--mark-sent",
        dest="mark_sent",
        action="store_true",
        help="die Briefe bei den Einladungen als per Post versendet vermerken (sonst wird nichts geändert)",
    )
    letters.set_defaults(command=cmd_letters)

    labels = sub.add_parser(
        "labels",
        help="Adressetiketten als PDF",
        description="Adressetiketten (dieselbe Anschrift wie in den Briefen) auf A4-Etikettenbögen.",
    )
    _common(labels, output_help="die PDF-Datei")
    labels.add_argument("--status", metavar="STATUS", help=STATUS_HELP)
    labels.add_argument("--sheet", "--bogen", choices=SHEET_NAMES, required=True, help="Etikettenbogen")
    labels.add_argument(
        "--start",
        type=positive_int,
        default=1,
        metavar="N",
        help="erstes freies Etikett eines angebrochenen Bogens (1 = oben links, zeilenweise)",
    )
    labels.add_argument(
        "--rahmen", dest="outlines", action="store_true", help="Etikettenränder zur Probe auf Normalpapier"
    )
    labels.set_defaults(command=cmd_labels)

    badges = sub.add_parser(
        "badges",
        help="Namensschilder (Avery L4785) als PDF",
        description="Namensschilder 80 × 50 mm für alle, die zugesagt haben (bei Vertretung mit dem Namen "
        "der Vertretung): Name groß, Organisation, Forum.",
    )
    _common(badges, output_help="die PDF-Datei")
    badges.add_argument(
        "--forum", metavar="NAME", help="nur die Teilnehmenden dieses Forums (Titel oder Nummer)"
    )
    badges.add_argument(
        "--leer", dest="blanks", type=positive_int, default=0, metavar="N", help="N leere Schilder dazu"
    )
    badges.add_argument(
        "--ohne-forum", dest="no_forum", action="store_true", help="das Forum nicht aufdrucken"
    )
    badges.add_argument(
        "--start", type=positive_int, default=1, metavar="N", help="erstes freies Schild (1–10)"
    )
    badges.add_argument("--rahmen", dest="outlines", action="store_true", help="Schildränder zur Probe")
    badges.set_defaults(command=cmd_badges)

    signin = sub.add_parser(
        "signin-sheet",
        help="Unterschriftenliste als PDF",
        description="Unterschriftenliste (Anwesenheitsliste) der Konferenz oder eines Forums: Nr., Name, "
        "Organisation, Unterschrift, mit leeren Zeilen für Nachmeldungen – Nachweis für den Zuwendungsgeber.",
    )
    _common(
        signin,
        output_help="die Datei: .pdf, .docx (Word) oder .odt (LibreOffice)",
        metavar="DATEI.pdf|.docx|.odt",
    )
    signin.add_argument("--forum", metavar="NAME", help="Liste eines Forums (Titel oder Nummer)")
    signin.add_argument(
        "--leerzeilen",
        dest="blank_rows",
        type=positive_int,
        default=10,
        metavar="N",
        help="leere Zeilen (10)",
    )
    signin.set_defaults(command=cmd_signin_sheet)

    attendee = sub.add_parser(
        "attendee-list",
        help="Teilnehmerliste (nur mit Einwilligung) als PDF",
        description="Teilnehmerliste zum Weitergeben: nur Teilnehmende (zugesagt, teilgenommen), die der "
        "Nennung in der Teilnehmerliste zugestimmt und die Einwilligung nicht widerrufen haben.",
    )
    _common(
        attendee,
        output_help="die Datei: .pdf, .docx (Word) oder .odt (LibreOffice)",
        metavar="DATEI.pdf|.docx|.odt",
    )
    attendee.add_argument("--forum", metavar="NAME", help="Liste eines Forums (Titel oder Nummer)")
    attendee.set_defaults(command=cmd_attendee_list)
