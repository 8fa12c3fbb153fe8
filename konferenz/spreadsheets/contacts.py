"""Contact exports staff receive (Outlook, Thunderbird, Google Contacts, in German and English): which export a
header row is, what each of its columns means, and the typed slots of Google's numbered columns.

The column lists are the ones the programs write (Outlook's "Kontakte exportieren" as CSV, Thunderbird's
address book export as CSV, Google Contacts' "Google CSV" in the older layout with "Given Name" and the newer
one with "First Name"). An export is recognised when its header row has all the ``signature`` headers; its
columns are then mapped by the export's own table (``columns``, header text → field; None: a column the
import deliberately does not take, such as "Geburtstag" or "Fax"), and headers it does not list fall back to
the ordinary synonyms (``konferenz.spreadsheets.columns``, which keys these texts).

Address blocks: the business block maps to the address fields, the private block to the ``private_*`` fields;
the row rules take the filled one and prefer the business block (``konferenz.importing.rows``). Further
e-mail addresses and phone numbers map to ``email_other`` / ``phone_other`` (kept in the notes).

Google writes its values in numbered slots ("Phone 1 - Type", "Phone 1 - Value"; "Address 2 - Street" …)
whose type ("Mobile", "Work", "Home") is a cell, not a header: :class:`TypedSlots` re-sorts a row's phones
and address blocks by those types. Several values in one Google cell are separated by " ::: ".
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from konferenz.spreadsheets.cells import CellValue, cell_text

#: field names of the business and the private address block, in the same order
BUSINESS_ADDRESS = ("street", "po_box", "postal_code", "city", "country")
PRIVATE_ADDRESS = (
    "private_street",
    "private_po_box",
    "private_postal_code",
    "private_city",
    "private_country",
)


@dataclass(frozen=True)
class ContactExport:
    """One program's export layout."""

    #: German name for the summary ("Outlook-Export (deutsch)")
    name: str
    #: header texts that all must be present for the export to be recognised
    signature: tuple[str, ...]
    #: header text → field (None: known, not taken)
    columns: Mapping[str, str | None]
    #: numbered Google columns ("E-mail 2 - Value") are mapped by :func:`google_field`
    numbered: bool = False


