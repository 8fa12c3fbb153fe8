"""What the registry's records are and what makes them valid: the data classes of persons and organisations,
normalising (trimmed text, the PLZ, one primary role), the field checks with their German messages (e-mail
and PLZ rules, column limits) and the check that referenced categories, municipalities and organisations
exist.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from konferenz.enums import Gender, LegalBasis
from konferenz.errors import ConflictError, UserError
from konferenz.storage import snapshot
from konferenz.storage.models import Category, Municipality, Organisation
from konferenz.storage.recording import FIELD_LABELS, person_display_name
from konferenz.text import collapse_spaces, fold


@dataclass
class RoleData:
    """A person's role in an organisation."""

    organisation_id: int
    function: str = ""
    department: str = ""
    is_primary: bool = False
    #: filled by ``get_person`` for display; ignored when saving
    organisation_name: str = field(default="", compare=False)


@dataclass
class PersonData:
    """Every field of a person the user edits."""

    last_name: str = ""
    first_name: str = ""
    gender: Gender = Gender.UNKNOWN
    title: str = ""
    name_prefix: str = ""
    custom_salutation: str = ""
    function: str = ""
    street: str = ""
    po_box: str = ""
    postal_code: str = ""
    city: str = ""
    country: str = ""
    email: str = ""
    phone: str = ""
    mobile: str = ""
    category_id: int | None = None
    #: None: derived from the postal code when it lies in the Kreis
    municipality_id: int | None = None
    notes: str = ""
    legal_basis: LegalBasis = LegalBasis.PUBLIC_TASK
    tags: list[str] = field(default_factory=list)
    roles: list[RoleData] = field(default_factory=list)
    #: consent to appear on a handed-out participant list (Art. 7 DSGVO, separate from the invitation)
    participant_list_consent: bool = False


#: the scalar fields of ``PersonData`` that are columns of ``person``
PERSON_FIELDS: tuple[str, ...] = (
    "gender",
    "title",
    "first_name",
    "name_prefix",
    "last_name",
    "custom_salutation",
    "function",
    "street",
    "po_box",
    "postal_code",
    "city",
    "country",
    "email",
    "phone",
    "mobile",
    "category_id",
    "municipality_id",
    "notes",
    "legal_basis",
)


@dataclass
class OrganisationData:
    """Every field of an organisation the user edits."""

    name: str = ""
    department: str = ""
    short_name: str = ""
    street: str = ""
    po_box: str = ""
    postal_code: str = ""
    city: str = ""
    country: str = ""
    email: str = ""
    phone: str = ""
    website: str = ""
    category_id: int | None = None
    municipality_id: int | None = None
    notes: str = ""
    tags: list[str] = field(default_factory=list)


ORGANISATION_FIELDS: tuple[str, ...] = (
    "name",
    "department",
    "short_name",
    "street",
    "po_box",
    "postal_code",
    "city",
    "country",
    "email",
    "phone",
    "website",
    "category_id",
    "municipality_id",
    "notes",
)


@dataclass
class PersonRecord:
    """A stored person: its data plus what the database keeps about it."""

    id: int
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime
    anonymised_at: dt.datetime | None
    data: PersonData

    @property
    def display_name(self) -> str:
        d = self.data
        return person_display_name(
            {"id": self.id, "title": d.title, "first_name": d.first_name, "name_prefix": d.name_prefix}
            | {"last_name": d.last_name}
        )


@dataclass
class OrganisationRecord:
    id: int
    version: int
    created_at: dt.datetime
    updated_at: dt.datetime
    data: OrganisationData
    #: persons with a role in the organisation
    person_count: int = 0


@dataclass(frozen=True)
class FieldError:
    """A validation message naming the field (``field`` is the attribute name, the message is German)."""

    field: str
    message: str


class ValidationError(UserError):
    """Invalid input; ``errors`` lists each problem with its field. Nothing was saved."""

    def __init__(self, errors: Sequence[FieldError]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(e.message for e in self.errors))


class VersionConflictError(ConflictError):
    """The record was saved elsewhere since it was loaded: ``expected_version`` ≠ ``stored_version``."""

    def __init__(self, what: str, expected_version: int, stored_version: int, current: object = None) -> None:
        super().__init__(
            f"{what} wurde inzwischen an einem anderen Arbeitsplatz geändert (gespeicherter Stand "
            f"{stored_version}, Ihr Stand {expected_version}). Es wurde nichts gespeichert; bitte neu laden "
            "und die Änderung noch einmal eintragen.",
            current,
        )
        self.expected_version = expected_version
        self.stored_version = stored_version


