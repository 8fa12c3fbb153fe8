"""One data row of the file, read through the column mapping: the row rules turn its cells into the values of
a person or an organisation (``ParsedRow``), independent of the database; and the registry's verdict on
those values.

Row rules
---------
- Text is trimmed and runs of white space collapsed (notes keep their line breaks).
- Salutation (``Anrede``): Herr/Herrn/Hr. → male, Frau/Fr. → female, divers → diverse, "keine Angabe" or
  empty → unknown; a title written with it ("Herr Dr.") goes to the title. Unrecognised text is kept in
  the notes with a warning. A salutation word in front of a name ("Frau Anna Müller") counts as well.
- Combined columns are split: ``Name, Vorname`` ("Müller, Anna"), ``Vorname Name`` and a lone ``Name``
  ("Anna Müller"; a comma always means "last, first"), leading academic titles go to the title;
  ``PLZ / Ort`` ("46325 Borken", also "D-46325 Borken"); a street cell holding the whole address
  ("Burloer Str. 93, 46325 Borken") gives PLZ and Ort when those are empty.
- PLZ: a German PLZ typed as a number loses its leading zero, so four digits are left-padded to five
  (``konferenz.registry.validation.normalise_postal_code``); a German PLZ that is not five digits gives a warning,
  the field stays empty and the value is kept in the notes. Abroad (a country is given) the PLZ stays as
  written.
- E-mail: ``mailto:``, angle brackets and spaces are removed; a cell with several addresses keeps the
  first and notes the others; an invalid address gives a warning, the field stays empty and the raw value
  is kept in the notes.
- Phone numbers stay text; a phone cell Excel stored as a number lost its leading zero: it is put back.
- Contact exports (``konferenz.spreadsheets.contacts``): of a business and a private address block the filled
  one is taken; where both are filled the business address wins and the private one is kept in the notes,
  with a message. The private phone is taken when there is no other; further e-mail addresses and phone
  numbers go to the notes. A display name ("Anzeigename") counts only when first and last name are empty and
  it is not the organisation's name (an organisation-only contact stays an organisation). Further first
  names ("Weitere Vornamen") are added to the first name; an academic title at the start of the first name
  goes to the title, and a title already there is not stored twice. Google's typed slots ("Phone 2 - Type:
  Mobile", "Address 1 - Type: Home") decide which field a number or an address block goes to.
- What the registry's validation refuses (``konferenz.registry.validation.validate_person`` /
  ``validate_organisation``: a value longer than its field, asked quickly by ``validation.fits_columns``)
  rejects the row with the registry's message (``person_errors``, ``org_errors``).

The rules for single cells live in ``konferenz.importing.cells``; category, municipality and organisation
are matched against the database by ``konferenz.importing.resolver``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from konferenz.enums import Gender, LegalBasis, parse_label
from konferenz.importing.cells import (
    POSTAL_CITY,
    clean_email,
    looks_like_organisation,
    move_titles,
    parse_salutation,
    shortened,
    split_name,
    split_postal_city,
)
from konferenz.importing.running import Cancelled, Progress, check_cancelled
from konferenz.registry import keys as registry_keys
from konferenz.registry import validation
from konferenz.spreadsheets import contacts
from konferenz.spreadsheets.cells import CellValue, cell_text
from konferenz.spreadsheets.columns import PERSON_NAME_FIELDS, Column, header_key
from konferenz.spreadsheets.table import DataRow, Table
from konferenz.text import collapse_spaces, fold

#: person columns the import writes (``validation.PERSON_FIELDS`` minus the references it resolves itself)
PERSON_VALUE_FIELDS: tuple[str, ...] = tuple(
    f for f in validation.PERSON_FIELDS if f not in ("category_id", "municipality_id")
)
ORGANISATION_VALUE_FIELDS: tuple[str, ...] = tuple(
    f for f in validation.ORGANISATION_FIELDS if f not in ("category_id", "municipality_id")
)
ADDRESS_FIELDS = ("street", "po_box", "postal_code", "city", "country")

#: which record fields a mapped column stands for (for an update by ID, which also clears)
_PROVIDES: dict[str, tuple[str, ...]] = {
    "gender": ("gender",),
    "title": ("title",),
    "first_name": ("first_name",),
    "name_prefix": ("name_prefix",),
    "last_name": ("last_name",),
    "name": ("first_name", "last_name"),
    "last_first": ("first_name", "last_name"),
    "first_last": ("first_name", "last_name"),
    "custom_salutation": ("custom_salutation",),
    "function": ("function",),
    "street": ("street",),
    "house_number": ("street",),
    "po_box": ("po_box",),
    "postal_code": ("postal_code",),
    "city": ("city",),
    "postal_city": ("postal_code", "city"),
    "country": ("country",),
    "email": ("email",),
    "phone": ("phone",),
    "mobile": ("mobile",),
    "notes": ("notes",),
    "legal_basis": ("legal_basis",),
    "organisation": ("name",),
    "department": ("department",),
    "role_function": ("role_function",),
    "short_name": ("short_name",),
    "website": ("website",),
    "category": ("category_id",),
    "municipality": ("municipality_id",),
    "tags": ("tags",),
    "middle_name": ("first_name",),
    "display_name": ("first_name", "last_name"),
    "private_street": ("street",),
    "private_po_box": ("po_box",),
    "private_postal_code": ("postal_code",),
    "private_city": ("city",),
    "private_country": ("country",),
    "private_phone": ("phone",),
    "phone_other": ("phone",),
    "email_other": ("email",),
}
#: fields several columns collect into a list (besides the notes)
_LIST_FIELDS = ("email_other", "phone_other")


_ADDRESS_IN_STREET = re.compile(r"^(.*\S)\s*,\s*(?:(?:D|DE)\s*-\s*)?(\d{5})\s+(\S.*)$", re.IGNORECASE)
_PLZ_PREFIX = re.compile(r"^(?:D|DE)\s*-\s*(?=\d)", re.IGNORECASE)


_TAG_SPLIT = re.compile(r"[;,\n]+")


@functools.lru_cache(maxsize=4096)
def _is_germany(country: str) -> bool:
    return validation.is_germany(country)


@functools.lru_cache(maxsize=65536)
def _normalise_postal_code(code: str, country: str) -> str:
    return validation.normalise_postal_code(code, country)


def _notes_text(value: CellValue) -> str:
    """A notes cell as the registry stores notes: trimmed, line breaks kept (as ``\\n``)."""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n").strip()
    return cell_text(value)


def _join_notes(*parts: str) -> str:
    return "\n".join(p for p in parts if p)


def _split_tags(text: str) -> list[str]:
    seen: dict[str, str] = {}
    for part in _TAG_SPLIT.split(text):
        name = collapse_spaces(part)
        if name and name.casefold() not in seen:
            seen[name.casefold()] = name
    return list(seen.values())


@dataclass(slots=True)
class ParsedRow:
    """One data row after the row rules, independent of the database."""

    excel_row: int
    #: "person", "organisation", or None for a rejected row
    kind: Literal["person", "organisation"] | None
    #: person values (``PERSON_VALUE_FIELDS``) for a person row
    person: dict[str, Any]
    #: organisation values for an organisation row; for a person row the organisation's name and the
    #: values a new organisation takes from the row (address, website, short name)
    organisation: dict[str, Any]
    role_function: str = ""
    role_department: str = ""
    category: str = ""
    municipality: str = ""
    tags: list[str] = field(default_factory=list)
    record_id: int | None = None
    id_text: str = ""
    #: record fields a mapped column stands for (an update by ID sets exactly these, empty ones too)
    provided: frozenset[str] = frozenset()
    messages: list[str] = field(default_factory=list)
    rejection: str = ""
    #: display values per field for the preview
    values: dict[str, str] = field(default_factory=dict)
    #: the registry's verdict on the values (None: not checked yet)
    create_errors: list[str] | None = None
    #: the duplicate keys of a person row (computed once, reused by the commit)
    keys: registry_keys.NameKeys | None = None
    #: for a row rejected only because its ID names a record it cannot change (no name given): the kind of
    #: that ID and the row read as if it had no ID, which the import uses when the ID column turns out to
    #: be the list's own numbering
    without_id: tuple[Literal["person", "organisation"], ParsedRow] | None = None

    @property
    def org_name(self) -> str:
        return str(self.organisation.get("name", ""))


_NEEDS_COLLAPSE = re.compile(r"[^\S ]| {2}")


class _RowParser:
    """Applies the row rules for one column mapping."""

    def __init__(
        self, columns: Sequence[Column], *, id_target: Literal["person", "organisation"], display: bool = True
    ) -> None:
        self.columns = [c for c in columns if c.field]
        self.id_target = id_target
        #: whether rows keep their display values (the preview shows them; a commit alone does not need them)
        self.display = display
        fields = {c.field for c in self.columns}
        self.has_first_name_column = "first_name" in fields
        self.notes_columns = [c for c in self.columns if c.field == "notes"]
        plain_notes = {header_key(s) for s in ("Notiz", "Notizen", "Bemerkung", "Bemerkungen", "Notes")}
        self.prefixed_notes = {
            c.index
            for c in self.notes_columns
            if len(self.notes_columns) > 1 or header_key(c.header) not in plain_notes
        }
        provided: set[str] = set()
        for c in self.columns:
            provided.update(_PROVIDES.get(c.field or "", ()))
        self.provided = frozenset(provided)
        #: (column index, field) of the text columns; the notes columns with their prefix; the columns
        #: whose raw cell value matters (a number that lost its leading zero, an id written as 17.0)
        self.text_columns = [
            (c.index, c.field)
            for c in self.columns
            if c.field is not None and c.field != "notes" and c.field not in _LIST_FIELDS
        ]
        self.list_columns = [(c.index, c.field) for c in self.columns if c.field in _LIST_FIELDS]
        self.slots = contacts.typed_slots([c.header for c in columns], [c.field for c in columns])
        self.private_columns = fields & set(contacts.PRIVATE_ADDRESS)
        self.notes_plan = [
            (c.index, f"{c.header}: " if c.index in self.prefixed_notes else "") for c in self.notes_columns
        ]
        self.raw_columns = [
            (c.index, c.field)
            for c in self.columns
            if c.field in ("phone", "mobile", "private_phone", "postal_code", "private_postal_code", "id")
        ]

    def _sort_slots(
        self,
        values: Sequence[CellValue],
        get: dict[str, str],
        raw: dict[str, CellValue],
        others: dict[str, list[str]],
    ) -> None:
        """Google's typed slots: phones by their type, address blocks swapped when the first is "Home"."""
        assert self.slots is not None
        if self.slots.phones:
            by_type = self.slots.phones_by_type(values)
            rest: list[str] = []
            for name, kind in (("phone", "phone"), ("mobile", "mobile"), ("private_phone", "home")):
                numbers = by_type[kind]
                get[name] = numbers[0] if numbers else ""
                rest.extend(numbers[1:])
                raw.pop(name, None)
            others["phone_other"] = rest
        if self.slots.address_blocks_swapped(values):
            for business, private in zip(contacts.BUSINESS_ADDRESS, contacts.PRIVATE_ADDRESS, strict=True):
                get[business], get[private] = get.get(private, ""), get.get(business, "")

    @staticmethod
    def _choose_address(
        get: dict[str, str], raw: dict[str, CellValue], messages: list[str], extra_notes: list[str]
    ) -> None:
        """Of a business and a private address block the filled one; the business one where both are."""
        parts = ("street", "po_box", "postal_code", "city")
        business = any(get.get(f) for f in (*parts, "house_number", "postal_city"))
        private = [get.get(f"private_{f}", "") for f in parts]
        if not any(private):
            return
        private_country = get.get("private_country", "")
        if not business:
            for name, text in zip(parts, private, strict=True):
                get[name] = text
            if private_country:
                get["country"] = private_country
            raw.pop("postal_code", None)
            return
        same = [fold(get.get(f, "")) for f in parts] == [fold(t) for t in private]
        if same:
            return
        street, po_box, code, city = private
        text = ", ".join(
            p
            for p in (
                street,
                f"Postfach {po_box}" if po_box else "",
                f"{code} {city}".strip(),
                private_country,
            )
            if p
        )
        messages.append(
            "Geschäfts- und Privatadresse angegeben – die Geschäftsadresse übernommen, die Privatadresse in den Notizen."
        )
        extra_notes.append(f"Privatadresse: {text}")

    def parse(self, row: DataRow, *, ignore_id: bool = False) -> ParsedRow:
        values = row.values
        width = len(values)
        get: dict[str, str] = {}
        for index, name in self.text_columns:
            # the cell's text (collapse_spaces, without its regex substitution for the usual clean cell),
            # inlined: it runs for every cell of the file
            v = values[index] if index < width else None
            if v is None:
                get[name] = ""
            elif v.__class__ is str:
                get[name] = collapse_spaces(v) if _NEEDS_COLLAPSE.search(v) else v.strip()
            else:
                get[name] = cell_text(v)
        raw: dict[str, CellValue] = {
            name: values[index] for index, name in self.raw_columns if name and index < width
        }
        notes: list[str] = []
        for index, prefix in self.notes_plan:
            text = _notes_text(values[index] if index < width else None)
            if text:
                notes.append(prefix + text)
        display = {name: text for name, text in get.items() if text}
        if notes:
            display["notes"] = "\n".join(notes)
        messages: list[str] = list(row.notes)
        extra_notes: list[str] = []
        others: dict[str, list[str]] = {"email_other": [], "phone_other": []}
        for index, name in self.list_columns:
            v = values[index] if index < width else None
            text = cell_text(v)
            if text and name is not None:
                others[name].extend(contacts.split_values(text))
        if self.slots is not None:
            self._sort_slots(values, get, raw, others)
        if self.private_columns:
            self._choose_address(get, raw, messages, extra_notes)

        # names and salutation
        title = get.get("title", "")
        first = get.get("first_name", "")
        last = get.get("last_name", "")
        gender: Gender | None = None
        org_from_name = ""
        middle = get.get("middle_name", "")
        if middle and first:
            first = f"{first} {middle}"
        elif middle:
            first = middle
        display_name = get.get("display_name", "")
        if display_name and not first and not last:
            if fold(display_name) == fold(get.get("organisation", "")):
                display_name = ""
            elif not get.get("name"):
                get["name"] = display_name
        for combined, order in (
            ("last_first", "last_first"),
            ("first_last", "first_last"),
            ("name", "first_last"),
        ):
            text = get.get(combined, "")
            if not text:
                continue
            if (
                combined == "name"
                and not first
                and not get.get("organisation")
                and not self.has_first_name_column
                and looks_like_organisation(text)
            ):
                org_from_name = text
                continue
            parts = split_name(text, order)  # type: ignore[arg-type]
            first = first or parts.first_name
            last = last or parts.last_name
            if parts.title and not title:
                title = parts.title
            if parts.gender is not None:
                gender = parts.gender
        if "gender" in get:
            sal = parse_salutation(get["gender"])
            if sal.recognised:
                gender = sal.gender if sal.gender is not Gender.UNKNOWN or gender is None else gender
            else:
                messages.append(f"Anrede „{get['gender']}“ nicht erkannt – als „keine Angabe“ übernommen.")
                extra_notes.append(f"Anrede: {get['gender']}")
            if sal.title and not title:
                title = sal.title
        if first:
            first, title, moved = move_titles(first, title)
            if moved:
                messages.append(f"Titel „{' '.join(moved)}“ aus dem Vornamen in den Titel übernommen.")
        # address
        street = get.get("street", "")
        number = get.get("house_number", "")
        if number:
            street = f"{street} {number}".strip()
        postal_code = get.get("postal_code", "")
        city = get.get("city", "")
        if get.get("postal_city"):
            code, place = split_postal_city(get["postal_city"])
            postal_code = postal_code or code
            city = city or place
        if postal_code and not city:
            m = POSTAL_CITY.match(postal_code)
            if m:  # "46325 Borken" in the PLZ column
                postal_code, city = m.group(1), m.group(2)
        if street and not postal_code and not city:
            m = _ADDRESS_IN_STREET.match(street)
            if m:
                street, postal_code, city = m.group(1), m.group(2), m.group(3)
        country = get.get("country", "")
        if _is_germany(country):
            country = ""
        if postal_code:
            postal_code = _PLZ_PREFIX.sub("", postal_code)
            normalised = _normalise_postal_code(postal_code, country)
            if not country and not validation.is_german_postal_code(normalised):
                messages.append(
                    f"PLZ „{postal_code}“ ist keine deutsche Postleitzahl – nicht übernommen, in den Notizen vermerkt."
                )
                extra_notes.append(f"PLZ (ungültig): {postal_code}")
                normalised = ""
            postal_code = normalised

        # e-mail
        email = ""
        if get.get("email"):
            parts_e = clean_email(get["email"])
            email = parts_e.email
            if parts_e.invalid:
                messages.append(
                    f"E-Mail „{shortened(parts_e.invalid)}“ ist ungültig – nicht übernommen, in den Notizen vermerkt."
                )
                extra_notes.append(f"E-Mail (ungültig): {parts_e.invalid}")
            others["email_other"][:0] = parts_e.others
        more_emails: list[str] = []
        for text in others["email_other"]:
            found = clean_email(text)
            for address in (found.email, *found.others):
                if address and not email:
                    email = address
                elif address and address.casefold() != email.casefold() and address not in more_emails:
                    more_emails.append(address)
            if found.invalid:
                extra_notes.append(f"E-Mail (ungültig): {found.invalid}")
        if more_emails:
            messages.append(f"Weitere E-Mail-Adressen in den Notizen: {', '.join(more_emails)}")
            extra_notes.append("Weitere E-Mail: " + ", ".join(more_emails))

        # phones: a number cell lost its leading zero
        phones: dict[str, str] = {}
        for name in ("phone", "mobile"):
            text = get.get(name, "")
            value = raw.get(name)
            if (
                text
                and isinstance(value, int | float)
                and not isinstance(value, bool)
                and not text.startswith("0")
            ):
                text = "0" + text
                messages.append(f"Telefonnummer war als Zahl gespeichert – führende 0 ergänzt: {text}")
            phones[name] = text
        more_phones = [t for t in others["phone_other"] if t not in phones.values()]
        private_phone = get.get("private_phone", "")
        if private_phone and not phones.get("phone"):
            phones["phone"] = private_phone
        elif private_phone and private_phone != phones.get("phone"):
            extra_notes.append(f"Telefon privat: {private_phone}")
        if not phones.get("phone") and more_phones:
            phones["phone"] = more_phones.pop(0)
        if more_phones:
            messages.append(f"Weitere Telefonnummern in den Notizen: {', '.join(more_phones)}")
            extra_notes.append("Weitere Telefonnummer: " + ", ".join(more_phones))

        legal_basis = LegalBasis.PUBLIC_TASK
        if get.get("legal_basis"):
            try:
                legal_basis = parse_label(LegalBasis, get["legal_basis"])
            except ValueError:
                lowered = fold(get["legal_basis"])
                if "einwillig" in lowered or "consent" in lowered:
                    legal_basis = LegalBasis.CONSENT
                else:
                    messages.append(
                        f"Rechtsgrundlage „{get['legal_basis']}“ nicht erkannt – öffentliche Aufgabe angenommen."
                    )

        org_name = get.get("organisation", "") or org_from_name
        notes_text = _join_notes(*notes, *extra_notes)
        category = get.get("category", "") or row.section
        tags = _split_tags(get.get("tags", ""))

        # the record's id
        record_id: int | None = None
        id_text = "" if ignore_id else get.get("id", "")
        if id_text:
            value = raw.get("id")
            if isinstance(value, float) and value.is_integer():
                id_text = str(int(value))
            if id_text.isdigit() and 0 < int(id_text) < 2**62:
                record_id = int(id_text)
            else:
                messages.append(
                    f"ID „{shortened(id_text, 20)}“ ist keine Nummer aus diesem Programm – wie eine Zeile ohne ID behandelt."
                )

        # what the row is about
        kind: Literal["person", "organisation"] | None
        rejection = ""
        id_rejected = False
        if self.id_target == "organisation" and record_id is not None:
            kind = "organisation" if org_name else None
            if kind is None:
                rejection = (
                    f"Der Name der Organisation fehlt – Organisation Nr. {record_id} bleibt unverändert."
                )
                id_rejected = True
        elif self.id_target == "person" and record_id is not None and not last:
            kind = None
            rejection = f"Der Nachname fehlt – Person Nr. {record_id} bleibt unverändert."
            id_rejected = True
        elif last:
            kind = "person"
        elif org_name:
            kind = "organisation"
            if first:
                # a first name without last name: not enough for a person; the name is kept in the notes
                who = ", ".join(p for p in (title, first) if p)
                messages.append(f"Ansprechperson ohne Nachname („{who}“) – nur die Organisation übernommen.")
                notes_text = _join_notes(notes_text, f"Ansprechperson laut Import: {who}")
            record_id = None
        else:
            kind = None
            if first or email:
                rejection = "Der Nachname fehlt und es ist keine Organisation angegeben."
            else:
                rejection = "Weder Nachname noch Organisation angegeben."

        p_function = get.get("function", "") if kind == "person" else ""
        person: dict[str, Any] = {}
        organisation: dict[str, Any] = {"name": org_name}
        if kind == "person":
            person = {
                "gender": gender or Gender.UNKNOWN,
                "title": title,
                "first_name": first,
                "name_prefix": get.get("name_prefix", ""),
                "last_name": last,
                "custom_salutation": get.get("custom_salutation", ""),
                "function": get.get("function", ""),
                "street": street,
                "po_box": get.get("po_box", ""),
                "postal_code": postal_code,
                "city": city,
                "country": country,
                "email": email,
                "phone": phones.get("phone", ""),
                "mobile": phones.get("mobile", ""),
                "notes": notes_text,
                "legal_basis": legal_basis,
            }
            organisation.update(
                {
                    "short_name": get.get("short_name", ""),
                    "website": get.get("website", ""),
                    "street": street,
                    "po_box": get.get("po_box", ""),
                    "postal_code": postal_code,
                    "city": city,
                    "country": country,
                }
            )
        elif kind == "organisation":
            organisation.update(
                {
                    "department": get.get("department", ""),
                    "short_name": get.get("short_name", ""),
                    "street": street,
                    "po_box": get.get("po_box", ""),
                    "postal_code": postal_code,
                    "city": city,
                    "country": country,
                    "email": email,
                    "phone": phones.get("phone", "") or phones.get("mobile", ""),
                    "website": get.get("website", ""),
                    "notes": notes_text,
                }
            )
        if org_from_name:
            messages.append(f"„{shortened(org_from_name)}“ als Organisation erkannt.")
        for key, value in (("first_name", first), ("last_name", last), ("title", title)):
            if value:
                display[key] = value
        if gender is not None:
            display["gender"] = {Gender.MALE: "Herr", Gender.FEMALE: "Frau", Gender.DIVERSE: "divers"}.get(
                gender, "keine Angabe"
            )
        if postal_code:
            display["postal_code"] = postal_code
        if city:
            display["city"] = city
        if email or "email" in display:
            display["email"] = email
        return ParsedRow(
            excel_row=row.excel_row,
            kind=kind,
            person=person,
            organisation=organisation,
            role_function=get.get("role_function", "") if "role_function" in get else p_function,
            role_department=get.get("department", "") if kind == "person" else "",
            category=category,
            municipality=get.get("municipality", ""),
            tags=tags,
            record_id=record_id,
            id_text=id_text,
            provided=self.provided,
            messages=messages,
            rejection=rejection,
            values=display if self.display else {},
            without_id=(self.id_target, self.parse(row, ignore_id=True)) if id_rejected else None,
        )