def _outlook_de() -> dict[str, str | None]:
    cols: dict[str, str | None] = {
        "Anrede": "gender",
        "Vorname": "first_name",
        "Weitere Vornamen": "middle_name",
        "Nachname": "last_name",
        "Suffix": "notes",
        "Firma": "organisation",
        "Abteilung": "department",
        "Position": "function",
        "E-Mail-Adresse": "email",
        "E-Mail-Typ": None,
        "E-Mail: Angezeigter Name": None,
        "E-Mail 2: Adresse": "email_other",
        "E-Mail 2: Typ": None,
        "E-Mail 2: Angezeigter Name": None,
        "E-Mail 3: Adresse": "email_other",
        "E-Mail 3: Typ": None,
        "E-Mail 3: Angezeigter Name": None,
        "Telefon geschäftlich": "phone",
        "Telefon geschäftlich 2": "phone_other",
        "Telefon Firma": "phone_other",
        "Haupttelefon": "phone_other",
        "Telefon privat": "private_phone",
        "Telefon privat 2": "phone_other",
        "Mobiltelefon": "mobile",
        "Mobiltelefon 2": "phone_other",
        "Weiteres Telefon": "phone_other",
        "Notizen": "notes",
        "Kategorien": "tags",
        "Webseite": "website",
        "Geschlecht": None,
    }
    for part, field in (("Straße", "street"), ("Ort", "city"), ("Postleitzahl", "postal_code")):
        for block, prefix in (("geschäftlich", ""), ("privat", "private_")):
            cols[f"{part} {block}"] = prefix + field
            cols[f"{block.capitalize()} {part}"] = prefix + field
    for block, prefix in (("geschäftlich", ""), ("privat", "private_")):
        cols[f"Land/Region {block}"] = prefix + "country"
        cols[f"{block.capitalize()} Land/Region"] = prefix + "country"
        cols[f"Postfach {block}"] = prefix + "po_box"
        cols[f"{block.capitalize()} Postfach"] = prefix + "po_box"
        for n in (2, 3):
            cols[f"Straße {block} {n}"] = "notes"
            cols[f"{block.capitalize()} Straße {n}"] = "notes"
    cols["Region geschäftlich"] = None
    cols["Bundesland/Kanton privat"] = None
    for ignored in (
        "Weitere Straße",
        "Weitere Straße 2",
        "Weitere Straße 3",
        "Weiterer Ort",
        "Weiteres/r Bundesland/Kanton",
        "Weitere Postleitzahl",
        "Weiteres/e Land/Region",
        "Weiteres Postfach",
        "Telefon Assistent",
        "Fax geschäftlich",
        "Rückmeldung",
        "Autotelefon",
        "Fax privat",
        "ISDN",
        "Weiteres Fax",
        "Pager",
        "Mobilfunktelefon",
        "Telefon für Hörbehinderte",
        "Telex",
        "Abrechnungsinformation",
        "Benutzer 1",
        "Benutzer 2",
        "Benutzer 3",
        "Benutzer 4",
        "Beruf",
        "Büro",
        "Empfohlen von",
        "Geburtstag",
        "Hobby",
        "Initialen",
        "Internet-Frei/Gebucht",
        "Jahrestag",
        "Kinder",
        "Konto",
        "Name Assistent",
        "Name des/der Vorgesetzten",
        "Organisations-Nr.",
        "Ort",
        "Partner",
        "Priorität",
        "Privat",
        "Regierungs-Nr.",
        "Reisekilometer",
        "Sprache",
        "Stichwörter",
        "Vertraulichkeit",
        "Verzeichnisserver",
    ):
        cols.setdefault(ignored, None)
    return cols


def _outlook_en() -> dict[str, str | None]:
    cols: dict[str, str | None] = {
        "Title": "gender",
        "First Name": "first_name",
        "Middle Name": "middle_name",
        "Last Name": "last_name",
        "Suffix": "notes",
        "Company": "organisation",
        "Department": "department",
        "Job Title": "function",
        "E-mail Address": "email",
        "E-mail Type": None,
        "E-mail Display Name": None,
        "E-mail 2 Address": "email_other",
        "E-mail 2 Type": None,
        "E-mail 2 Display Name": None,
        "E-mail 3 Address": "email_other",
        "E-mail 3 Type": None,
        "E-mail 3 Display Name": None,
        "Business Phone": "phone",
        "Business Phone 2": "phone_other",
        "Company Main Phone": "phone_other",
        "Primary Phone": "phone_other",
        "Home Phone": "private_phone",
        "Home Phone 2": "phone_other",
        "Mobile Phone": "mobile",
        "Other Phone": "phone_other",
        "Notes": "notes",
        "Categories": "tags",
        "Web Page": "website",
        "Gender": None,
    }
    for block, prefix in (("Business", ""), ("Home", "private_")):
        cols[f"{block} Street"] = prefix + "street"
        cols[f"{block} Street 2"] = "notes"
        cols[f"{block} Street 3"] = "notes"
        cols[f"{block} City"] = prefix + "city"
        cols[f"{block} State"] = None
        cols[f"{block} Postal Code"] = prefix + "postal_code"
        cols[f"{block} Country/Region"] = prefix + "country"
        cols[f"{block} Address PO Box"] = prefix + "po_box"
    for ignored in (
        "Other Street",
        "Other Street 2",
        "Other Street 3",
        "Other City",
        "Other State",
        "Other Postal Code",
        "Other Country/Region",
        "Other Address PO Box",
        "Assistant's Phone",
        "Business Fax",
        "Callback",
        "Car Phone",
        "Home Fax",
        "ISDN",
        "Other Fax",
        "Pager",
        "Radio Phone",
        "TTY/TDD Phone",
        "Telex",
        "Account",
        "Anniversary",
        "Assistant's Name",
        "Billing Information",
        "Birthday",
        "Children",
        "Directory Server",
        "Government ID Number",
        "Hobby",
        "Initials",
        "Internet Free Busy",
        "Keywords",
        "Language",
        "Location",
        "Manager's Name",
        "Mileage",
        "Office Location",
        "Organizational ID Number",
        "Priority",
        "Private",
        "Profession",
        "Referred By",
        "Sensitivity",
        "Spouse",
        "User 1",
        "User 2",
        "User 3",
        "User 4",
        "Nickname",
        "Given Yomi",
        "Surname Yomi",
        "Company Yomi",
        "IMAddress",
        "Personal Web Page",
        "Schools",
    ):
        cols.setdefault(ignored, None)
    return cols


