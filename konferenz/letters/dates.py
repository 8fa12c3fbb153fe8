"""German dates and times as letters, lists and the programme print them ("Donnerstag, 12. November 2026",
"9:30")."""

from __future__ import annotations

import datetime as dt

MONTHS = (
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
)
WEEKDAYS = ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag")


def german_date(value: dt.date | None) -> str:
    """ "25. November 2026" (empty for ``None``)."""
    if value is None:
        return ""
    return f"{value.day}. {MONTHS[value.month - 1]} {value.year}"


def german_date_weekday(value: dt.date | None) -> str:
    """ "Donnerstag, 12. November 2026"."""
    if value is None:
        return ""
    return f"{WEEKDAYS[value.weekday()]}, {german_date(value)}"


def numeric_date(value: dt.date | None) -> str:
    """ "12.11.2026" (DIN 5008 numeric form)."""
    return value.strftime("%d.%m.%Y") if value is not None else ""


def german_time(value: dt.time | None) -> str:
    """ "9:30" (add "Uhr" where it reads naturally)."""
    return f"{value.hour}:{value.minute:02d}" if value is not None else ""


def deadline_passed(reply_deadline: dt.date | None, letter_date: dt.date | None = None) -> str:
    """The German warning when a letter dated ``letter_date`` (today) would ask for a reply by a day that
    has passed already ("" when the deadline is open or not set). Letters, e-mails and the dialogs that make
    them show it before anything is produced."""
    day = letter_date or dt.date.today()
    if reply_deadline is None or reply_deadline >= day:
        return ""
    return (
        f"Die Rückmeldefrist ({german_date(reply_deadline)}) liegt vor dem Briefdatum ({german_date(day)}): "
        "der Brief bäte um Antwort bis zu einem vergangenen Tag. Bitte die Frist der Konferenz ändern "
        "(Konferenz bearbeiten …)."
    )
