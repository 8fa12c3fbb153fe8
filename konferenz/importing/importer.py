"""Importing persons and organisations from the spreadsheets staff hand over: preview, commit, undo.

The flow (the window's wizard and ``konferenz import`` use the same calls):

1. ``plan = plan_import(database, path, sheet=None, mapping=None)`` reads the file
   (``konferenz.spreadsheets.reader``), applies the row rules and checks every row against the database and the
   rows above it. The plan holds the detected sheet and header row, the column mapping (``plan.columns``,
   editable: ``remap(database, plan, mapping)`` applies a changed one without reading the file again) and
   one :class:`RowPlan` per data row with its outcome and messages. Nothing is written. ``plan.report()``
   is the report of a dry run.
2. ``report = commit_import(database, plan, choices_per_row, update, progress, cancelled)`` resolves the
   rows again inside one unit of work (the database may have changed since the preview) and writes them.
   ``cancelled()`` returning True, or any error, rolls everything back: an interrupted import changes
   nothing.
3. ``undo_import(database, batch_id)`` takes a committed import back as a whole, as long as none of its
   records was edited since.

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
  (``konferenz.registry.service.normalise_postal_code``); a German PLZ that is not five digits gives a warning,
  the field stays empty and the value is kept in the notes. Abroad (a country is given) the PLZ stays as
  written.
- E-mail: ``mailto:``, angle brackets and spaces are removed; a cell with several addresses keeps the
  first and notes the others; an invalid address gives a warning, the field stays empty and the raw value
  is kept in the notes.
- Phone numbers stay text; a phone cell Excel stored as a number lost its leading zero: it is put back.
- Category: matched by name and synonym (case and spelling ignored, "MSO" → Migrantenselbstorganisation);
  an unknown category is created and reported. A person at an organisation that already has that category
  does not get it again; otherwise the person (or a new organisation) carries it.
- Municipality: a ``Kommune`` column naming one of the municipalities wins (as in the registry),
  otherwise the PLZ decides (``municipality_for_postal_code``), otherwise, without PLZ, a city that is the
  name of a municipality.
- Organisations are matched to existing ones ignoring case, accents, punctuation and spacing
  (``duplicates.organisation_name_key``), so all persons of one
  organisation attach to one record (as their primary role). A row with an organisation but no person
  creates (or finds) the organisation. A row with neither last name nor organisation is rejected.
- What the registry's validation refuses (``konferenz.registry.service.validate_person`` /
  ``validate_organisation``: a value longer than its field, asked quickly by ``registry.fits_columns``)
  rejects the row with the registry's message.

Duplicates (the registry's rules, ``konferenz.registry.duplicates``)
-----------------------------------------------------------
A person is a duplicate when ``duplicates.compare`` calls the match certain: same e-mail ignoring case and
spaces; same folded name when both have a first name and they share the organisation or one has none; in
addition, for the import, the same name without first name at the same organisation. Weaker matches (same
name at another organisation, the same name in another script) are created with a warning naming the
candidate. An organisation is a duplicate when it has the same name (``duplicates.organisation_name_key``). Rows are
checked against the database and against the rows above them. By default a duplicate is not changed and is
reported with the id it matched; with ``update=True`` (per row: :class:`RowChoice`) its fields are filled
and updated with the row's non-empty values (notes are appended, never replaced), and the row's
organisation becomes the person's primary one.

A column mapped to ``id`` (the first column of the registry export) names the record directly: the row
updates that record with every mapped column, empty cells included (an exported file edited in Excel and
imported again updates instead of duplicating). The id names a person when the mapping has a person's name,
otherwise an organisation. A row whose id names a record that was deleted or anonymised is rejected (the
import never brings an erased person back); an id that belongs to a clearly different record (neither
e-mail, last name nor first name agree: a number from another program) is ignored with a warning.

Speed (tests/bench/bench_spreadsheets.py)
-----------------------------------------
Reading is openpyxl's read-only, values-only iteration; the row rules cache what repeats (salutations,
PLZ, categories, the name keys of name parts). The database is loaded once per resolution into dicts
(categories, municipalities, organisations, e-mail keys), and the name keys of stored persons are
computed only for last names that end in a word some row's name ends in. The cyclic garbage collector is
paused while an import runs (``_without_cyclic_gc``): the rows of the file stay alive until the end, and
collecting over them again and again cost a quarter of the time.

Writing and undo
----------------
The commit runs in one unit of work. New rows go in with Core ``executemany`` inserts and ids reserved up
front (PostgreSQL: from the sequence; SQLite: above the highest id, under the write lock the unit of work
holds). Every written person and organisation gets its ``search_text`` from the registry's functions and
its ``municipality_id`` from the rules above; created records carry ``import_batch_id``. The audit log
gets one "importiert" summary entry for the import (the audit listener does not see Core inserts, see
``konferenz.audit.trail``) and the field changes of updated records (change set ``import-<batch id>``). What
undo needs besides ``import_batch_id`` (old values, version and time of change of updated records, roles
and tags added to existing records, categories and tags created, the last audit entry of the import) is
kept as JSON with the import (``ImportBatch.undo_data``, emptied by the undo). Undo is refused when a record of
the import was edited since (its version moved on, or the audit log has a later entry for it), deleted or
merged, invited, named in the programme or a recommendation, or given further persons.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import json
import re
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal, TypeVar, cast

import sqlalchemy as sa
from sqlalchemy.orm import Session

from konferenz import paths
from konferenz.audit import trail as audit
from konferenz.enums import AuditAction, Gender, LegalBasis, parse_label
from konferenz.errors import ConflictError, UserError
from konferenz.registry import duplicates
from konferenz.registry import service as registry
from konferenz.sorting import person_sort_name
from konferenz.spreadsheets.reader import (
    PERSON_NAME_FIELDS,
    CellValue,
    Column,
    DataRow,
    Table,
    apply_mapping,
    cell_text,
    header_key,
    read_table,
    resolve_name_columns,
)
from konferenz.storage import schema
from konferenz.storage.db import Database
from konferenz.storage.models import (
    AgendaPerson,
    AuditEntry,
    Category,
    ImportBatch,
    ImportProfile,
    Invitation,
    Municipality,
    Organisation,
    Person,
    Recommendation,
    Role,
    Tag,
    organisation_tag,
    person_tag,
)
from konferenz.text import collapse_spaces, fold

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]

#: rows per Core statement when writing
_CHUNK = 2000
#: ids per ``IN (…)`` query
_IN_CHUNK = 500
#: columns kept by the program itself, not logged as changes (as ``konferenz.audit.trail.IGNORED_FIELDS``)
_BOOKKEEPING = frozenset({"search_text", "sort_name", "updated_at", "version"})
_PERSON = schema.person
_ORGANISATION = schema.organisation
_ROLE = schema.role
_CATEGORY = schema.category
_TAG = schema.tag


class Outcome(StrEnum):
    CREATED = "created"
    UPDATED = "updated"
    DUPLICATE = "duplicate"
    REJECTED = "rejected"


OUTCOME_LABELS: dict[Outcome, str] = {
    Outcome.CREATED: "angelegt",
    Outcome.UPDATED: "aktualisiert",
    Outcome.DUPLICATE: "Dublette",
    Outcome.REJECTED: "abgelehnt",
}


class RowChoice(StrEnum):
    """What to do with a row that matches an existing record (the wizard's per-row choice)."""

    SKIP = "skip"
    UPDATE = "update"
    CREATE = "create"


CHOICE_LABELS: dict[RowChoice, str] = {
    RowChoice.SKIP: "überspringen",
    RowChoice.UPDATE: "aktualisieren",
    RowChoice.CREATE: "trotzdem anlegen",
}

#: person columns the import writes (``registry.PERSON_FIELDS`` minus the references it resolves itself)
PERSON_VALUE_FIELDS: tuple[str, ...] = tuple(
    f for f in registry.PERSON_FIELDS if f not in ("category_id", "municipality_id")
)
ORGANISATION_VALUE_FIELDS: tuple[str, ...] = tuple(
    f for f in registry.ORGANISATION_FIELDS if f not in ("category_id", "municipality_id")
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
}


# --- the cyclic garbage collector ------------------------------------------------------------------------


class _GcPause:
    """How many paused calls are running, and whether the collector ran before the first."""

    lock = threading.Lock()
    depth = 0
    was_enabled = True


_F = TypeVar("_F", bound=Callable[..., Any])


def _without_cyclic_gc(function: _F) -> _F:
    """Run ``function`` with CPython's cyclic garbage collector paused.

    An import keeps every row of the file alive (tens of thousands of small dicts and lists); the collector
    would walk all of them again and again while they are built, which costs a quarter of a 10,000-row
    import (measured: tests/bench/bench_spreadsheets.py). Reference counting still frees everything as
    usual; the collector resumes when the outermost paused call returns (calls nest and may run in
    several threads: a counter under a lock decides)."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with _GcPause.lock:
            if _GcPause.depth == 0:
                _GcPause.was_enabled = gc.isenabled()
                gc.disable()
            _GcPause.depth += 1
        try:
            return function(*args, **kwargs)
        finally:
            with _GcPause.lock:
                _GcPause.depth -= 1
                if _GcPause.depth == 0 and _GcPause.was_enabled:
                    gc.enable()

    return cast(_F, wrapper)


# --- small text rules ---------------------------------------------------------------------------------------

_MALE = frozenset({"herr", "herrn", "hr", "hrn", "mr", "m", "mannlich", "male", "mann", "sir"})
_FEMALE = frozenset({"frau", "fr", "frl", "fraulein", "ms", "mrs", "miss", "w", "weiblich", "female", "f"})
_DIVERSE = frozenset({"divers", "diverse", "d", "mx", "x", "nichtbinar", "inter"})
_UNKNOWN = frozenset(
    {"", "keine angabe", "k a", "ka", "unbekannt", "ohne", "ohne angabe", "n a", "na", "none"}
)
_POLITE = frozenset(
    {"sehr", "geehrte", "geehrter", "liebe", "lieber", "an", "z", "hd", "zhd", "zu", "handen"}
)
_SALUTATION_WORD = re.compile(r"^(herrn?|hr\.?|frau|fr\.?)\s+", re.IGNORECASE)
_TITLE_TOKEN = re.compile(
    r"^(prof\.?|professor(in)?|dr\.?(-ing\.?)?|pd|apl\.|dipl\.-[\w]+\.?|mag\.|med\.|phil\.|jur\.|rer\.|nat\.|"
    r"pol\.|oec\.|theol\.|paed\.|h\.\s?c\.|habil\.|em\.|m\.\s?a\.|b\.\s?a\.|mba|llm|ll\.m\.)$",
    re.IGNORECASE,
)
#: lower-case words that belong to the last name when a full name is split
_PARTICLES = frozenset(
    {
        "von",
        "van",
        "de",
        "der",
        "den",
        "del",
        "della",
        "di",
        "da",
        "du",
        "la",
        "le",
        "zu",
        "zur",
        "vom",
        "zum",
    }
    | {"ten", "ter", "dos", "das", "do", "bin", "ibn", "al", "el", "mac", "vander"}
)
_POSTAL_CITY = re.compile(r"^(?:(?:D|DE)\s*-\s*)?(\d{4,5})\s+(\S.*)$", re.IGNORECASE)
_ADDRESS_IN_STREET = re.compile(r"^(.*\S)\s*,\s*(?:(?:D|DE)\s*-\s*)?(\d{5})\s+(\S.*)$", re.IGNORECASE)
_PLZ_PREFIX = re.compile(r"^(?:D|DE)\s*-\s*(?=\d)", re.IGNORECASE)
_EMAIL_SPLIT = re.compile(r"[;,\s]+")
_ANGLE = re.compile(r"<([^<>]+@[^<>]+)>")
_MAILTO = re.compile(r"^mailto:\s*", re.IGNORECASE)
_TAG_SPLIT = re.compile(r"[;,\n]+")
#: words that mark a "name" as an organisation ("Caritasverband Bocholt e. V.")
_ORG_WORDS = frozenset(
    {"ev", "gmbh", "ggmbh", "ag", "kg", "ug", "stiftung", "verein", "verband", "moschee", "kita", "schule"}
    | {"gemeinde", "stadt", "kreis", "landkreis", "caritas", "diakonie", "awo", "drk", "jobcenter", "zentrum"}
    | {"integrationsrat", "volkshochschule", "vhs", "bildungswerk", "kirchengemeinde", "arbeitskreis", "buro"}
    | {
        "initiative",
        "netzwerk",
        "forum",
        "beratungsstelle",
        "fraktion",
        "partei",
        "rathaus",
        "amt",
        "kreistag",
    }
)
_ORG_ENDINGS = ("verein", "verband", "schule", "zentrum", "gemeinde", "stiftung", "werk", "dienst", "amt")


@functools.lru_cache(maxsize=4096)
def _is_germany(country: str) -> bool:
    return registry.is_germany(country)


@functools.lru_cache(maxsize=65536)
def _normalise_postal_code(code: str, country: str) -> str:
    return registry.normalise_postal_code(code, country)


@dataclass(frozen=True)
class Salutation:
    gender: Gender
    title: str = ""
    recognised: bool = True


@functools.lru_cache(maxsize=4096)
def parse_salutation(text: str) -> Salutation:
    """The gender (and a title written with it) of an ``Anrede`` cell."""
    text = collapse_spaces(text)
    folded = " ".join(re.findall(r"\w+", fold(text)))
    if folded in _UNKNOWN or text in ("-", "?", "/"):
        return Salutation(Gender.UNKNOWN)
    genders: list[Gender] = []
    titles: list[str] = []
    unknown_words = 0
    for raw in text.replace("/", " / ").split():
        word = " ".join(re.findall(r"\w+", fold(raw)))
        if not word:
            continue
        if _TITLE_TOKEN.match(raw) or _TITLE_TOKEN.match(raw + "."):
            titles.append(raw if raw.endswith(".") or raw.casefold() in ("pd", "mba", "llm") else raw + ".")
        elif word in _MALE:
            genders.append(Gender.MALE)
        elif word in _FEMALE:
            genders.append(Gender.FEMALE)
        elif word in _DIVERSE:
            genders.append(Gender.DIVERSE)
        elif word in _POLITE or word in ("und", "u"):
            continue
        else:
            unknown_words += 1
    title = " ".join(titles)
    if len(set(genders)) == 1 and not unknown_words:
        return Salutation(genders[0], title)
    return Salutation(Gender.UNKNOWN, title, recognised=False)


def _take_titles(words: list[str]) -> tuple[list[str], list[str]]:
    """(titles, rest): the academic titles at the start of ``words``."""
    titles: list[str] = []
    i = 0
    while i < len(words) and len(words) - i > 1 and _TITLE_TOKEN.match(words[i]):
        titles.append(words[i])
        i += 1
    return titles, words[i:]


@dataclass(frozen=True)
class NameParts:
    first_name: str = ""
    last_name: str = ""
    title: str = ""
    gender: Gender | None = None


def split_name(text: str, order: Literal["first_last", "last_first"] = "first_last") -> NameParts:
    """A whole name split into its parts.

    A comma always separates last and first name ("Müller, Anna"); otherwise ``order`` decides, and
    lower-case particles ("von", "van der", "al") stay with the last name. A salutation word in front
    ("Frau", "Herrn") gives the gender, academic titles ("Prof. Dr.") the title.
    """
    text = collapse_spaces(text)
    gender: Gender | None = None
    m = _SALUTATION_WORD.match(text)
    if m and len(text) > m.end():
        gender = parse_salutation(m.group(1)).gender
        text = text[m.end() :]
    if "," in text:
        last_part, first_part = (collapse_spaces(p) for p in text.split(",", 1))
        t1, last_words = _take_titles(last_part.split())
        t2, first_words = _take_titles(first_part.split())
        if not last_words:
            last_words, first_words = first_words, []
        return NameParts(" ".join(first_words), " ".join(last_words), " ".join(t1 + t2), gender)
    titles, words = _take_titles(text.split())
    if not words:
        return NameParts("", "", " ".join(titles), gender)
    if len(words) == 1:
        return NameParts("", words[0], " ".join(titles), gender)
    if order == "last_first":
        i = 0
        while i < len(words) - 1 and words[i] in _PARTICLES:
            i += 1
        last = words[: i + 1]
        first = words[i + 1 :]
        if not first:
            return NameParts("", " ".join(last), " ".join(titles), gender)
        return NameParts(" ".join(first), " ".join(last), " ".join(titles), gender)
    cut = len(words) - 1
    for i in range(1, len(words) - 1):
        if words[i] in _PARTICLES:
            cut = i
            break
    return NameParts(" ".join(words[:cut]), " ".join(words[cut:]), " ".join(titles), gender)


def split_postal_city(text: str) -> tuple[str, str]:
    """("46325", "Borken") from "46325 Borken" (also "D-46325 Borken"); a text without PLZ is the city."""
    text = collapse_spaces(text)
    m = _POSTAL_CITY.match(text)
    if m:
        return m.group(1), m.group(2)
    if text.isdigit():
        return text, ""
    return "", text


def looks_like_organisation(text: str) -> bool:
    """True for a "name" that is an organisation's ("Caritasverband Bocholt e. V.", "Stadt Rhede")."""
    folded = fold(text)
    if re.search(r"\be\.?\s?v\b", folded):
        return True
    words = re.findall(r"\w+", folded)
    return any(w in _ORG_WORDS or (len(w) > 8 and w.endswith(_ORG_ENDINGS)) for w in words)


@dataclass(frozen=True)
class EmailParts:
    email: str
    #: further addresses found in the cell
    others: tuple[str, ...] = ()
    #: the cell when it holds no valid address
    invalid: str = ""


def clean_email(text: str) -> EmailParts:
    """The address of an e-mail cell (see module docstring)."""
    raw = collapse_spaces(text)
    if not raw:
        return EmailParts("")
    candidate = raw
    m = _ANGLE.search(candidate)
    if m:
        candidate = m.group(1)
    candidate = _MAILTO.sub("", candidate).strip(" .;,:<>()[]\"'")
    if registry.is_valid_email(candidate):
        return EmailParts(candidate)
    compact = "".join(candidate.split())
    if registry.is_valid_email(compact):
        return EmailParts(compact)
    parts = [p.strip(" .<>()[]\"'") for p in _EMAIL_SPLIT.split(candidate)]
    parts = [_MAILTO.sub("", p) for p in parts if p]
    valid = [p for p in parts if registry.is_valid_email(p)]
    if valid:
        return EmailParts(valid[0], tuple(valid[1:]))
    return EmailParts("", invalid=raw)


def _notes_text(value: CellValue) -> str:
    """A notes cell as the registry stores notes: trimmed, line breaks kept (as ``\\n``)."""
    if isinstance(value, str):
        return value.replace("\r\n", "\n").replace("\r", "\n").strip()
    return cell_text(value)


def _join_notes(*parts: str) -> str:
    return "\n".join(p for p in parts if p)


def _append_note(existing: str, addition: str) -> str:
    """``existing`` with ``addition`` appended, unless it is already there."""
    if not addition:
        return existing
    if not existing:
        return addition
    if addition in existing:
        return existing
    return f"{existing}\n{addition}"


def _split_tags(text: str) -> list[str]:
    seen: dict[str, str] = {}
    for part in _TAG_SPLIT.split(text):
        name = collapse_spaces(part)
        if name and name.casefold() not in seen:
            seen[name.casefold()] = name
    return list(seen.values())


@functools.lru_cache(maxsize=65536)
def _cached_header_key(text: str) -> str:
    return header_key(text)


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- parsed rows --------------------------------------------------------------------------------------------


@dataclass
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
    keys: duplicates.NameKeys | None = None

    @property
    def org_name(self) -> str:
        return str(self.organisation.get("name", ""))


_NEEDS_COLLAPSE = re.compile(r"[^\S ]| {2}")


def _text_of(values: Sequence[CellValue], index: int) -> str:
    if index >= len(values):
        return ""
    value = values[index]
    if value is None:
        return ""
    if isinstance(value, str):
        # collapse_spaces, without its regex substitution for the usual clean cell
        return collapse_spaces(value) if _NEEDS_COLLAPSE.search(value) else value.strip()
    return cell_text(value)


class _RowParser:
    """Applies the row rules for one column mapping."""

    def __init__(self, columns: Sequence[Column], *, id_target: Literal["person", "organisation"]) -> None:
        self.columns = [c for c in columns if c.field]
        self.id_target = id_target
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
            (c.index, c.field) for c in self.columns if c.field is not None and c.field != "notes"
        ]
        self.notes_plan = [
            (c.index, f"{c.header}: " if c.index in self.prefixed_notes else "") for c in self.notes_columns
        ]
        self.raw_columns = [
            (c.index, c.field) for c in self.columns if c.field in ("phone", "mobile", "postal_code", "id")
        ]

    def parse(self, row: DataRow) -> ParsedRow:
        values = row.values
        width = len(values)
        get: dict[str, str] = {}
        for index, name in self.text_columns:
            # _text_of, inlined: it runs for every cell of the file
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
        messages: list[str] = []
        extra_notes: list[str] = []

        # names and salutation
        title = get.get("title", "")
        first = get.get("first_name", "")
        last = get.get("last_name", "")
        gender: Gender | None = None
        org_from_name = ""
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
            m = _POSTAL_CITY.match(postal_code)
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
            if not country and not registry.is_german_postal_code(normalised):
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
                    f"E-Mail „{_short(parts_e.invalid)}“ ist ungültig – nicht übernommen, in den Notizen vermerkt."
                )
                extra_notes.append(f"E-Mail (ungültig): {parts_e.invalid}")
            if parts_e.others:
                messages.append(f"Weitere E-Mail-Adressen in den Notizen: {', '.join(parts_e.others)}")
                extra_notes.append("Weitere E-Mail: " + ", ".join(parts_e.others))

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
        id_text = get.get("id", "")
        if id_text:
            value = raw.get("id")
            if isinstance(value, float) and value.is_integer():
                id_text = str(int(value))
            if id_text.isdigit() and 0 < int(id_text) < 2**62:
                record_id = int(id_text)
            else:
                messages.append(
                    f"ID „{_short(id_text, 20)}“ ist keine Nummer aus diesem Programm – wie eine Zeile ohne ID behandelt."
                )

        # what the row is about
        kind: Literal["person", "organisation"] | None
        rejection = ""
        if self.id_target == "organisation" and record_id is not None:
            kind = "organisation" if org_name else None
            if kind is None:
                rejection = (
                    f"Der Name der Organisation fehlt – Organisation Nr. {record_id} bleibt unverändert."
                )
        elif self.id_target == "person" and record_id is not None and not last:
            kind = None
            rejection = f"Der Nachname fehlt – Person Nr. {record_id} bleibt unverändert."
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
            messages.append(f"„{_short(org_from_name)}“ als Organisation erkannt.")
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
            values=display,
        )


