"""E-mail runs from the window: composing the messages of a choice, sending a run in the background with
progress and Abbrechen, the run's report, the decision on undecided messages, continuing an interrupted run,
and the offer to continue that the main window makes once after it started.

The rules live in the core: who gets e-mail (``konferenz.mail.messages.channel_for`` through
``outbox.plan_recipients``), the message (``messages.compose``), the states before and after the server
(``konferenz.mail.outbox``, ``konferenz.mail.smtp.send_run``). The attachments come from
``ui.paper.mail_attachments.Attacher``, as on the command line. This module only asks and shows.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox, QWidget

from konferenz.conferences.reads import conference_year
from konferenz.enums import InvitationStatus, MailState
from konferenz.errors import UserError
from konferenz.letters import templates
from konferenz.lists.source import format_count
from konferenz.mail import outbox, smtp
from konferenz.mail.drafts import Draft, record_drafts, write_drafts
from konferenz.mail.messages import MailContent, compose, draft_file_name, mail_contents
from konferenz.mail.settings import MailSettings, check_mail_settings, load_mail_settings, require_server
from konferenz.storage.db import Database
from ui.context import AppContext
from ui.paper.canvas import ensure_fonts
from ui.paper.mail_attachments import Attacher
from ui.widgets.dialog_tools import confirm, warn
from ui.widgets.tasks import Cancelled, Progress, run_task

if TYPE_CHECKING:
    from konferenz.mail.mime import OutgoingMessage
    from konferenz.storage.models import MailMessage

log = logging.getLogger(__name__)

#: the attachments offered in the window, with their German names (keys as ``--anlagen``)
ATTACHMENT_LABELS = {
    "brief": "Brief als PDF",
    "programm": "Programm",
    "rueckmeldebogen": "Rückmeldebogen",
    "ics": "Kalendereintrag (.ics)",
}

#: what ``ask_unknown`` answers
RESEND, DELIVERED, LATER = "resend", "delivered", "later"


def default_attachments(template: str) -> frozenset[str]:
    """What a run of ``template`` attaches unless chosen otherwise: an invitation the programme, the reply
    form and the calendar entry; a reminder the reply form and the calendar entry; thanks nothing."""
    kind = templates.template_kind(template)
    if kind.startswith("dank"):
        return frozenset()
    if kind.startswith("erinnerung"):
        return frozenset({"rueckmeldebogen", "ics"})
    return frozenset({"programm", "rueckmeldebogen", "ics"})


def plural(n: int, one: str, many: str) -> str:
    """ "1 E-Mail" / "52 E-Mails" (``many`` with ``{0}``)."""
    return one if n == 1 else many.format(format_count(n))


@dataclass
class Prepared:
    """The messages of one choice, ready to be composed (on any thread)."""

    year: int
    template: str
    settings: MailSettings
    wanted: frozenset[str]
    #: invitation id → its content and recipient, in letter order
    items: dict[int, MailContent]
    attacher: Attacher

    def message(self, invitation_id: int) -> OutgoingMessage:
        """The exact message the invitation gets (``UserError`` in German when it cannot be made)."""
        item = self.items.get(invitation_id)
        if item is None:
            raise UserError(f"Die Einladung {invitation_id} gibt es nicht mehr.")
        return compose(item.letter, item.recipient, self.settings, self.attacher(item))

    def compose_row(self, row: MailMessage) -> OutgoingMessage:
        """``send_run``'s composer: the message of an outbox row."""
        return self.message(row.invitation_id or -1)


def prepare(
    database: Database,
    year: int,
    template: str,
    statuses: Iterable[InvitationStatus] | None,
    invitation_ids: Sequence[int] | None,
    *,
    wanted: Iterable[str],
) -> Prepared:
    """The contents of the invitations chosen (as ``mail_contents``), the mail settings and the attacher."""
    from konferenz.mail.calendar import conference_calendar

    chosen = frozenset(wanted)
    with database.read_session() as s:
        settings = load_mail_settings(s)
    contents = mail_contents(
        database,
        year,
        None if statuses is None else frozenset(statuses),
        invitation_ids,
        template=template,
        programme="programm" in chosen,
        reply_form="rueckmeldebogen" in chosen,
    )
    calendar = b""
    if "ics" in chosen:
        try:
            calendar = conference_calendar(database, year)
        except UserError:
            chosen = chosen - {"ics"}  # a conference without date and place: no calendar entry
    items = {item.recipient.invitation_id: item for item in contents}
    return Prepared(year, template, settings, chosen, items, Attacher(chosen, template, calendar))


