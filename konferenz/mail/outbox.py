"""The outbox: sending runs and the state of each e-mail, so that nobody gets a message twice and nothing is
lost (Qt-free; the transport is ``konferenz.mail.smtp``).

A run (``MailRun``) is created with one *queued* ``MailMessage`` per recipient, each with its Message-ID,
in one unit of work. Each message then goes through these states, every step committed before the next
one starts::

    queued ──claim──▶ sending ──server said 250──▶ delivered ──batch──▶ sent  (the invitation records
                         │                                                     channel, date, template)
                         │────server said 4xx/5xx─▶ failed   (5xx: the address is marked failing)
                         └────killed / connection lost──▶ (sending) ──next start──▶ unknown

*delivered* is one small UPDATE right after the server's reply; what it means for the invitations (and the
audit log) is written for many messages in one unit of work by ``record_delivered`` – every 100 messages,
at the end of a run however it ends, and, after a kill, when the run is continued or the program starts.

``claim`` stores the rendered bytes ("the message it received") and sets *sending* with one
``UPDATE … WHERE state = 'queued'``: of two workplaces resuming the same run only one gets each message.
A message left *sending* by a killed program is turned into *unknown* by ``recover_interrupted``; it is
never resent blindly: staff decide (``decide_unknown``: resend, or record as sent). ``open_runs`` lists the
runs to continue at the next start; ``run_report`` says what happened.

Services return what they changed (``konferenz.storage.changes.Changes``).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload, selectinload

from konferenz import paths
from konferenz.enums import Channel, InvitationStatus, MailPurpose, MailState
from konferenz.errors import UserError
from konferenz.letters.sending import apply_sending
from konferenz.letters.templates import is_reminder, is_thank_you, template_title
from konferenz.storage import recording
from konferenz.storage.changes import Changes
from konferenz.storage.db import Database
from konferenz.storage.models import Invitation, MailMessage, MailRun, Organisation, Person
from konferenz.storage.prepared import Units
from konferenz.storage.schema import invitation, mail_content, mail_message, mail_run, now

#: the states in which a message still needs something: sending, a decision, the server, or recording
OPEN_STATES = frozenset({MailState.QUEUED, MailState.SENDING, MailState.UNKNOWN, MailState.DELIVERED})
#: the server has it: sent, or accepted and the invitation not yet recorded
SENT_STATES = frozenset({MailState.SENT, MailState.DELIVERED})


def purpose_of(template: str) -> MailPurpose:
    """The purpose of a run by its template's name (``konferenz.letters.templates.is_reminder``, ``is_thank_you``)."""
    if is_reminder(template):
        return MailPurpose.REMINDER
    if is_thank_you(template):
        return MailPurpose.THANKS
    return MailPurpose.INVITATION


@dataclass(frozen=True)
class Recipient:
    invitation_id: int
    address: str


@dataclass(frozen=True)
class RunCreated:
    run_id: int
    queued: int
    changes: Changes


def _domain(address: str) -> str:
    return address.rpartition("@")[2] or "konferenz.invalid"


def create_run(
    database: Database,
    conference_id: int,
    template: str,
    recipients: Sequence[Recipient],
    *,
    from_address: str,
    purpose: MailPurpose | None = None,
    attachments: Iterable[str] = (),
) -> RunCreated:
    """Create a run with one queued message per recipient (one per invitation; a repeated invitation once),
    in one unit of work. The Message-IDs are fixed here (``<…@domain of from_address>``)."""
    unique = list({r.invitation_id: r for r in recipients}.values())
    if not unique:
        raise UserError("Keine Empfänger mit E-Mail-Adresse ausgewählt; es wurde nichts angelegt.")
    domain = _domain(from_address)
    with database.track() as changes, database.session() as s:
        run = MailRun(
            conference_id=conference_id,
            template=template,
            purpose=purpose or purpose_of(template),
            created_by=paths.os_user()[:100],
            attachments=",".join(attachments),
        )
        s.add(run)
        s.flush()
        # one statement for all messages (mail_message is not audited): a fifth of the ORM's time
        s.execute(
            sa.insert(mail_message),
            [
                {
                    "run_id": run.id,
                    "invitation_id": recipient.invitation_id,
                    "address": recipient.address,
                    "message_id": f"<{uuid.uuid4().hex}@{domain}>",
                    "state": MailState.QUEUED,
                }
                for recipient in unique
            ],
        )
        run_id = run.id
    return RunCreated(run_id, len(unique), changes)


