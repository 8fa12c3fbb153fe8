"""``konferenz mail``: the e-mail invitations of a conference – the exact message for one recipient as an
``.eml`` file (``--preview``), drafts for every recipient with an address (``--eml-ordner``), or sending
(``--send``).

Messages come from ``konferenz.mail.messages``; the PDF attachments from the paper layer (``ui.paper``), the
same code as the printed letters, on the offscreen platform when there is no display.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from konferenz.errors import UserError
from ui.commands.cli import EXIT_OK, add_db_argument, number, opened, progress_printer
from ui.commands.paper import PROPOSED_HELP, _output, _write, chosen_statuses

if TYPE_CHECKING:
    from konferenz.mail import outbox
    from konferenz.mail.messages import MailContent
    from konferenz.mail.mime import OutgoingMessage
    from konferenz.mail.settings import MailSettings
    from konferenz.storage.models import MailMessage
    from ui.paper.mail_attachments import Attacher

_SPELLINGS = {"rückmeldebogen": "rueckmeldebogen", "kalender": "ics", "programme": "programm"}


def _ids(text: str | None) -> set[int]:
    """``--per-brief 12,40``: the invitation numbers."""
    if not text:
        return set()
    try:
        return {int(part) for part in text.replace(" ", "").split(",") if part}
    except ValueError:
        raise UserError(f"--per-brief: „{text}“ sind keine Einladungsnummern (z. B. 12,40).") from None


#: the attachments ``--anlagen`` knows, in the order they are attached (as ``ui.paper.mail_attachments``,
#: which is not imported before a command needs the paper layer)
ATTACHMENTS = ("brief", "programm", "rueckmeldebogen", "ics")


def parse_attachments(text: str | None) -> frozenset[str]:
    """ "brief,ics" → {"brief", "ics"}; a German ``UserError`` naming an unknown one."""
    if not text:
        return frozenset()
    chosen = set()
    for part in text.split(","):
        word = part.strip().casefold()
        if not word:
            continue
        word = _SPELLINGS.get(word, word)
        if word not in ATTACHMENTS:
            raise UserError(
                f"--anlagen: „{part.strip()}“ gibt es nicht; möglich sind {', '.join(ATTACHMENTS)}."
            )
        chosen.add(word)
    return frozenset(chosen)


def _prepare(
    args: argparse.Namespace, database: object, wanted: frozenset[str], ids: list[int] | None
) -> tuple[list[MailContent], MailSettings, Attacher, str]:
    from konferenz.letters import templates
    from konferenz.mail.calendar import conference_calendar
    from konferenz.mail.messages import mail_contents
    from konferenz.mail.settings import check_mail_settings, load_mail_settings
    from konferenz.storage.db import Database

    assert isinstance(database, Database)
    template = templates.template_name(args.template)
    chosen = chosen_statuses(args, database, template) if ids is None else None
    with database.read_session() as s:
        settings = load_mail_settings(s)
    check_mail_settings(settings)
    items = mail_contents(
        database,
        args.conference,
        chosen,
        ids,
        template=template,
        programme="programm" in wanted,
        reply_form="rueckmeldebogen" in wanted,
    )
    calendar = conference_calendar(database, args.conference) if "ics" in wanted else b""
    from ui.paper.mail_attachments import Attacher

    return items, settings, Attacher(wanted, template, calendar), template


#: option (its dest, as written) → the modes it belongs to (their dests, as written): any other mode refuses it
_BELONGS: dict[tuple[str, str], tuple[tuple[str, str], ...]] = {
    ("by_post", "--per-brief"): (("send", "--send"),),
    ("again", "--erneut"): (("send", "--send"),),
    ("delivered", "--als-gesendet"): (("undecided", "--unklar NR"), ("drafts", "--entwuerfe NR")),
    ("discard", "--verwerfen"): (("drafts", "--entwuerfe NR"),),
    ("resend", "--erneut-senden"): (("undecided", "--unklar NR"),),
}


def _check_options(args: argparse.Namespace) -> None:
    """A German ``UserError`` for an option given with a mode it does not belong to (``--send
    --als-gesendet`` must not send), before anything is read or sent."""
    for (dest, option), modes in _BELONGS.items():
        value = getattr(args, dest)
        if value in (None, False):
            continue
        if not any(getattr(args, mode) not in (None, False) for mode, _written in modes):
            allowed = " oder ".join(written for _mode, written in modes)
            raise UserError(f"{option} gehört zu {allowed}; es wurde nichts getan.")


def cmd_mail(args: argparse.Namespace) -> int:
    from konferenz.letters.selection import find_conference
    from konferenz.mail import drafts
    from konferenz.mail.drafts import as_draft, write_drafts
    from konferenz.mail.messages import compose, draft_file_name
    from ui.paper.canvas import ensure_application

    _check_options(args)
    if args.undecided is not None:
        return _decide(args)
    if args.drafts is not None:
        return _drafts(args)
    if args.resume is not None:
        return _send(args, resume=args.resume)
    wanted = parse_attachments(args.attachments)
    if args.conference is None:
        raise UserError("Bitte die Konferenz angeben (--conference JAHR).")
    if args.send:
        return _send(args, resume=None)
    if args.preview is not None and not args.output:
        raise UserError("--preview braucht -o DATEI.eml (dort wird die Nachricht gespeichert).")
    if args.preview is None and args.output:
        raise UserError("-o gehört zu --preview; für --eml-ordner den Ordner dort angeben.")
    output = _output(args.output) if args.output else None
    with opened(args, create=False) as database:
        ids = [args.preview] if args.preview is not None else None
        items, settings, attach, template = _prepare(args, database, wanted, ids)
        if wanted - {"ics"}:
            ensure_application()
        if args.preview is not None:
            if not items:
                raise UserError(
                    f"Die Einladung {args.preview} gibt es bei der Konferenz {args.conference} nicht"
                    + (" (oder nicht mit diesem Status)." if args.status else ".")
                )
            item = items[0]
            msg = compose(item.letter, item.recipient, settings, attach(item))
            assert output is not None
            _write(output, as_draft(msg))
            print(
                f"Vorschau der E-Mail an {item.recipient.name} <{item.recipient.address}> geschrieben: {output}"
            )
            return EXIT_OK
        by_mail = [item for item in items if item.recipient.address]
        by_post = len(items) - len(by_mail)
        if not by_mail:
            raise UserError(
                f"Für die Konferenz {args.conference} gibt es keine passenden Einladungen mit E-Mail-Adresse."
            )
        folder = Path(args.eml_folder)
        made = [(item, compose(item.letter, item.recipient, settings, attach(item))) for item in by_mail]
        written = write_drafts(
            folder, [(draft_file_name(args.conference, template, item.recipient), msg) for item, msg in made]
        )
        with database.read_session() as s:
            conference_id = find_conference(s, args.conference).id
        run = drafts.record_drafts(
            database,
            conference_id,
            template,
            [drafts.Draft(item.recipient.invitation_id, item.recipient.address, msg) for item, msg in made],
            attachments=sorted(wanted),
        )
    print(f"{number(len(written))} E-Mail-Entwürfe geschrieben: {folder}")
    if by_post:
        print(
            f"Hinweis: {number(by_post)} Einladung(en) ohne E-Mail-Adresse – dafür Briefe drucken (konferenz letters)."
        )
    print(
        f"Vermerkt ist nichts: die Einladungen bleiben unverändert, bis der Versand bestätigt ist. Sind die "
        f"Entwürfe versendet: konferenz mail --entwuerfe {run.run_id} --als-gesendet (sonst --verwerfen)."
    )
    return EXIT_OK


def _drafts(args: argparse.Namespace) -> int:
    """``--entwuerfe N --als-gesendet | --verwerfen``: the confirmed step after drafts were written."""
    from konferenz.enums import MailState
    from konferenz.mail import drafts, outbox

    if args.delivered == args.discard:
        raise UserError("Bitte --als-gesendet (sie wurden versendet) oder --verwerfen (nicht) angeben.")
    with opened(args, create=False) as database:
        report = outbox.run_report(database, args.drafts)
        waiting = report.count(MailState.DRAFT)
        if args.delivered:
            drafts.confirm_drafts(database, args.drafts)
            print(f"{number(waiting)} Entwurf/Entwürfe als versendet vermerkt.")
            _print_report(outbox.run_report(database, args.drafts))
        else:
            drafts.discard_drafts(database, args.drafts)
            print(f"Versand {args.drafts} verworfen: {number(waiting)} Entwurf/Entwürfe, nichts vermerkt.")
    return EXIT_OK


def _print_report(report: outbox.RunReport) -> None:
    print(report.summary())
    for line in report.failed:
        reply = f"{line.smtp_code or ''} {line.smtp_reply}".strip()
        print(f"  abgelehnt: {line.address} (Einladung {line.invitation_id}): {reply}")
    for line in report.unknown:
        print(f"  unklar: {line.address} (Einladung {line.invitation_id}, Nachricht {line.message_id})")
    if report.unknown:
        print(
            f"Unklar heißt: der Server hatte die Nachricht, als der Versand abbrach. Bitte prüfen (z. B. im "
            f"Postausgang) und entscheiden: konferenz mail --unklar {report.run_id} --als-gesendet | "
            "--erneut-senden"
        )


def _send(args: argparse.Namespace, *, resume: int | None) -> int:
    """``--send`` (a new run) or ``--fortsetzen N`` (the rest of run N): every message's state is stored
    before it goes to the server, so an interrupted run is continued without sending anyone twice."""
    from konferenz.letters import templates
    from konferenz.mail import outbox, smtp
    from konferenz.mail.messages import compose
    from ui.paper.canvas import ensure_application

    with opened(args, create=False) as database:
        ids: list[int] | None = None
        if resume is not None:
            details = outbox.run_details(database, resume)
            args.conference, args.template = details.conference_year, details.template
            wanted, ids = details.attachments, details.invitation_ids
            outbox.recover_interrupted(database, resume)
        else:
            wanted = parse_attachments(args.attachments)
            open_ones = [
                r for r in outbox.open_runs(database) if r.template == templates.template_name(args.template)
            ]
            if open_ones:
                first = open_ones[0]
                raise UserError(
                    f"{first.summary()} Er ist nicht abgeschlossen: erst mit „konferenz mail --fortsetzen "
                    f"{first.run_id}“ weitersenden (oder die unklaren Nachrichten entscheiden), damit niemand "
                    "zweimal eine E-Mail bekommt."
                )
        items, settings, attach, template = _prepare(args, database, wanted, ids)
        if wanted - {"ics"}:
            ensure_application()
        by_invitation = {item.recipient.invitation_id: item for item in items}

        def make(message: MailMessage) -> OutgoingMessage:
            item = by_invitation.get(message.invitation_id or -1)
            if item is None:
                raise UserError(f"Die Einladung {message.invitation_id} gibt es nicht mehr.")
            return compose(item.letter, item.recipient, settings, attach(item))

        try:
            if resume is not None:
                result = smtp.send_run(database, resume, make, settings, progress_printer("Sende"))
                letters: list[int] = []
            else:
                statuses = chosen_statuses(args, database, template)
                by_post = _ids(args.by_post)
                chosen_ids = [i for i in by_invitation if i not in by_post] if by_post else None
                sending = smtp.send_invitations(
                    database,
                    args.conference,
                    template,
                    statuses,
                    make,
                    settings,
                    attachments=sorted(wanted),
                    invitation_ids=chosen_ids,
                    progress=progress_printer("Sende"),
                    again=args.again,
                )
                result, letters = sending.result, [*sending.letters, *sorted(by_post)]
                if sending.already:
                    print(
                        f"{number(len(sending.already))} Einladung(en) haben diese E-Mail schon – nicht noch einmal "
                        "gesendet (--erneut sendet sie wieder)."
                    )
        except smtp.SendInterruptedError as exc:
            _print_report(exc.report)
            raise
    _print_report(result.report)
    # who gets no e-mail: no (working) address, chosen for a letter, or refused by the server in this run
    refused = [line.invitation_id for line in result.report.failed if line.invitation_id is not None]
    letters = list(dict.fromkeys([*letters, *refused]))
    if letters:
        print(
            f"Hinweis: {number(len(letters))} Einladung(en) ohne E-Mail (keine oder abgelehnte Adresse, oder per "
            "Brief gewählt) – dafür Briefe drucken (konferenz letters)."
        )
    return EXIT_OK


def _decide(args: argparse.Namespace) -> int:
    """``--unklar N --als-gesendet | --erneut-senden``: staff's decision on the undecided messages of run N."""
    from konferenz.mail import outbox

    if args.delivered == args.resend:
        raise UserError("Bitte --als-gesendet oder --erneut-senden angeben.")
    with opened(args, create=False) as database:
        outbox.recover_interrupted(database, args.undecided)
        report = outbox.run_report(database, args.undecided)
        ids = [line.message_id for line in report.unknown]
        if not ids:
            raise UserError(f"Im Versand {args.undecided} gibt es keine unklaren Nachrichten.")
        outbox.decide_unknown(database, ids, delivered=args.delivered)
        print(
            f"{number(len(ids))} Nachricht(en) als gesendet vermerkt."
            if args.delivered
            else f"{number(len(ids))} Nachricht(en) warten wieder: konferenz mail --fortsetzen {args.undecided}"
        )
        _print_report(outbox.run_report(database, args.undecided))
    return EXIT_OK


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    mail = sub.add_parser(
        "mail",
        help="Einladungen per E-Mail: Vorschau als .eml, Entwürfe in einen Ordner, Versand",
        description="Eine persönliche E-Mail je Einladung aus derselben Vorlage wie der Brief (Anrede, Betreff, "
        "Text, Grußformel): --preview ID schreibt die genaue Nachricht an eine Person als .eml-Datei, "
        "--eml-ordner ORDNER einen Entwurf (X-Unsent) je Empfänger mit E-Mail-Adresse – Outlook öffnet ihn "
        "zum Absenden. Wer keine Adresse hat, bekommt einen Brief. Es wird nichts als versendet vermerkt.",
    )
    mail.add_argument("--conference", "--konferenz", type=int, metavar="JAHR", help="Jahr der Konferenz")
    mail.add_argument(
        "--template",
        "--vorlage",
        default="einladung",
        metavar="NAME",
        help="Vorlage: einladung, erinnerung, dank oder eine eigene aus dem Ordner „Vorlagen“ (einladung)",
    )
    mail.add_argument(
        "--status",
        metavar="STATUS",
        help=PROPOSED_HELP,
    )
    what = mail.add_mutually_exclusive_group(required=True)
    what.add_argument("--preview", "--vorschau", type=int, metavar="ID", help="Vorschau für die Einladung ID")
    what.add_argument(
        "--eml-ordner", "--eml-folder", dest="eml_folder", metavar="ORDNER", help="ein Entwurf je Empfänger"
    )
    what.add_argument("--send", "--senden", action="store_true", help="die E-Mails versenden")
    what.add_argument(
        "--fortsetzen",
        "--resume",
        dest="resume",
        type=int,
        metavar="NR",
        help="einen abgebrochenen Versand fortsetzen",
    )
    what.add_argument(
        "--entwuerfe",
        "--entwürfe",
        dest="drafts",
        type=int,
        metavar="NR",
        help="die Entwürfe des Versands NR als versendet vermerken (--als-gesendet) oder verwerfen",
    )
    what.add_argument(
        "--unklar",
        dest="undecided",
        type=int,
        metavar="NR",
        help="über die unklaren Nachrichten des Versands NR entscheiden",
    )
    mail.add_argument(
        "--per-brief",
        dest="by_post",
        metavar="NR,NR",
        help="(mit --send) diese Einladungen per Brief statt per E-Mail (Nummern aus der Einladungsliste)",
    )
    mail.add_argument(
        "--erneut",
        dest="again",
        action="store_true",
        help="(mit --send) auch an die, die diese E-Mail schon haben",
    )
    mail.add_argument(
        "--als-gesendet",
        dest="delivered",
        action="store_true",
        help="(mit --unklar) sie kamen an; (mit --entwuerfe) sie wurden versendet",
    )
    mail.add_argument(
        "--verwerfen",
        dest="discard",
        action="store_true",
        help="(mit --entwuerfe) sie wurden nicht versendet: nichts vermerken",
    )
    mail.add_argument(
        "--erneut-senden", dest="resend", action="store_true", help="(mit --unklar) noch einmal senden"
    )
    mail.add_argument("-o", "--output", metavar="DATEI.eml", help="die Vorschau-Datei (mit --preview)")
    mail.add_argument(
        "--anlagen",
        "--attachments",
        dest="attachments",
        metavar="LISTE",
        help="Anlagen, durch Komma getrennt: brief (der persönliche Brief als PDF), programm, "
        "rueckmeldebogen, ics (Kalendereintrag)",
    )
    add_db_argument(mail)
    mail.set_defaults(command=cmd_mail)