#: Thunderbird's columns, German and English (the same order in both exports)
_THUNDERBIRD: tuple[tuple[str, str, str | None], ...] = (
    ("Vorname", "First Name", "first_name"),
    ("Nachname", "Last Name", "last_name"),
    ("Anzeigename", "Display Name", "display_name"),
    ("Spitzname", "Nickname", None),
    ("Primäre E-Mail-Adresse", "Primary Email", "email"),
    ("Sekundäre E-Mail-Adresse", "Secondary Email", "email_other"),
    ("Messenger-Name", "Screen Name", None),
    ("Tel. dienstlich", "Work Phone", "phone"),
    ("Tel. privat", "Home Phone", "private_phone"),
    ("Fax-Nummer", "Fax Number", None),
    ("Pager-Nummer", "Pager Number", None),
    ("Mobil-Tel.-Nr.", "Mobile Number", "mobile"),
    ("Privat: Adresse", "Home Address", "private_street"),
    ("Privat: Adresse 2", "Home Address 2", "notes"),
    ("Privat: Ort", "Home City", "private_city"),
    ("Privat: Bundesland", "Home State", None),
    ("Privat: PLZ", "Home ZipCode", "private_postal_code"),
    ("Privat: Land", "Home Country", "private_country"),
    ("Dienstlich: Adresse", "Work Address", "street"),
    ("Dienstlich: Adresse 2", "Work Address 2", "notes"),
    ("Dienstlich: Ort", "Work City", "city"),
    ("Dienstlich: Bundesland", "Work State", None),
    ("Dienstlich: PLZ", "Work ZipCode", "postal_code"),
    ("Dienstlich: Land", "Work Country", "country"),
    ("Arbeitstitel", "Job Title", "function"),
    ("Abteilung", "Department", "department"),
    ("Organisation", "Organization", "organisation"),
    ("Webseite 1", "Web Page 1", "website"),
    ("Webseite 2", "Web Page 2", None),
    ("Geburtsjahr", "Birth Year", None),
    ("Geburtsmonat", "Birth Month", None),
    ("Geburtstag", "Birth Day", None),
    ("Benutzerdef. 1", "Custom 1", "notes"),
    ("Benutzerdef. 2", "Custom 2", "notes"),
    ("Benutzerdef. 3", "Custom 3", "notes"),
    ("Benutzerdef. 4", "Custom 4", "notes"),
    ("Notizen", "Notes", "notes"),
)
#: the labels newer Thunderbird versions write for the same columns
_THUNDERBIRD_DE_NEWER: dict[str, str | None] = {
    "Mobiltelefonnummer": "mobile",
    "Telefon dienstlich": "phone",
    "Telefon privat": "private_phone",
    "Faxnummer": None,
    "Pagernummer": None,
}