def discard_if_untouched(database: Database, run_id: int) -> bool:
    """Delete run ``run_id`` when none of its messages left the queue (no connection could be made): a run
    that sent nothing leaves nothing behind. True when it was deleted."""
    with database.session() as s:
        touched = s.scalar(
            sa.select(sa.func.count(MailMessage.id)).where(
                MailMessage.run_id == run_id, MailMessage.state != MailState.QUEUED
            )
        )
        if touched:
            return False
        delete_run(s, run_id)
        return True


def delete_run(s: Session, run_id: int) -> None:
    """Remove run ``run_id`` and its messages in the unit of work ``s`` (the caller has checked that nothing
    of it was sent)."""
    s.execute(sa.delete(MailMessage).where(MailMessage.run_id == run_id))
    s.execute(sa.delete(MailRun).where(MailRun.id == run_id))


def recover_interrupted(database: Database, run_id: int | None = None) -> list[int]:
    """Turn messages left *sending* (the program was killed or lost its connection while the server had
    them) into *unknown*; of one run, or of all. Returns their ids. Called before a run is continued and
    at the start of the window."""
    with database.session() as s:
        stmt = sa.select(MailMessage.id).where(MailMessage.state == MailState.SENDING)
        if run_id is not None:
            stmt = stmt.where(MailMessage.run_id == run_id)
        ids = list(s.scalars(stmt))
        if ids:
            s.execute(
                sa.update(mail_message)
                .where(mail_message.c.id.in_(ids), mail_message.c.state == MailState.SENDING)
                .values(
                    state=MailState.UNKNOWN,
                    smtp_reply="Unterbrochen, während der Mailserver die Nachricht hatte.",
                    updated_at=now(),
                )
            )
    record_delivered(database, run_id)
    return ids


def queued_ids(database: Database, run_id: int) -> list[int]:
    with database.read_session() as s:
        return list(
            s.scalars(
                sa.select(MailMessage.id)
                .where(MailMessage.run_id == run_id, MailMessage.state == MailState.QUEUED)
                .order_by(MailMessage.id)
            )
        )


def queued_messages(database: Database, run_id: int) -> list[MailMessage]:
    """The queued messages of a run with the run (for the composer), in order; detached, usable after the
    session. One may be taken by another workplace meanwhile: ``claim`` says so."""
    with database.read_session() as s:
        return list(
            s.scalars(
                sa.select(MailMessage)
                .where(MailMessage.run_id == run_id, MailMessage.state == MailState.QUEUED)
                .order_by(MailMessage.id)
                .options(selectinload(MailMessage.run))
            )
        )


#: the statements written for every message, built once (building one costs as much as running it)
_DELIVERED = (
    sa.update(mail_message)
    .where(mail_message.c.id == sa.bindparam("pk"), mail_message.c.state == MailState.SENDING)
    .values(
        state=MailState.DELIVERED,
        smtp_code=sa.bindparam("code"),
        smtp_reply=sa.bindparam("reply"),
        sent_at=sa.bindparam("at"),
        updated_at=sa.bindparam("at"),
    )
)
_CLAIM = (
    sa.update(mail_message)
    .where(mail_message.c.id == sa.bindparam("pk"), mail_message.c.state == MailState.QUEUED)
    .values(
        state=MailState.SENDING,
        size=sa.bindparam("size"),
        subject=sa.bindparam("subject"),
        updated_at=sa.bindparam("at"),
    )
)
_STORE_CONTENT = sa.insert(mail_content).values(
    message_pk=sa.bindparam("pk"), content=sa.bindparam("content")
)


