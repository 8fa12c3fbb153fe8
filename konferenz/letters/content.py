"""Content of the letters: one ``LetterContent`` per invitation (address, salutation, subject, body from the
template, information block, signature) and the enclosures (programme, reply form).

The core hands the paper layer (``ui/paper``) finished content and the paper layer owns the geometry
(DIN 5008). Templates never position the address block; the variables they see are listed in
``konferenz.letters.templates``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from konferenz import names
from konferenz.conferences.checkin import code_payload
from konferenz.enums import InvitationStatus, label
from konferenz.letters.dates import german_date, german_date_weekday, german_time, numeric_date
from konferenz.letters.selection import (
    FORUM_PREFIX,
    find_conference,
    forum_label,
    letter_order,
    role_for,
    select_invitations,
)
from konferenz.letters.sender import SenderSettings, adopt_logo_file, load_sender_settings, sender_context
from konferenz.letters.templates import (
    DEFAULT_TEMPLATE,
    looks_like_name,
    template_kind,
    template_name,
    template_renderer,
)
from konferenz.registry.addressing import Addressee
from konferenz.storage.db import Database
from konferenz.storage.models import Conference, MinutesEntry, Person, Recommendation
from konferenz.text import collapse_spaces


@dataclass(frozen=True)
class AgendaLine:
    time: str
    title: str
    detail: str = ""
    room: str = ""


@dataclass(frozen=True)
class ForumLine:
    number: int
    title: str
    room: str = ""
    moderation: str = ""
    description: str = ""


@dataclass(frozen=True)
class Programme:
    """The programme enclosure (Programm) of a conference."""

    title: str
    date_line: str
    venue_line: str
    items: list[AgendaLine]
    forums: list[ForumLine]


@dataclass(frozen=True)
class ReplyForm:
    """The reply form enclosure (Rückmeldebogen), pre-filled for one invitee."""

    title: str
    name: str
    organisation: str
    forums: list[str]
    deadline: str
    return_address: list[str]
    sender_line: str
    phone: str
    email: str


@dataclass
class LetterContent:
    """Everything one letter shows, as finished text; the paper layer only places it."""

    invitation_id: int | None
    recipient: str
    address_lines: list[str]
    sender_line: str
    letterhead: list[str]
    info: list[tuple[str, str]]
    date_line: str
    subject: str
    salutation: str
    body_html: str
    closing: str
    signature: list[str]
    footer: list[str]
    template: str = DEFAULT_TEMPLATE
    #: the sender's logo (PNG, JPEG or SVG bytes; the same object in every letter of a run)
    logo: bytes = field(default=b"", repr=False)
    #: the scanned signature (PNG or JPEG bytes) painted between closing and name; empty for none
    signature_image: bytes = field(default=b"", repr=False)
    enclosures: list[str] = field(default_factory=list)
    programme: Programme | None = None
    reply_form: ReplyForm | None = None
    #: the check-in code (``conferences.checkin.code_payload``) printed as a QR code on the reply form;
    #: "" for none (``letter_contents(qr=True)``)
    checkin_code: str = ""

    @property
    def address_complete(self) -> bool:
        """False when the address has no place line (a letter could not be delivered)."""
        return any(re.match(r"^\S*\d", line) for line in self.address_lines[-2:])


def conference_context(conf: Conference) -> dict[str, Any]:
    """The conference as the templates see it (``conference.date``, ``conference.venue`` …)."""
    start, end = german_time(conf.start_time), german_time(conf.end_time)
    time_range = f"{start} bis {end} Uhr" if start and end else (f"ab {start} Uhr" if start else "")
    place = collapse_spaces(f"{conf.venue_postal_code} {conf.venue_city}")
    venue = ", ".join(p for p in (conf.venue_name, conf.venue_street, place) if p)
    return {
        "year": conf.year,
        "title": conf.title,
        "theme": conf.theme,
        "date": german_date_weekday(conf.date),
        "date_short": numeric_date(conf.date),
        "start_time": start,
        "end_time": end,
        "time_range": time_range,
        "venue_name": conf.venue_name,
        "venue_street": conf.venue_street,
        "venue_postal_code": conf.venue_postal_code,
        "venue_city": conf.venue_city,
        "venue": venue,
        "reply_deadline": german_date(conf.reply_deadline),
    }


def _forums_context(conf: Conference) -> list[dict[str, Any]]:
    return [
        {
            "number": n,
            "label": forum_label(n, f.title),
            "title": f.title,
            "description": f.description,
            "room": f.room,
            "moderation": f.moderation,
        }
        for n, f in enumerate(conf.forums, start=1)
    ]


def _agenda_context(conf: Conference) -> list[dict[str, Any]]:
    return [
        {
            "time": german_time(item.start_time),
            "title": item.title,
            "type": label(item.item_type),
            "speakers": item.speakers,
            "moderation": item.moderation,
            "room": item.room,
            "description": item.description,
        }
        for item in conf.agenda_items
    ]


def _minutes_context(session: Session, conf: Conference) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    entries = session.scalars(
        sa.select(MinutesEntry)
        .where(MinutesEntry.conference_id == conf.id)
        .options(selectinload(MinutesEntry.agenda_item), selectinload(MinutesEntry.forum))
        .order_by(MinutesEntry.id)
    ).all()
    minutes = []
    for entry in entries:
        if entry.forum is not None:
            title = (
                entry.forum.title if FORUM_PREFIX.match(entry.forum.title) else f"Forum: {entry.forum.title}"
            )
        elif entry.agenda_item is not None:
            title = entry.agenda_item.title
        else:
            title = "Allgemeines"
        minutes.append({"title": title, "results": entry.results, "notes": entry.notes})
    recs = session.scalars(
        sa.select(Recommendation)
        .where(Recommendation.conference_id == conf.id)
        .options(
            selectinload(Recommendation.responsible_organisation),
            selectinload(Recommendation.responsible_person),
        )
        .order_by(Recommendation.id)
    ).all()
    recommendations = []
    for rec in recs:
        responsible = rec.responsible_text
        if rec.responsible_organisation is not None:
            responsible = rec.responsible_organisation.name
        elif rec.responsible_person is not None:
            who = rec.responsible_person
            responsible = names.full_name(who.first_name, who.name_prefix, who.last_name)
        recommendations.append({"text": rec.text, "responsible": responsible, "status": label(rec.status)})
    return minutes, recommendations


def _programme(conf: Conference) -> Programme:
    items = []
    for item in conf.agenda_items:
        detail_parts = []
        if item.speakers:
            detail_parts.append(collapse_spaces(item.speakers))
        if item.moderation:
            detail_parts.append(f"Moderation: {collapse_spaces(item.moderation)}")
        items.append(
            AgendaLine(
                time=german_time(item.start_time),
                title=item.title,
                detail="; ".join(detail_parts),
                room=item.room,
            )
        )
    forums = [
        ForumLine(n, f.title, f.room, f.moderation, f.description) for n, f in enumerate(conf.forums, start=1)
    ]
    ctx = conference_context(conf)
    time_part = f", {ctx['time_range']}" if ctx["time_range"] else ""
    return Programme(
        title=f"Programm – {conf.title}",
        date_line=f"{ctx['date']}{time_part}",
        venue_line=ctx["venue"],
        items=items,
        forums=forums,
    )


def _person_context(addressee: Addressee, person: Person | None) -> dict[str, Any] | None:
    if person is None:
        return None
    return {
        "title": addressee.title,
        "first_name": addressee.first_name,
        "name_prefix": addressee.name_prefix,
        "last_name": addressee.last_name,
        "full_name": addressee.full_name,
        "name_with_title": addressee.name_with_title,
        "gender": label(addressee.gender),
        "function": person.function,
    }


def _info_block(sender: SenderSettings) -> list[tuple[str, str]]:
    rows = [("", sender.unit)] if sender.unit else []
    if sender.contact_name:
        rows.append(("Auskunft", sender.contact_name))
    if sender.room:
        rows.append(("Zimmer", sender.room))
    rows.append(("Telefon", sender.phone))
    if sender.contact_email:
        rows.append(("E-Mail", sender.contact_email))
    return rows


def letter_contents(
    database: Database,
    conference_year: int,
    status: InvitationStatus | Iterable[InvitationStatus] | None = None,
    invitation_ids: Iterable[int] | None = None,
    *,
    template: str = DEFAULT_TEMPLATE,
    programme: bool = False,
    reply_form: bool = False,
    qr: bool = False,
    today: dt.date | None = None,
) -> list[LetterContent]:
    """Finished content of one letter per invitation of the conference, sorted by name.

    ``status`` and ``invitation_ids`` narrow the invitations; ``template`` is a template name ("einladung",
    "erinnerung.html.j2") or template source text. ``programme`` and ``reply_form`` add those enclosures;
    ``qr`` gives each letter its check-in code (the QR code on the reply form).
    Raises ``UserError`` for an unknown year and ``TemplateError`` for a broken template.
    """
    today = today or dt.date.today()
    if looks_like_name(template):
        template = template_name(template)
    adopt_logo_file(database)
    with database.read_session() as s:
        conf = s.scalar(
            sa.select(Conference)
            .where(Conference.year == conference_year)
            .options(selectinload(Conference.forums), selectinload(Conference.agenda_items))
        )
        if conf is None:
            find_conference(s, conference_year)  # raises with the years that exist
            raise AssertionError  # pragma: no cover
        sender = load_sender_settings(s)
        invitations = select_invitations(s, conf, status, invitation_ids)
        conference_ctx = conference_context(conf)
        forums_ctx = _forums_context(conf)
        agenda_ctx = _agenda_context(conf)
        kind = template_kind(template)
        minutes_ctx, recommendations_ctx = _minutes_context(s, conf) if kind == "dank" else ([], [])
        programme_content = _programme(conf) if programme else None
        sender_ctx = sender_context(sender)
        info = _info_block(sender)
        date_line = f"{sender.city}, {german_date(today)}" if sender.city else german_date(today)
        enclosure_names = [n for n, on in (("Programm", programme), ("Rückmeldebogen", reply_form)) if on]
        base_context = {
            "conference": conference_ctx,
            "forums": forums_ctx,
            "agenda": agenda_ctx,
            "minutes": minutes_ctx,
            "recommendations": recommendations_ctx,
            "reply_deadline": conference_ctx["reply_deadline"],
            "sender": sender_ctx,
            "today": german_date(today),
            "enclosures": {"programme": programme, "reply_form": reply_form},
        }
        prepared = []
        for inv in invitations:
            addressee = Addressee.from_rows(inv.person, inv.organisation, role_for(inv))
            prepared.append((letter_order(inv), inv, addressee))
        prepared.sort(key=lambda item: item[0])
        letters = []
        # the template is looked up and compiled once for the run, with its first letter
        render = None
        for _key, inv, addressee in prepared:
            greeting = addressee.salutation()
            context = {
                **base_context,
                "person": _person_context(addressee, inv.person),
                "organisation": (
                    {
                        "name": inv.organisation.name,
                        "department": addressee.department,
                        "short_name": inv.organisation.short_name,
                    }
                    if inv.organisation is not None
                    else None
                ),
                "invitation": {
                    "status": label(inv.status),
                    "forum": inv.forum.title if inv.forum is not None else "",
                    "companions": inv.companions,
                    "substitute_name": inv.substitute_name,
                    "invited_on": german_date(inv.invited_on),
                    "replied_on": german_date(inv.replied_on),
                },
                "salutation": greeting,
            }
            if render is None:
                render = template_renderer(template)
            rendered = render(context)
            recipient = addressee.name_with_title if addressee.has_person else addressee.organisation
            form = None
            if reply_form:
                form = ReplyForm(
                    title=f"Rückmeldung – {conf.title}",
                    name=addressee.name_with_title if addressee.has_person else "",
                    organisation=addressee.organisation,
                    forums=[forum_label(n, f.title) for n, f in enumerate(conf.forums, start=1)],
                    deadline=conference_ctx["reply_deadline"],
                    return_address=sender.return_address,
                    sender_line=collapse_spaces(
                        " · ".join(
                            p
                            for p in (
                                addressee.name_with_title if addressee.has_person else "",
                                addressee.organisation,
                            )
                            if p
                        )
                    ),
                    phone=sender.phone,
                    email=sender.contact_email,
                )
            letters.append(
                LetterContent(
                    invitation_id=inv.id,
                    recipient=recipient,
                    address_lines=addressee.address_lines(),
                    sender_line=sender.sender_line,
                    letterhead=sender.letterhead,
                    info=info,
                    date_line=date_line,
                    subject=rendered.subject or f"{conf.title}",
                    salutation=greeting,
                    body_html=rendered.body,
                    closing=sender.closing,
                    signature=sender.signature_lines,
                    signature_image=sender.signature_image,
                    footer=sender.footer,
                    template=template if looks_like_name(template) else "",
                    logo=sender.logo,
                    enclosures=enclosure_names,
                    programme=programme_content,
                    reply_form=form,
                    checkin_code=code_payload(conf.year, inv.checkin_token) if qr else "",
                )
            )
    return letters


def sample_context(sender: SenderSettings | None = None) -> dict[str, Any]:
    """A complete template context with invented values, for the template editor's live preview."""
    sender = sender or SenderSettings()
    return {
        "person": {
            "title": "Dr.",
            "first_name": "Ayşe",
            "name_prefix": "",
            "last_name": "Yılmaz",
            "full_name": "Ayşe Yılmaz",
            "name_with_title": "Dr. Ayşe Yılmaz",
            "gender": "weiblich",
            "function": "Geschäftsführerin",
        },
        "organisation": {"name": "Beispielverein e. V.", "department": "", "short_name": ""},
        "invitation": {
            "status": "vorgemerkt",
            "forum": "",
            "companions": 0,
            "substitute_name": "",
            "invited_on": "",
            "replied_on": "",
        },
        "conference": {
            "year": 2026,
            "title": "Integrationskonferenz 2026",
            "theme": "Teilhabe gemeinsam gestalten",
            "date": "Donnerstag, 12. November 2026",
            "date_short": "12.11.2026",
            "start_time": "9:30",
            "end_time": "16:00",
            "time_range": "9:30 bis 16:00 Uhr",
            "venue_name": "Kreishaus Borken",
            "venue_street": "Burloer Straße 93",
            "venue_postal_code": "46325",
            "venue_city": "Borken",
            "venue": "Kreishaus Borken, Burloer Straße 93, 46325 Borken",
            "reply_deadline": "23. Oktober 2026",
        },
        "forums": [
            {
                "number": 1,
                "label": "Forum 1: Sprache und Bildung",
                "title": "Sprache und Bildung",
                "description": "",
                "room": "",
                "moderation": "",
            },
            {
                "number": 2,
                "label": "Forum 2: Arbeit und Ausbildung",
                "title": "Arbeit und Ausbildung",
                "description": "",
                "room": "",
                "moderation": "",
            },
        ],
        "agenda": [],
        "minutes": [],
        "recommendations": [],
        "reply_deadline": "23. Oktober 2026",
        "salutation": "Sehr geehrte Frau Dr. Yılmaz,",
        "sender": sender_context(sender),
        "today": german_date(dt.date.today()),
        "enclosures": {"programme": True, "reply_form": True},
    }