_GOOGLE_COMMON: dict[str, str | None] = {
    "Name Prefix": "gender",
    "Name Suffix": "notes",
    "Nickname": None,
    "Birthday": None,
    "Notes": "notes",
    "Photo": None,
    "Gender": None,
    "Initials": None,
    "Short Name": None,
    "Maiden Name": None,
    "Location": None,
    "Billing Information": None,
    "Directory Server": None,
    "Mileage": None,
    "Occupation": None,
    "Hobby": None,
    "Sensitivity": None,
    "Priority": None,
    "Subject": None,
    "Language": None,
}
_GOOGLE_OLD: dict[str, str | None] = {
    **_GOOGLE_COMMON,
    "Name": "display_name",
    "Given Name": "first_name",
    "Additional Name": "middle_name",
    "Family Name": "last_name",
    "Yomi Name": None,
    "Given Name Yomi": None,
    "Additional Name Yomi": None,
    "Family Name Yomi": None,
    "Group Membership": None,
}
_GOOGLE_NEW: dict[str, str | None] = {
    **_GOOGLE_COMMON,
    "First Name": "first_name",
    "Middle Name": "middle_name",
    "Last Name": "last_name",
    "Phonetic First Name": None,
    "Phonetic Middle Name": None,
    "Phonetic Last Name": None,
    "File As": "display_name",
    "Organization Name": "organisation",
    "Organization Title": "function",
    "Organization Department": "department",
    "Labels": None,
}

_NUMBERED = re.compile(
    r"^(e-mail|phone|address|organization|website|relation|event|im|custom field|external id)\s+(\d+)\s*-\s*(.+)$",
    re.IGNORECASE,
)
_ADDRESS_PARTS: dict[str, str | None] = {
    "street": "street",
    "city": "city",
    "po box": "po_box",
    "postal code": "postal_code",
    "country": "country",
    "extended address": "notes",
    "region": None,
    "formatted": None,
}


def is_type_column(header: str) -> bool:
    """Whether the column is a Google slot's "Type"/"Label" ("Phone 1 - Label"): its value is not stored, it
    decides where the slot's value goes (a mobile number, a private address)."""
    m = _NUMBERED.match(header.strip())
    return (
        m is not None
        and m.group(1).casefold() in ("phone", "address")
        and m.group(3).strip().casefold() in ("type", "label")
    )


def google_field(header: str) -> tuple[bool, str | None]:
    """(known, field) of a numbered Google column ("E-mail 2 - Value" → email_other)."""
    m = _NUMBERED.match(header.strip())
    if not m:
        return False, None
    kind, number, part = m.group(1).casefold(), int(m.group(2)), m.group(3).strip().casefold()
    if part in ("type", "label"):
        return True, None
    if kind == "e-mail" and part == "value":
        return True, "email" if number == 1 else "email_other"
    if kind == "phone" and part == "value":
        return True, "phone" if number == 1 else "phone_other"
    if kind == "address" and part in _ADDRESS_PARTS:
        field = _ADDRESS_PARTS[part]
        if field is None or field == "notes":
            return True, field
        if number == 1:
            return True, field
        return True, "private_" + field if number == 2 else None
    if kind == "organization" and number == 1:
        return True, {"name": "organisation", "title": "function", "department": "department"}.get(part)
    if kind == "website" and part == "value":
        return True, "website" if number == 1 else None
    return True, None


