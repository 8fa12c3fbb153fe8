"""The calendar entry of a conference (RFC 5545, ``.ics``) that invitees put into Outlook or Thunderbird.

METHOD:PUBLISH (a REQUEST would be processed by Exchange as a meeting), one VEVENT with a UID that stays the
same for the conference (a second e-mail updates the entry instead of adding one), DTSTART/DTEND in
Europe/Berlin with its VTIMEZONE (the EU rules as RRULEs), SUMMARY, LOCATION, DESCRIPTION and the office as
ORGANIZER (mailto: with CN). A conference without a start time becomes an all-day entry.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

import icalendar

from konferenz.errors import UserError
from konferenz.letters.content import conference_context
from konferenz.letters.selection import find_conference
from konferenz.mail.settings import MailSettings, load_mail_settings
from konferenz.storage.db import Database
from konferenz.storage.models import Conference

TZID = "Europe/Berlin"
BERLIN = zoneinfo.ZoneInfo(TZID)
PRODID = "-//Kreis Borken//Konferenz//DE"
#: the file is UTF-8 ("Straße", "–"): said, so that no mail program guesses Latin-1 (RFC 5545 3.1.4)
MIME_TYPE = "text/calendar; charset=utf-8; method=PUBLISH"


def _berlin_timezone() -> icalendar.Timezone:
    """VTIMEZONE Europe/Berlin with the EU rules (last Sunday of March / October), as Outlook writes it."""
    tz = icalendar.Timezone()
    tz.add("tzid", TZID)
    standard = icalendar.TimezoneStandard()
    standard.add("dtstart", dt.datetime(1970, 10, 25, 3, 0))
    standard.add("rrule", {"freq": "yearly", "bymonth": 10, "byday": "-1su"})
    standard.add("tzoffsetfrom", dt.timedelta(hours=2))
    standard.add("tzoffsetto", dt.timedelta(hours=1))
    standard.add("tzname", "MEZ")
    daylight = icalendar.TimezoneDaylight()
    daylight.add("dtstart", dt.datetime(1970, 3, 29, 2, 0))
    daylight.add("rrule", {"freq": "yearly", "bymonth": 3, "byday": "-1su"})
    daylight.add("tzoffsetfrom", dt.timedelta(hours=1))
    daylight.add("tzoffsetto", dt.timedelta(hours=2))
    daylight.add("tzname", "MESZ")
    tz.add_component(standard)
    tz.add_component(daylight)
    return tz


def event_uid(conference: Conference, domain: str) -> str:
    """The entry's UID, the same for every message about this conference: "konferenz-2026@kreis-borken.de"."""
    return f"konferenz-{conference.year}@{domain or 'konferenz.invalid'}"


def calendar_entry(
    conference: Conference, settings: MailSettings, *, stamp: dt.datetime | None = None
) -> bytes:
    """The ``.ics`` of ``conference`` with the office (``settings``) as organiser. A German ``UserError``
    when the conference has no date yet."""
    if conference.date is None:
        raise UserError(
            f"Die Konferenz {conference.year} hat noch kein Datum; ohne Datum gibt es keinen Kalendereintrag."
        )
    ctx = conference_context(conference)
    domain = settings.from_address.rpartition("@")[2]
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    event = icalendar.Event()
    event.add("uid", event_uid(conference, domain))
    event.add("dtstamp", (stamp or dt.datetime.now(dt.UTC)).astimezone(dt.UTC))
    event.add("sequence", 0)
    timed = conference.start_time is not None
    if timed:
        cal.add_component(_berlin_timezone())
        start = dt.datetime.combine(conference.date, conference.start_time, tzinfo=BERLIN)  # type: ignore[arg-type]  # checked above
        event.add("dtstart", start)
        if conference.end_time is not None and conference.end_time > conference.start_time:  # type: ignore[operator]  # checked above
            event.add("dtend", dt.datetime.combine(conference.date, conference.end_time, tzinfo=BERLIN))
    else:
        event.add("dtstart", conference.date)
        event.add("dtend", conference.date + dt.timedelta(days=1))
    event.add("summary", conference.title)
    if ctx["venue"]:
        event.add("location", ctx["venue"])
    description = [conference.theme] if conference.theme else []
    if ctx["reply_deadline"]:
        description.append(f"Bitte antworten Sie bis zum {ctx['reply_deadline']}.")
    if description:
        event.add("description", "\n".join(description))
    if settings.from_address:
        organizer = icalendar.vCalAddress(f"mailto:{settings.from_address}")
        if settings.from_name:
            organizer.params["cn"] = icalendar.vText(settings.from_name)
        event.add("organizer", organizer)
    event.add("transp", "OPAQUE")
    cal.add_component(event)
    return bytes(cal.to_ical())


def conference_calendar(database: Database, year: int, *, stamp: dt.datetime | None = None) -> bytes:
    """The ``.ics`` of the conference of ``year`` with the stored mail settings as organiser."""
    with database.read_session() as s:
        conference = find_conference(s, year)
        return calendar_entry(conference, load_mail_settings(s), stamp=stamp)