# --- the database as the import sees it --------------------------------------------------------------------


@dataclass
class _OrgInfo:
    id: int
    name: str
    department: str
    short_name: str
    category_id: int | None
    has_address: bool


@dataclass(slots=True)
class _PersonKey:
    id: int
    first: str
    prefix: str
    last: str
    email: str
    anonymised: bool
    #: the duplicate keys, computed when first needed (``_Context.keys``)
    keys: duplicates.NameKeys | None = None


def _bucket(name_key: str) -> str:
    """The last word of a name key: equal name keys have equal last words (the last name's)."""
    return name_key.rsplit(" ", 1)[-1]


class _Context:
    """Categories, municipalities, organisations, tags and person keys, loaded once per resolution."""

    def __init__(self, session: Session, buckets: set[str] | None = None) -> None:
        """``buckets``: the last words of the name keys of the rows (None: index every person)."""
        conn = session.connection()
        self.categories: dict[str, int] = {}
        self.category_names: dict[int, str] = {}
        categories = conn.execute(
            sa.select(Category.id, Category.name, Category.synonyms).order_by(
                Category.sort_order, Category.id
            )
        ).all()
        for cid, name, _synonyms in categories:
            self.category_names[cid] = name
            self.categories.setdefault(header_key(name), cid)
        for cid, _name, synonyms in categories:  # names win over synonyms
            for synonym in (synonyms or "").split(","):
                if synonym.strip():
                    self.categories.setdefault(header_key(synonym), cid)
        self.municipality_by_code: dict[str, int] = {}
        self.municipality_by_name: dict[str, int] = {}
        self.municipality_names: dict[int, str] = {}
        for mid, name, codes in conn.execute(
            sa.select(Municipality.id, Municipality.name, Municipality.postal_codes)
        ):
            self.municipality_names[mid] = name
            self.municipality_by_name[header_key(name)] = mid
            # "Gronau (Westf.)" is also found as "Gronau"
            self.municipality_by_name.setdefault(header_key(re.sub(r"\(.*?\)", "", name)), mid)
            for code in (codes or "").split(","):
                if code.strip():
                    self.municipality_by_code[code.strip()] = mid
        self.orgs: dict[str, list[_OrgInfo]] = {}
        self.org_by_id: dict[int, _OrgInfo] = {}
        o = _ORGANISATION
        for r in conn.execute(
            sa.select(
                o.c.id,
                o.c.name,
                o.c.department,
                o.c.short_name,
                o.c.category_id,
                o.c.street,
                o.c.po_box,
                o.c.city,
            ).order_by(o.c.id)
        ):
            info = _OrgInfo(
                r.id, r.name, r.department, r.short_name, r.category_id, bool(r.street or r.po_box or r.city)
            )
            self.orgs.setdefault(duplicates.organisation_name_key(r.name), []).append(info)
            self.org_by_id[r.id] = info
        self.tags: dict[str, int] = {
            name.casefold(): tid for tid, name in conn.execute(sa.select(Tag.id, Tag.name))
        }
        self.persons: dict[int, _PersonKey] = {}
        self.by_email: dict[str, list[int]] = {}
        self.by_name: dict[str, list[int]] = {}
        self.by_latin: dict[str, list[int]] = {}
        # Name keys cost a ``fold`` of the whole name; for 100,000 persons that is seconds. Only persons
        # whose last name ends in a word some row's name ends in can have the same key, so the last word
        # is computed once per distinct last name and the full keys only for those persons.
        last_words: dict[str, tuple[str, str]] = {}
        p = _PERSON
        email_key = duplicates.email_key
        for pid, first, prefix, last, email, anonymised_at in conn.execute(
            sa.select(p.c.id, p.c.first_name, p.c.name_prefix, p.c.last_name, p.c.email, p.c.anonymised_at)
        ).all():
            pk = _PersonKey(
                pid,
                first or "",
                prefix or "",
                last or "",
                email_key(email) if email else "",
                anonymised_at is not None,
            )
            self.persons[pid] = pk
            if pk.anonymised:
                continue
            if pk.email:
                self.by_email.setdefault(pk.email, []).append(pid)
            if buckets is not None:
                words = last_words.get(pk.last)
                if words is None:
                    name, latin = duplicates.name_keys("", "", pk.last)
                    words = (_bucket(name), _bucket(latin))
                    last_words[pk.last] = words
                if words[0] and words[0] not in buckets and words[1] not in buckets:
                    continue
            keys = self.keys(pk)
            if keys.name:
                self.by_name.setdefault(keys.name, []).append(pid)
            if keys.latin and keys.latin != keys.name:
                self.by_latin.setdefault(keys.latin, []).append(pid)
        self.person_orgs: dict[int, set[int]] = {}
        self.primary_org: dict[int, int] = {}
        for pid, oid, primary in conn.execute(
            sa.select(Role.person_id, Role.organisation_id, Role.is_primary)
        ).all():
            self.person_orgs.setdefault(pid, set()).add(oid)
            if primary:
                self.primary_org.setdefault(pid, oid)

    @staticmethod
    def keys(info: _PersonKey) -> duplicates.NameKeys:
        if info.keys is None:
            name, latin = duplicates.name_keys(info.first, info.prefix, info.last)
            info.keys = duplicates.NameKeys(info.email, name, latin, "", bool(info.first.strip()))
        return info.keys

    def category_id(self, text: str) -> int | None:
        return self.categories.get(_cached_header_key(text))

    def municipality_for(self, postal_code: str, country: str, named: str, city: str) -> int | None:
        if named:
            found = self.municipality_by_name.get(_cached_header_key(named))
            if found is not None:
                return found
        if country:
            return None
        if postal_code:
            return self.municipality_by_code.get(postal_code)
        if city:
            return self.municipality_by_name.get(_cached_header_key(city))
        return None

    def find_org(self, name: str, department: str = "", person_id: int | None = None) -> _OrgInfo | None:
        candidates = self.orgs.get(duplicates.organisation_name_key(name))
        if not candidates:
            return None
        if len(candidates) == 1:
            return candidates[0]
        if person_id is not None:
            mine = self.person_orgs.get(person_id, set())
            for c in candidates:
                if c.id in mine:
                    return c
        if department:
            dep = fold(department)
            for c in candidates:
                if fold(c.department) == dep:
                    return c
        plain = [c for c in candidates if not c.department]
        return (plain or candidates)[0]