EXPORTS: tuple[ContactExport, ...] = (
    ContactExport(
        "Outlook-Export (deutsch)",
        ("Vorname", "Nachname", "Firma", "E-Mail-Adresse", "Mobiltelefon"),
        _outlook_de(),
    ),
    ContactExport(
        "Outlook-Export (englisch)",
        ("First Name", "Last Name", "Company", "E-mail Address", "Mobile Phone"),
        _outlook_en(),
    ),
    ContactExport(
        "Thunderbird-Export (deutsch)",
        ("Vorname", "Nachname", "Anzeigename", "Primäre E-Mail-Adresse"),
        {**{de: f for de, _en, f in _THUNDERBIRD}, **_THUNDERBIRD_DE_NEWER},
    ),
    ContactExport(
        "Thunderbird-Export (englisch)",
        ("First Name", "Last Name", "Display Name", "Primary Email"),
        {en: f for _de, en, f in _THUNDERBIRD},
    ),
    ContactExport(
        "Google-Kontakte (älteres Format)",
        ("Given Name", "Family Name", "Group Membership"),
        _GOOGLE_OLD,
        numbered=True,
    ),
    ContactExport(
        "Google-Kontakte (neueres Format)",
        ("First Name", "Last Name", "Organization Name", "Labels"),
        _GOOGLE_NEW,
        numbered=True,
    ),
)


# --- Google's typed slots ------------------------------------------------------------------------------

_MULTI_VALUE = " ::: "
_MOBILE_TYPES = ("mobile", "mobil", "handy", "cell")
_HOME_TYPES = ("home", "privat")
_WORK_TYPES = ("work", "geschäftlich", "dienstlich", "arbeit")


def split_values(text: str) -> list[str]:
    """The values of one Google cell ("a@x.de ::: b@y.de")."""
    return [v.strip() for v in text.split(_MULTI_VALUE) if v.strip()]


def _type_of(text: str) -> str:
    folded = text.casefold()
    if any(t in folded for t in _MOBILE_TYPES):
        return "mobile"
    if any(t in folded for t in _HOME_TYPES):
        return "home"
    if any(t in folded for t in _WORK_TYPES):
        return "work"
    return ""


@dataclass(frozen=True)
class TypedSlots:
    """The numbered phone and address slots of a Google export, with the column holding each one's type."""

    #: (value column, type column or -1)
    phones: tuple[tuple[int, int], ...]
    #: type column of the address slot mapped to the business block and of the one mapped to the private one
    business_address_type: int
    private_address_type: int

    def phones_by_type(self, values: Sequence[CellValue]) -> dict[str, list[str]]:
        """The row's phone numbers sorted by their Google type: "work"/"" (phone), "mobile", "home"."""
        out: dict[str, list[str]] = {"phone": [], "mobile": [], "home": []}
        for value_index, type_index in self.phones:
            raw = cell_text(values[value_index]) if value_index < len(values) else ""
            kind = _type_of(cell_text(values[type_index])) if 0 <= type_index < len(values) else ""
            for number in split_values(raw):
                out["mobile" if kind == "mobile" else "home" if kind == "home" else "phone"].append(number)
        return out

    def address_blocks_swapped(self, values: Sequence[CellValue]) -> bool:
        """True when the slot mapped to the business block says "Home" and the other one does not."""

        def kind(index: int) -> str:
            return _type_of(cell_text(values[index])) if 0 <= index < len(values) else ""

        return kind(self.business_address_type) == "home" and kind(self.private_address_type) != "home"


def typed_slots(headers: Sequence[str], fields: Sequence[str | None]) -> TypedSlots | None:
    """The typed slots of a Google header row (None for any other layout); ``fields`` are the columns'
    mapped fields (a phone column the user unmapped is left out)."""
    numbered: dict[tuple[str, int, str], int] = {}
    for index, header in enumerate(headers):
        m = _NUMBERED.match(header.strip())
        if m:
            part = m.group(3).strip().casefold()
            part = "type" if part in ("type", "label") else part
            numbered[(m.group(1).casefold(), int(m.group(2)), part)] = index
    if not numbered:
        return None
    phones = tuple(
        (index, numbered.get(("phone", n, "type"), -1))
        for (kind, n, part), index in sorted(numbered.items(), key=lambda kv: kv[0][1])
        if kind == "phone" and part == "value" and fields[index] in ("phone", "phone_other", "mobile")
    )
    return TypedSlots(
        phones, numbered.get(("address", 1, "type"), -1), numbered.get(("address", 2, "type"), -1)
    )
