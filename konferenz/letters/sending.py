"""Recording a sending: which invitations a template goes to by default, the archived letter's file name,
and what sending by post changes on the invitations."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Protocol

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from konferenz import names
from konferenz.enums import Channel, InvitationStatus
from konferenz.errors import UserError
from konferenz.letters.templates import is_reminder, is_thank_you, template_kind
from konferenz.storage.db import Database
from konferenz.storage.models import ArchivedDocument, Invitation
from konferenz.text import ascii_name


def default_statuses(template: str) -> frozenset[InvitationStatus] | None:
    """Who gets a letter of ``template`` when no status is chosen (``None``: every invitation).

    Reminders (``erinnerung…``) go only to those who have not replied, thanks (``dank…``) only to those
    who came; the same prefixes decide what ``record_sending`` records.
    """
    if is_reminder(template):
        return InvitationStatus.awaiting_reply()
    if is_thank_you(template):
        return InvitationStatus.attended()
    return None


def proposed_statuses(
    template: str, counts: Mapping[InvitationStatus, int]
) -> frozenset[InvitationStatus] | None:
    """Who a letter or e-mail of ``template`` goes to unless staff choose otherwise – what the letters and
    e-mail dialogs preselect and ``konferenz mail`` uses without ``--status``: the template's default
    (``default_statuses``); for an invitation those *vorgemerkt* when there are any (``counts``: invitations
    per status), else every invitation (``None``). Those who replied get an invitation again only by choice."""
    defaults = default_statuses(template)
    if defaults is not None:
        return defaults
    if counts.get(InvitationStatus.PLANNED, 0):
        return InvitationStatus.not_yet_invited()
    return None


def archive_file_name(year: int, template: str, invitation_id: int, recipient: str) -> str:
    """ "2026-einladung-00042-mueller-anna.pdf": readable (German spelling) and unique per invitation."""
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name(recipient)).strip("-")[:40].strip("-") or "empfaenger"
    return f"{year}-{template_kind(template) or 'brief'}-{invitation_id:05d}-{slug}.pdf"


class SendingTarget(Protocol):
    """What ``apply_sending`` changes: an ``Invitation``, or the fields of an invitation's row read
    through Core (``konferenz.mail.outbox.record_delivered``)."""

    letter_template: str
    reminded_on: dt.date | None
    invited_on: dt.date | None
    invitation_channel: Channel | None
    status: InvitationStatus


def apply_sending(inv: SendingTarget, template_name: str, channel: Channel, today: dt.date) -> None:
    """What sending ``template_name`` by ``channel`` (post or e-mail) changes on one invitation (the rule
    of ``record_sending``, also used by ``konferenz.mail.outbox`` when the server accepted a message).

    Any template but a reminder or a thank-you moves *vorgemerkt* to *eingeladen* and sets the channel and
    ``invited_on`` when there was none: an invitation sent again (to someone who replied, or a lost letter)
    keeps the date and channel of the first, which the reminder quotes ("mit Schreiben vom …"). A reminder
    sets ``reminded_on`` (and ``invited_on``/channel when there was none); a thank-you changes no dates.
    ``letter_template`` is always recorded.
    """
    reminder = is_reminder(template_name)
    thanks = is_thank_you(template_name)
    inv.letter_template = template_name
    if reminder:
        inv.reminded_on = today
        if inv.invited_on is None:
            inv.invited_on = today
            inv.invitation_channel = channel
    elif not thanks and inv.invited_on is None:
        inv.invitation_channel = channel
        inv.invited_on = today
    if inv.status is InvitationStatus.PLANNED and not thanks:
        inv.status = InvitationStatus.INVITED


def record_sending(
    database: Database,
    invitation_ids: Sequence[int],
    template_name: str,
    pdf_bytes_by_invitation: Mapping[int, bytes],
    *,
    today: dt.date | None = None,
) -> int:
    """Record letters as sent by post, in one transaction; returns the number of invitations.

    Each invitation gets ``letter_template`` and its letter PDF archived
    (``ArchivedDocument``, kind "Brief"). An invitation letter (any template but a reminder or a thank-you)
    moves *vorgemerkt* to *eingeladen* and sets ``invited_on`` to today where there was none (the first
    invitation's date stays); other statuses stay as they are.
    A reminder (``erinnerung…``) sets ``reminded_on`` and keeps the first ``invited_on``; a thank-you
    (``dank…``) changes no dates. Unknown ids raise ``UserError`` and nothing is recorded.
    """
    today = today or dt.date.today()
    ids = list(dict.fromkeys(invitation_ids))
    with database.session() as s:
        rows = {
            inv.id: inv
            for inv in s.scalars(
                sa.select(Invitation)
                .where(Invitation.id.in_(ids))
                .options(
                    selectinload(Invitation.conference),
                    selectinload(Invitation.person),
                    selectinload(Invitation.organisation),
                )
            )
        }
        missing = [i for i in ids if i not in rows]
        if missing:
            raise UserError(f"Einladung(en) {', '.join(map(str, missing))} gibt es nicht; nichts vermerkt.")
        for inv_id in ids:
            inv = rows[inv_id]
            apply_sending(inv, template_name, Channel.POST, today)
            pdf = pdf_bytes_by_invitation.get(inv_id)
            if pdf is not None:
                person = inv.person
                if person is not None:
                    recipient = names.archive_name(person.first_name, person.last_name)
                else:
                    recipient = inv.organisation.name if inv.organisation is not None else ""
                s.add(
                    ArchivedDocument(
                        conference_id=inv.conference_id,
                        invitation_id=inv.id,
                        kind="Brief",
                        file_name=archive_file_name(inv.conference.year, template_name, inv.id, recipient),
                        content=pdf,
                    )
                )
    return len(ids)