class Claims(Units):
    """The claims of one run's messages on one connection held for the run (``konferenz.storage.prepared``):
    a run commits one claim per message, and through ``engine.begin()`` each cost twice as much as its SQL.
    ``close()`` (or ``with``) gives the connection back."""

    def __init__(self, database: Database) -> None:
        super().__init__(database)
        self._delivered = self.prepare(_DELIVERED)
        self._claim = self.prepare(_CLAIM)
        self._content = self.prepare(_STORE_CONTENT)

    def claim(
        self, message_pk: int, content: bytes, subject: str, *, delivered: tuple[int, int, str] | None = None
    ) -> bool:
        """Record the message as *sending* with the bytes about to be handed to the server; committed before
        the server sees them. False when it is no longer queued (another workplace took it).

        ``delivered``: (id, code, reply) of the message before, which the server has just accepted – written
        in the same unit (``mark_delivered``), one commit per message instead of two."""
        at = now()
        with self.unit() as cursor:
            if delivered is not None:
                self._write_delivered(cursor, *delivered, at=at)
            values = {"pk": message_pk, "size": len(content), "subject": subject, "at": at}
            if self._claim.run(cursor, values) != 1:
                return False
            # a queued message has no bytes stored: what queues one again (release, decide_unknown) forgets
            self._content.run(cursor, {"pk": message_pk, "content": content})
            return True

    def mark_delivered(self, message_pk: int, code: int, reply: str) -> None:
        """The server accepted the message: *delivered*, with its reply and the time (one UPDATE,
        committed). ``record_delivered`` records it on the invitation."""
        with self.unit() as cursor:
            self._write_delivered(cursor, message_pk, code, reply, at=now())

    def _write_delivered(
        self, cursor: Any, message_pk: int, code: int, reply: str, *, at: dt.datetime
    ) -> None:
        self._delivered.run(cursor, {"pk": message_pk, "code": code, "reply": reply, "at": at})


def claim(
    database: Database,
    message_pk: int,
    content: bytes,
    subject: str,
    *,
    delivered: tuple[int, int, str] | None = None,
) -> bool:
    """``Claims.claim`` for one message (a run keeps one ``Claims`` for all of its messages)."""
    with Claims(database) as claims:
        return claims.claim(message_pk, content, subject, delivered=delivered)


def _message(s: sa.orm.Session, message_pk: int) -> MailMessage:
    return (
        s.scalars(
            sa.select(MailMessage)
            .where(MailMessage.id == message_pk)
            .options(  # one query (this runs twice for every message sent)
                joinedload(MailMessage.run),
                joinedload(MailMessage.invitation).joinedload(Invitation.person),
                joinedload(MailMessage.invitation).joinedload(Invitation.organisation),
            )
        )
        .unique()
        .one()
    )


def _holder(inv: Invitation | None, address: str) -> Person | Organisation | None:
    """The person (or the organisation invited alone) of invitation ``inv`` whose address is ``address``."""
    if inv is None:
        return None
    for holder in (inv.person, inv.organisation):
        if holder is not None and holder.email.strip().casefold() == address.casefold():
            return holder
    return None


def _record_on_invitation(inv: Invitation | None, address: str, template: str, today: dt.date) -> None:
    """What a message the server accepted changes outside the outbox: the invitation records the sending
    (``apply_sending``), and an address marked failing works again."""
    if inv is not None:
        apply_sending(inv, template, Channel.EMAIL, today)
    holder = _holder(inv, address)
    if holder is not None and holder.email_failing:
        holder.email_failing = ""
        holder.email_failing_at = None


def _record_sent(msg: MailMessage, code: int | None, reply: str, today: dt.date) -> None:
    msg.state = MailState.SENT
    if code is not None or msg.smtp_code is None:
        msg.smtp_code = code
        msg.smtp_reply = reply
    msg.sent_at = msg.sent_at or now()
    _record_on_invitation(msg.invitation, msg.address, msg.run.template, today)


def mark_delivered(database: Database, message_pk: int, code: int, reply: str) -> None:
    """``Claims.mark_delivered`` for one message."""
    with Claims(database) as claims:
        claims.mark_delivered(message_pk, code, reply)


#: ``record_delivered`` takes this many messages per statement
_RECORD_CHUNK = 500


def record_delivered(database: Database, run_id: int | None = None, *, today: dt.date | None = None) -> int:
    """The *delivered* messages (of one run, or of all) become *sent*, and their invitations record
    channel E-Mail, the date and the template (``konferenz.letters.sending.apply_sending``), in one unit
    of work. Returns how many.

    Written through Core, 500 messages per statement: the invitations' rows are read, changed by the rule
    of ``apply_sending`` and written back with their ``version`` raised (a window holding one of them sees
    the conflict, as after an ORM save); the audit log gets exactly the entries the ORM listener would
    write (``recording.log_row_changes``). Only an address marked failing that works again goes through the
    ORM (it is rare)."""
    with database.session() as s:
        stmt = (
            sa.select(
                mail_message.c.id, mail_message.c.invitation_id, mail_message.c.address, mail_run.c.template
            )
            .join(mail_run, mail_run.c.id == mail_message.c.run_id)
            .where(mail_message.c.state == MailState.DELIVERED)
            .order_by(mail_message.c.id)
        )
        if run_id is not None:
            stmt = stmt.where(mail_message.c.run_id == run_id)
        rows = s.execute(stmt).all()
        if not rows:
            return 0
        day = today or dt.date.today()
        for start in range(0, len(rows), _RECORD_CHUNK):
            chunk = rows[start : start + _RECORD_CHUNK]
            _record_on_invitations(s, chunk, day)
            s.execute(
                sa.update(mail_message)
                .where(
                    mail_message.c.id.in_([r.id for r in chunk]), mail_message.c.state == MailState.DELIVERED
                )
                .values(state=MailState.SENT, updated_at=now())
            )
        return len(rows)


