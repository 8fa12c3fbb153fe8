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