def id_target(columns: Sequence[Column]) -> Literal["person", "organisation"]:
    fields = {c.field for c in columns}
    return "person" if fields & PERSON_NAME_FIELDS else "organisation"


def parse_rows(
    table: Table,
    columns: list[Column],
    progress: Progress | None,
    cancelled: Cancelled | None,
    *,
    display: bool = True,
    consume: bool = False,
) -> list[ParsedRow]:
    """The rows after the row rules; without ``display`` they carry no display values, with ``consume`` the
    table lets go of each row once it is parsed (a commit without a preview: together they keep the
    import of 100,000 rows under 400 MiB)."""
    parser = _RowParser(columns, id_target=id_target(columns), display=display)
    out = []
    source = table.rows
    total = len(source)
    if consume:
        table.rows = []
        source.reverse()  # popped from the end, in the file's order
    for i in range(total):
        if i % 500 == 0:
            check_cancelled(cancelled)
            if progress is not None:
                progress(i, total)
        out.append(parser.parse(source.pop() if consume else source[i]))
    return out


def row_keys(row: ParsedRow) -> registry_keys.NameKeys:
    if row.keys is None:
        p = row.person
        row.keys = _keys(p["first_name"], p["name_prefix"], p["last_name"], p["email"])
    return row.keys


def _keys(first: str, prefix: str, last: str, email: str) -> registry_keys.NameKeys:
    """The duplicate keys of a person (without the loose key: the import looks for certain matches)."""
    name, latin = registry_keys.name_keys(first, prefix, last)
    return registry_keys.NameKeys(registry_keys.email_key(email), name, latin, "", bool(first.strip()))


def person_errors(values: Mapping[str, Any]) -> str:
    """The registry's verdict on a person's values, without the e-mail and PLZ rules (the import turns
    those into warnings before). ``validation.validate_person`` costs about 40 µs, a third of the whole
    row, so it is asked only when a value is longer than its column could hold, or a required value is
    missing; otherwise it has nothing to object to."""
    if values.get("last_name") and validation.fits_columns("person", values):
        return ""
    data = validation.PersonData(**{k: values[k] for k in PERSON_VALUE_FIELDS})
    return " ".join(
        e.message for e in validation.validate_person(data) if e.field not in ("email", "postal_code")
    )


def org_errors(values: Mapping[str, Any]) -> str:
    if values.get("name") and validation.fits_columns("organisation", values):
        return ""
    data = validation.OrganisationData(**{k: values.get(k, "") for k in ORGANISATION_VALUE_FIELDS})
    return " ".join(
        e.message for e in validation.validate_organisation(data) if e.field not in ("email", "postal_code")
    )