#: the channels of the recipient list: e-mail, letter, or nothing (they have this e-mail already)
EMAIL, POST, NONE = "email", "post", "none"


def propose_channels(
    prepared: Prepared | None, plan: outbox.RecipientPlan | None
) -> tuple[dict[int, str], dict[int, str], list[int]]:
    """What the core proposes for each invitation of ``prepared`` (``EMAIL``/``POST``/``NONE``), the hint
    shown beside it, and the order of the list."""
    proposed: dict[int, str] = {}
    hints: dict[int, str] = {}
    order: list[int] = []
    if plan is None or prepared is None:
        return proposed, hints, order
    email_ids = {r.invitation_id for r in plan.email}
    already = set(plan.already)
    letter = set(plan.letter)
    for inv_id, item in prepared.items.items():
        if inv_id in email_ids:
            proposed[inv_id] = EMAIL
        elif inv_id in already:
            proposed[inv_id] = NONE
            hints[inv_id] = "hat diese E-Mail schon"
        elif inv_id in letter:
            proposed[inv_id] = POST
            hints[inv_id] = (
                "Adresse vom Mailserver abgelehnt" if item.recipient.address else "keine E-Mail-Adresse"
            )
        else:
            continue
        order.append(inv_id)
    return proposed, hints, order


# --- sending ------------------------------------------------------------------------------------------------


