"""A person's name in each of its written forms (list, address, badge, audit), as pure functions of the
stored fields: the one place that decides where title, first name and name particle go.

Every layer may import it (no ORM, no Qt). Parts are trimmed and runs of spaces collapsed; an empty part
leaves no gap.
"""

from __future__ import annotations

from konferenz.enums import Gender
from konferenz.text import collapse_spaces


def _join(*parts: str | None) -> str:
    return collapse_spaces(" ".join(p for p in parts if p))


def surname(name_prefix: str | None, last_name: str | None) -> str:
    """The last name with its particle: "von Stein" (the "Nachname" column of the exports)."""
    return _join(name_prefix, last_name)


def full_name(first_name: str | None, name_prefix: str | None, last_name: str | None) -> str:
    """First name and last name with particle, without titles: "Karl von Stein"."""
    return _join(first_name, name_prefix, last_name)


def name_with_title(
    title: str | None, first_name: str | None, name_prefix: str | None, last_name: str | None
) -> str:
    """Titles and full name, as in the address block, on a badge and in the attendee list:
    "Prof. Dr. Mohammed Al-Hassan"."""
    return _join(title, first_name, name_prefix, last_name)


def name_line(
    gender: Gender | None,
    title: str | None,
    first_name: str | None,
    name_prefix: str | None,
    last_name: str | None,
) -> str:
    """The name line of the address block: "Herrn Prof. Dr. Mohammed Al-Hassan" (no "Frau"/"Herrn" when
    the gender is diverse or unknown)."""
    name = name_with_title(title, first_name, name_prefix, last_name)
    if gender is Gender.FEMALE:
        return _join("Frau", name)
    if gender is Gender.MALE:
        return _join("Herrn", name)
    return name


def list_name(
    name_prefix: str | None, last_name: str | None, first_name: str | None, title: str | None
) -> str:
    """The filing form of the lists: "Çelik, Dr. Şeyma", "von Stein, Dietrich"."""
    family = surname(name_prefix, last_name)
    given = _join(title, first_name)
    return f"{family}, {given}" if family and given else family or given


def invitee_name(
    name_prefix: str | None,
    last_name: str | None,
    first_name: str | None,
    title: str | None,
    organisation: str | None,
) -> str:
    """``list_name`` of an invited person; an organisation invited without a person by its name
    (``last_name`` and ``first_name`` both None)."""
    if last_name is None and first_name is None:
        return organisation or ""
    return list_name(name_prefix, last_name, first_name, title)


def archive_name(first_name: str | None, last_name: str | None) -> str:
    """The recipient part of an archived letter's file name, before it is made a slug: "Öztürk Ayşe"
    (``letters.sending.archive_file_name``; the erasure finds the files by it)."""
    return _join(last_name, first_name)


def record_name(
    title: str | None,
    first_name: str | None,
    name_prefix: str | None,
    last_name: str | None,
    person_id: int | None,
) -> str:
    """The name of a person record in the audit trail and the privacy reports: ``name_with_title``, or
    "Person Nr. 17" for a record without any name."""
    return name_with_title(title, first_name, name_prefix, last_name) or f"Person Nr. {person_id}"