_EMAIL = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")


_GERMANY = frozenset({"", "d", "de", "deu", "deutschland", "germany", "brd", "bundesrepublik deutschland"})


def is_germany(country: str) -> bool:
    """True for an empty country or a spelling of Germany."""
    return fold(country).replace(".", "") in _GERMANY


def is_valid_email(email: str) -> bool:
    """The registry's e-mail rule (local@domain.tld, no spaces); the import uses it too."""
    return bool(_EMAIL.match(email))


def is_german_postal_code(code: str) -> bool:
    """Five digits: a German PLZ after ``normalise_postal_code``."""
    return code.isdigit() and len(code) == 5


def normalise_postal_code(code: str, country: str = "") -> str:
    """A German postal code without spaces, four digits left-padded ("1067" → "01067"); abroad as typed."""
    code = collapse_spaces(code)
    if is_germany(country):
        compact = code.replace(" ", "")
        if compact.isdigit() and len(compact) == 4:
            return "0" + compact
        if compact.isdigit():
            return compact
    return code


def _clean_text(name: str, value: str) -> str:
    if name in ("notes",):
        return value.strip()
    return collapse_spaces(value)


def unique_names(names: Iterable[str]) -> list[str]:
    seen: dict[str, str] = {}
    for raw in names:
        name = collapse_spaces(raw)
        if name and name.casefold() not in seen:
            seen[name.casefold()] = name
    return list(seen.values())


def normalise_person(data: PersonData) -> PersonData:
    """A copy with trimmed text, the country "Deutschland" as empty, the PLZ normalised, unique tags and
    exactly one primary role (the first, if none was marked)."""
    values: dict[str, Any] = {}
    for name in PERSON_FIELDS:
        value = getattr(data, name)
        values[name] = _clean_text(name, value) if isinstance(value, str) else value
    if is_germany(values["country"]):
        values["country"] = ""
    values["postal_code"] = normalise_postal_code(values["postal_code"], values["country"])
    roles = [
        RoleData(
            r.organisation_id,
            collapse_spaces(r.function),
            collapse_spaces(r.department),
            r.is_primary,
            r.organisation_name,
        )
        for r in data.roles
    ]
    if roles and not any(r.is_primary for r in roles):
        roles[0].is_primary = True
    return PersonData(
        **values,
        tags=unique_names(data.tags),
        roles=roles,
        participant_list_consent=data.participant_list_consent,
    )


def normalise_organisation(data: OrganisationData) -> OrganisationData:
    values: dict[str, Any] = {}
    for name in ORGANISATION_FIELDS:
        value = getattr(data, name)
        values[name] = _clean_text(name, value) if isinstance(value, str) else value
    if is_germany(values["country"]):
        values["country"] = ""
    values["postal_code"] = normalise_postal_code(values["postal_code"], values["country"])
    return OrganisationData(**values, tags=unique_names(data.tags))


@functools.cache
def column_limits(table_name: str) -> Mapping[str, int]:
    """The length of every text column with a limit of a registry table ("person", "organisation", "role")."""
    lengths = {c.name: getattr(c.type, "length", None) for c in snapshot.TABLES[table_name].columns}
    return MappingProxyType({name: n for name, n in lengths.items() if isinstance(n, int)})


@functools.cache
def _shortest_limit(table_name: str) -> int:
    """The shortest text column apart from the PLZ and the enumerations (whose values always fit)."""
    table = snapshot.TABLES[table_name]
    return min(
        (
            n
            for name, n in column_limits(table_name).items()
            if name != "postal_code" and not isinstance(table.c[name].type, sa.Enum)
        ),
        default=0,
    )


def fits_columns(table_name: str, values: Mapping[str, Any]) -> bool:
    """True when no text in ``values`` is longer than its column of ``table_name``: the length rule of
    ``validate_person`` and ``validate_organisation`` as a quick yes or no (the import asks it for every
    row, and the registry's full verdict only when the answer is no)."""
    limits = column_limits(table_name)
    shortest = _shortest_limit(table_name)
    # fast path: every text no longer than the shortest text column (the PLZ apart) fits anywhere
    if len(values.get("postal_code") or "") <= limits.get("postal_code", 0) and all(
        len(v) <= shortest for v in values.values() if type(v) is str
    ):
        return True
    return not _length_errors(table_name, values)