def ask_unknown(parent: QWidget | None, text: str) -> str:
    """Resend, record as sent, or decide later (the default: nothing happens)."""
    box = QMessageBox(
        QMessageBox.Icon.Question, parent.tr("Unklare E-Mails") if parent else "Unklare E-Mails", text
    )
    resend = box.addButton("&Erneut senden", QMessageBox.ButtonRole.AcceptRole)
    delivered = box.addButton("Als &gesendet vermerken", QMessageBox.ButtonRole.AcceptRole)
    later = box.addButton("&Später entscheiden", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(later)
    box.setEscapeButton(later)
    box.exec()
    clicked = box.clickedButton()
    box.deleteLater()
    if clicked is resend:
        return RESEND
    if clicked is delivered:
        return DELIVERED
    return LATER


def report_text(
    report: outbox.RunReport, names: dict[int, str] | None = None, *, cancelled: bool = False
) -> str:
    """The run's report for staff: the counts, each refusal with the server's text, each unclear message."""
    names = names or {}

    def who(line: outbox.ReportLine) -> str:
        name = names.get(line.invitation_id or -1, "")
        return f"{name} <{line.address}>" if name else line.address

    lines = [report.summary()]
    if cancelled:
        waiting = report.count(MailState.QUEUED)
        lines.append(
            plural(
                waiting,
                "Abgebrochen: 1 E-Mail wartet; „Fortsetzen“ sendet sie.",
                "Abgebrochen: {0} E-Mails warten; „Fortsetzen“ sendet sie.",
            )
        )
    if report.failed:
        lines.append("")
        lines.append("Abgelehnt:")
        for ln in report.failed:
            reply = f"{ln.smtp_code or ''} {ln.smtp_reply}".strip()
            lines.append(f"– {who(ln)}: {reply}")
    if report.unknown:
        lines.append("")
        lines.append("Unklar (der Mailserver hatte die Nachricht, als der Versand abbrach):")
        lines.extend(f"– {who(ln)}" for ln in report.unknown)
    return "\n".join(lines)


def show_report(
    parent: QWidget, report: outbox.RunReport, names: dict[int, str] | None = None, *, cancelled: bool = False
) -> None:
    title = parent.tr("Bericht des Versands")
    text = report_text(report, names, cancelled=cancelled)
    if report.failed or report.unknown:
        QMessageBox.warning(parent, title, text)
    else:
        QMessageBox.information(parent, title, text)


@dataclass(frozen=True)
class Sent:
    """What a sending from the window did."""

    report: outbox.RunReport
    cancelled: bool
    #: the connection broke: the German message
    interrupted: str = ""


def send_in_background(ctx: AppContext, parent: QWidget, run_id: int, prepared: Prepared) -> Sent | None:
    """Send the queued messages of run ``run_id`` off the GUI thread (progress, Abbrechen), announce what
    changed and show the report; None after a German message (no connection: nothing sent)."""
    title = parent.tr("E-Mails senden")
    database = ctx.database
    ensure_fonts()  # registered on the GUI thread; the letter PDFs are painted in the background

    def work(progress: Progress, cancelled: Cancelled) -> smtp.SendResult:
        return smtp.send_run(database, run_id, prepared.compose_row, prepared.settings, progress, cancelled)

    names = {inv: item.recipient.name for inv, item in prepared.items.items()}
    with ctx.announcing():
        try:
            result = run_task(parent, title, work, label=parent.tr("E-Mails werden gesendet …"))
        except smtp.SendInterruptedError as exc:
            sent = Sent(exc.report, False, exc.message)
        except UserError as exc:
            warn(parent, title, exc)
            return None
        else:
            sent = Sent(result.report, result.cancelled)
    ctx.tell(parent.tr("E-Mails gesendet: {0} von {1}").format(sent.report.sent, sent.report.total))
    if sent.interrupted:
        QMessageBox.warning(parent, title, sent.interrupted + "\n\n" + report_text(sent.report, names))
    else:
        show_report(parent, sent.report, names, cancelled=sent.cancelled)
    return sent


def decide(ctx: AppContext, parent: QWidget, report: outbox.RunReport) -> str:
    """Ask about the undecided messages of a run and record the decision (``outbox.decide_unknown``)."""
    if not report.unknown:
        return LATER
    listed = "\n".join(f"– {line.address}" for line in report.unknown[:10])
    more = f"\n… und {len(report.unknown) - 10} weitere" if len(report.unknown) > 10 else ""
    text = (
        plural(
            len(report.unknown),
            "Bei 1 E-Mail ist unklar, ob sie ankam (der Versand brach ab, während der Mailserver sie hatte):",
            "Bei {0} E-Mails ist unklar, ob sie ankamen (der Versand brach ab, während der Mailserver sie "
            "hatte):",
        )
        + f"\n{listed}{more}\n\nBitte im Postausgang oder beim Empfänger prüfen. Erneut senden oder als "
        "gesendet vermerken?"
    )
    answer = ask_unknown(parent, text)
    if answer == LATER:
        return LATER
    ids = [line.message_id for line in report.unknown]
    try:
        ctx.run(lambda: outbox.decide_unknown(ctx.database, ids, delivered=answer == DELIVERED))
    except UserError as exc:
        warn(parent, parent.tr("Unklare E-Mails"), exc)
        return LATER
    return answer


def continue_run(ctx: AppContext, parent: QWidget, run_id: int) -> Sent | None:
    """Continue run ``run_id``: undecided messages are listed for a decision first, then the queued ones
    are sent (nobody twice: sent and undecided messages are never sent again)."""
    database = ctx.database
    title = parent.tr("Versand fortsetzen")
    try:
        outbox.recover_interrupted(database, run_id)
        decide(ctx, parent, outbox.run_report(database, run_id))
        rows = outbox.queued_messages(database, run_id)
        report = outbox.run_report(database, run_id)
        if not rows:
            outbox.finish_if_done(database, run_id)
            show_report(parent, outbox.run_report(database, run_id))
            return Sent(report, False)
        run = rows[0].run
        with database.read_session() as s:
            year = conference_year(s, run.conference_id)
        if year is None:
            raise UserError("Die Konferenz dieses Versands gibt es nicht mehr.")
        wanted = [a for a in run.attachments.split(",") if a]
        ids = [row.invitation_id for row in rows if row.invitation_id is not None]
        prepared = prepare(database, year, run.template, None, ids, wanted=wanted)
        check_mail_settings(prepared.settings)
        require_server(prepared.settings)
    except UserError as exc:
        warn(parent, title, exc)
        return None
    return send_in_background(ctx, parent, run_id, prepared)


def open_run_question(reports: Sequence[outbox.RunReport]) -> str:
    """ "Ein E-Mail-Versand wurde nicht abgeschlossen (40 gesendet, 10 warten, 1 unklar). Fortsetzen?";
    when nothing waits and only unclear messages are left, it asks for the decision instead."""
    sent = sum(r.sent for r in reports)
    waiting = sum(r.count(MailState.QUEUED) for r in reports)
    unknown = sum(len(r.unknown) for r in reports)
    parts = [f"{format_count(sent)} gesendet"]
    if waiting:
        parts.append(f"{format_count(waiting)} warten")
    if unknown:
        parts.append(f"{format_count(unknown)} unklar")
    head = plural(
        len(reports),
        "Ein E-Mail-Versand wurde nicht abgeschlossen",
        "{0} E-Mail-Versände wurden nicht abgeschlossen",
    )
    if waiting or not unknown:
        return f"{head} ({', '.join(parts)}). Fortsetzen?"
    ask = plural(
        unknown,
        "Jetzt entscheiden, ob die unklare Nachricht ankam?",
        "Jetzt entscheiden, ob die {0} unklaren Nachrichten ankamen?",
    )
    return f"{head} ({', '.join(parts)}). {ask}"


def offer_open_runs(ctx: AppContext, parent: QWidget) -> list[Sent | None]:
    """At the start of the window (once, after the lists are shown): messages a killed program left
    *sending* become *unknown*; open runs are offered to continue (default: no, nothing is sent)."""
    database = ctx.database
    try:
        outbox.recover_interrupted(database)
        reports = outbox.open_runs(database)
    except UserError as exc:
        log.warning("open mail runs not checked: %s", exc)
        return []
    if not reports:
        return []
    if not confirm(parent, parent.tr("E-Mail-Versand fortsetzen"), open_run_question(reports)):
        return []
    return [continue_run(ctx, parent, report.run_id) for report in reports]


def open_runs_of(database: Database, template: str) -> list[outbox.RunReport]:
    """The unfinished runs of ``template`` (a new run waits until they are continued or decided)."""
    return [r for r in outbox.open_runs(database) if r.template == template]


def write_recorded_drafts(
    ctx: AppContext,
    parent: QWidget,
    prepared: Prepared,
    ids: Sequence[int],
    *,
    conference_id: int,
    folder: Path,
) -> tuple[list[Path], outbox.RunCreated] | None:
    """ "Entwürfe in Ordner schreiben": one ``.eml`` draft per invitation in ``ids`` (in the background,
    with Abbrechen), kept as a run of drafts (``konferenz.mail.drafts.record_drafts``); the invitations
    stay unchanged. None (after a German message) when nothing was written."""
    title = parent.tr("Entwürfe in Ordner schreiben")

    def work(progress: Progress, cancelled: Cancelled) -> tuple[list[Path], list[Draft]]:
        files = []
        made = []
        for done, inv_id in enumerate(ids, start=1):
            if cancelled():
                raise UserError("Abgebrochen; es wurden keine Entwürfe geschrieben.")
            item = prepared.items[inv_id]
            msg = prepared.message(inv_id)
            files.append((draft_file_name(prepared.year, prepared.template, item.recipient), msg))
            made.append(Draft(inv_id, item.recipient.address, msg))
            progress(done, len(ids))
        return write_drafts(folder, files), made

    try:
        written, made = run_task(parent, title, work)
        run = ctx.run(
            lambda: record_drafts(
                ctx.database, conference_id, prepared.template, made, attachments=sorted(prepared.wanted)
            )
        )
    except UserError as exc:
        warn(parent, title, exc)
        return None
    return written, run