#: the invitation's fields ``apply_sending`` may change
_SENDING_FIELDS = ("status", "invitation_channel", "invited_on", "reminded_on", "letter_template")
_SET_SENDING = (
    sa.update(invitation)
    .where(invitation.c.id == sa.bindparam("b_id"))
    .values(
        {name: sa.bindparam(f"b_{name}") for name in _SENDING_FIELDS} | {"version": invitation.c.version + 1}
    )
)


def _record_on_invitations(s: Session, chunk: Sequence[Any], today: dt.date) -> None:
    """``_record_on_invitation`` for many delivered messages at once (see ``record_delivered``)."""
    wanted = {r.invitation_id for r in chunk if r.invitation_id is not None}
    before = {
        row["id"]: dict(row)
        for row in s.execute(sa.select(invitation).where(invitation.c.id.in_(wanted))).mappings()
    }
    after: dict[int, dict[str, Any]] = {}
    for message in chunk:
        old = after.get(message.invitation_id) or before.get(message.invitation_id)
        if old is None:
            continue
        target = SimpleNamespace(**{name: old[name] for name in _SENDING_FIELDS})
        apply_sending(target, message.template, Channel.EMAIL, today)
        new = dict(old) | {name: getattr(target, name) for name in _SENDING_FIELDS}
        if new != old:
            after[message.invitation_id] = new
    if after:
        s.execute(
            _SET_SENDING,
            [
                {"b_id": key} | {f"b_{name}": row[name] for name in _SENDING_FIELDS}
                for key, row in after.items()
            ],
        )
        recording.log_row_changes(
            s,
            [
                recording.RowChange("invitation", before[key], row | {"version": before[key]["version"] + 1})
                for key, row in after.items()
            ],
        )
    _working_again(s, chunk)


def _working_again(s: Session, chunk: Sequence[Any]) -> None:
    """An address marked failing whose message the server accepted works again (through the ORM, audited;
    only the few invitations whose person or organisation is marked are loaded)."""
    wanted = {r.invitation_id for r in chunk if r.invitation_id is not None}
    failing = (
        sa.select(invitation.c.id)
        .outerjoin(Person, Person.id == invitation.c.person_id)
        .outerjoin(Organisation, Organisation.id == invitation.c.organisation_id)
        .where(
            invitation.c.id.in_(wanted), sa.or_(Person.email_failing != "", Organisation.email_failing != "")
        )
    )
    marked = set(s.scalars(failing))
    if not marked:
        return
    loaded = {
        inv.id: inv
        for inv in s.scalars(
            sa.select(Invitation)
            .where(Invitation.id.in_(marked))
            .options(selectinload(Invitation.person), selectinload(Invitation.organisation))
        )
    }
    for message in chunk:
        holder = _holder(loaded.get(message.invitation_id), message.address)
        if holder is not None and holder.email_failing:
            holder.email_failing = ""
            holder.email_failing_at = None


def mark_failed(database: Database, message_pk: int, code: int | None, reply: str) -> None:
    """The server refused the message (or it was not handed over: too large): *failed* with the reply.
    A permanent refusal (5xx) marks the address as failing on the person (or the organisation invited
    alone), with the server's text."""
    with database.session() as s:
        msg = _message(s, message_pk)
        msg.state = MailState.FAILED
        msg.smtp_code = code
        msg.smtp_reply = reply
        if code is not None and 500 <= code < 600:
            holder = _holder(msg.invitation, msg.address)
            if holder is not None:
                holder.email_failing = f"{code} {reply}".strip()
                holder.email_failing_at = now()


