"""The day of the event: checking invitees in (by name or by scanning the QR code of their badge), walk-ins, and
closing the event (no-shows).

Like a reply, a check-in takes the conference's seat lock (``replies.lock_seats``) before it reads: two
entrances checking in the same person, or the same walk-in, at the same moment give one invitation checked
in once (the second waits and finds it), not a conflict or a second invitation. A check-in or walk-in is not
checked against the capacity (whoever stands at the entrance is let in); under the lock, a reply recorded
at the same moment counts that seat.

The check-in code (the one home of its format): ``KIK:<year>:<token>``, e.g. ``KIK:2026:7GQ4MXC2RT``. ``KIK``
marks it as ours, the year tells a badge of another conference apart without a database look-up, and the
token (``invitation.checkin_token``, ``storage.schema.checkin_token``) is random: the code carries no
personal data. Upper-case letters, digits and ``:`` only, so the QR code uses its alphanumeric mode and is
21 × 21 modules. A USB scanner types the code like a keyboard; ``read_code`` takes lower case (Caps Lock)
and the ``Ö`` a scanner set to the US layout types for ``:`` on a German keyboard.

``scan`` is what the check-in window and ``konferenz checkin --code`` call: it returns a ``ScanResult``
(what happened, to whom, and the German line to show) instead of raising for a code that does not fit.
Someone whose invitation says *abgesagt*, *Warteliste* … is let in as well (as by name) and the result
says what they had answered."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum

import segno
import sqlalchemy as sa

from konferenz import paths
from konferenz.conferences.editing import conference_id
from konferenz.conferences.inviting import primary_roles
from konferenz.conferences.replies import ReplyState, lock_seats, lock_seats_of, reply_states
from konferenz.enums import InvitationStatus, label
from konferenz.errors import UserError
from konferenz.lists.invitations import invitation_details
from konferenz.storage import schema
from konferenz.storage.db import Database
from konferenz.storage.models import Conference, Invitation


def check_in(database: Database, invitation_id: int) -> None:
    with database.session() as s:
        lock_seats_of(s, [invitation_id])
        inv = s.get(Invitation, invitation_id)
        if inv is None:
            raise UserError(f"Die Einladung {invitation_id} gibt es nicht (mehr).")
        if inv.status is InvitationStatus.ATTENDED and inv.checked_in_at is not None:
            return  # checked in already (at another entrance): nothing to change
        inv.status = InvitationStatus.ATTENDED
        inv.checked_in_at = inv.checked_in_at or schema.now()
        inv.entered_by = paths.os_user()


def add_walk_in(database: Database, year: int, person_id: int, organisation_id: int | None = None) -> int:
    """A person who came without being on the list (or whose invitation is in another status)."""
    with database.session() as s:
        conf_id = conference_id(s, year)
        lock_seats(s, conf_id)  # before looking for the person's invitation
        inv = s.scalar(
            sa.select(Invitation).where(
                Invitation.conference_id == conf_id, Invitation.person_id == person_id
            )
        )
        if inv is None:
            if organisation_id is None:
                prim = primary_roles()
                organisation_id = s.scalar(
                    sa.select(prim.c.organisation_id).where(prim.c.person_id == person_id)
                )
            inv = Invitation(conference_id=conf_id, person_id=person_id, organisation_id=organisation_id)
            s.add(inv)
        inv.status = InvitationStatus.ATTENDED
        inv.checked_in_at = schema.now()
        inv.entered_by = paths.os_user()
        s.flush()
        return inv.id


def close_event(database: Database, year: int) -> int:
    """After the event: everyone still *zugesagt* (or *vertreten*) who did not check in → *nicht erschienen*."""
    with database.session() as s:
        conf_id = conference_id(s, year)
        rows = s.scalars(
            sa.select(Invitation).where(
                Invitation.conference_id == conf_id,
                Invitation.status.in_(InvitationStatus.expected()),
            )
        ).all()
        for inv in rows:
            inv.status = InvitationStatus.NO_SHOW
            inv.entered_by = paths.os_user()
            inv.entered_at = schema.now()
        return len(rows)


# --- the check-in code -------------------------------------------------------------------------------------

#: the program's mark in front of every check-in code
CODE_PREFIX = "KIK"
_CODE = re.compile(rf"{CODE_PREFIX}:(\d{{4}}):([0-9A-Z]{{4,32}})")
#: a scanner set to the US layout types ":" as "Ö" on a German keyboard (Shift and the ";" key)
_SCANNER_LAYOUT = str.maketrans({"Ö": ":", "ö": ":"})


def code_payload(year: int, token: str) -> str:
    """What the QR code of an invitation of ``year`` holds."""
    return f"{CODE_PREFIX}:{year}:{token}"


def qr_code(payload: str) -> segno.QRCode:
    """The QR code of ``payload`` as every printed code has it (badges, reply forms): error correction M."""
    return segno.make_qr(payload, error="m")


@dataclass(frozen=True)
class CheckInCode:
    year: int
    token: str


def read_code(text: str) -> CheckInCode | None:
    """The check-in code in a scanned (typed) text, or None when it is none (a name typed to search)."""
    match = _CODE.fullmatch(text.strip().translate(_SCANNER_LAYOUT).upper())
    if match is None:
        return None
    return CheckInCode(int(match.group(1)), match.group(2))


def looks_like_code(text: str) -> bool:
    """True for what begins like a check-in code (``KIK:``): not a name to search for."""
    cleaned = text.strip().translate(_SCANNER_LAYOUT).upper()
    return cleaned.startswith(f"{CODE_PREFIX}:")


class ScanOutcome(StrEnum):
    #: was expected (zugesagt, vertreten): now teilgenommen
    CHECKED_IN = "checked_in"
    #: had not said yes (abgesagt, Warteliste, keine Rückmeldung …): let in all the same, now teilgenommen
    CHECKED_IN_UNEXPECTED = "checked_in_unexpected"
    #: the same code a second time: nothing changed
    ALREADY = "already"
    #: a code of another conference year: nothing changed
    OTHER_YEAR = "other_year"
    #: a code of ours, but no invitation has its token (or not a code at all): nothing changed
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class ScanResult:
    """What one scan did. ``before``/``after`` are the invitation's reply fields for undo (empty when nothing
    changed)."""

    outcome: ScanOutcome
    year: int
    code_year: int | None = None
    invitation_id: int | None = None
    name: str = ""
    organisation: str = ""
    substitute: str = ""
    checked_in_at: dt.datetime | None = None
    #: the status before the scan
    previous: InvitationStatus | None = None
    #: the day of the scan (for "bereits angemeldet um …": the time only when it was today)
    today: dt.date | None = None
    before: tuple[ReplyState, ...] = ()
    after: tuple[ReplyState, ...] = ()

    @property
    def checked_in(self) -> bool:
        """The scan checked someone in."""
        return self.outcome in (ScanOutcome.CHECKED_IN, ScanOutcome.CHECKED_IN_UNEXPECTED)

    def who(self, mark: Callable[[str], str] = str) -> str:
        """ "Öztürk, Ayşe (Türkischer Elternverein)", with the substitute; ``mark`` wraps each name (the
        window keeps an Arabic name in its place in the sentence)."""
        text = mark(self.name) if self.name else ""
        if self.organisation:
            text = f"{text} ({mark(self.organisation)})" if text else mark(self.organisation)
        if self.substitute:
            text = f"{text} – vertreten durch {mark(self.substitute)}"
        return text

    def message(self, mark: Callable[[str], str] = str) -> str:
        """The German line for the entrance (window banner, command line)."""
        who = self.who(mark)
        if self.outcome is ScanOutcome.CHECKED_IN:
            return f"Willkommen: {who}"
        if self.outcome is ScanOutcome.CHECKED_IN_UNEXPECTED:
            before = label(self.previous) if self.previous is not None else ""
            return f"Willkommen: {who} – Achtung, bisher „{before}“. Jetzt als teilgenommen eingetragen."
        if self.outcome is ScanOutcome.ALREADY:
            if self.checked_in_at is None:
                return f"{who} ist bereits als teilgenommen eingetragen."
            when = f"um {self.checked_in_at:%H:%M} Uhr"
            if self.today is not None and self.checked_in_at.date() != self.today:
                when = f"am {self.checked_in_at:%d.%m.%Y} {when}"
            return f"{who} ist bereits angemeldet {when}."
        if self.outcome is ScanOutcome.OTHER_YEAR:
            return (
                f"Dieser Code gehört zur Konferenz {self.code_year}, nicht zu {self.year}. "
                "Bitte am Namen suchen."
            )
        if self.code_year is None:
            return (
                f"Das ist kein Check-in-Code dieses Programms ({CODE_PREFIX}:JAHR:…). Bitte am Namen suchen."
            )
        return "Unbekannter Code: keine Einladung dieser Konferenz. Bitte am Namen suchen."


def scan(database: Database, year: int, text: str, *, now: dt.datetime | None = None) -> ScanResult:
    """Check in the invitation whose code ``text`` is (as the scanner typed it) for the conference ``year``.

    A code of another year is told without a look-up; a second scan changes nothing. Raises ``UserError``
    only when there is no conference ``year``."""
    code = read_code(text)
    moment = now or schema.now()
    today = moment.date()
    if code is not None and code.year != year:
        return ScanResult(ScanOutcome.OTHER_YEAR, year, code_year=code.year, today=today)
    with database.session() as s:
        conf_id = conference_id(s, year)
        if code is None:
            return ScanResult(ScanOutcome.UNKNOWN, year, today=today)
        lock_seats(s, conf_id)  # before reading the invitation (see the module docstring)
        found = s.execute(
            sa.select(Invitation, Conference.year)
            .join(Conference, Conference.id == Invitation.conference_id)
            .where(Invitation.checkin_token == code.token)
        ).first()
        if found is None:
            return ScanResult(ScanOutcome.UNKNOWN, year, code_year=code.year, today=today)
        inv, inv_year = found
        if inv.conference_id != conf_id:  # a token of another year behind this year's prefix
            return ScanResult(ScanOutcome.OTHER_YEAR, year, code_year=inv_year, today=today)
        details = invitation_details(s, inv.id)
        assert details is not None
        found_code = ScanResult(
            ScanOutcome.UNKNOWN,
            year,
            code_year=code.year,
            invitation_id=inv.id,
            name=details.name,
            organisation=details.organisation,
            substitute=details.substitute_name if inv.status is InvitationStatus.SUBSTITUTED else "",
            checked_in_at=inv.checked_in_at,
            previous=inv.status,
            today=today,
        )
        if inv.status is InvitationStatus.ATTENDED:
            return replace(found_code, outcome=ScanOutcome.ALREADY)
        before = reply_states(s, [inv.id])
        expected = inv.status in InvitationStatus.expected()
        inv.status = InvitationStatus.ATTENDED
        inv.checked_in_at = moment
        inv.entered_by = paths.os_user()
        s.flush()
        return replace(
            found_code,
            outcome=ScanOutcome.CHECKED_IN if expected else ScanOutcome.CHECKED_IN_UNEXPECTED,
            checked_in_at=moment,
            before=tuple(before),
            after=tuple(reply_states(s, [inv.id])),
        )
