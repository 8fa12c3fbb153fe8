"""Certificates of attendance (Teilnahmebescheinigungen): who gets one, the duration of the conference, the
forums attended, and the finished content of each certificate from its template.

Everyone whose invitation says *teilgenommen* (``InvitationStatus.attended()``: the check-in sets it, with
``checked_in_at``) gets one, in the name of the person who came: the substitute when one is recorded, else
the invited person; invitations of an organisation alone and anonymised persons get none. The forums
attended are the forum recorded on the invitation (the same record behind "Teilnahme im Forum laut
Check-in" in the minutes).

The text comes from the sandboxed template ``teilnahmebescheinigung.html.jinja`` (the user's own file in the
template folder replaces the shipped one, through the one loader of ``konferenz.letters.templates``). Its
name deliberately does not end in ``.html.j2``, so it is not offered as a letter. Letterhead, place and date
and the signature block come from the sender settings (``konferenz.letters.sender``); the paper layer
(``ui.paper.certificates``) places them. The file name of a single certificate follows the letter archive
(``sending.archive_file_name``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from konferenz import names
from konferenz.enums import InvitationStatus
from konferenz.errors import UserError
from konferenz.letters.content import conference_context
from konferenz.letters.dates import german_date, german_time
from konferenz.letters.selection import find_conference, forum_label, gets_letters, invitation_query
from konferenz.letters.sender import SenderSettings, adopt_logo_file, load_sender_settings, sender_context
from konferenz.letters.sending import archive_file_name
from konferenz.letters.templates import TemplateError, environment, render_template
from konferenz.registry.addressing import Addressee
from konferenz.sorting import invitee_key
from konferenz.storage.db import Database
from konferenz.storage.models import Conference, Invitation, Person
from konferenz.text import collapse_spaces

#: the template of the certificates (shipped in resources/templates; the user's own copy replaces it)
CERTIFICATE_TEMPLATE = "teilnahmebescheinigung.html.jinja"
#: the kind in the file names: "2026-teilnahmebescheinigung-00042-oeztuerk-ayse.pdf"
CERTIFICATE_KIND = "teilnahmebescheinigung"
DEFAULT_TITLE = "Teilnahmebescheinigung"


# --- duration ---------------------------------------------------------------------------------------------


def conference_times(conf: Conference) -> tuple[dt.time | None, dt.time | None]:
    """Start and end of the conference: its own times, else from the agenda (the first item's start, the
    end of the item that ends last)."""
    start, end = conf.start_time, conf.end_time
    timed = [item for item in conf.agenda_items if item.start_time is not None]
    if start is None and timed:
        start = min(item.start_time for item in timed if item.start_time is not None)
    if end is None and timed:
        ends = [
            (dt.datetime.combine(dt.date.min, item.start_time) + dt.timedelta(minutes=item.duration_minutes))
            for item in timed
            if item.start_time is not None and item.duration_minutes
        ]
        if ends:
            latest = max(ends)
            end = latest.time() if latest.date() == dt.date.min else None
    return start, end


def hours_text(minutes: int) -> str:
    """ "6 Stunden", "6,5 Stunden", "1 Stunde", "45 Minuten", "5 Stunden 45 Minuten"."""
    if minutes <= 0:
        return ""
    hours, rest = divmod(minutes, 60)
    if hours == 0:
        return f"{rest} Minuten" if rest != 1 else "1 Minute"
    if rest == 0:
        return "1 Stunde" if hours == 1 else f"{hours} Stunden"
    if rest == 30:
        return f"{hours},5 Stunden"
    unit = "Stunde" if hours == 1 else "Stunden"
    return f"{hours} {unit} {rest} Minuten"


def duration_minutes(start: dt.time | None, end: dt.time | None) -> int | None:
    if start is None or end is None:
        return None
    minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
    return minutes if minutes > 0 else None


def duration_text(start: dt.time | None, end: dt.time | None) -> str:
    """ "9:30 bis 16:00 Uhr (6,5 Stunden)", "ab 9:30 Uhr", or "" without a start."""
    if start is None:
        return ""
    if end is None:
        return f"ab {german_time(start)} Uhr"
    span = f"{german_time(start)} bis {german_time(end)} Uhr"
    minutes = duration_minutes(start, end)
    return f"{span} ({hours_text(minutes)})" if minutes else span


# --- content ---------------------------------------------------------------------------------------------


@dataclass
class CertificateContent:
    """Everything one certificate shows, as finished text; the paper layer only places it."""

    invitation_id: int
    #: the registry person named on it (the substitute's when one came and is in the register)
    person_id: int | None
    name: str
    organisation: str
    title: str
    body_html: str
    conference_title: str
    duration: str
    forums: list[str]
    date_line: str
    letterhead: list[str]
    footer: list[str]
    signature: list[str]
    #: the file name of this certificate alone, as the letter archive names files
    file_name: str
    signature_image: bytes = field(default=b"", repr=False)
    logo: bytes = field(default=b"", repr=False)


@dataclass(frozen=True)
class _Attendee:
    invitation: Invitation
    person: Person | None
    name: str
    first_name: str
    last_name: str
    organisation: str
    sort_key: tuple[bytes, int]


def _attendee(inv: Invitation) -> _Attendee | None:
    """The person who came for ``inv``: the substitute when one is recorded, else the invited person."""
    organisation = inv.organisation.name if inv.organisation is not None else ""
    if inv.substitute_person is not None:
        who = Addressee.from_rows(inv.substitute_person, None)
        if not organisation:
            roles = inv.substitute_person.roles
            primary = next((r for r in roles if r.is_primary), roles[0] if roles else None)
            organisation = primary.organisation.name if primary is not None else ""
        key = invitee_key(who.last_name, who.first_name, None, inv.id)
        return _Attendee(
            inv, inv.substitute_person, who.name_with_title, who.first_name, who.last_name, organisation, key
        )
    if inv.substitute_name.strip():
        name = collapse_spaces(inv.substitute_name)
        parts = name.split()
        first, last = " ".join(parts[:-1]), parts[-1]
        return _Attendee(inv, None, name, first, last, organisation, invitee_key(last, first, None, inv.id))
    if inv.person is None:
        return None  # an organisation alone: nobody to name on a certificate
    who = Addressee.from_rows(inv.person, None)
    key = invitee_key(who.last_name, who.first_name, None, inv.id)
    return _Attendee(inv, inv.person, who.name_with_title, who.first_name, who.last_name, organisation, key)


def _attendees(
    session: Session,
    conf: Conference,
    person_ids: Iterable[int] | None,
    invitation_ids: Iterable[int] | None,
) -> list[_Attendee]:
    stmt = invitation_query(conf.id).where(Invitation.status.in_(InvitationStatus.attended()))
    if invitation_ids is not None:
        stmt = stmt.where(Invitation.id.in_(list(invitation_ids)))
    found = []
    for inv in session.scalars(stmt):
        if not gets_letters(inv):
            continue
        row = _attendee(inv)
        if row is None or (row.person is not None and row.person.anonymised_at is not None):
            continue
        found.append(row)
    if person_ids is not None:
        wanted = list(dict.fromkeys(person_ids))
        by_person = {row.person.id: row for row in found if row.person is not None}
        missing = [pid for pid in wanted if pid not in by_person]
        if missing:
            listed = ", ".join(str(pid) for pid in missing)
            who = "Die Person mit der Nummer" if len(missing) == 1 else "Die Personen mit den Nummern"
            verb = "hat" if len(missing) == 1 else "haben"
            raise UserError(
                f"{who} {listed} {verb} laut Check-in nicht an der Konferenz {conf.year} "
                "teilgenommen; es wurde keine Bescheinigung erstellt."
            )
        found = [by_person[pid] for pid in wanted]
    found.sort(key=lambda row: row.sort_key)
    return found


@dataclass(frozen=True)
class Recipient:
    """One person who gets a certificate, as the dialog lists them."""

    invitation_id: int
    person_id: int | None
    name: str
    organisation: str


def certificate_recipients(
    database: Database, conference_year: int, *, invitation_ids: Iterable[int] | None = None
) -> list[Recipient]:
    """Who gets a certificate (everyone who attended, or the attended among ``invitation_ids``), sorted
    by name; nothing is rendered."""
    with database.read_session() as s:
        conf = find_conference(s, conference_year)
        return [
            Recipient(
                row.invitation.id,
                row.person.id if row.person is not None else None,
                row.name,
                row.organisation,
            )
            for row in _attendees(s, conf, None, invitation_ids)
        ]


def certificate_source() -> str:
    """The text of the certificate template: the user's own file if there is one, else the shipped one
    (through the one template loader)."""
    env = environment()
    assert env.loader is not None
    try:
        source, _filename, _uptodate = env.loader.get_source(env, CERTIFICATE_TEMPLATE)
    except Exception as exc:  # TemplateNotFound, or an unreadable file
        raise UserError(f"Die Vorlage „{CERTIFICATE_TEMPLATE}“ kann nicht gelesen werden.") from exc
    return source


def _render(source: str, context: dict[str, Any]) -> tuple[str, str]:
    # a trailing line break makes the core read the text as source, never as a template name
    try:
        rendered = render_template(source + "\n", context)
    except TemplateError as exc:
        message = exc.message.replace("„Vorlagentext“", "„Teilnahmebescheinigung“")
        raise TemplateError(message, template=CERTIFICATE_TEMPLATE, lineno=exc.lineno) from exc
    return rendered.subject or DEFAULT_TITLE, rendered.body


def _conference_ctx(conf: Conference) -> dict[str, Any]:
    start, end = conference_times(conf)
    ctx = conference_context(conf)
    minutes = duration_minutes(start, end)
    span = duration_text(start, end)
    ctx.update(
        start_time=german_time(start),
        end_time=german_time(end),
        time_range=span.split(" (")[0] if span else "",
        duration=hours_text(minutes) if minutes else "",
        duration_text=span,
    )
    return ctx


def certificate_context(
    sender: SenderSettings,
    conference: dict[str, Any],
    *,
    name: str,
    first_name: str,
    last_name: str,
    organisation: str,
    forums: Sequence[str],
    today: dt.date,
) -> dict[str, Any]:
    """The variables a certificate template sees: ``person`` (``name`` with titles, ``first_name``,
    ``last_name``, ``organisation``), ``conference`` (as in the letters, plus ``duration`` "6,5 Stunden"
    and ``duration_text`` "9:30 bis 16:00 Uhr (6,5 Stunden)"), ``forums`` (the labels of the forums
    attended), ``sender``, ``today``, ``place_date``."""
    place_date = f"{sender.city}, {german_date(today)}" if sender.city else german_date(today)
    return {
        "person": {
            "name": name,
            "first_name": first_name,
            "last_name": last_name,
            "organisation": organisation,
        },
        "conference": conference,
        "forums": list(forums),
        "sender": sender_context(sender),
        "today": german_date(today),
        "place_date": place_date,
    }


def certificate_contents(
    database: Database,
    conference_year: int,
    *,
    person_ids: Iterable[int] | None = None,
    invitation_ids: Iterable[int] | None = None,
    source: str | None = None,
    today: dt.date | None = None,
) -> list[CertificateContent]:
    """One certificate per person who attended the conference of ``conference_year``, sorted by name.

    ``person_ids`` names persons (a UserError names those who did not attend); ``invitation_ids`` (the
    window's selection) narrows quietly to the attended among them. ``source`` is the template text (the
    editor's); without it the stored template is used. Raises ``TemplateError`` for a broken template.
    """
    today = today or dt.date.today()
    text = certificate_source() if source is None else source
    adopt_logo_file(database)
    with database.read_session() as s:
        conf = find_conference(s, conference_year)
        conf = s.scalars(
            sa.select(Conference)
            .where(Conference.id == conf.id)
            .options(selectinload(Conference.forums), selectinload(Conference.agenda_items))
        ).one()
        sender = load_sender_settings(s)
        conference = _conference_ctx(conf)
        labels = {f.id: forum_label(n, f.title) for n, f in enumerate(conf.forums, start=1)}
        date_line = f"{sender.city}, {german_date(today)}" if sender.city else german_date(today)
        result = []
        for row in _attendees(s, conf, person_ids, invitation_ids):
            inv = row.invitation
            forums = [labels[inv.forum_id]] if inv.forum_id in labels else []
            context = certificate_context(
                sender,
                conference,
                name=row.name,
                first_name=row.first_name,
                last_name=row.last_name,
                organisation=row.organisation,
                forums=forums,
                today=today,
            )
            title, body = _render(text, context)
            recipient = names.archive_name(row.first_name, row.last_name)
            result.append(
                CertificateContent(
                    invitation_id=inv.id,
                    person_id=row.person.id if row.person is not None else None,
                    name=row.name,
                    organisation=row.organisation,
                    title=title,
                    body_html=body,
                    conference_title=conf.title,
                    duration=conference["duration_text"],
                    forums=forums,
                    date_line=date_line,
                    letterhead=sender.letterhead,
                    footer=sender.footer,
                    signature=sender.signature_lines,
                    file_name=archive_file_name(conf.year, CERTIFICATE_KIND, inv.id, recipient),
                    signature_image=sender.signature_image,
                    logo=sender.logo,
                )
            )
    return result


def sample_certificate_context(sender: SenderSettings | None = None) -> dict[str, Any]:
    """A complete certificate context with invented values (the editor's preview without attendees)."""
    sender = sender or SenderSettings()
    conference = {
        "year": 2026,
        "title": "Integrationskonferenz 2026",
        "theme": "Teilhabe gemeinsam gestalten",
        "date": "Donnerstag, 12. November 2026",
        "date_short": "12.11.2026",
        "start_time": "9:30",
        "end_time": "16:00",
        "time_range": "9:30 bis 16:00 Uhr",
        "duration": "6,5 Stunden",
        "duration_text": "9:30 bis 16:00 Uhr (6,5 Stunden)",
        "venue_name": "Kreishaus Borken",
        "venue_street": "Burloer Straße 93",
        "venue_postal_code": "46325",
        "venue_city": "Borken",
        "venue": "Kreishaus Borken, Burloer Straße 93, 46325 Borken",
        "reply_deadline": "23. Oktober 2026",
    }
    return certificate_context(
        sender,
        conference,
        name="Dr. Ayşe Yılmaz",
        first_name="Ayşe",
        last_name="Yılmaz",
        organisation="Beispielverein e. V.",
        forums=["Forum 1: Sprache und Bildung"],
        today=dt.date.today(),
    )


def render_certificate_sample(source: str, sender: SenderSettings | None = None) -> tuple[str, str]:
    """Title and body of ``source`` filled with invented values (``TemplateError`` when it is broken)."""
    return _render(source, sample_certificate_context(sender))