def mark_unknown(database: Database, message_pk: int, reason: str) -> None:
    """The connection broke while the server had the message: whether it arrived is not known."""
    with database.session() as s:
        s.execute(
            sa.update(mail_message)
            .where(mail_message.c.id == message_pk, mail_message.c.state == MailState.SENDING)
            .values(state=MailState.UNKNOWN, smtp_reply=reason, updated_at=now())
        )


def release(database: Database, message_pk: int) -> None:
    """Back to *queued*: the message never reached the server (the connection broke before its data)."""
    with database.session() as s:
        s.execute(
            sa.update(mail_message)
            .where(mail_message.c.id == message_pk, mail_message.c.state == MailState.SENDING)
            .values(state=MailState.QUEUED, updated_at=now())
        )
        _forget_content(s, [message_pk])


def decide_unknown(
    database: Database, message_ids: Iterable[int], *, delivered: bool, today: dt.date | None = None
) -> Changes:
    """Staff's decision on messages in state *unknown*: ``delivered`` records them as sent (the invitation
    too), otherwise they are queued again and go with the next ``send_run``. Other states are refused."""
    ids = list(dict.fromkeys(message_ids))
    with database.track() as changes, database.session() as s:
        messages = [_message(s, pk) for pk in ids]
        wrong = [m.id for m in messages if m.state is not MailState.UNKNOWN]
        if wrong:
            raise UserError(
                f"Nachricht(en) {', '.join(map(str, wrong))} sind nicht „unklar“; nichts geändert."
            )
        for msg in messages:
            if delivered:
                _record_sent(msg, None, "Von Hand als gesendet vermerkt.", today or dt.date.today())
            else:
                msg.state = MailState.QUEUED
        if not delivered:
            _forget_content(s, ids)
    return changes


def _forget_content(s: sa.orm.Session, message_pks: Sequence[int]) -> None:
    """The stored bytes of messages queued again go: ``claim`` stores the bytes of their next sending."""
    s.execute(sa.delete(mail_content).where(mail_content.c.message_pk.in_(message_pks)))


def finish_if_done(database: Database, run_id: int) -> bool:
    """Set the run's ``finished_at`` once no message waits; True when it is finished."""
    with database.session() as s:
        waiting = s.scalar(
            sa.select(sa.func.count(MailMessage.id)).where(
                MailMessage.run_id == run_id, MailMessage.state.in_(OPEN_STATES)
            )
        )
        run = s.get(MailRun, run_id)
        if run is None:
            raise UserError(f"Einen Versand {run_id} gibt es nicht.")
        if waiting:
            run.finished_at = None
            return False
        if run.finished_at is None:
            run.finished_at = now()
        return True


# --- the report -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportLine:
    message_id: int
    invitation_id: int | None
    address: str
    state: MailState
    smtp_code: int | None
    smtp_reply: str


@dataclass(frozen=True)
class RunReport:
    """What a run did: counts per state and the messages that need attention."""

    run_id: int
    template: str
    created_at: dt.datetime
    created_by: str
    finished_at: dt.datetime | None
    counts: dict[MailState, int]
    #: refused by the server, or not sent (too large)
    failed: list[ReportLine] = field(default_factory=list)
    #: to decide: resend or record as sent
    unknown: list[ReportLine] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def count(self, state: MailState) -> int:
        return self.counts.get(state, 0)

    @property
    def sent(self) -> int:
        """Accepted by the server (recorded on the invitation or about to be)."""
        return sum(self.count(state) for state in SENT_STATES)

    def summary(self) -> str:
        """ "Versand 3 (Einladung): 40 gesendet, 2 abgelehnt, 1 unklar, 7 warten." """
        parts = [f"{self.sent} gesendet"]
        if self.count(MailState.FAILED):
            parts.append(f"{self.count(MailState.FAILED)} abgelehnt")
        unknown = self.count(MailState.UNKNOWN) + self.count(MailState.SENDING)
        if unknown:
            parts.append(f"{unknown} unklar")
        if self.count(MailState.QUEUED):
            parts.append(f"{self.count(MailState.QUEUED)} warten")
        if self.count(MailState.DRAFT):
            parts = [f"{self.count(MailState.DRAFT)} Entwürfe, Versand noch nicht bestätigt"]
        return f"Versand {self.run_id} ({template_title(self.template)}): {', '.join(parts)}."


@dataclass(frozen=True)
class RunDetails:
    """What a run was started with: to continue it with the same messages."""

    run_id: int
    conference_year: int
    template: str
    attachments: frozenset[str]
    #: the invitations the run goes to, whatever their status is by now
    invitation_ids: list[int]