def _length_errors(table_name: str, values: Mapping[str, Any]) -> list[FieldError]:
    limits = column_limits(table_name)
    out = []
    for name, value in values.items():
        length = limits.get(name)
        if isinstance(value, str) and length and len(value) > length:
            out.append(
                FieldError(
                    name, f"{FIELD_LABELS.get(name, name)}: höchstens {length} Zeichen (jetzt {len(value)})."
                )
            )
    return out


def _address_errors(postal_code: str, country: str, email: str) -> list[FieldError]:
    out = []
    if email and not is_valid_email(email):
        out.append(
            FieldError(
                "email",
                f"E-Mail: „{email}“ ist keine gültige E-Mail-Adresse (Form: name@beispiel.de, ohne Leerzeichen).",
            )
        )
    if postal_code and is_germany(country) and not is_german_postal_code(postal_code):
        out.append(
            FieldError(
                "postal_code",
                f"PLZ: „{postal_code}“ ist keine deutsche Postleitzahl (fünf Ziffern). Für eine Anschrift "
                "im Ausland bitte das Land eintragen.",
            )
        )
    return out


def validate_person(data: PersonData) -> list[FieldError]:
    """Problems of ``data`` (after ``normalise_person``), each naming its field; empty when valid."""
    data = normalise_person(data)
    errors: list[FieldError] = []
    if not data.last_name:
        errors.append(FieldError("last_name", "Nachname: Bitte den Nachnamen eintragen, er ist Pflicht."))
    errors += _address_errors(data.postal_code, data.country, data.email)
    errors += _length_errors("person", {n: getattr(data, n) for n in PERSON_FIELDS})
    primaries = sum(1 for r in data.roles if r.is_primary)
    if primaries > 1:
        errors.append(
            FieldError(
                "roles", f"Rollen: Nur eine Rolle kann die Hauptrolle sein ({primaries} sind markiert)."
            )
        )
    org_ids = [r.organisation_id for r in data.roles]
    if len(set(org_ids)) != len(org_ids):
        errors.append(FieldError("roles", "Rollen: Eine Organisation ist mehrfach zugeordnet."))
    for role in data.roles:
        errors += [
            FieldError("roles", f"Rolle: {e.message}")
            for e in _length_errors("role", {"function": role.function, "department": role.department})
        ]
    errors += [
        FieldError("tags", f"Schlagwort „{t[:30]}…“: höchstens 100 Zeichen.")
        for t in data.tags
        if len(t) > 100
    ]
    return errors


def validate_organisation(data: OrganisationData) -> list[FieldError]:
    data = normalise_organisation(data)
    errors: list[FieldError] = []
    if not data.name:
        errors.append(FieldError("name", "Name: Bitte den Namen der Organisation eintragen, er ist Pflicht."))
    errors += _address_errors(data.postal_code, data.country, data.email)
    errors += _length_errors("organisation", {n: getattr(data, n) for n in ORGANISATION_FIELDS})
    return errors


def checked_person(data: PersonData) -> PersonData:
    errors = validate_person(data)
    if errors:
        raise ValidationError(errors)
    return normalise_person(data)


def checked_organisation(data: OrganisationData) -> OrganisationData:
    errors = validate_organisation(data)
    if errors:
        raise ValidationError(errors)
    return normalise_organisation(data)


def check_references(
    session: Session,
    category_id: int | None,
    municipality_id: int | None,
    organisation_ids: Sequence[int] = (),
) -> None:
    errors = []
    if category_id is not None and session.get(Category, category_id) is None:
        errors.append(FieldError("category_id", "Kategorie: Die gewählte Kategorie gibt es nicht mehr."))
    if municipality_id is not None and session.get(Municipality, municipality_id) is None:
        errors.append(FieldError("municipality_id", "Kommune: Die gewählte Kommune gibt es nicht."))
    if organisation_ids:
        found = set(session.scalars(sa.select(Organisation.id).where(Organisation.id.in_(organisation_ids))))
        missing = [i for i in organisation_ids if i not in found]
        if missing:
            errors.append(
                FieldError("roles", f"Rollen: Die Organisation Nr. {missing[0]} gibt es nicht (mehr).")
            )
    if errors:
        raise ValidationError(errors)