# --- the plan ----------------------------------------------------------------------------------------------


@dataclass
class RowPlan:
    """One data row in the preview (and in the report after the commit)."""

    excel_row: int
    outcome: Outcome
    messages: list[str]
    #: the record the row created, updated or matched (None in a preview for records still to be created)
    id: int | None
    #: "person" or "organisation" (None for a rejected row)
    kind: str | None
    #: the choices the window offers for this row (empty: no choice)
    choices: tuple[RowChoice, ...] = ()
    #: the choice applied by default
    choice: RowChoice | None = None
    #: the excel row of an earlier row this one duplicates
    duplicate_of_row: int | None = None
    values: dict[str, str] = field(default_factory=dict)

    @property
    def outcome_label(self) -> str:
        return OUTCOME_LABELS[self.outcome]

    def as_json(self) -> dict[str, Any]:
        return {
            "excel_row": self.excel_row,
            "outcome": self.outcome.value,
            "messages": self.messages,
            "id": self.id,
        }


@dataclass
class ImportReport:
    """What an import did (or, for a preview, would do) with every row."""

    file: str
    rows: list[RowPlan]
    #: the committed import (None for a preview)
    batch_id: int | None = None
    dry_run: bool = False
    created_categories: list[str] = field(default_factory=list)
    created_organisations: int = 0
    skipped_rows: list[tuple[int, str]] = field(default_factory=list)

    def count(self, outcome: Outcome) -> int:
        return sum(1 for r in self.rows if r.outcome is outcome)

    @property
    def rows_read(self) -> int:
        return len(self.rows)

    @property
    def created(self) -> int:
        return self.count(Outcome.CREATED)

    @property
    def updated(self) -> int:
        return self.count(Outcome.UPDATED)

    @property
    def duplicate(self) -> int:
        return self.count(Outcome.DUPLICATE)

    @property
    def rejected(self) -> int:
        return self.count(Outcome.REJECTED)

    def to_json(self) -> dict[str, Any]:
        """The report format of ``konferenz import --report``."""
        return {
            "file": self.file,
            "rows_read": self.rows_read,
            "created": self.created,
            "updated": self.updated,
            "duplicate": self.duplicate,
            "rejected": self.rejected,
            "rows": [r.as_json() for r in self.rows],
        }

    def summary(self) -> str:
        """German summary lines for the command line and the wizard's last page."""
        verb = "Probelauf (nichts gespeichert)" if self.dry_run else "Import"
        lines = [
            f"{verb}: {self.file}",
            f"{self.rows_read} Zeilen gelesen: {self.created} angelegt, {self.updated} aktualisiert, "
            f"{self.duplicate} Dubletten, {self.rejected} abgelehnt.",
        ]
        if self.created_organisations:
            lines.append(f"Neue Organisationen: {self.created_organisations}")
        if self.created_categories:
            lines.append("Neue Kategorien: " + ", ".join(self.created_categories))
        if self.skipped_rows:
            lines.append(
                f"{len(self.skipped_rows)} Zeilen ohne Daten übersprungen (Zwischenüberschriften, Fußzeilen …)."
            )
        if self.batch_id is not None:
            lines.append(
                f"Importnummer {self.batch_id} (rückgängig: konferenz import --undo {self.batch_id})"
            )
        return "\n".join(lines)


@dataclass
class ImportPlan:
    """The preview of an import: the table, the column mapping and one ``RowPlan`` per data row."""

    table: Table
    columns: list[Column]
    rows: list[RowPlan]
    parsed: list[ParsedRow]
    update: bool
    #: "person" when an ID column names persons, "organisation" otherwise
    id_target: Literal["person", "organisation"]
    new_categories: list[str] = field(default_factory=list)
    new_organisations: list[str] = field(default_factory=list)

    @property
    def path(self) -> Path:
        return self.table.path

    @property
    def header_row(self) -> int:
        return self.table.header_row

    @property
    def sheet(self) -> str | None:
        return self.table.sheet

    def mapping(self) -> list[str | None]:
        return [c.field for c in self.columns]

    def mapping_by_header(self) -> dict[str, str | None]:
        """header text → field, as saved in a profile."""
        return {c.header: c.field for c in self.columns if c.header}

    def report(self, file: str | None = None) -> ImportReport:
        """The preview as a report (``--dry-run``)."""
        return ImportReport(
            file=file if file is not None else str(self.table.path),
            rows=self.rows,
            dry_run=True,
            created_categories=list(self.new_categories),
            created_organisations=len(self.new_organisations),
            skipped_rows=[(s.excel_row, s.reason) for s in self.table.skipped],
        )


def _id_target(columns: Sequence[Column]) -> Literal["person", "organisation"]:
    fields = {c.field for c in columns}
    return "person" if fields & PERSON_NAME_FIELDS else "organisation"


def _parse_rows(
    table: Table, columns: list[Column], progress: Progress | None, cancelled: Cancelled | None
) -> list[ParsedRow]:
    parser = _RowParser(columns, id_target=_id_target(columns))
    out = []
    total = len(table.rows)
    for i, row in enumerate(table.rows):
        if i % 500 == 0:
            _check_cancelled(cancelled)
            if progress is not None:
                progress(i, total)
        out.append(parser.parse(row))
    return out


def _check_cancelled(cancelled: Cancelled | None) -> None:
    if cancelled is not None and cancelled():
        raise UserError("Import abgebrochen – es wurde nichts gespeichert.")


def _category_checker(database: Database) -> Callable[[str], bool]:
    with database.read_session() as s:
        keys: set[str] = set()
        for name, synonyms in s.execute(sa.select(Category.name, Category.synonyms)):
            keys.add(header_key(name))
            keys.update(header_key(x) for x in (synonyms or "").split(",") if x.strip())
    return lambda text: header_key(text) in keys


