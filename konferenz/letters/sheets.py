"""Content of labels, name badges, sign-in sheets and attendee lists: the address blocks and the rows of
the people expected, sorted like the letters; the paper layer (``ui/paper``) owns the label grids."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from konferenz.conferences.checkin import code_payload
from konferenz.enums import ConsentPurpose, InvitationStatus
from konferenz.letters.content import conference_context
from konferenz.letters.selection import (
    find_conference,
    find_forum,
    forum_label,
    gets_letters,
    invitation_query,
    letter_order,
    role_for,
    select_invitations,
)
from konferenz.registry.addressing import Addressee
from konferenz.sorting import invitee_key
from konferenz.storage.db import Database
from konferenz.storage.models import Conference, Forum, Invitation, Person
from konferenz.text import collapse_spaces


def label_addresses(
    database: Database,
    conference_year: int,
    status: InvitationStatus | Iterable[InvitationStatus] | None = None,
    invitation_ids: Iterable[int] | None = None,
) -> list[list[str]]:
    """The address blocks (same as in the letters) of the invitations, sorted like the letters.

    ``status`` and ``invitation_ids`` (a selection in the window) narrow the invitations.
    """
    with database.read_session() as s:
        conf = find_conference(s, conference_year)
        prepared = []
        for inv in select_invitations(s, conf, status, invitation_ids):
            addressee = Addressee.from_rows(inv.person, inv.organisation, role_for(inv))
            prepared.append((letter_order(inv), addressee.address_lines()))
    prepared.sort(key=lambda item: item[0])
    return [lines for _key, lines in prepared]


@dataclass(frozen=True)
class Attendee:
    """One row of a badge sheet, sign-in sheet or attendee list."""

    name: str
    organisation: str
    forum: str = ""
    #: "in Vertretung für …" when a substitute comes
    note: str = ""
    #: the filing order of the person shown (``konferenz.sorting``; a substitute by the substitute's name)
    sort_key: tuple[bytes, int] = (b"", 0)
    #: what the badge's QR code holds (``conferences.checkin.code_payload``); "" prints none
    checkin_code: str = ""


@dataclass(frozen=True)
class AttendanceSheet:
    """A printed list: title lines, the people, and how many were left out (no consent)."""

    title: str
    subtitle: str
    forum: str
    rows: list[Attendee]
    omitted: int = 0


def _has_list_consent(person: Person, today: dt.date) -> bool:
    return any(
        c.purpose is ConsentPurpose.PARTICIPANT_LIST
        and c.withdrawn_on is None
        and (c.given_on is None or c.given_on <= today)
        for c in person.consents
    )


def _attendee(inv: Invitation, forum_labels: Mapping[int, str]) -> tuple[Attendee, Person | None]:
    """The person who comes for ``inv`` (the substitute if there is one) as a list row."""
    forum = forum_labels.get(inv.forum_id, "") if inv.forum_id is not None else ""
    organisation = inv.organisation.name if inv.organisation is not None else ""
    if inv.status is InvitationStatus.SUBSTITUTED and (inv.substitute_person or inv.substitute_name):
        original = Addressee.from_rows(inv.person, inv.organisation).name_with_title if inv.person else ""
        note = f"in Vertretung für {original}" if original else "in Vertretung"
        if inv.substitute_person is not None:
            sub = Addressee.from_rows(inv.substitute_person, None)
            name = sub.name_with_title
            key = invitee_key(sub.last_name, sub.first_name, None, inv.id)
            if not organisation:
                roles = inv.substitute_person.roles
                primary = next((r for r in roles if r.is_primary), roles[0] if roles else None)
                organisation = primary.organisation.name if primary is not None else ""
            return Attendee(name, organisation, forum, note, key), inv.substitute_person
        name = collapse_spaces(inv.substitute_name)
        parts = name.split()
        # a name typed in by hand: filed under its last word
        key = invitee_key(parts[-1] if parts else "", " ".join(parts[:-1]), None, inv.id)
        return Attendee(name, organisation, forum, note, key), None
    if inv.person is not None:
        who = Addressee.from_rows(inv.person, None)
        key = invitee_key(who.last_name, who.first_name, None, inv.id)
        return Attendee(who.name_with_title, organisation, forum, "", key), inv.person
    return Attendee("", organisation, forum, "", invitee_key(None, None, organisation, inv.id)), None


def _sheet_header(conf: Conference, forum: Forum | None) -> tuple[str, str, str]:
    ctx = conference_context(conf)
    subtitle = " · ".join(p for p in (ctx["date"], ctx["venue"]) if p)
    if forum is None:
        return conf.title, subtitle, ""
    number = next((n for n, f in enumerate(conf.forums, start=1) if f.id == forum.id), 0)
    return conf.title, subtitle, forum_label(number, forum.title)


def attendees(
    database: Database,
    conference_year: int,
    *,
    forum: str | None = None,
    statuses: Iterable[InvitationStatus] = InvitationStatus.said_yes(),
    consent_only: bool = False,
    today: dt.date | None = None,
) -> AttendanceSheet:
    """The people expected at (or who attended) the conference or one forum, sorted by last name.

    With ``consent_only`` only persons who consented to appear on a participant list (a ConsentRecord
    for that purpose, not withdrawn) are listed; the others are counted in ``omitted``.
    """
    today = today or dt.date.today()
    with database.read_session() as s:
        conf = find_conference(s, conference_year)
        chosen = find_forum(s, conf, forum) if forum else None
        forum_labels = {f.id: forum_label(n, f.title) for n, f in enumerate(conf.forums, start=1)}
        stmt = invitation_query(conf.id).where(Invitation.status.in_(list(statuses)))
        if chosen is not None:
            stmt = stmt.where(Invitation.forum_id == chosen.id)
        rows: list[Attendee] = []
        omitted = 0
        for inv in s.scalars(stmt):
            if not gets_letters(inv):
                continue
            row, person = _attendee(inv, forum_labels)
            if inv.checkin_token:
                row = replace(row, checkin_code=code_payload(conf.year, inv.checkin_token))
            if consent_only and (person is None or not _has_list_consent(person, today)):
                omitted += 1
                continue
            if row.name or row.organisation:
                rows.append(row)
        title, subtitle, forum_title = _sheet_header(conf, chosen)
    rows.sort(key=lambda r: r.sort_key)
    return AttendanceSheet(title, subtitle, forum_title, rows, omitted)


def badge_entries(database: Database, conference_year: int, *, forum: str | None = None) -> list[Attendee]:
    """Who gets a name badge: everyone expected (accepted, substitutes), sorted by last name."""
    return attendees(database, conference_year, forum=forum).rows


def signin_sheet(database: Database, conference_year: int, *, forum: str | None = None) -> AttendanceSheet:
    """The Unterschriftenliste: everyone expected at the conference or forum."""
    return attendees(database, conference_year, forum=forum)


def attendee_list(
    database: Database, conference_year: int, *, forum: str | None = None, today: dt.date | None = None
) -> AttendanceSheet:
    """The Teilnehmerliste handed out: accepted/attended persons who consented to be named on it."""
    return attendees(
        database,
        conference_year,
        forum=forum,
        statuses=InvitationStatus.seated(),
        consent_only=True,
        today=today,
    )


# --- the printed tables (PDF, DOCX, ODT) -----------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A column of a printed list: its title and its width in mm (on a table 175 mm wide)."""

    title: str
    width: float


