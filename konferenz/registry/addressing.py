"""Address block and salutation (Briefanrede) by DIN 5008 and the rules in DOMAIN.md.

Everything works on plain values (:class:`Addressee`), so the rules are testable without a database;
``address_lines()`` and ``salutation()`` build an ``Addressee`` from ORM rows (persisted or transient).

Address block, one line each, no blank lines, at most six lines (the Anschriftzone):
organisation → department → ``Frau``/``Herrn`` + titles + first name + particle + last name (no
``Frau``/``Herrn`` when the gender is diverse or unknown) → street and number, or ``Postfach …`` →
``PLZ Ort`` → abroad, the country in capitals. A letter to a person at an organisation goes to the
organisation's address; a person without one (or an organisation without any address) gets the person's
own address.

Salutation, first rule that applies wins:

1. a salutation stored on the person (``custom_salutation``) overrides everything;
2. no person (a letter to an organisation): ``Sehr geehrte Damen und Herren,``;
3. female ``Sehr geehrte Frau <Titel> <Nachname>,``, male ``Sehr geehrter Herr <Titel> <Nachname>,``
   – only the highest academic title: a professor is ``Professor`` (a woman ``Professorin``, the form the
   Landesgleichstellungsgesetz NRW asks for in official letters), written out, and the doctorate is
   dropped; otherwise ``Dr.`` (once, without faculty: ``Dr. med.`` → ``Dr.``); other titles and degrees
   (``Dipl.-Ing.``, ``M. A.``) appear only in the address;
4. diverse or unknown: ``Guten Tag <Vorname> <Nachname>,``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from konferenz import names
from konferenz.enums import Gender
from konferenz.text import collapse_spaces

if TYPE_CHECKING:
    from konferenz.storage.models import Organisation, Person, Role

#: lines of the Anschriftzone (DIN 5008)
MAX_ADDRESS_LINES = 6

#: spellings of Germany that mean "not abroad"
_GERMANY = frozenset(
    {"", "d", "de", "deu", "deutschland", "germany", "brd", "bundesrepublik deutschland", "allemagne"}
)
_PROFESSOR = re.compile(r"(?<![a-zäöü])prof", re.IGNORECASE)
_DOCTOR = re.compile(r"(?<![a-zäöü])dr\b", re.IGNORECASE)
_PO_BOX = re.compile(r"^\s*(postfach|pf\.?)\s*", re.IGNORECASE)


def _clean(value: str | None) -> str:
    return collapse_spaces(value or "")


def _lines(value: str | None) -> list[str]:
    """The non-empty lines of a field (a field typed with line breaks becomes several lines)."""
    return [line for line in (collapse_spaces(part) for part in (value or "").splitlines()) if line]


def is_abroad(country: str) -> bool:
    return _clean(country).casefold().rstrip(".") not in _GERMANY


def salutation_title(title: str, gender: Gender) -> str:
    """The one title used in the salutation: ``Professor``/``Professorin``, ``Dr.`` or nothing."""
    if _PROFESSOR.search(title):
        return "Professorin" if gender is Gender.FEMALE else "Professor"
    if _DOCTOR.search(title):
        return "Dr."
    return ""


@dataclass(frozen=True)
class Addressee:
    """The plain values an address block and a salutation are made of."""

    #: False for a letter to an organisation without a contact person
    has_person: bool = True
    gender: Gender = Gender.UNKNOWN
    #: academic titles as written in the address: "Prof. Dr.", "Dr. med.", "Dipl.-Ing."
    title: str = ""
    first_name: str = ""
    #: name particle that belongs to the last name: "von", "van der"
    name_prefix: str = ""
    last_name: str = ""
    custom_salutation: str = ""
    organisation: str = ""
    department: str = ""
    street: str = ""
    po_box: str = ""
    postal_code: str = ""
    city: str = ""
    country: str = ""

    # --- building from rows -------------------------------------------------------------------------

    @classmethod
    def from_rows(
        cls, person: Person | None, organisation: Organisation | None, role: Role | None = None
    ) -> Addressee:
        """The addressee of a letter to ``person`` at ``organisation`` (either may be missing)."""
        if role is None and person is not None and organisation is not None:
            role = next((r for r in person.roles if r.organisation_id == organisation.id), None)
        department = ""
        if organisation is not None:
            department = (role.department if role is not None else "") or organisation.department or ""
        # the organisation's address, unless it has none: then the person's own
        source: Person | Organisation | None = organisation
        if organisation is None or not (organisation.street or organisation.po_box or organisation.city):
            source = person if person is not None else organisation
        address = cls(
            has_person=person is not None,
            organisation=organisation.name if organisation is not None else "",
            department=department,
            street=(source.street or "") if source is not None else "",
            po_box=(source.po_box or "") if source is not None else "",
            postal_code=(source.postal_code or "") if source is not None else "",
            city=(source.city or "") if source is not None else "",
            country=(source.country or "") if source is not None else "",
        )
        if person is None:
            return address
        return replace(
            address,
            gender=Gender(person.gender) if person.gender else Gender.UNKNOWN,
            title=person.title or "",
            first_name=person.first_name or "",
            name_prefix=person.name_prefix or "",
            last_name=person.last_name or "",
            custom_salutation=person.custom_salutation or "",
        )

    # --- names --------------------------------------------------------------------------------------

    @property
    def surname(self) -> str:
        """Last name with its particle: "von Stein"."""
        return names.surname(self.name_prefix, self.last_name)

    @property
    def full_name(self) -> str:
        """First name and last name with particle, without titles: "Karl von Stein"."""
        return names.full_name(self.first_name, self.name_prefix, self.last_name)

    @property
    def name_with_title(self) -> str:
        """Titles and full name, as on a badge or a list: "Prof. Dr. Mohammed Al-Hassan"."""
        return names.name_with_title(self.title, self.first_name, self.name_prefix, self.last_name)

    @property
    def name_line(self) -> str:
        """The name line of the address block: "Herrn Prof. Dr. Mohammed Al-Hassan"."""
        return names.name_line(self.gender, self.title, self.first_name, self.name_prefix, self.last_name)

    # --- address block ------------------------------------------------------------------------------

    @property
    def abroad(self) -> bool:
        return is_abroad(self.country)

    def street_line(self) -> str:
        if _clean(self.po_box):
            number = _PO_BOX.sub("", _clean(self.po_box))
            return f"Postfach {number}"
        return _clean(self.street)

    def address_lines(self) -> list[str]:
        """The address block: one entry per line, no blank lines, at most six lines."""
        organisation = _lines(self.organisation)
        department = _lines(self.department)
        name = [self.name_line] if self.has_person and self.name_line else []
        street = [self.street_line()] if self.street_line() else []
        place = [_clean(f"{self.postal_code} {self.city}")] if (self.postal_code or self.city) else []
        place = [p for p in place if p]
        country = [_clean(self.country).upper()] if self.abroad else []
        return _fit(_Parts(organisation, department, name, street, place, country))

    # --- salutation ---------------------------------------------------------------------------------

    def salutation(self) -> str:
        custom = _clean(self.custom_salutation)
        if self.has_person and custom:
            return custom if custom.endswith((",", "!")) else f"{custom},"
        if not self.has_person or not self.surname:
            return "Sehr geehrte Damen und Herren,"
        title = salutation_title(self.title, self.gender)
        if self.gender is Gender.FEMALE:
            return _clean(f"Sehr geehrte Frau {title} {self.surname}") + ","
        if self.gender is Gender.MALE:
            return _clean(f"Sehr geehrter Herr {title} {self.surname}") + ","
        return f"Guten Tag {self.full_name},"


@dataclass
class _Parts:
    organisation: list[str] = field(default_factory=list)
    department: list[str] = field(default_factory=list)
    name: list[str] = field(default_factory=list)
    street: list[str] = field(default_factory=list)
    place: list[str] = field(default_factory=list)
    country: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [
            *self.organisation,
            *self.department,
            *self.name,
            *self.street,
            *self.place,
            *self.country,
        ]


def _fit(parts: _Parts) -> list[str]:
    """Shorten to the six lines of the Anschriftzone without ever losing the name or ``PLZ Ort``.

    Order: drop the department; then join a multi-line organisation name into one line; then the street
    line goes (a letter still arrives by name and place).
    """
    if len(parts.lines()) <= MAX_ADDRESS_LINES:
        return parts.lines()
    parts.department = []
    if len(parts.lines()) > MAX_ADDRESS_LINES and len(parts.organisation) > 1:
        parts.organisation = [" ".join(parts.organisation)]
    if len(parts.lines()) > MAX_ADDRESS_LINES:
        parts.street = []
    return parts.lines()[:MAX_ADDRESS_LINES]


def address_lines(
    person: Person | None, organisation: Organisation | None, role: Role | None = None
) -> list[str]:
    """The address block of a letter to ``person`` at ``organisation`` (see module docstring)."""
    return Addressee.from_rows(person, organisation, role).address_lines()


def salutation(person: Person | None) -> str:
    """The Briefanrede for ``person``; ``None`` means a letter to an organisation."""
    if person is None:
        return Addressee(has_person=False).salutation()
    return Addressee.from_rows(person, None).salutation()