@_without_cyclic_gc
def plan_import(
    database: Database,
    path: Path | str,
    sheet: str | None = None,
    mapping: Sequence[str | None] | Mapping[str, str | None] | None = None,
    *,
    header_row: int | None = None,
    update: bool = False,
    choices_per_row: Mapping[int, RowChoice] | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> ImportPlan:
    """Read ``path`` and preview the import (see module docstring); writes nothing.

    ``mapping`` replaces the detected column mapping: a list with one field (or None) per column, or a
    profile's header text → field. Raises ``UserError`` for a file that cannot be read as a table.
    """
    table = read_table(
        Path(path),
        sheet,
        header_row=header_row,
        progress=progress,
        cancelled=cancelled,
        category_names=_category_checker(database),
        known_headers=mapping if isinstance(mapping, Mapping) else None,
    )
    return _plan(
        database,
        table,
        mapping=mapping,
        update=update,
        choices_per_row=choices_per_row,
        progress=progress,
        cancelled=cancelled,
    )


@_without_cyclic_gc
def remap(
    database: Database,
    plan: ImportPlan,
    mapping: Sequence[str | None] | Mapping[str, str | None],
    *,
    update: bool | None = None,
    choices_per_row: Mapping[int, RowChoice] | None = None,
) -> ImportPlan:
    """The plan again with another column mapping (the file is not read again)."""
    return _plan(
        database,
        plan.table,
        mapping=mapping,
        update=plan.update if update is None else update,
        choices_per_row=choices_per_row,
        progress=None,
        cancelled=None,
    )


def _plan(
    database: Database,
    table: Table,
    *,
    mapping: Sequence[str | None] | Mapping[str, str | None] | None,
    update: bool,
    choices_per_row: Mapping[int, RowChoice] | None,
    progress: Progress | None,
    cancelled: Cancelled | None,
    preview: bool = True,
) -> ImportPlan:
    """The plan; without ``preview`` the rows are only parsed (the commit resolves them anyway)."""
    columns = [Column(c.index, c.header, c.field) for c in table.columns]
    if mapping is not None:
        columns = apply_mapping(columns, dict(mapping) if isinstance(mapping, Mapping) else list(mapping))
        if isinstance(mapping, Mapping):
            columns = resolve_name_columns(columns)
    if not any(c.field for c in columns):
        raise UserError(f"„{table.file_name}“: keine Spalte ist einem Feld zugeordnet.")
    parsed = _parse_rows(table, columns, progress, cancelled)
    if not preview:
        return ImportPlan(table, columns, [], parsed, update, _id_target(columns))
    with database.read_session() as s:
        resolution = _Resolver(
            s, parsed, update=update, choices=choices_per_row or {}, cancelled=cancelled
        ).run()
    return ImportPlan(
        table=table,
        columns=columns,
        rows=resolution.rows,
        parsed=parsed,
        update=update,
        id_target=_id_target(columns),
        new_categories=[c.name for c in resolution.new_categories],
        new_organisations=[o.values["name"] for o in resolution.new_orgs],
    )


# --- resolution: what each row does ---------------------------------------------------------------------------


@dataclass(eq=False)
class _NewCategory:
    name: str
    id: int | None = None


CategoryRef = int | _NewCategory | None


@dataclass(eq=False)
class _NewOrg:
    values: dict[str, Any]
    excel_row: int
    municipality_id: int | None = None
    category: CategoryRef = None
    tags: list[str] = field(default_factory=list)
    id: int | None = None


OrgRef = int | _NewOrg | None


@dataclass(eq=False)
class _NewPerson:
    values: dict[str, Any]
    excel_row: int
    org: OrgRef
    role_function: str
    role_department: str
    category: CategoryRef
    municipality_id: int | None
    tags: list[str]
    keys: duplicates.NameKeys
    orgs: set[int]
    id: int | None = None


@dataclass(eq=False)
class _Update:
    """Changes to one existing record, collected over the rows that update it, then compared with the
    stored record (``_Resolver._finish_updates``)."""

    table: Literal["person", "organisation"]
    id: int
    #: record field → value from the file
    values: dict[str, Any] = field(default_factory=dict)
    notes_add: str = ""
    #: the ``Kommune`` cell when the row gave one (None: not given)
    municipality_name: str | None = None
    category: CategoryRef = None
    set_category: bool = False
    tags: list[str] = field(default_factory=list)
    #: "", "add" (update of a duplicate) or "replace" (update by ID)
    tags_mode: str = ""
    #: True for an update by ID (the file's values as they are); False for a duplicate (a value that is
    #: the same ignoring case, accents and spelling keeps the stored spelling)
    by_id: bool = False
    #: person: the organisation that becomes the primary one
    org: OrgRef = None
    role_function: str | None = None
    role_department: str | None = None
    #: indexes into the resolution's rows
    rows: list[int] = field(default_factory=list)
    # the comparison with the stored record
    version: int = 0
    updated_at: dt.datetime | None = None
    diff: dict[str, Any] = field(default_factory=dict)
    old: dict[str, Any] = field(default_factory=dict)
    tags_after: list[str] = field(default_factory=list)
    tag_change: bool = False
    role_change: bool = False
    rejected: bool = False

    @property
    def changed(self) -> bool:
        return not self.rejected and bool(self.diff or self.tag_change or self.role_change)


@dataclass
class _Resolution:
    rows: list[RowPlan]
    new_orgs: list[_NewOrg]
    new_persons: list[_NewPerson]
    new_categories: list[_NewCategory]
    updates: list[_Update]
    #: index into ``rows`` → the new record whose id the row reports once written
    pending_ids: dict[int, _NewOrg | _NewPerson]
    context: _Context


_ALL_CHOICES = (RowChoice.SKIP, RowChoice.UPDATE, RowChoice.CREATE)
_NEW_CHOICES = (RowChoice.CREATE, RowChoice.SKIP)


class _Resolver:
    """Decides per row: create, update, duplicate or reject (shared by preview and commit)."""

    def __init__(
        self,
        session: Session,
        parsed: Sequence[ParsedRow],
        *,
        update: bool,
        choices: Mapping[int, RowChoice],
        cancelled: Cancelled | None,
        progress: Progress | None = None,
    ) -> None:
        self.session = session
        self.parsed = parsed
        self.update = update
        self.choices = choices
        self.cancelled = cancelled
        self.progress = progress
        self.ctx = _Context(session, _row_buckets(parsed))
        self.new_orgs: dict[str, _NewOrg] = {}
        self.new_orgs_list: list[_NewOrg] = []
        self.pseudo: dict[str, int] = {}
        self.new_persons: list[_NewPerson] = []
        self.pending_email: dict[str, _NewPerson] = {}
        self.pending_name: dict[str, list[_NewPerson]] = {}
        self.new_categories: dict[str, _NewCategory] = {}
        self.updates: dict[tuple[str, int], _Update] = {}
        self.rows: list[RowPlan] = []
        self.pending_ids: dict[int, _NewOrg | _NewPerson] = {}

    # -- helpers --------------------------------------------------------------------------------------------

    def _category(self, text: str, messages: list[str]) -> CategoryRef:
        if not text:
            return None
        found = self.ctx.category_id(text)
        if found is not None:
            return found
        key = _cached_header_key(text)
        if not key:
            return None
        pending = self.new_categories.get(key)
        if pending is None:
            name = collapse_spaces(text)
            if len(name) > 100:
                messages.append(
                    f"Kategorie „{_short(name)}“ ist zu lang (höchstens 100 Zeichen) – nicht übernommen."
                )
                return None
            pending = _NewCategory(name)
            self.new_categories[key] = pending
            messages.append(f"Kategorie „{name}“ neu angelegt.")
        return pending

    def _org_identity(
        self, name: str, department: str, person_id: int | None = None
    ) -> tuple[int | None, int]:
        """(existing organisation id or None, the id used to compare persons: negative for a new one)."""
        if not name:
            return None, 0
        info = self.ctx.find_org(name, department, person_id)
        if info is not None:
            return info.id, info.id
        key = duplicates.organisation_name_key(name)
        if key not in self.pseudo:
            self.pseudo[key] = -(len(self.pseudo) + 1)
        return None, self.pseudo[key]

    def _new_org(
        self, row: ParsedRow, messages: list[str], *, from_person: bool, force: bool = False
    ) -> _NewOrg | None:
        """The new organisation of a row (one per name and file, unless ``force``)."""
        key = duplicates.organisation_name_key(row.org_name)
        existing = self.new_orgs.get(key)
        if existing is not None and not force:
            return existing
        values = dict.fromkeys(ORGANISATION_VALUE_FIELDS, "")
        if from_person:
            for name in ("name", "short_name", "website", *ADDRESS_FIELDS):
                values[name] = row.organisation.get(name, "")
        else:
            values.update({k: v for k, v in row.organisation.items() if k in values})
        errors = _org_errors(values)
        if errors:
            messages.append(f"Organisation nicht angelegt: {errors}")
            return None
        org = _NewOrg(values, row.excel_row)
        org.municipality_id = self.ctx.municipality_for(
            values["postal_code"], values["country"], row.municipality, values["city"]
        )
        if existing is None:
            self.new_orgs[key] = org
        self.new_orgs_list.append(org)
        if from_person:
            messages.append(f"Organisation „{_short(row.org_name)}“ neu angelegt.")
        return org

    def _row(
        self,
        row: ParsedRow,
        outcome: Outcome,
        messages: list[str],
        record_id: int | None,
        *,
        choices: tuple[RowChoice, ...] = (),
        choice: RowChoice | None = None,
        pending: _NewOrg | _NewPerson | None = None,
        duplicate_of_row: int | None = None,
    ) -> None:
        if pending is not None:
            self.pending_ids[len(self.rows)] = pending
        self.rows.append(
            RowPlan(
                row.excel_row,
                outcome,
                messages,
                record_id,
                row.kind,
                choices,
                choice,
                duplicate_of_row,
                row.values,
            )
        )

    def _reject(self, row: ParsedRow, reason: str, messages: list[str]) -> None:
        self._row(row, Outcome.REJECTED, [reason, *messages], None)

    def _choice(self, row: ParsedRow, default: RowChoice) -> RowChoice:
        return self.choices.get(row.excel_row, default)

    # -- the run ----------------------------------------------------------------------------------------------

    def run(self) -> _Resolution:
        total = len(self.parsed)
        for i, row in enumerate(self.parsed):
            if i % 500 == 0:
                _check_cancelled(self.cancelled)
                if self.progress is not None:
                    self.progress(i, total)
            messages = list(row.messages)
            if row.kind is None:
                self._reject(row, row.rejection, messages)
            elif row.kind == "person":
                self._person_row(row, messages)
            else:
                self._organisation_row(row, messages)
        self._finish_updates()
        return _Resolution(
            self.rows,
            self.new_orgs_list,
            self.new_persons,
            list(self.new_categories.values()),
            list(self.updates.values()),
            self.pending_ids,
            self.ctx,
        )

    # -- persons ----------------------------------------------------------------------------------------------

    def _person_by_id(self, row: ParsedRow, messages: list[str]) -> int | Literal[False] | None:
        """The person the row's ID names; False when the row is rejected for it."""
        assert row.record_id is not None
        info = self.ctx.persons.get(row.record_id)
        if info is None:
            self._reject(
                row,
                f"Die Person Nr. {row.record_id} gibt es nicht (mehr) – sie wird nicht wieder angelegt.",
                messages,
            )
            return False
        if info.anonymised:
            self._reject(
                row,
                f"Die Person Nr. {row.record_id} wurde anonymisiert – die Zeile wird nicht übernommen.",
                messages,
            )
            return False
        p = row.person
        same = (
            (info.email and info.email == duplicates.email_key(p["email"]))
            or fold(info.last) == fold(p["last_name"])
            or (info.first and fold(info.first) == fold(p["first_name"]))
        )
        if same:
            return info.id
        who = " ".join(x for x in (info.first, info.last) if x)
        messages.append(
            f"ID {row.record_id} gehört zu „{_short(who)}“, nicht zu dieser Zeile – wie eine Zeile ohne ID behandelt."
        )
        return None

    def _person_row(self, row: ParsedRow, messages: list[str]) -> None:
        by_id: int | None = None
        if row.record_id is not None:
            found = self._person_by_id(row, messages)
            if found is False:
                return
            by_id = found
        org_id, org_ident = self._org_identity(row.org_name, row.role_department, by_id)
        keys = _row_keys(row)
        orgs = {org_ident} if org_ident else set()
        if by_id is not None:
            choice = self._choice(row, RowChoice.UPDATE)
            if choice is RowChoice.UPDATE:
                self._update_person(row, by_id, messages, by_id=True)
            elif choice is RowChoice.SKIP:
                self._row(
                    row,
                    Outcome.DUPLICATE,
                    [f"Person Nr. {by_id} (ID) – übersprungen.", *messages],
                    by_id,
                    choices=_ALL_CHOICES,
                    choice=choice,
                )
            else:
                self._create_person(
                    row,
                    keys,
                    orgs,
                    org_id,
                    [f"Trotz ID {by_id} neu angelegt.", *messages],
                    choices=_ALL_CHOICES,
                    choice=choice,
                )
            return
        match = self._find_person(keys, orgs, messages)
        if match is None:
            choice = self._choice(row, RowChoice.CREATE)
            if choice is RowChoice.SKIP:
                self._row(
                    row,
                    Outcome.REJECTED,
                    ["Beim Import abgewählt.", *messages],
                    None,
                    choices=_NEW_CHOICES,
                    choice=choice,
                )
                return
            self._create_person(
                row, keys, orgs, org_id, messages, choices=_NEW_CHOICES, choice=RowChoice.CREATE
            )
            return
        target, reason = match
        choice = self._choice(row, RowChoice.UPDATE if self.update else RowChoice.SKIP)
        if choice is RowChoice.CREATE:
            what = f"Nr. {target}" if isinstance(target, int) else f"Zeile {target.excel_row}"
            self._create_person(
                row,
                keys,
                orgs,
                org_id,
                [f"Trotz Dublette ({what}, {reason}) neu angelegt.", *messages],
                choices=_ALL_CHOICES,
                choice=choice,
            )
            return
        if isinstance(target, int):
            if choice is RowChoice.UPDATE:
                self._update_person(
                    row, target, [f"Dublette von Person Nr. {target} ({reason}).", *messages], by_id=False
                )
            else:
                self._row(
                    row,
                    Outcome.DUPLICATE,
                    [f"Dublette von Person Nr. {target} ({reason}) – nicht geändert.", *messages],
                    target,
                    choices=_ALL_CHOICES,
                    choice=choice,
                )
            return
        # a person an earlier row of this file creates
        self._repeats_earlier_row(
            row,
            choice,
            target,
            messages,
            fill=lambda: self._fill_pending(target, row),
            found=f"Dublette von Zeile {target.excel_row} ({reason})",
            skipped=f"Dublette von Zeile {target.excel_row} ({reason}) – nicht übernommen.",
        )

    def _repeats_earlier_row(
        self,
        row: ParsedRow,
        choice: RowChoice,
        pending: _NewOrg | _NewPerson,
        messages: list[str],
        *,
        fill: Callable[[], bool],
        found: str,
        skipped: str,
    ) -> None:
        """A row that repeats a record an earlier row of this file creates: with "aktualisieren" its values
        complete that record (``fill``), otherwise the row is left out."""
        if choice is RowChoice.UPDATE:
            changed = fill()
            text = found + (" – dort ergänzt." if changed else " – nichts zu ergänzen.")
            outcome = Outcome.UPDATED if changed else Outcome.DUPLICATE
        else:
            text, outcome = skipped, Outcome.DUPLICATE
        self._row(
            row,
            outcome,
            [text, *messages],
            None,
            choices=_ALL_CHOICES,
            choice=choice,
            pending=pending,
            duplicate_of_row=pending.excel_row,
        )

    def _find_person(
        self, keys: duplicates.NameKeys, orgs: set[int], messages: list[str]
    ) -> tuple[int | _NewPerson, str] | None:
        """The certain duplicate of a person row (database first, then earlier rows); weaker matches
        become a warning."""
        candidates: list[int] = []
        for index, key in (
            (self.ctx.by_email, keys.email),
            (self.ctx.by_name, keys.name),
            (self.ctx.by_latin, keys.latin),
        ):
            found = index.get(key) if key else None
            if found:
                candidates.extend(found)
        if keys.latin and keys.latin != keys.name:
            candidates.extend(self.ctx.by_name.get(keys.latin, ()))
        if len(candidates) > 1:
            candidates = list(dict.fromkeys(candidates))
        weak: list[str] = []
        for pid in candidates:
            info = self.ctx.persons[pid]
            m = _compare(keys, self.ctx.keys(info), orgs, self.ctx.person_orgs.get(pid, set()))
            if m is None:
                continue
            if m.certain:
                return pid, m.reason
            weak.append(f"Nr. {pid} ({m.reason})")
        pending: list[_NewPerson] = []
        if keys.email and keys.email in self.pending_email:
            pending.append(self.pending_email[keys.email])
        pending += self.pending_name.get(keys.name, [])
        if keys.latin != keys.name:
            pending += self.pending_name.get(keys.latin, [])
        for np in pending:
            m = _compare(keys, np.keys, orgs, np.orgs)
            if m is None:
                continue
            if m.certain:
                return np, m.reason
            weak.append(f"Zeile {np.excel_row} ({m.reason})")
        if weak:
            messages.append(
                "Möglicherweise dieselbe Person wie "
                + ", ".join(dict.fromkeys(weak))
                + " – trotzdem angelegt."
            )
        return None

    def _create_person(
        self,
        row: ParsedRow,
        keys: duplicates.NameKeys,
        orgs: set[int],
        org_id: int | None,
        messages: list[str],
        *,
        choices: tuple[RowChoice, ...],
        choice: RowChoice,
    ) -> None:
        if row.create_errors is None:
            errors = _person_errors(row.person)
            row.create_errors = [errors] if errors else []
        if row.create_errors:
            self._row(row, Outcome.REJECTED, [*row.create_errors, *messages], None)
            return
        org: OrgRef = org_id
        if org_id is None and row.org_name:
            org = self._new_org(row, messages, from_person=True)
        category = self._category(row.category, messages)
        org_category: CategoryRef = None
        if isinstance(org, int):
            org_category = self.ctx.org_by_id[org].category_id
        elif isinstance(org, _NewOrg):
            if org.category is None and category is not None and org.excel_row == row.excel_row:
                org.category = category
            org_category = org.category
        person_category = None if category is None or category == org_category else category
        values = dict(row.person)
        municipality = self.ctx.municipality_for(
            values["postal_code"], values["country"], row.municipality, values["city"]
        )
        np = _NewPerson(
            values,
            row.excel_row,
            org,
            row.role_function,
            row.role_department,
            person_category,
            municipality,
            list(row.tags),
            keys,
            set(orgs),
        )
        self.new_persons.append(np)
        if keys.email:
            self.pending_email.setdefault(keys.email, np)
        if keys.name:
            self.pending_name.setdefault(keys.name, []).append(np)
        if keys.latin and keys.latin != keys.name:
            self.pending_name.setdefault(keys.latin, []).append(np)
        self._row(row, Outcome.CREATED, messages, None, choices=choices, choice=choice, pending=np)

    @staticmethod
    def _fill_pending(target: _NewPerson, row: ParsedRow) -> bool:
        """Fill and update a person still to be created with a later row's values; True when it changed."""
        changed = False
        for name in PERSON_VALUE_FIELDS:
            new = row.person.get(name)
            if name == "notes":
                merged = _append_note(target.values["notes"], new or "")
                changed |= merged != target.values["notes"]
                target.values["notes"] = merged
            elif (name == "gender" and new is Gender.UNKNOWN) or (
                name == "legal_basis" and "legal_basis" not in row.provided
            ):
                continue
            elif new and new != target.values.get(name):
                target.values[name] = new
                changed = True
        known = {t.casefold() for t in target.tags}
        for tag in row.tags:
            if tag.casefold() not in known:
                target.tags.append(tag)
                known.add(tag.casefold())
                changed = True
        return changed

    def _update_of(self, table: Literal["person", "organisation"], record_id: int) -> _Update:
        upd = self.updates.get((table, record_id))
        if upd is None:
            upd = _Update(table, record_id)
            self.updates[(table, record_id)] = upd
        upd.rows.append(len(self.rows))
        return upd

    def _collect(
        self, upd: _Update, row: ParsedRow, values: Mapping[str, Any], fields: Sequence[str], *, by_id: bool
    ) -> None:
        upd.by_id = upd.by_id or by_id
        for name in fields:
            if name not in values:
                continue
            value = values[name]
            if by_id:
                if name in row.provided:
                    upd.values[name] = value
            elif name == "notes":
                upd.notes_add = _append_note(upd.notes_add, value or "")
            elif (name == "gender" and value is Gender.UNKNOWN) or (
                name == "legal_basis" and "legal_basis" not in row.provided
            ):
                continue
            elif value:
                upd.values[name] = value
        if (by_id and "municipality_id" in row.provided) or row.municipality:
            upd.municipality_name = row.municipality
        if row.category or (by_id and "category_id" in row.provided):
            upd.set_category = True
        if row.tags or (by_id and "tags" in row.provided):
            if by_id:
                upd.tags, upd.tags_mode = list(row.tags), "replace"
            else:
                upd.tags = list(dict.fromkeys([*upd.tags, *row.tags]))
                upd.tags_mode = upd.tags_mode or "add"

    def _update_person(self, row: ParsedRow, person_id: int, messages: list[str], *, by_id: bool) -> None:
        upd = self._update_of("person", person_id)
        self._collect(upd, row, row.person, PERSON_VALUE_FIELDS, by_id=by_id)
        if upd.set_category and (row.category or by_id):
            upd.category = self._category(row.category, messages)
        if row.org_name:
            org_id, _ = self._org_identity(row.org_name, row.role_department, person_id)
            upd.org = org_id if org_id is not None else self._new_org(row, messages, from_person=True)
            explicit_function = "role_function" in row.provided
            if row.role_function or (by_id and explicit_function):
                upd.role_function = row.role_function
            if row.role_department or (by_id and "department" in row.provided):
                upd.role_department = row.role_department
        self._row(row, Outcome.UPDATED, messages, person_id, choices=_ALL_CHOICES, choice=RowChoice.UPDATE)

    # -- organisations ----------------------------------------------------------------------------------------

    def _organisation_row(self, row: ParsedRow, messages: list[str]) -> None:
        by_id: int | None = None
        if row.record_id is not None:
            info = self.ctx.org_by_id.get(row.record_id)
            if info is None:
                self._reject(
                    row,
                    f"Die Organisation Nr. {row.record_id} gibt es nicht (mehr) – sie wird nicht wieder angelegt.",
                    messages,
                )
                return
            short = str(row.organisation.get("short_name", ""))
            key = duplicates.organisation_name_key
            if key(info.name) == key(row.org_name) or (
                info.short_name and fold(info.short_name) == fold(short)
            ):
                by_id = info.id
            elif "name" in row.provided and row.org_name:
                # a renamed organisation: the ID is trusted when the file is an export of this registry
                by_id = info.id
                messages.append(
                    f"Organisation Nr. {info.id} umbenannt: „{_short(info.name)}“ → „{_short(row.org_name)}“."
                )
        if by_id is not None:
            choice = self._choice(row, RowChoice.UPDATE)
            if choice is RowChoice.UPDATE:
                self._update_org(row, by_id, messages, by_id=True)
            elif choice is RowChoice.SKIP:
                self._row(
                    row,
                    Outcome.DUPLICATE,
                    [f"Organisation Nr. {by_id} (ID) – übersprungen.", *messages],
                    by_id,
                    choices=_ALL_CHOICES,
                    choice=choice,
                )
            else:
                self._create_org_row(row, [f"Trotz ID {by_id} neu angelegt.", *messages], choice, force=True)
            return
        info = self.ctx.find_org(row.org_name, str(row.organisation.get("department", "")))
        pending = self.new_orgs.get(duplicates.organisation_name_key(row.org_name))
        if info is None and pending is None:
            choice = self._choice(row, RowChoice.CREATE)
            if choice is RowChoice.SKIP:
                self._row(
                    row,
                    Outcome.REJECTED,
                    ["Beim Import abgewählt.", *messages],
                    None,
                    choices=_NEW_CHOICES,
                    choice=choice,
                )
            else:
                self._create_org_row(row, messages, RowChoice.CREATE)
            return
        choice = self._choice(row, RowChoice.UPDATE if self.update else RowChoice.SKIP)
        if choice is RowChoice.CREATE:
            self._create_org_row(
                row, ["Trotz gleichnamiger Organisation neu angelegt.", *messages], choice, force=True
            )
            return
        if info is not None:
            if choice is RowChoice.UPDATE:
                self._update_org(
                    row,
                    info.id,
                    [f"Dublette von Organisation Nr. {info.id} (gleicher Name).", *messages],
                    by_id=False,
                )
            else:
                self._row(
                    row,
                    Outcome.DUPLICATE,
                    [f"Dublette von Organisation Nr. {info.id} (gleicher Name) – nicht geändert.", *messages],
                    info.id,
                    choices=_ALL_CHOICES,
                    choice=choice,
                )
            return
        assert pending is not None
        new_org = pending
        self._repeats_earlier_row(
            row,
            choice,
            new_org,
            messages,
            fill=lambda: self._fill_pending_org(new_org, row, messages),
            found=f"Organisation aus Zeile {new_org.excel_row}",
            skipped=f"Dublette der Organisation aus Zeile {new_org.excel_row} – nicht übernommen.",
        )

    def _fill_pending_org(self, pending: _NewOrg, row: ParsedRow, messages: list[str]) -> bool:
        changed = False
        for name, value in row.organisation.items():
            if name not in pending.values:
                continue
            if name == "notes":
                merged = _append_note(pending.values["notes"], value)
                changed |= merged != pending.values["notes"]
                pending.values["notes"] = merged
            elif value and pending.values[name] != value:
                pending.values[name] = value
                changed = True
        category = self._category(row.category, messages)
        if category is not None and pending.category != category:
            pending.category = category
            changed = True
        known = {t.casefold() for t in pending.tags}
        for tag in row.tags:
            if tag.casefold() not in known:
                pending.tags.append(tag)
                known.add(tag.casefold())
                changed = True
        if changed:
            pending.municipality_id = self.ctx.municipality_for(
                pending.values["postal_code"],
                pending.values["country"],
                row.municipality,
                pending.values["city"],
            )
        return changed

    def _create_org_row(
        self, row: ParsedRow, messages: list[str], choice: RowChoice, *, force: bool = False
    ) -> None:
        org = self._new_org(row, messages, from_person=False, force=force)
        if org is None:
            self._row(row, Outcome.REJECTED, messages, None)
            return
        category = self._category(row.category, messages)
        if category is not None:
            org.category = category
        for tag in row.tags:
            if tag.casefold() not in {t.casefold() for t in org.tags}:
                org.tags.append(tag)
        choices = _ALL_CHOICES if force else _NEW_CHOICES
        self._row(row, Outcome.CREATED, messages, None, choices=choices, choice=choice, pending=org)

    def _update_org(self, row: ParsedRow, org_id: int, messages: list[str], *, by_id: bool) -> None:
        upd = self._update_of("organisation", org_id)
        self._collect(upd, row, row.organisation, ORGANISATION_VALUE_FIELDS, by_id=by_id)
        if upd.set_category and (row.category or by_id):
            upd.category = self._category(row.category, messages)
        self._row(row, Outcome.UPDATED, messages, org_id, choices=_ALL_CHOICES, choice=RowChoice.UPDATE)

    # -- updates: compare with the stored records ---------------------------------------------------------------

    def _finish_updates(self) -> None:
        """Load the records to update, keep the real changes and validate; a row that changes nothing is a
        duplicate ("keine Änderung")."""
        if not self.updates:
            return
        ups = list(self.updates.values())
        stored = {
            "person": _load_rows(self.session, _PERSON, [u.id for u in ups if u.table == "person"]),
            "organisation": _load_rows(
                self.session, _ORGANISATION, [u.id for u in ups if u.table == "organisation"]
            ),
        }
        tags = _load_tags(self.session, ups)
        roles = _load_roles(self.session, [u.id for u in ups if u.table == "person"])
        for upd in ups:
            current = stored[upd.table][upd.id]
            upd.version = current["version"]
            upd.updated_at = current["updated_at"]
            fields = PERSON_VALUE_FIELDS if upd.table == "person" else ORGANISATION_VALUE_FIELDS
            merged = {name: upd.values.get(name, current[name]) for name in fields}
            if not upd.by_id:
                for name, value in upd.values.items():
                    old = current[name]
                    if isinstance(value, str) and isinstance(old, str) and old and value != old:
                        same = (
                            duplicates.email_key(value) == duplicates.email_key(old)
                            if name == "email"
                            else fold(value) == fold(old)
                        )
                        if same:  # "ANNA@…" or "Oeztuerk" do not overwrite "anna@…" and "Öztürk"
                            merged[name] = old
            if upd.notes_add:
                merged["notes"] = _append_note(current["notes"] or "", upd.notes_add)
            if registry.is_germany(merged["country"] or ""):
                merged["country"] = ""
            address_changed = any(merged[k] != current[k] for k in ADDRESS_FIELDS)
            municipality = current["municipality_id"]
            if upd.municipality_name is not None or address_changed:
                municipality = self.ctx.municipality_for(
                    merged["postal_code"], merged["country"], upd.municipality_name or "", merged["city"]
                )
                if (
                    upd.municipality_name is None
                    and municipality is None
                    and not merged["postal_code"]
                    and not merged["country"]
                ):
                    municipality = current["municipality_id"] if merged["city"] == current["city"] else None
            diff: dict[str, Any] = {k: v for k, v in merged.items() if v != current[k]}
            if upd.table == "person" and ("last_name" in diff or "first_name" in diff):
                diff["sort_name"] = person_sort_name(merged["last_name"], merged["first_name"])
            if municipality != current["municipality_id"]:
                diff["municipality_id"] = municipality
            if upd.set_category and upd.category != current["category_id"]:
                diff["category_id"] = upd.category
            upd.diff = diff
            upd.old = {k: current[k] for k in diff}
            have = tags.get((upd.table, upd.id), [])
            if upd.tags_mode == "replace":
                upd.tags_after = list(upd.tags)
                upd.tag_change = {t.casefold() for t in upd.tags} != {t.casefold() for t in have}
            elif upd.tags_mode == "add":
                known = {t.casefold() for t in have}
                upd.tags_after = [*have, *(t for t in upd.tags if t.casefold() not in known)]
                upd.tag_change = len(upd.tags_after) != len(have)
            if upd.table == "person" and upd.org is not None:
                upd.role_change = _role_change(upd, roles.get(upd.id, []))
            errors = (_person_errors if upd.table == "person" else _org_errors)(merged)
            upd.rejected = bool(errors)
            for index in upd.rows:
                plan = self.rows[index]
                if errors:
                    plan.outcome, plan.id = Outcome.REJECTED, None
                    plan.messages = [errors, *plan.messages]
                elif not upd.changed:
                    plan.outcome = Outcome.DUPLICATE
                    plan.messages = [*plan.messages, "Keine Änderung – der Datensatz hat schon diese Werte."]
                else:
                    labels = [audit.FIELD_LABELS.get(k, k) for k in diff]
                    if upd.tag_change:
                        labels.append("Schlagwörter")
                    if upd.role_change:
                        labels.append("Organisation")
                    plan.messages = [*plan.messages, "Geändert: " + ", ".join(dict.fromkeys(labels)) + "."]


def _row_keys(row: ParsedRow) -> duplicates.NameKeys:
    if row.keys is None:
        p = row.person
        row.keys = _keys(p["first_name"], p["name_prefix"], p["last_name"], p["email"])
    return row.keys


def _row_buckets(parsed: Sequence[ParsedRow]) -> set[str]:
    """The last words of the name keys of the person rows (see ``_Context``)."""
    out: set[str] = set()
    for row in parsed:
        if row.kind == "person":
            keys = _row_keys(row)
            out.add(_bucket(keys.name))
            out.add(_bucket(keys.latin))
    return out


def _keys(first: str, prefix: str, last: str, email: str) -> duplicates.NameKeys:
    """The duplicate keys of a person (without the loose key: the import looks for certain matches)."""
    name, latin = duplicates.name_keys(first, prefix, last)
    return duplicates.NameKeys(duplicates.email_key(email), name, latin, "", bool(first.strip()))


def _compare(
    a: duplicates.NameKeys, b: duplicates.NameKeys, orgs_a: set[int], orgs_b: set[int]
) -> duplicates.Match | None:
    """``duplicates.compare``, plus the import's rule "same name and organisation" without first names."""
    m = duplicates.compare(a, b, orgs_a, orgs_b)
    if m is not None and not m.certain and a.name and a.name == b.name and orgs_a & orgs_b:
        return duplicates.Match("gleicher Name und gleiche Organisation", 1.0, True)
    return m


def _person_errors(values: Mapping[str, Any]) -> str:
    """The registry's verdict on a person's values, without the e-mail and PLZ rules (the import turns
    those into warnings before). ``registry.validate_person`` costs about 40 µs, a third of the whole
    row, so it is asked only when a value is longer than its column could hold, or a required value is
    missing; otherwise it has nothing to object to."""
    if values.get("last_name") and registry.fits_columns("person", values):
        return ""
    data = registry.PersonData(**{k: values[k] for k in PERSON_VALUE_FIELDS})
    return " ".join(
        e.message for e in registry.validate_person(data) if e.field not in ("email", "postal_code")
    )


def _org_errors(values: Mapping[str, Any]) -> str:
    if values.get("name") and registry.fits_columns("organisation", values):
        return ""
    data = registry.OrganisationData(**{k: values.get(k, "") for k in ORGANISATION_VALUE_FIELDS})
    return " ".join(
        e.message for e in registry.validate_organisation(data) if e.field not in ("email", "postal_code")
    )


@dataclass
class _RoleRow:
    id: int
    organisation_id: int
    function: str
    department: str
    is_primary: bool


def _role_change(upd: _Update, roles: list[_RoleRow]) -> bool:
    if not isinstance(upd.org, int):
        return True
    mine = next((r for r in roles if r.organisation_id == upd.org), None)
    if mine is None or not mine.is_primary:
        return True
    if upd.role_function is not None and upd.role_function != mine.function:
        return True
    return upd.role_department is not None and upd.role_department != mine.department


def _chunks(values: Sequence[Any], size: int = _IN_CHUNK) -> Iterable[Sequence[Any]]:
    for i in range(0, len(values), size):
        yield values[i : i + size]


def _load_rows(session: Session, table: sa.Table, ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    out: dict[int, dict[str, Any]] = {}
    conn = session.connection()
    for chunk in _chunks(sorted(set(ids))):
        for r in conn.execute(sa.select(table).where(table.c.id.in_(chunk))):
            out[r.id] = dict(r._mapping)
    return out


def _load_tags(session: Session, updates: Iterable[_Update]) -> dict[tuple[str, int], list[str]]:
    out: dict[tuple[str, int], list[str]] = {}
    conn = session.connection()
    ups = list(updates)
    for kind, link, col in (
        ("person", person_tag, "person_id"),
        ("organisation", organisation_tag, "organisation_id"),
    ):
        ids = sorted({u.id for u in ups if u.table == kind})
        for chunk in _chunks(ids):
            for owner, name in conn.execute(
                sa.select(link.c[col], Tag.name)
                .join(Tag, Tag.id == link.c.tag_id)
                .where(link.c[col].in_(chunk))
                .order_by(Tag.name)
            ):
                out.setdefault((kind, owner), []).append(name)
    return out


def _load_roles(session: Session, person_ids: Iterable[int]) -> dict[int, list[_RoleRow]]:
    out: dict[int, list[_RoleRow]] = {}
    conn = session.connection()
    for chunk in _chunks(sorted(set(person_ids))):
        for r in conn.execute(
            sa.select(
                Role.id, Role.person_id, Role.organisation_id, Role.function, Role.department, Role.is_primary
            )
            .where(Role.person_id.in_(chunk))
            .order_by(Role.id)
        ):
            out.setdefault(r.person_id, []).append(
                _RoleRow(r.id, r.organisation_id, r.function, r.department, r.is_primary)
            )
    return out


# --- writing -------------------------------------------------------------------------------------------------


def _template(table: sa.Table) -> dict[str, Any]:
    """A row of ``table`` with every column: scalar defaults filled in, everything else None."""
    row: dict[str, Any] = {}
    for column in table.columns:
        default = column.default
        value: Any = None
        if isinstance(default, sa.ColumnDefault) and default.is_scalar:
            value = default.arg
        row[column.key] = value
    return row


def _reserve_ids(session: Session, table: sa.Table, count: int) -> list[int]:
    """``count`` new primary keys for ``table``: from the sequence on PostgreSQL (safe against other
    writers); above the highest id on SQLite, where the unit of work holds the write lock."""
    if count <= 0:
        return []
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        rows = conn.execute(
            sa.text(
                f"SELECT nextval(pg_get_serial_sequence('{table.name}', 'id')) FROM generate_series(1, :n)"
            ),
            {"n": count},
        ).scalars()
        return sorted(int(x) for x in rows)
    start = int(conn.execute(sa.select(sa.func.max(table.c.id))).scalar() or 0) + 1
    return list(range(start, start + count))


def _json_value(value: Any) -> Any:
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


_ENUM_COLUMNS: dict[str, type[StrEnum]] = {"gender": Gender, "legal_basis": LegalBasis}


def _from_json(name: str, value: Any) -> Any:
    enum_type = _ENUM_COLUMNS.get(name)
    if enum_type is not None and isinstance(value, str):
        return enum_type(value)
    return value


def _insert(
    session: Session, table: sa.Table, rows: Sequence[dict[str, Any]], cancelled: Cancelled | None
) -> None:
    conn = session.connection()
    for chunk in _chunks(rows, _CHUNK):
        _check_cancelled(cancelled)
        conn.execute(sa.insert(table), list(chunk))


class _Writer:
    """Writes a resolution in the caller's unit of work and returns the new ``ImportBatch`` id."""

    def __init__(
        self,
        session: Session,
        res: _Resolution,
        file_name: str,
        progress: Callable[[int], None],
        cancelled: Cancelled | None,
    ) -> None:
        self.s = session
        self.res = res
        self.ctx = res.context
        self.file_name = file_name
        self.progress = progress
        self.cancelled = cancelled
        self.now = schema.now()
        self.journal: dict[str, Any] = {
            "format": 1,
            "file": file_name,
            "persons_created": len(res.new_persons),
            "organisations_created": len(res.new_orgs),
            "categories": [],
            "tags": [],
            "updates": [],
            "roles_added": [],
            "roles_changed": [],
            "tags_added": [],
            "tags_removed": [],
        }
        self.tag_ids: dict[str, int] = dict(self.ctx.tags)
        self.persons_to_refresh: set[int] = set()
        self.orgs_to_refresh: set[int] = set()

    # -- references ---------------------------------------------------------------------------------------

    def category_id(self, ref: CategoryRef) -> int | None:
        if isinstance(ref, _NewCategory):
            return ref.id
        return ref

    def org_id(self, ref: OrgRef) -> int | None:
        if isinstance(ref, _NewOrg):
            return ref.id
        return ref

    def municipality_name(self, mid: int | None) -> str | None:
        return self.ctx.municipality_names.get(mid) if mid is not None else None

    def org_names(self, ref: OrgRef) -> list[str]:
        if isinstance(ref, _NewOrg):
            return [n for n in (ref.values["name"], ref.values["short_name"]) if n]
        if isinstance(ref, int):
            info = self.ctx.org_by_id[ref]
            return [n for n in (info.name, info.short_name) if n]
        return []

    # -- the run ------------------------------------------------------------------------------------------

    def write(self) -> int:
        s = self.s
        batch = ImportBatch(
            file_name=self.file_name[:500], os_user=paths.os_user()[:100], imported_at=self.now
        )
        s.add(batch)
        s.flush()
        change_set = audit.set_change_context(s, action=AuditAction.IMPORT, change_set=f"import-{batch.id}")
        self.journal["change_set"] = change_set
        self._categories()
        self._tags()
        self._organisations(batch.id)
        self._persons(batch.id)
        self._updates()
        if self.persons_to_refresh:
            registry.refresh_person_search_text(s, self.persons_to_refresh)
        if self.orgs_to_refresh:
            registry.refresh_organisation_search_text(s, self.orgs_to_refresh)
        rows = self.res.rows
        batch.rows_read = len(rows)
        batch.created = sum(1 for r in rows if r.outcome is Outcome.CREATED)
        batch.updated = sum(1 for r in rows if r.outcome is Outcome.UPDATED)
        s.flush()
        # entries after this one on the import's records are later edits (undo_blockers)
        self.journal["audit_after"] = int(s.scalar(sa.select(sa.func.max(AuditEntry.id))) or 0)
        batch.undo_data = self.journal
        # Core inserts are not seen by the audit listener: one summary entry for the whole import
        # (konferenz.audit.trail); created records carry import_batch_id, updated ones their field changes
        audit.log_action(
            s,
            "import_batch",
            batch.id,
            AuditAction.IMPORT,
            new_value=f"{self.file_name}: {batch.rows_read} Zeilen, {batch.created} angelegt, "
            f"{batch.updated} aktualisiert ({len(self.res.new_persons)} Personen und "
            f"{len(self.res.new_orgs)} Organisationen neu)",
        )
        s.flush()
        return batch.id

    def _categories(self) -> None:
        if not self.res.new_categories:
            return
        order = int(self.s.scalar(sa.select(sa.func.max(Category.sort_order))) or 0)
        for i, cat in enumerate(self.res.new_categories, start=1):
            obj = Category(name=cat.name, synonyms="", sort_order=order + i)
            self.s.add(obj)
            self.s.flush()
            cat.id = obj.id
            self.journal["categories"].append(obj.id)

    def _tags(self) -> None:
        wanted: dict[str, str] = {}  # the first spelling of a new tag wins
        for np in self.res.new_persons:
            for t in np.tags:
                wanted.setdefault(t.casefold(), t)
        for org in self.res.new_orgs:
            for t in org.tags:
                wanted.setdefault(t.casefold(), t)
        for upd in self.res.updates:
            if upd.changed and upd.tag_change:
                for t in upd.tags_after:
                    wanted.setdefault(t.casefold(), t)
        for key, name in wanted.items():
            if key in self.tag_ids:
                continue
            tag = Tag(name=name)
            self.s.add(tag)
            self.s.flush()
            self.tag_ids[key] = tag.id
            self.journal["tags"].append(tag.id)

    def _organisations(self, batch_id: int) -> None:
        orgs = self.res.new_orgs
        if not orgs:
            return
        table = _ORGANISATION
        template = _template(table)
        ids = _reserve_ids(self.s, table, len(orgs))
        rows = []
        links = []
        for org, oid in zip(orgs, ids, strict=True):
            org.id = oid
            v = org.values
            rows.append(
                {
                    **template,
                    **v,
                    "id": oid,
                    "category_id": self.category_id(org.category),
                    "municipality_id": org.municipality_id,
                    "search_text": registry.organisation_search_text(
                        name=v["name"],
                        department=v["department"],
                        short_name=v["short_name"],
                        city=v["city"],
                        email=v["email"],
                        municipality_name=self.municipality_name(org.municipality_id),
                    ),
                    "import_batch_id": batch_id,
                    "version": 1,
                    "created_at": self.now,
                    "updated_at": self.now,
                }
            )
            links += [{"organisation_id": oid, "tag_id": self.tag_ids[t.casefold()]} for t in org.tags]
        _insert(self.s, table, rows, self.cancelled)
        _insert(self.s, organisation_tag, _unique_links(links), self.cancelled)

    def _persons(self, batch_id: int) -> None:
        persons = self.res.new_persons
        if not persons:
            return
        table = _PERSON
        template = _template(table)
        role_template = _template(_ROLE)
        ids = _reserve_ids(self.s, table, len(persons))
        done = 0
        for start in range(0, len(persons), _CHUNK):
            _check_cancelled(self.cancelled)
            rows: list[dict[str, Any]] = []
            roles: list[dict[str, Any]] = []
            links: list[dict[str, Any]] = []
            for np, pid in zip(persons[start : start + _CHUNK], ids[start : start + _CHUNK], strict=True):
                np.id = pid
                v = np.values
                org_id = self.org_id(np.org)
                rows.append(
                    {
                        **template,
                        **v,
                        "id": pid,
                        "category_id": self.category_id(np.category),
                        "municipality_id": np.municipality_id,
                        "search_text": registry.person_search_text(
                            first_name=v["first_name"],
                            name_prefix=v["name_prefix"],
                            last_name=v["last_name"],
                            title=v["title"],
                            function=v["function"],
                            email=v["email"],
                            city=v["city"],
                            organisation_names=self.org_names(np.org),
                            municipality_name=self.municipality_name(np.municipality_id),
                        ),
                        "sort_name": person_sort_name(v["last_name"], v["first_name"]),
                        "import_batch_id": batch_id,
                        "version": 1,
                        "created_at": self.now,
                        "updated_at": self.now,
                    }
                )
                if org_id is not None:
                    roles.append(
                        {
                            **role_template,
                            "person_id": pid,
                            "organisation_id": org_id,
                            "function": np.role_function,
                            "department": np.role_department,
                            "is_primary": True,
                        }
                    )
                links += [{"person_id": pid, "tag_id": self.tag_ids[t.casefold()]} for t in np.tags]
            self.s.connection().execute(sa.insert(table), rows)
            if roles:
                for role in roles:
                    role.pop("id", None)
                self.s.connection().execute(sa.insert(_ROLE), roles)
            if links:
                self.s.connection().execute(sa.insert(person_tag), _unique_links(links))
            done += len(rows)
            self.progress(done)

    def _updates(self) -> None:
        conn = self.s.connection()
        changed = [u for u in self.res.updates if u.changed]
        roles = _load_roles(self.s, [u.id for u in changed if u.table == "person" and u.role_change])
        changes: list[audit.RowChange] = []
        for upd in changed:
            _check_cancelled(self.cancelled)
            table = _PERSON if upd.table == "person" else _ORGANISATION
            values = dict(upd.diff)
            if "category_id" in values:
                values["category_id"] = self.category_id(values["category_id"])
            result = conn.execute(
                sa.update(table)
                .where(table.c.id == upd.id, table.c.version == upd.version)
                .values(**values, version=upd.version + 1, updated_at=self.now)
            )
            if result.rowcount != 1:
                raise ConflictError(
                    f"Während des Imports wurde {'die Person' if upd.table == 'person' else 'die Organisation'} "
                    f"Nr. {upd.id} an einem anderen Arbeitsplatz geändert. Es wurde nichts importiert; bitte "
                    "den Import noch einmal starten."
                )
            self.journal["updates"].append(
                {
                    "table": upd.table,
                    "id": upd.id,
                    "version": upd.version + 1,
                    "old": {k: _json_value(v) for k, v in upd.old.items()},
                    "version_before": upd.version,
                    "updated_at_before": _json_value(upd.updated_at),
                }
            )
            logged = [k for k in values if k not in _BOOKKEEPING]
            if logged:
                changes.append(
                    audit.RowChange(
                        upd.table,
                        {"id": upd.id, **{k: upd.old[k] for k in logged}},
                        {"id": upd.id, **{k: values[k] for k in logged}},
                    )
                )
            if upd.table == "person":
                self.persons_to_refresh.add(upd.id)
            else:
                self.orgs_to_refresh.add(upd.id)
                if "name" in values or "short_name" in values:
                    self.persons_to_refresh.update(
                        conn.execute(
                            sa.select(Role.person_id).where(Role.organisation_id == upd.id)
                        ).scalars()
                    )
            if upd.tag_change:
                changes += self._update_tags(upd)
            if upd.role_change:
                changes += self._update_roles(upd, roles.get(upd.id, []))
        audit.log_row_changes(self.s, changes)

    def _update_tags(self, upd: _Update) -> list[audit.RowChange]:
        conn = self.s.connection()
        link, col = (
            (person_tag, "person_id") if upd.table == "person" else (organisation_tag, "organisation_id")
        )
        have = set(conn.execute(sa.select(link.c.tag_id).where(link.c[col] == upd.id)).scalars())
        want = {self.tag_ids[t.casefold()] for t in upd.tags_after}
        out = []
        for tid in sorted(want - have):
            conn.execute(sa.insert(link).values({col: upd.id, "tag_id": tid}))
            self.journal["tags_added"].append([upd.table, upd.id, tid])
            out.append(audit.RowChange(link.name, None, {col: upd.id, "tag_id": tid}))
        for tid in sorted(have - want):
            conn.execute(sa.delete(link).where(link.c[col] == upd.id, link.c.tag_id == tid))
            self.journal["tags_removed"].append([upd.table, upd.id, tid])
            out.append(audit.RowChange(link.name, {col: upd.id, "tag_id": tid}, None))
        return out

    def _update_roles(self, upd: _Update, roles: list[_RoleRow]) -> list[audit.RowChange]:
        conn = self.s.connection()
        org_id = self.org_id(upd.org)
        assert org_id is not None
        out: list[audit.RowChange] = []
        table = _ROLE

        def as_row(r: _RoleRow) -> dict[str, Any]:
            return {
                "id": r.id,
                "person_id": upd.id,
                "organisation_id": r.organisation_id,
                "function": r.function,
                "department": r.department,
                "is_primary": r.is_primary,
            }

        def change(r: _RoleRow, **values: Any) -> None:
            before = as_row(r)
            conn.execute(sa.update(table).where(table.c.id == r.id).values(**values))
            self.journal["roles_changed"].append(
                {k: before[k] for k in ("id", "function", "department", "is_primary")}
            )
            out.append(audit.RowChange("role", before, {**before, **values}))

        mine = next((r for r in roles if r.organisation_id == org_id), None)
        for r in roles:
            if r.is_primary and r is not mine:
                change(r, is_primary=False)
        if mine is None:
            row = {
                "person_id": upd.id,
                "organisation_id": org_id,
                "function": upd.role_function or "",
                "department": upd.role_department or "",
                "is_primary": True,
            }
            conn.execute(sa.insert(table).values(**row))
            self.journal["roles_added"].append([upd.id, org_id])
            out.append(audit.RowChange("role", None, row))
            return out
        values: dict[str, Any] = {}
        if not mine.is_primary:
            values["is_primary"] = True
        if upd.role_function is not None and upd.role_function != mine.function:
            values["function"] = upd.role_function
        if upd.role_department is not None and upd.role_department != mine.department:
            values["department"] = upd.role_department
        if values:
            change(mine, **values)
        return out


def _unique_links(links: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: set[tuple[Any, ...]] = set()
    out = []
    for link in links:
        key = tuple(link.values())
        if key not in seen:
            seen.add(key)
            out.append(link)
    return out


@_without_cyclic_gc
def commit_import(  # noqa: PLR0917 (the signature agreed for the window's wizard: positional as in the issue)
    database: Database,
    plan: ImportPlan,
    choices_per_row: Mapping[int, RowChoice] | None = None,
    update: bool = False,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    *,
    file_name: str | None = None,
) -> ImportReport:
    """Write the plan's rows in one unit of work and return the report (see module docstring).

    The rows are resolved again against the database as it is now. ``choices_per_row`` (excel row →
    choice) overrides the default per row: a duplicate is skipped unless ``update``; ``progress(done,
    total)`` is called as the work proceeds; ``cancelled()`` returning True raises ``UserError`` and the
    database stays unchanged.
    """
    rows_total = max(len(plan.parsed), 1)
    total = 2 * rows_total

    def resolve_progress(done: int, _total: int) -> None:
        if progress is not None:
            progress(done, total)

    def write_progress(done: int) -> None:
        if progress is not None:
            progress(rows_total + min(done, rows_total), total)

    name = file_name if file_name is not None else str(plan.table.path)
    with database.session() as s:
        res = _Resolver(
            s,
            plan.parsed,
            update=update,
            choices=choices_per_row or {},
            cancelled=cancelled,
            progress=resolve_progress,
        ).run()
        batch_id = _Writer(s, res, name, write_progress, cancelled).write()
        _check_cancelled(cancelled)
        for index, pending in res.pending_ids.items():
            res.rows[index].id = pending.id
        for row in res.rows:
            if row.outcome is Outcome.REJECTED:
                row.id = None
    if progress is not None:
        progress(total, total)
    return ImportReport(
        file=name,
        rows=res.rows,
        batch_id=batch_id,
        created_categories=[c.name for c in res.new_categories],
        created_organisations=len(res.new_orgs),
        skipped_rows=[(r.excel_row, r.reason) for r in plan.table.skipped],
    )


@_without_cyclic_gc
def import_file(
    database: Database,
    path: Path | str,
    sheet: str | None = None,
    *,
    update: bool = False,
    dry_run: bool = False,
    mapping: Sequence[str | None] | Mapping[str, str | None] | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> ImportReport:
    """Read and import a file in one call (what ``konferenz import`` does): with ``dry_run`` the preview's
    report, otherwise the commit's (the rows are resolved once, inside the unit of work)."""
    table = read_table(
        Path(path),
        sheet,
        cancelled=cancelled,
        category_names=_category_checker(database),
        known_headers=mapping if isinstance(mapping, Mapping) else None,
    )
    plan = _plan(
        database,
        table,
        mapping=mapping,
        update=update,
        choices_per_row=None,
        progress=None,
        cancelled=cancelled,
        preview=dry_run,
    )
    if dry_run:
        return plan.report(str(path))
    return commit_import(
        database, plan, update=update, progress=progress, cancelled=cancelled, file_name=str(path)
    )


# --- undo ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportInfo:
    """One committed import, for the list from which an import is undone."""

    id: int
    file_name: str
    imported_at: dt.datetime
    os_user: str
    rows_read: int
    created: int
    updated: int
    undone_at: dt.datetime | None


def list_imports(database: Database) -> list[ImportInfo]:
    """The committed imports, newest first."""
    with database.read_session() as s:
        rows = s.execute(
            sa.select(ImportBatch).order_by(ImportBatch.imported_at.desc(), ImportBatch.id.desc())
        ).scalars()
        return [
            ImportInfo(
                b.id, b.file_name, b.imported_at, b.os_user, b.rows_read, b.created, b.updated, b.undone_at
            )
            for b in rows
        ]


@dataclass(frozen=True)
class UndoResult:
    batch_id: int
    persons_deleted: int
    organisations_deleted: int
    records_restored: int

    @property
    def text(self) -> str:
        return (
            f"Import {self.batch_id} rückgängig gemacht: {self.persons_deleted} Personen und "
            f"{self.organisations_deleted} Organisationen entfernt, {self.records_restored} Datensätze "
            "auf den Stand vor dem Import zurückgesetzt."
        )


def _journal(session: Session, batch_id: int) -> dict[str, Any]:
    batch = session.get(ImportBatch, batch_id)
    if batch is None or not isinstance(batch.undo_data, dict):
        return {}
    return batch.undo_data


def _ids_of(session: Session, model: type[Person] | type[Organisation], batch_id: int) -> dict[int, int]:
    return dict(
        session.execute(sa.select(model.id, model.version).where(model.import_batch_id == batch_id)).all()
    )


def undo_blockers(session: Session, batch_id: int) -> list[str]:
    """Why the import ``batch_id`` can no longer be undone (empty: it can)."""
    batch = session.get(ImportBatch, batch_id)
    if batch is None:
        return [f"Den Import Nr. {batch_id} gibt es nicht."]
    if batch.undone_at is not None:
        return [
            f"Der Import Nr. {batch_id} wurde am {batch.undone_at:%d.%m.%Y um %H:%M} schon rückgängig gemacht."
        ]
    journal = _journal(session, batch_id)
    if not journal:
        return [f"Zum Import Nr. {batch_id} fehlen die Angaben zum Rückgängigmachen."]
    reasons: list[str] = []
    persons = _ids_of(session, Person, batch_id)
    orgs = _ids_of(session, Organisation, batch_id)
    if len(persons) != journal.get("persons_created", 0):
        reasons.append("Personen aus dem Import wurden inzwischen gelöscht oder zusammengeführt.")
    if len(orgs) != journal.get("organisations_created", 0):
        reasons.append("Organisationen aus dem Import wurden inzwischen gelöscht.")
    edited = sum(1 for v in persons.values() if v != 1) + sum(1 for v in orgs.values() if v != 1)
    updated = {(u["table"], u["id"]): u["version"] for u in journal.get("updates", [])}
    for (table, rid), version in updated.items():
        model: type[Person] | type[Organisation] = Person if table == "person" else Organisation
        current = session.scalar(sa.select(model.version).where(model.id == rid))
        if current != version:
            edited += 1
    change_set = journal.get("change_set", "")
    touched = {("person", i) for i in persons} | {("organisation", i) for i in orgs} | set(updated)
    for kind in ("person", "organisation"):
        ids = sorted(i for t, i in touched if t == kind)
        for chunk in _chunks(ids):
            later = session.scalar(
                sa.select(sa.func.count(sa.distinct(AuditEntry.entity_id))).where(
                    AuditEntry.entity_type == kind,
                    AuditEntry.entity_id.in_(chunk),
                    AuditEntry.change_set != change_set,
                    AuditEntry.id > int(journal.get("audit_after", 0)),
                )
            )
            edited += int(later or 0)
    if edited:
        reasons.append(f"{edited} Datensätze aus dem Import wurden seitdem bearbeitet.")
    person_ids, org_ids = sorted(persons), sorted(orgs)
    invited = 0
    for chunk in _chunks(person_ids):
        invited += int(
            session.scalar(
                sa.select(sa.func.count(Invitation.id)).where(
                    sa.or_(Invitation.person_id.in_(chunk), Invitation.substitute_person_id.in_(chunk))
                )
            )
            or 0
        )
        invited += int(
            session.scalar(sa.select(sa.func.count(AgendaPerson.id)).where(AgendaPerson.person_id.in_(chunk)))
            or 0
        )
        invited += int(
            session.scalar(
                sa.select(sa.func.count(Recommendation.id)).where(
                    Recommendation.responsible_person_id.in_(chunk)
                )
            )
            or 0
        )
    outside_roles = 0
    created_persons = set(person_ids)
    added = {(p, o) for p, o in journal.get("roles_added", [])}
    for chunk in _chunks(org_ids):
        invited += int(
            session.scalar(
                sa.select(sa.func.count(Invitation.id)).where(Invitation.organisation_id.in_(chunk))
            )
            or 0
        )
        invited += int(
            session.scalar(
                sa.select(sa.func.count(Recommendation.id)).where(
                    Recommendation.responsible_organisation_id.in_(chunk)
                )
            )
            or 0
        )
        for pid, oid in session.execute(
            sa.select(Role.person_id, Role.organisation_id).where(Role.organisation_id.in_(chunk))
        ):
            if pid not in created_persons and (pid, oid) not in added:
                outside_roles += 1
    if invited:
        reasons.append(
            f"Datensätze aus dem Import werden inzwischen anderweitig verwendet ({invited}× in Einladungen, Programm oder Empfehlungen)."
        )
    if outside_roles:
        reasons.append(
            f"{outside_roles} weitere Personen wurden inzwischen Organisationen aus dem Import zugeordnet."
        )
    return reasons


@_without_cyclic_gc
def undo_import(database: Database, batch_id: int) -> UndoResult:
    """Take the import ``batch_id`` back as a whole: created records are deleted, updated ones get their
    values from before the import. Refused (``UserError`` naming the reasons) when a record of the import
    was edited or used since."""
    with database.session() as s:
        reasons = undo_blockers(s, batch_id)
        if reasons:
            raise UserError("Der Import kann nicht rückgängig gemacht werden: " + " ".join(reasons))
        batch = s.get_one(ImportBatch, batch_id)
        journal = _journal(s, batch_id)
        audit.set_change_context(s, action=AuditAction.UPDATE, change_set=f"undo-import-{batch_id}")
        conn = s.connection()
        now = schema.now()
        changes: list[audit.RowChange] = []
        refresh_persons: set[int] = set()
        refresh_orgs: set[int] = set()
        # roles and tags added to existing records, roles changed
        for pid, oid in journal.get("roles_added", []):
            conn.execute(sa.delete(Role).where(Role.person_id == pid, Role.organisation_id == oid))
            changes.append(
                audit.RowChange("role", {"person_id": pid, "organisation_id": oid, "is_primary": True}, None)
            )
            refresh_persons.add(pid)
        for old in reversed(journal.get("roles_changed", [])):
            role_id = old["id"]
            pid = conn.execute(sa.select(Role.person_id).where(Role.id == role_id)).scalar()
            if pid is None:
                continue
            conn.execute(
                sa.update(Role)
                .where(Role.id == role_id)
                .values(function=old["function"], department=old["department"], is_primary=old["is_primary"])
            )
            refresh_persons.add(pid)
        for kind, owner, tid in journal.get("tags_added", []):
            link, col = (
                (person_tag, "person_id") if kind == "person" else (organisation_tag, "organisation_id")
            )
            conn.execute(sa.delete(link).where(link.c[col] == owner, link.c.tag_id == tid))
            changes.append(audit.RowChange(link.name, {col: owner, "tag_id": tid}, None))
        for kind, owner, tid in journal.get("tags_removed", []):
            link, col = (
                (person_tag, "person_id") if kind == "person" else (organisation_tag, "organisation_id")
            )
            conn.execute(sa.insert(link).values({col: owner, "tag_id": tid}))
            changes.append(audit.RowChange(link.name, None, {col: owner, "tag_id": tid}))
        # updated records back to their old values
        restored = 0
        for upd in reversed(journal.get("updates", [])):
            table = _PERSON if upd["table"] == "person" else _ORGANISATION
            old = {k: _from_json(k, v) for k, v in upd["old"].items()}
            current = conn.execute(sa.select(table).where(table.c.id == upd["id"])).first()
            if current is None:
                continue
            conn.execute(
                sa.update(table)
                .where(table.c.id == upd["id"])
                .values(
                    **old,
                    # back to the version and time of change it had: the database as before the import
                    version=upd.get("version_before", upd["version"] + 1),
                    updated_at=dt.datetime.fromisoformat(upd["updated_at_before"])
                    if upd.get("updated_at_before")
                    else now,
                )
            )
            restored += 1
            logged = [k for k in old if k not in _BOOKKEEPING]
            if logged:
                changes.append(
                    audit.RowChange(
                        upd["table"],
                        {"id": upd["id"], **{k: current._mapping[k] for k in logged}},
                        {"id": upd["id"], **{k: old[k] for k in logged}},
                    )
                )
            (refresh_persons if upd["table"] == "person" else refresh_orgs).add(upd["id"])
        # created records go (roles, tags and consents of created persons go with them)
        persons = sorted(_ids_of(s, Person, batch_id))
        orgs = sorted(_ids_of(s, Organisation, batch_id))
        for chunk in _chunks(orgs):
            refresh_persons.update(
                conn.execute(sa.select(Role.person_id).where(Role.organisation_id.in_(chunk))).scalars()
            )
        conn.execute(sa.delete(_PERSON).where(_PERSON.c.import_batch_id == batch_id))
        conn.execute(sa.delete(_ORGANISATION).where(_ORGANISATION.c.import_batch_id == batch_id))
        refresh_persons.difference_update(persons)
        refresh_orgs.difference_update(orgs)
        for cid in journal.get("categories", []):
            used = (
                conn.execute(
                    sa.select(sa.func.count()).select_from(Person).where(Person.category_id == cid)
                ).scalar()
                or conn.execute(
                    sa.select(sa.func.count())
                    .select_from(Organisation)
                    .where(Organisation.category_id == cid)
                ).scalar()
            )
            if not used:
                conn.execute(sa.delete(_CATEGORY).where(_CATEGORY.c.id == cid))
        for tid in journal.get("tags", []):
            used = (
                conn.execute(
                    sa.select(sa.func.count()).select_from(person_tag).where(person_tag.c.tag_id == tid)
                ).scalar()
                or conn.execute(
                    sa.select(sa.func.count())
                    .select_from(organisation_tag)
                    .where(organisation_tag.c.tag_id == tid)
                ).scalar()
            )
            if not used:
                conn.execute(sa.delete(_TAG).where(_TAG.c.id == tid))
        audit.log_row_changes(s, changes)
        user, host = paths.os_user()[:100], paths.host_name()[:100]
        entries = [
            {
                "timestamp": now,
                "os_user": user,
                "host": host,
                "entity_type": kind,
                "entity_id": rid,
                "action": AuditAction.DELETE,
                "field": "",
                "old_value": f"Import {batch_id} rückgängig gemacht",
                "new_value": None,
                "change_set": audit.change_set(s),
            }
            for kind, ids in (("person", persons), ("organisation", orgs))
            for rid in ids
        ]
        for chunk in _chunks(entries, _CHUNK):
            audit.write_entries(s, list(chunk))
        if refresh_persons:
            registry.refresh_person_search_text(s, refresh_persons)
        if refresh_orgs:
            registry.refresh_organisation_search_text(s, refresh_orgs)
        batch.undone_at = now
        batch.undo_data = None
        audit.log_action(
            s,
            "import_batch",
            batch_id,
            AuditAction.DELETE,
            new_value=f"Import „{batch.file_name}“ rückgängig gemacht",
        )
        return UndoResult(batch_id, len(persons), len(orgs), restored)


# --- profiles --------------------------------------------------------------------------------------------------


def _profile_mapping(mapping: ImportPlan | Mapping[str, str | None]) -> dict[str, str | None]:
    raw = mapping.mapping_by_header() if isinstance(mapping, ImportPlan) else dict(mapping)
    from konferenz.spreadsheets.reader import known_field

    for header, name in raw.items():
        if name is not None and not known_field(name):
            raise UserError(f"Unbekanntes Feld „{name}“ für die Spalte „{header}“.")
    return raw


def save_profile(database: Database, name: str, mapping: ImportPlan | Mapping[str, str | None]) -> int:
    """Save a column mapping (header text → field) under ``name``, replacing one of the same name."""
    name = collapse_spaces(name)
    if not name:
        raise UserError("Bitte einen Namen für die Zuordnung angeben.")
    if len(name) > 200:
        raise UserError("Der Name der Zuordnung darf höchstens 200 Zeichen haben.")
    columns = _profile_mapping(mapping)
    with database.session() as s:
        profile = s.scalar(sa.select(ImportProfile).where(ImportProfile.name == name))
        if profile is None:
            profile = ImportProfile(name=name, mapping={"columns": columns})
            s.add(profile)
        else:
            profile.mapping = {"columns": columns}
        s.flush()
        return profile.id


def load_profile(database: Database, name: str) -> dict[str, str | None]:
    """The mapping saved under ``name`` (header text → field), for ``plan_import(mapping=…)``."""
    with database.read_session() as s:
        profile = s.scalar(sa.select(ImportProfile).where(ImportProfile.name == collapse_spaces(name)))
        if profile is None:
            known = (
                ", ".join(s.scalars(sa.select(ImportProfile.name).order_by(ImportProfile.name))) or "keine"
            )
            raise UserError(f"Die Zuordnung „{name}“ gibt es nicht (gespeichert: {known}).")
        columns = (profile.mapping or {}).get("columns", {})
        return {str(k): (str(v) if v is not None else None) for k, v in columns.items()}


def list_profiles(database: Database) -> list[str]:
    with database.read_session() as s:
        return sorted(s.scalars(sa.select(ImportProfile.name)), key=fold)


def delete_profile(database: Database, name: str) -> None:
    with database.session() as s:
        s.execute(sa.delete(ImportProfile).where(ImportProfile.name == collapse_spaces(name)))


def report_json(report: ImportReport) -> str:
    """The report as JSON text (UTF-8, names unescaped)."""
    return json.dumps(report.to_json(), ensure_ascii=False, indent=2)