SIGNIN_COLUMNS = (
    Column("Nr.", 11.0),
    Column("Name", 57.0),
    Column("Organisation", 57.0),
    Column("Unterschrift", 50.0),
)
ATTENDEE_COLUMNS = (Column("Nr.", 11.0), Column("Name", 62.0), Column("Organisation", 102.0))
ATTENDEE_FORUM_COLUMNS = (
    Column("Nr.", 11.0),
    Column("Name", 55.0),
    Column("Organisation", 65.0),
    Column("Forum", 44.0),
)
SIGNIN_FOOTER = "Nachweis der Teilnahme für den Zuwendungsgeber (ANBest-G NRW), Aufbewahrung fünf Jahre."


def header_lines(sheet: AttendanceSheet) -> list[str]:
    """The lines under a list's name: conference, date and place, forum."""
    lines = [sheet.title, sheet.subtitle]
    if sheet.forum:
        lines.append(sheet.forum)
    return [line for line in lines if line]


def signin_rows(sheet: AttendanceSheet, blank_rows: int = 10) -> list[tuple[list[str], list[str]]]:
    """Cells and small notes under them ("in Vertretung für …") of the Unterschriftenliste, with
    ``blank_rows`` numbered empty rows for walk-ins."""
    rows = [
        ([str(n), person.name, person.organisation, ""], ["", person.note, "", ""])
        for n, person in enumerate(sheet.rows, start=1)
    ]
    rows += [([str(len(rows) + n), "", "", ""], []) for n in range(1, blank_rows + 1)]
    return rows


def attendee_table(sheet: AttendanceSheet) -> tuple[tuple[Column, ...], list[list[str]]]:
    """Columns and rows of the Teilnehmerliste (with a forum column when the list spans forums)."""
    with_forum = not sheet.forum and any(person.forum for person in sheet.rows)
    columns = ATTENDEE_FORUM_COLUMNS if with_forum else ATTENDEE_COLUMNS
    rows = []
    for n, person in enumerate(sheet.rows, start=1):
        cells = [str(n), person.name, person.organisation]
        if with_forum:
            cells.append(person.forum)
        rows.append(cells)
    return columns, rows


def attendee_end_note(sheet: AttendanceSheet) -> str:
    return (
        "Aufgeführt sind die Teilnehmenden, die der Nennung in dieser Liste zugestimmt haben."
        if sheet.rows or sheet.omitted
        else "Es hat noch niemand der Nennung in dieser Liste zugestimmt."
    )