def run_details(database: Database, run_id: int) -> RunDetails:
    """The run's conference, template, attachments and invitations; a German ``UserError`` if there is none."""
    with database.read_session() as s:
        run = s.get(MailRun, run_id)
        if run is None:
            raise UserError(f"Einen Versand {run_id} gibt es nicht.")
        return RunDetails(
            run.id,
            run.conference.year,
            run.template,
            frozenset(a for a in run.attachments.split(",") if a),
            [m.invitation_id for m in run.messages if m.invitation_id is not None],
        )


def run_report(database: Database, run_id: int) -> RunReport:
    with database.read_session() as s:
        run = s.get(MailRun, run_id)
        if run is None:
            raise UserError(f"Einen Versand {run_id} gibt es nicht.")
        rows = s.execute(
            sa.select(
                MailMessage.id,
                MailMessage.invitation_id,
                MailMessage.address,
                MailMessage.state,
                MailMessage.smtp_code,
                MailMessage.smtp_reply,
            )
            .where(MailMessage.run_id == run_id)
            .order_by(MailMessage.id)
        ).all()
        counts: dict[MailState, int] = {}
        failed: list[ReportLine] = []
        unknown: list[ReportLine] = []
        for row in rows:
            line = ReportLine(*row)
            counts[line.state] = counts.get(line.state, 0) + 1
            if line.state is MailState.FAILED:
                failed.append(line)
            elif line.state in (MailState.UNKNOWN, MailState.SENDING):
                unknown.append(line)
        return RunReport(
            run.id, run.template, run.created_at, run.created_by, run.finished_at, counts, failed, unknown
        )


def open_runs(database: Database) -> list[RunReport]:
    """The runs with messages still waiting or undecided (what the next start offers to continue)."""
    with database.read_session() as s:
        ids = list(
            s.scalars(
                sa.select(MailMessage.run_id)
                .where(MailMessage.state.in_(OPEN_STATES))
                .distinct()
                .order_by(MailMessage.run_id)
            )
        )
    return [run_report(database, run_id) for run_id in ids]


# --- who gets an e-mail ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecipientPlan:
    """Who of a selection gets the e-mail, and who a letter (no address, or the address is failing)."""

    conference_id: int
    email: list[Recipient]
    letter: list[int]
    #: invitations that have this template's e-mail already (sent, undecided in an earlier run, or written
    #: as a draft whose sending is not yet confirmed): left out unless asked for again, so a second run never sends anyone the same message twice
    already: list[int] = field(default_factory=list)


def plan_recipients(
    database: Database,
    conference_year: int,
    template: str,
    statuses: Iterable[InvitationStatus] | None = None,
    invitation_ids: Iterable[int] | None = None,
    *,
    again: bool = False,
) -> RecipientPlan:
    """The invitations of the conference ``conference_year`` a run of ``template`` goes to (``statuses``,
    or the template's default: ``konferenz.letters.sending.default_statuses``), in letter order, split into
    e-mail (an address that is not failing) and letter (the rest); without ``again`` those that got this
    template's e-mail already are left out (``RecipientPlan.already``)."""
    from konferenz.letters.selection import find_conference, letter_order, select_invitations
    from konferenz.letters.sending import default_statuses
    from konferenz.mail.messages import channel_for, recipient_address

    chosen = list(statuses) if statuses is not None else default_statuses(template)
    with database.read_session() as s:
        conf = find_conference(s, conference_year)
        invitations = sorted(select_invitations(s, conf, chosen, invitation_ids), key=letter_order)
        had: set[int | None] = set()
        if not again:
            had = set(
                s.scalars(
                    sa.select(MailMessage.invitation_id)
                    .join(MailRun, MailRun.id == MailMessage.run_id)
                    .where(
                        MailRun.conference_id == conf.id,
                        MailRun.template == template,
                        MailMessage.state.in_(
                            [*SENT_STATES, MailState.SENDING, MailState.UNKNOWN, MailState.DRAFT]
                        ),
                    )
                )
            )
        mail: list[Recipient] = []
        letter: list[int] = []
        already: list[int] = []
        for inv in invitations:
            if inv.id in had:
                already.append(inv.id)
            elif channel_for(inv) is Channel.EMAIL:
                mail.append(Recipient(inv.id, recipient_address(inv)))
            else:
                letter.append(inv.id)
        return RecipientPlan(conf.id, mail, letter, already)
