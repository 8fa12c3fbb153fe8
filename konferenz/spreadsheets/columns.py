"""What the columns of a staff spreadsheet mean: the fields a column can be mapped to, the header texts that
name them, the header row among the top rows of a sheet, and a saved or edited mapping.

Header texts are compared after :func:`header_key` (``konferenz.text.fold`` without punctuation and
spaces), so case, umlaut spelling, hyphens, dots and slashes do not matter: "E-Mail", "e-mail",
"EMail" and "E-Mail-Adresse" all mean ``email``. A header with a qualifier in brackets or a trailing
"privat"/"dienstlich" is matched by its core ("Telefon (dienstlich)"). A field is taken by the first
column that names it; later columns for the same field stay unmapped (except notes, which collect
several columns). "Name" next to a "Vorname" column means the last name; alone it is the whole name.
A saved mapping (``known_headers``, an import profile) is recognised besides the synonyms, so a list
whose headers no synonym knows is found once its profile is saved. A contact export (Outlook, Thunderbird,
Google Contacts; ``konferenz.spreadsheets.contacts``) is recognised by its header row and mapped by the
export's own column list first. :func:`column_usage` says which columns were used for what and which were
ignored (the import's summary).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from konferenz.errors import UserError
from konferenz.spreadsheets import contacts
from konferenz.spreadsheets.cells import CellValue, cell_text
from konferenz.text import collapse_spaces, fold

#: the header row is searched in this many rows at the top of a sheet
HEADER_SEARCH_ROWS = 20


# --- fields and their header synonyms ------------------------------------------------------------------


@dataclass(frozen=True)
class FieldInfo:
    name: str
    #: German label shown in the mapping editor
    label: str
    synonyms: tuple[str, ...]


#: every field a column can be mapped to, with the header texts that mean it (German and English)
FIELDS: tuple[FieldInfo, ...] = (
    FieldInfo(
        "id",
        "ID (Nummer aus diesem Programm)",
        (
            "ID",
            "Kennung",
            "Datensatz-ID",
            "Datensatznummer",
            "Personen-ID",
            "Person-ID",
            "Organisations-ID",
            "Record ID",
        ),
    ),
    FieldInfo(
        "gender",
        "Anrede (Frau/Herr)",
        ("Anrede", "Geschlecht", "Herr/Frau", "Frau/Herr", "Salutation", "Gender", "Sex"),
    ),
    FieldInfo(
        "title",
        "Titel",
        (
            "Titel",
            "Akad. Titel",
            "Akademischer Titel",
            "Akademischer Grad",
            "Grad",
            "Title",
            "Academic title",
        ),
    ),
    FieldInfo(
        "first_name", "Vorname", ("Vorname", "Vornamen", "Rufname", "First name", "Firstname", "Given name")
    ),
    FieldInfo(
        "middle_name",
        "Weitere Vornamen",
        ("Weitere Vornamen", "Zweiter Vorname", "Middle name", "Additional name"),
    ),
    FieldInfo(
        "name_prefix",
        "Namenszusatz (von, van der …)",
        ("Namenszusatz", "Namensvorsatz", "Vorsatzwort", "Präfix"),
    ),
    FieldInfo(
        "last_name",
        "Nachname",
        ("Nachname", "Familienname", "Zuname", "Last name", "Lastname", "Surname", "Family name"),
    ),
    FieldInfo(
        "name",
        "Name (Vor- und Nachname)",
        (
            "Name",
            "Person",
            "Teilnehmer",
            "Teilnehmerin",
            "Teilnehmer/in",
            "Teilnehmer:in",
            "TeilnehmerIn",
            "Teilnehmende",
            "Ansprechpartner",
            "Ansprechpartnerin",
            "Ansprechpartner/in",
            "Ansprechpartner:in",
            "Ansprechperson",
            "Kontaktperson",
            "Contact",
        ),
    ),
    FieldInfo(
        "display_name",
        "Anzeigename (nur ohne Vor- und Nachname)",
        ("Anzeigename", "Display name", "File as", "Speichern unter"),
    ),
    FieldInfo(
        "last_first",
        "Name, Vorname (kombiniert)",
        ("Name, Vorname", "Nachname, Vorname", "Familienname, Vorname", "Name Vorname", "Nachname Vorname"),
    ),
    FieldInfo(
        "first_last",
        "Vorname Name (kombiniert)",
        (
            "Vorname Name",
            "Vorname Nachname",
            "Vorname, Name",
            "Vorname, Nachname",
            "Vor- und Nachname",
            "Vor- und Zuname",
            "Vollständiger Name",
            "Full name",
        ),
    ),
    FieldInfo(
        "custom_salutation",
        "Briefanrede",
        ("Briefanrede", "Anrede im Brief", "Persönliche Anrede", "Anredezeile", "Briefanrede (individuell)"),
    ),
    FieldInfo(
        "function",
        "Funktion",
        (
            "Funktion",
            "Position",
            "Rolle",
            "Dienstbezeichnung",
            "Stellung",
            "Aufgabe",
            "Function",
            "Job title",
        ),
    ),
    FieldInfo(
        "role_function",
        "Funktion in der Organisation",
        ("Funktion in der Organisation", "Rolle in der Organisation", "Funktion (Organisation)"),
    ),
    FieldInfo(
        "organisation",
        "Organisation",
        (
            "Organisation",
            "Organisationen",
            "Organization",
            "Institution",
            "Einrichtung",
            "Träger",
            "Verein",
            "Verband",
            "Firma",
            "Behörde",
            "Dienststelle",
            "Unternehmen",
            "Arbeitgeber",
            "Name der Organisation",
            "Organisation/Institution",
            "Institution/Organisation",
            "Träger/Einrichtung",
            "Einrichtung/Träger",
            "Verein/Organisation",
            "Organisation/Verein",
            "Company",
        ),
    ),
    FieldInfo(
        "department",
        "Abteilung",
        ("Abteilung", "Fachbereich", "Fachdienst", "Sachgebiet", "Referat", "Department"),
    ),
    FieldInfo("short_name", "Kurzname", ("Kurzname", "Kürzel", "Abkürzung", "Kurzbezeichnung", "Short name")),
    FieldInfo(
        "street",
        "Straße und Hausnummer",
        (
            "Straße",
            "Str.",
            "Straße und Hausnummer",
            "Straße/Hausnummer",
            "Straße/Nr.",
            "Straße Nr.",
            "Straße, Nr.",
            "Straße + Nr.",
            "Adresse",
            "Anschrift",
            "Hausanschrift",
            "Postanschrift",
            "Address",
            "Street",
        ),
    ),
    FieldInfo("house_number", "Hausnummer", ("Hausnummer", "Hausnr.", "Haus-Nr.", "Hnr.", "House number")),
    FieldInfo("po_box", "Postfach", ("Postfach", "PF", "P.O. Box", "PO Box")),
    FieldInfo("postal_code", "PLZ", ("PLZ", "Postleitzahl", "Zip", "ZIP code", "Postal code", "Postcode")),
    FieldInfo("city", "Ort", ("Ort", "Wohnort", "Stadt", "City", "Town")),
    FieldInfo(
        "postal_city",
        "PLZ Ort (kombiniert)",
        ("PLZ Ort", "PLZ/Ort", "PLZ und Ort", "PLZ, Ort", "Postleitzahl Ort", "Postleitzahl und Ort"),
    ),
    FieldInfo("country", "Land", ("Land", "Staat", "Country")),
    FieldInfo(
        "private_street",
        "Straße privat (wenn keine Geschäftsadresse)",
        ("Straße privat", "Privat Straße", "Privatadresse", "Privatanschrift", "Home street", "Home address"),
    ),
    FieldInfo("private_po_box", "Postfach privat", ("Postfach privat", "Privat Postfach", "Home PO Box")),
    FieldInfo(
        "private_postal_code",
        "PLZ privat",
        ("PLZ privat", "Postleitzahl privat", "Privat PLZ", "Home postal code", "Home zip code"),
    ),
    FieldInfo("private_city", "Ort privat", ("Ort privat", "Wohnort privat", "Privat Ort", "Home city")),
    FieldInfo("private_country", "Land privat", ("Land privat", "Privat Land", "Home country")),
    FieldInfo(
        "email",
        "E-Mail",
        (
            "E-Mail",
            "Mail",
            "E-Mail-Adresse",
            "Mailadresse",
            "Mail-Adresse",
            "Email address",
            "Elektronische Post",
        ),
    ),
    FieldInfo(
        "phone",
        "Telefon",
        (
            "Telefon",
            "Tel.",
            "Telefonnummer",
            "Tel.-Nr.",
            "Telefon-Nr.",
            "Rufnummer",
            "Fon",
            "Festnetz",
            "Phone",
            "Telephone",
        ),
    ),
    FieldInfo(
        "private_phone",
        "Telefon privat (wenn kein anderes Telefon)",
        ("Telefon privat", "Tel. privat", "Telefon (privat)", "Privattelefon", "Home phone"),
    ),
    FieldInfo(
        "phone_other",
        "Weitere Telefonnummer (in die Notizen)",
        ("Weitere Telefonnummer", "Weiteres Telefon", "Telefon 2", "Other phone"),
    ),
    FieldInfo(
        "email_other",
        "Weitere E-Mail (in die Notizen)",
        ("Weitere E-Mail", "Weitere E-Mail-Adresse", "E-Mail 2", "Zweite E-Mail", "Secondary email"),
    ),
    FieldInfo(
        "mobile",
        "Mobiltelefon",
        ("Mobil", "Mobiltelefon", "Handy", "Handynummer", "Mobilnummer", "Mobilfunk", "Mobil-Nr.", "Mobile"),
    ),
    FieldInfo(
        "category",
        "Kategorie",
        (
            "Kategorie",
            "Gruppe",
            "Zielgruppe",
            "Gruppierung",
            "Art der Organisation",
            "Organisationsart",
            "Organisationstyp",
            "Category",
            "Group",
        ),
    ),
    FieldInfo(
        "municipality",
        "Kommune",
        ("Kommune", "Gemeinde", "Stadt/Gemeinde", "Kreiskommune", "Kommune im Kreis", "Municipality"),
    ),
    FieldInfo(
        "website",
        "Internetseite",
        ("Internetseite", "Internet", "Internetadresse", "Homepage", "Webseite", "Website", "Web", "URL"),
    ),
    FieldInfo(
        "notes",
        "Notiz",
        (
            "Notiz",
            "Notizen",
            "Bemerkung",
            "Bemerkungen",
            "Anmerkung",
            "Anmerkungen",
            "Kommentar",
            "Kommentare",
            "Hinweis",
            "Hinweise",
            "Sonstiges",
            "Info",
            "Notes",
            "Note",
            "Comment",
            "Comments",
            "Remarks",
        ),
    ),
    FieldInfo(
        "tags", "Schlagwörter", ("Schlagwörter", "Schlagwort", "Schlagworte", "Stichworte", "Tags", "Tag")
    ),
    FieldInfo("legal_basis", "Rechtsgrundlage", ("Rechtsgrundlage", "Legal basis")),
)

FIELD_BY_NAME: dict[str, FieldInfo] = {f.name: f for f in FIELDS}
#: fields that name a record on their own: a header row must contain at least one of them
IDENTIFYING_FIELDS = frozenset(
    {"last_name", "name", "last_first", "first_last", "organisation", "display_name"}
)
#: fields of a person (a row with one of them filled is about a person)
PERSON_NAME_FIELDS = frozenset(
    {"last_name", "first_name", "name", "last_first", "first_last", "display_name"}
)
#: fields several columns may be mapped to (their values are collected)
MULTI_FIELDS = frozenset({"notes", "email_other", "phone_other"})

_NON_ALNUM = re.compile(r"[\W_]+")
_BRACKETS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
#: qualifiers after a header's core that do not change its meaning ("Telefon dienstlich", "E-Mail 1")
_QUALIFIERS = ("dienstlich", "privat", "geschaftlich", "buro", "1")


def header_key(text: str) -> str:
    """The comparison key of a header text: folded, without spaces and punctuation ("E-Mail" → "email")."""
    return _NON_ALNUM.sub("", fold(text))


_SYNONYMS: dict[str, str] = {}
for _info in FIELDS:
    for _synonym in (_info.name, _info.label, *_info.synonyms):
        _SYNONYMS.setdefault(header_key(_synonym), _info.name)
# a header of the exported registry ("Namenszusatz", "Funktion in der Organisation") must win over a
# shorter synonym, so labels are registered for their own field above; these are exact texts only


def field_for_header(text: str) -> str | None:
    """The field a header text names, or None."""
    key = header_key(text)
    if not key:
        return None
    found = _SYNONYMS.get(key)
    if found is not None:
        return found
    core = header_key(_BRACKETS.sub(" ", fold(text)))
    if core and core != key:
        found = _SYNONYMS.get(core)
        if found is not None:
            return found
    for qualifier in _QUALIFIERS:
        if core.endswith(qualifier) and len(core) > len(qualifier) + 2:
            found = _SYNONYMS.get(core[: -len(qualifier)])
            if found is not None:
                return found
    return None


@dataclass
class Column:
    """One column of the header row and the field it is mapped to (None: not imported)."""

    index: int
    header: str
    field: str | None

    @property
    def field_label(self) -> str:
        return FIELD_BY_NAME[self.field].label if self.field else "– nicht übernehmen –"


KnownHeaders = Mapping[str, str | None]


def _field(text: str, known: KnownHeaders | None) -> str | None:
    """The field of a header text: a saved mapping (profile) first, then the synonyms."""
    if known:
        key = header_key(text)
        for header, name in known.items():
            if header_key(header) == key:
                return name
    return field_for_header(text)


# --- contact exports (the column lists in konferenz.spreadsheets.contacts) ------------------------------

_EXPORTS: tuple[tuple[contacts.ContactExport, frozenset[str], dict[str, str | None]], ...] = tuple(
    (
        export,
        frozenset(header_key(h) for h in export.signature),
        {header_key(h): f for h, f in export.columns.items()},
    )
    for export in contacts.EXPORTS
)


def _export(texts: Sequence[str]) -> tuple[contacts.ContactExport, dict[str, str | None]] | None:
    keys = {header_key(t) for t in texts if t}
    for export, signature, columns in _EXPORTS:
        if signature <= keys:
            return export, columns
    return None


def recognise_export(texts: Sequence[str]) -> contacts.ContactExport | None:
    """The contact export (Outlook, Thunderbird, Google) whose header row ``texts`` are, or None."""
    found = _export(texts)
    return found[0] if found is not None else None


def _export_field(
    found: tuple[contacts.ContactExport, dict[str, str | None]], text: str
) -> tuple[bool, str | None]:
    """(known, field) of a header in a recognised export."""
    export, columns = found
    key = header_key(text)
    if key in columns:
        return True, columns[key]
    if export.numbered:
        return contacts.google_field(text)
    return False, None


def detect_columns(header: Sequence[CellValue], known: KnownHeaders | None = None) -> list[Column]:
    """Columns of a header row with the fields their texts name (see module docstring); ``known`` are
    header texts with their fields from a saved mapping."""
    columns: list[Column] = []
    taken: set[str] = set()
    texts = [collapse_spaces(v) if isinstance(v, str) else "" for v in header]
    export = _export(texts)
    for index, value in enumerate(header):
        text = texts[index]
        name: str | None = None
        if text:
            in_export, name = _export_field(export, text) if export is not None else (False, None)
            if not in_export or (known and any(header_key(h) == header_key(text) for h in known)):
                name = _field(text, known)
        if name is not None and name in taken and name not in MULTI_FIELDS:
            name = None
        if name is not None:
            taken.add(name)
        columns.append(Column(index, text if text else cell_text(value), name))
    return resolve_name_columns(columns)


def resolve_name_columns(columns: list[Column]) -> list[Column]:
    """ "Name" next to a first-name column is the last name."""
    fields = {c.field for c in columns}
    if "name" in fields and "first_name" in fields and "last_name" not in fields:
        for c in columns:
            if c.field == "name":
                c.field = "last_name"
    return columns


def _header_score(values: Sequence[CellValue], known: KnownHeaders | None = None) -> int:
    fields = {_field(v, known) for v in values if isinstance(v, str) and v.strip()}
    fields.discard(None)
    if not fields & IDENTIFYING_FIELDS and not fields & {"email", "id"}:
        return 0
    if len(fields) < 2 and not fields & IDENTIFYING_FIELDS:
        return 0
    return len(fields)


def find_header_row(rows: Sequence[Sequence[CellValue]], known: KnownHeaders | None = None) -> int | None:
    """Index (0-based) of the header row among ``rows`` (the top of a sheet), or None."""
    best, best_score = None, 0
    for i, values in enumerate(rows[:HEADER_SEARCH_ROWS]):
        score = _header_score(values, known)
        if score > best_score:
            best, best_score = i, score
    return best


def apply_mapping(
    columns: list[Column], mapping: Sequence[str | None] | dict[str, str | None]
) -> list[Column]:
    """Columns with the fields of ``mapping``: a list (per column) or header text → field (a profile).

    Unknown field names raise ``UserError``; header texts that the file does not have are ignored.
    """
    out = [Column(c.index, c.header, c.field) for c in columns]
    if isinstance(mapping, dict):
        by_key = {header_key(h): f for h, f in mapping.items()}
        for c in out:
            key = header_key(c.header)
            if key in by_key:
                c.field = by_key[key]
    else:
        for c, f in zip(out, mapping, strict=False):
            c.field = f
    for c in out:
        if c.field is not None and c.field not in FIELD_BY_NAME:
            raise UserError(f"Unbekanntes Feld „{c.field}“ für die Spalte „{c.header}“.")
    seen: set[str] = set()
    for c in out:
        if c.field is None:
            continue
        if c.field in seen and c.field not in MULTI_FIELDS:
            raise UserError(
                f"Das Feld „{FIELD_BY_NAME[c.field].label}“ ist mehreren Spalten zugeordnet (zuletzt „{c.header}“)."
            )
        seen.add(c.field)
    return out


def field_choices() -> list[tuple[str | None, str]]:
    """(field, German label) for a mapping editor; None means "not imported"."""
    return [(None, "– nicht übernehmen –"), *((f.name, f.label) for f in FIELDS)]


def known_field(name: str) -> bool:
    return name in FIELD_BY_NAME


# --- what was used and what was ignored (the import's summary) -------------------------------------------


def column_usage(columns: Sequence[Column], rows: Sequence[Sequence[CellValue]]) -> list[str]:
    """German lines for the summary: the export recognised, which columns were used for which field, and
    which were ignored (those holding values by name, the empty ones counted)."""
    lines: list[str] = []
    export = recognise_export([c.header for c in columns])
    if export is not None:
        lines.append(f"Erkannt: {export.name}.")
    used = [c for c in columns if c.field]
    if used:
        lines.append(
            "Übernommen: " + "; ".join(f"„{c.header or c.index + 1}“ → {c.field_label}" for c in used) + "."
        )
    ignored = [c for c in columns if not c.field]
    if export is not None:
        routing = [c for c in ignored if contacts.is_type_column(c.header)]
        if routing:
            lines.append(
                "Zur Zuordnung genutzt (Art der Nummer oder Anschrift): "
                + ", ".join(f"„{c.header}“" for c in routing)
                + "."
            )
            ignored = [c for c in ignored if c not in routing]
    with_values = []
    for c in ignored:
        for values in rows:
            if c.index < len(values) and cell_text(values[c.index]):
                with_values.append(c)
                break
    if with_values:
        lines.append(
            "Nicht übernommen (mit Werten): "
            + ", ".join(f"„{c.header or f'Spalte {c.index + 1}'}“" for c in with_values)
            + "."
        )
    empty = len(ignored) - len(with_values)
    if empty:
        lines.append(f"Nicht übernommen (leer): {empty} Spalte{'n' if empty != 1 else ''}.")
    return lines
