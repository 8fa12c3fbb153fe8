"""The invitee registry: persons and organisations, validated, searchable, audited and undoable.

Every service opens its own unit of work (``with database.session()``) and takes and returns plain
dataclasses, never ORM objects bound to a session. Every write keeps ``search_text`` current and is
written to the audit log by the listener of ``konferenz.storage.recording``.

Undo recipes for the window's QUndoStack (every state is plain data the command object keeps):

- create: ``pid = create_person(db, data)``; undo: ``snap = delete_person(db, pid)``; redo:
  ``restore_person(db, snap)`` (the same id comes back).
- edit: ``before = capture_person(db, pid, record_only=True)``, then
  ``v = update_person(db, pid, data, rec.version)``; undo: ``restore_person(db, before, expected_version=v)``;
  redo: ``update_person(db, pid, data, before_version)`` (the undo restored the old version number).
- delete: ``snap = delete_person(db, pid)``; undo: ``restore_person(db, snap)``; redo: ``delete_person(db, pid)``.
- merge (``konferenz.registry.duplicates``): ``res = merge_persons(...)``; undo: ``undo_merge(db, res)``; redo: merge again.

The same functions exist for organisations (``create_organisation`` …). A ``record_only`` snapshot holds
the record with its roles, tags and consents only, so undoing an edit never reverts invitations that
were changed in the meantime. ``restore_*`` puts rows back with their old ids and versions, so an undo
leaves the database exactly as it was (apart from the audit log, which records the undo too).

Search key (``search_text``): a person is found by first name, particle, last name, title, function,
e-mail, city, the names and short names of their organisations and their municipality; a name in another
script is found by its Latin transliteration as well ("ivanova" finds "Иванова"). An organisation is found
by name, department, short name, city, e-mail and municipality. Renaming an organisation refreshes the
keys of its persons. ``refresh_person_search_text()`` recomputes keys after bulk writes (imports).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from konferenz.enums import ConsentPurpose, Gender, InvitationStatus, LegalBasis, label
from konferenz.errors import ConflictError, UserError
from konferenz.lists.registry import RegistryFilter, SavedFilterInfo, saved_filters
from konferenz.storage import recording, snapshot
from konferenz.storage.db import Database
from konferenz.storage.models import (
    Category,
    Conference,
    ConsentRecord,
    Invitation,
    Municipality,
    Organisation,
    Person,
    Role,
    SavedFilter,
    Tag,
    organisation_tag,
    person_tag,
)
from konferenz.storage.recording import FIELD_LABELS, person_display_name
from konferenz.storage.reference import municipality_for_postal_code
from konferenz.storage.snapshot import Snapshot
from konferenz.text import collapse_spaces, fold, search_text

# --- data ---------------------------------------------------------------------------------------------


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


# --- normalising and validating ------------------------------------------------------------------------

_EMAIL = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")
_GERMANY = frozenset({"", "d", "de", "deu", "deutschland", "germany", "brd", "bundesrepublik deutschland"})
_NAME_FIELDS = frozenset(
    {
        "title",
        "first_name",
        "name_prefix",
        "last_name",
        "function",
        "name",
        "department",
        "short_name",
        "city",
    }
)


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


def _unique_names(names: Iterable[str]) -> list[str]:
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
        tags=_unique_names(data.tags),
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
    return OrganisationData(**values, tags=_unique_names(data.tags))


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


def _checked_person(data: PersonData) -> PersonData:
    errors = validate_person(data)
    if errors:
        raise ValidationError(errors)
    return normalise_person(data)


def _checked_organisation(data: OrganisationData) -> OrganisationData:
    errors = validate_organisation(data)
    if errors:
        raise ValidationError(errors)
    return normalise_organisation(data)


def _check_references(
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


# --- search keys ------------------------------------------------------------------------------------------


def person_search_text(
    *,
    first_name: str,
    name_prefix: str,
    last_name: str,
    title: str,
    function: str,
    email: str,
    city: str,
    organisation_names: Iterable[str],
    municipality_name: str | None,
) -> str:
    """The stored search key of a person (the rule of ``konferenz.demo.builder.person_search_text``), plus the
    Latin transliteration of a name written in another script."""
    from konferenz.registry.duplicates import to_latin

    text = search_text(
        first_name,
        name_prefix,
        last_name,
        title,
        function,
        email,
        city,
        *organisation_names,
        municipality_name,
    )
    name = fold(" ".join((first_name, name_prefix, last_name)))
    latin = to_latin(name)
    if latin and latin != name:
        text = f"{text} {latin}"
    return text


def organisation_search_text(
    *, name: str, department: str, short_name: str, city: str, email: str, municipality_name: str | None
) -> str:
    return search_text(name, department, short_name, city, email, municipality_name)


def _municipality_names(session: Session) -> dict[int, str]:
    return dict(session.execute(sa.select(Municipality.id, Municipality.name)).all())


def _municipality_name(session: Session, municipality_id: int | None) -> str | None:
    mun = session.get(Municipality, municipality_id) if municipality_id is not None else None
    return mun.name if mun is not None else None


def _chunks(values: Sequence[int], size: int = 500) -> Iterable[Sequence[int]]:
    for i in range(0, len(values), size):
        yield values[i : i + size]


def refresh_person_search_text(session: Session, person_ids: Iterable[int] | None = None) -> int:
    """Recompute ``search_text`` of these persons (all when None) with Core statements; returns how many
    changed. Keeps ``updated_at`` and ``version``: the key is bookkeeping, not an edit."""
    session.flush()
    conn = session.connection()
    if person_ids is None:
        ids = list(conn.execute(sa.select(Person.id)).scalars())
    else:
        ids = sorted(set(person_ids))
    munis = _municipality_names(session)
    p = snapshot.TABLES["person"]
    update = (
        sa.update(p)
        .where(p.c.id == sa.bindparam("_id"))
        .values(search_text=sa.bindparam("_st"), updated_at=p.c.updated_at)
    )
    changed = 0
    for chunk in _chunks(ids):
        orgs: dict[int, list[str]] = {}
        for pid, name, short in conn.execute(
            sa.select(Role.person_id, Organisation.name, Organisation.short_name)
            .join(Organisation, Organisation.id == Role.organisation_id)
            .where(Role.person_id.in_(chunk))
            .order_by(Role.person_id, Role.is_primary.desc(), Organisation.name, Organisation.id)
        ):
            orgs.setdefault(pid, []).extend(n for n in (name, short) if n)
        rows = conn.execute(
            sa.select(
                p.c.id,
                p.c.first_name,
                p.c.name_prefix,
                p.c.last_name,
                p.c.title,
                p.c.function,
                p.c.email,
                p.c.city,
                p.c.municipality_id,
                p.c.search_text,
            ).where(p.c.id.in_(chunk))
        ).all()
        params = []
        for r in rows:
            text = person_search_text(
                first_name=r.first_name,
                name_prefix=r.name_prefix,
                last_name=r.last_name,
                title=r.title,
                function=r.function,
                email=r.email,
                city=r.city,
                organisation_names=orgs.get(r.id, []),
                municipality_name=munis.get(r.municipality_id) if r.municipality_id else None,
            )
            if text != r.search_text:
                params.append({"_id": r.id, "_st": text})
        if params:
            conn.execute(update, params)
            changed += len(params)
    return changed


def refresh_organisation_search_text(session: Session, organisation_ids: Iterable[int] | None = None) -> int:
    """Recompute ``search_text`` of these organisations (all when None); returns how many changed."""
    session.flush()
    conn = session.connection()
    o = snapshot.TABLES["organisation"]
    stmt = sa.select(
        o.c.id,
        o.c.name,
        o.c.department,
        o.c.short_name,
        o.c.city,
        o.c.email,
        o.c.municipality_id,
        o.c.search_text,
    )
    if organisation_ids is not None:
        stmt = stmt.where(o.c.id.in_(sorted(set(organisation_ids))))
    munis = _municipality_names(session)
    params = []
    for r in conn.execute(stmt):
        text = organisation_search_text(
            name=r.name,
            department=r.department,
            short_name=r.short_name,
            city=r.city,
            email=r.email,
            municipality_name=munis.get(r.municipality_id) if r.municipality_id else None,
        )
        if text != r.search_text:
            params.append({"_id": r.id, "_st": text})
    if params:
        conn.execute(
            sa.update(o)
            .where(o.c.id == sa.bindparam("_id"))
            .values(search_text=sa.bindparam("_st"), updated_at=o.c.updated_at),
            params,
        )
    return len(params)


# --- tags ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TagInfo:
    id: int
    name: str
    persons: int
    organisations: int


def list_tags(database: Database) -> list[TagInfo]:
    """All tags with how many persons and organisations carry them, by name."""
    with database.read_session() as s:
        persons: dict[int, int] = dict(
            s.execute(sa.select(person_tag.c.tag_id, sa.func.count()).group_by(person_tag.c.tag_id)).all()
        )
        orgs: dict[int, int] = dict(
            s.execute(
                sa.select(organisation_tag.c.tag_id, sa.func.count()).group_by(organisation_tag.c.tag_id)
            ).all()
        )
        tags = s.execute(sa.select(Tag.id, Tag.name)).all()
    return sorted(
        (TagInfo(t.id, t.name, persons.get(t.id, 0), orgs.get(t.id, 0)) for t in tags),
        key=lambda t: (fold(t.name), t.id),
    )


def _tags_by_name(session: Session, names: Sequence[str]) -> list[Tag]:
    if not names:
        return []
    existing = {t.name.casefold(): t for t in session.scalars(sa.select(Tag))}
    out = []
    for name in names:
        tag = existing.get(name.casefold())
        if tag is None:
            tag = Tag(name=name)
            session.add(tag)
            existing[name.casefold()] = tag
        out.append(tag)
    return out


def touch(record: Person | Organisation) -> None:
    """Count an edit of dependents (roles, tags, consents) as a new version of the record."""
    record.updated_at = dt.datetime.now().replace(microsecond=0)
    flag_modified(record, "updated_at")


def set_tags(
    database: Database, kind: Literal["person", "organisation"], entity_id: int, names: Sequence[str]
) -> None:
    """Give a person or organisation exactly these tags (created when new, matched ignoring case)."""
    names = _unique_names(names)
    with database.session() as s:
        record: Person | Organisation | None = (
            s.get(Person, entity_id) if kind == "person" else s.get(Organisation, entity_id)
        )
        if record is None:
            raise UserError(f"Den Datensatz Nr. {entity_id} gibt es nicht (mehr).")
        tags = _tags_by_name(s, names)
        if {t.name.casefold() for t in record.tags} != {n.casefold() for n in names}:
            record.tags = tags
            touch(record)


def delete_tag(database: Database, tag_id: int) -> None:
    """Delete a tag; persons and organisations lose it."""
    with database.session() as s:
        tag = s.get(Tag, tag_id)
        if tag is None:
            return
        person_ids = list(s.scalars(sa.select(person_tag.c.person_id).where(person_tag.c.tag_id == tag_id)))
        org_ids = list(
            s.scalars(
                sa.select(organisation_tag.c.organisation_id).where(organisation_tag.c.tag_id == tag_id)
            )
        )
        recording.log_row_changes(
            s,
            [recording.RowChange("person_tag", {"person_id": p, "tag_id": tag_id}, None) for p in person_ids]
            + [
                recording.RowChange("organisation_tag", {"organisation_id": o, "tag_id": tag_id}, None)
                for o in org_ids
            ],
        )
        s.delete(tag)


# --- persons -------------------------------------------------------------------------------------------------


def _active_participant_consents(person: Person) -> list[ConsentRecord]:
    return [
        c for c in person.consents if c.purpose is ConsentPurpose.PARTICIPANT_LIST and c.withdrawn_on is None
    ]


def _person_data(session: Session, person: Person) -> PersonData:
    org_names = dict(
        session.execute(
            sa.select(Organisation.id, Organisation.name).where(
                Organisation.id.in_([r.organisation_id for r in person.roles])
            )
        ).all()
    )
    roles = sorted(
        person.roles, key=lambda r: (not r.is_primary, fold(org_names.get(r.organisation_id, "")), r.id)
    )
    return PersonData(
        **{name: getattr(person, name) for name in PERSON_FIELDS},
        tags=sorted((t.name for t in person.tags), key=fold),
        roles=[
            RoleData(
                r.organisation_id,
                r.function,
                r.department,
                r.is_primary,
                org_names.get(r.organisation_id, ""),
            )
            for r in roles
        ],
        participant_list_consent=bool(_active_participant_consents(person)),
    )


def _person_record(session: Session, person: Person) -> PersonRecord:
    return PersonRecord(
        id=person.id,
        version=person.version,
        created_at=person.created_at,
        updated_at=person.updated_at,
        anonymised_at=person.anonymised_at,
        data=_person_data(session, person),
    )


def _comparable(data: PersonData) -> PersonData:
    return dataclasses.replace(
        data,
        tags=sorted(data.tags, key=str.casefold),
        roles=sorted(data.roles, key=lambda r: r.organisation_id),
    )


def _derive_municipality(
    session: Session, postal_code: str, country: str, chosen: int | None, previous_code: str | None
) -> int | None:
    """The chosen municipality; without one (or when it was derived from the old PLZ), the PLZ's."""
    if not is_germany(country):
        return chosen
    if chosen is not None and previous_code is not None and previous_code != postal_code:
        old = municipality_for_postal_code(session, previous_code)
        if old is not None and old.id == chosen:
            chosen = None  # it followed the old PLZ: follow the new one
    if chosen is None:
        mun = municipality_for_postal_code(session, postal_code)
        return mun.id if mun is not None else None
    return chosen


def _apply_fields(
    session: Session,
    record: Person | Organisation,
    data: PersonData | OrganisationData,
    fields: Iterable[str],
) -> int | None:
    """Write the changed plain fields, the municipality (derived from the PLZ unless chosen) and the tags
    of a person or organisation (only what differs, so the audit log and the version see real changes);
    returns the municipality id."""
    previous_code = record.postal_code if record.id is not None else None
    for name in fields:
        if getattr(record, name) != getattr(data, name):
            setattr(record, name, getattr(data, name))
    municipality = _derive_municipality(
        session, data.postal_code, data.country, data.municipality_id, previous_code
    )
    if record.municipality_id != municipality:
        record.municipality_id = municipality
    if {t.name.casefold() for t in record.tags} != {n.casefold() for n in data.tags}:
        record.tags = _tags_by_name(session, data.tags)
    return municipality


def _apply_person(session: Session, person: Person, data: PersonData) -> None:
    municipality = _apply_fields(session, person, data, PERSON_FIELDS)
    # roles, matched by organisation
    by_org = {r.organisation_id: r for r in person.roles}
    wanted = {r.organisation_id for r in data.roles}
    for role in list(person.roles):
        if role.organisation_id not in wanted:
            person.roles.remove(role)
    for rd in data.roles:
        existing = by_org.get(rd.organisation_id)
        if existing is None:
            person.roles.append(
                Role(
                    organisation_id=rd.organisation_id,
                    function=rd.function,
                    department=rd.department,
                    is_primary=rd.is_primary,
                )
            )
            continue
        for name in ("function", "department", "is_primary"):
            if getattr(existing, name) != getattr(rd, name):
                setattr(existing, name, getattr(rd, name))
    # consent to the participant list
    active = _active_participant_consents(person)
    if data.participant_list_consent and not active:
        person.consents.append(
            ConsentRecord(
                purpose=ConsentPurpose.PARTICIPANT_LIST,
                given_on=dt.date.today(),
                note="im Adressbestand eingetragen",
            )
        )
    elif not data.participant_list_consent:
        for consent in active:
            consent.withdrawn_on = dt.date.today()
    # search key
    org_rows = (
        session.execute(
            sa.select(Organisation.id, Organisation.name, Organisation.short_name).where(
                Organisation.id.in_([r.organisation_id for r in data.roles])
            )
        ).all()
        if data.roles
        else []
    )
    rank = {r.organisation_id: (not r.is_primary) for r in data.roles}
    org_names: list[str] = []
    for row in sorted(org_rows, key=lambda r: (rank[r.id], r.name, r.id)):
        org_names += [n for n in (row.name, row.short_name) if n]
    mun_name = _municipality_name(session, municipality)
    text = person_search_text(
        first_name=data.first_name,
        name_prefix=data.name_prefix,
        last_name=data.last_name,
        title=data.title,
        function=data.function,
        email=data.email,
        city=data.city,
        organisation_names=org_names,
        municipality_name=mun_name,
    )
    if person.search_text != text:
        person.search_text = text


def _get_person(session: Session, person_id: int) -> Person:
    person = session.get(Person, person_id)
    if person is None:
        raise UserError(f"Die Person Nr. {person_id} gibt es nicht (mehr).")
    return person


def create_person(database: Database, data: PersonData) -> int:
    """Save a new person; returns its id. Raises ``ValidationError`` (German, per field)."""
    data = _checked_person(data)
    with database.session() as s:
        _check_references(s, data.category_id, data.municipality_id, [r.organisation_id for r in data.roles])
        person = Person(last_name=data.last_name)
        s.add(person)
        with s.no_autoflush:
            _apply_person(s, person, data)
        s.flush()
        return person.id


def update_person(database: Database, person_id: int, data: PersonData, expected_version: int | None) -> int:
    """Save changed data of a person; returns the new version.

    Raises ``VersionConflictError`` (a ``ConflictError``) when ``expected_version`` is given and the stored
    version differs (someone else saved meanwhile); ``current`` carries the stored ``PersonRecord``.
    """
    data = _checked_person(data)
    with database.session() as s:
        person = _get_person(s, person_id)
        if expected_version is not None and person.version != expected_version:
            raise VersionConflictError(
                f"Die Person „{person_display_name(person.__dict__)}“",
                expected_version,
                person.version,
                _person_record(s, person),
            )
        _check_references(s, data.category_id, data.municipality_id, [r.organisation_id for r in data.roles])
        with s.no_autoflush:
            before = _comparable(_person_data(s, person))
            _apply_person(s, person, data)
            if _comparable(_person_data(s, person)) != before:
                touch(person)
        s.flush()
        return person.version


def get_person(database: Database, person_id: int) -> PersonRecord:
    with database.read_session() as s:
        return _person_record(s, _get_person(s, person_id))


_RECORD_ONLY_PERSON = ("role", "person_tag", "consent_record")
_RECORD_ONLY_ORGANISATION = ("organisation_tag",)


def snapshot_person(session: Session, person_id: int, *, record_only: bool = False) -> Snapshot:
    """Plain copies of the person's row and everything on it (roles, tags, consents, invitations and their
    archived letters, agenda parts, references as substitute or responsible person). ``record_only``:
    the row with roles, tags and consents only (for undoing an edit)."""
    return snapshot.capture(
        session, {"person": [person_id]}, follow=_RECORD_ONLY_PERSON if record_only else None
    )


def capture_person(database: Database, person_id: int, *, record_only: bool = False) -> Snapshot:
    """``snapshot_person`` in its own read session."""
    with database.read_session() as s:
        _get_person(s, person_id)
        return snapshot_person(s, person_id, record_only=record_only)


def _clear_references(
    session: Session, refs: Iterable[snapshot.Reference], skip: set[tuple[str, Any]]
) -> None:
    """Set captured ``SET NULL`` references to NULL through Core (the row's version stays: it is the
    referenced record that changes), logging each as a change of the referring record."""
    changes = []
    conn = session.connection()
    for ref in refs:
        ident = dict(ref.key)
        if (ref.table, ident.get("id")) in skip:
            continue
        table = snapshot.TABLES[ref.table]
        values: dict[str, Any] = {ref.column: None}
        if "updated_at" in table.c:
            values["updated_at"] = table.c.updated_at
        conn.execute(sa.update(table).where(*(table.c[k] == v for k, v in ref.key)).values(values))
        changes.append(
            recording.RowChange(ref.table, {**ident, ref.column: ref.value}, {**ident, ref.column: None})
        )
    recording.log_row_changes(session, changes)


def delete_person(database: Database, person_id: int) -> Snapshot:
    """Delete a person with roles, tags, consents, invitations (and their archived letters) and agenda
    parts; invitations where the person was the substitute and recommendations naming them as responsible
    lose the reference. Returns the snapshot that ``restore_person`` puts back."""
    with database.session() as s:
        person = _get_person(s, person_id)
        snap = snapshot_person(s, person_id)
        for inv in s.scalars(sa.select(Invitation).where(Invitation.person_id == person_id)):
            s.delete(inv)
        s.flush()
        _clear_references(s, snap.refs, {("invitation", r["id"]) for r in snap.rows.get("invitation", [])})
        s.delete(person)
        return snap


def restore_person(database: Database, snap: Snapshot, *, expected_version: int | None = None) -> None:
    """Put a person back exactly as captured (undo of a delete, an edit, or redo of a create).

    With ``expected_version`` (undo of an edit) the stored version must still be the one the edit left,
    otherwise ``VersionConflictError``."""
    (person_id,) = snap.roots["person"]
    with database.session() as s:
        current = s.get(Person, person_id)
        if current is not None and expected_version is not None and current.version != expected_version:
            raise VersionConflictError(
                f"Die Person „{person_display_name(current.__dict__)}“", expected_version, current.version
            )
        s.expunge_all()
        snapshot.restore(s, snap)
        refresh_person_search_text(s, [person_id])


@dataclass(frozen=True)
class PersonImpact:
    """What deleting a person takes with it (for the confirmation question)."""

    invitations: int
    attended: int
    roles: int
    consents: int
    tags: int
    agenda_items: int
    archived_documents: int
    substitute_for: int
    recommendations: int

    @property
    def text(self) -> str:
        gone = []
        if self.invitations:
            part = f"{self.invitations} Einladung{'en' if self.invitations != 1 else ''}"
            if self.attended:
                part += f" (davon {self.attended}× teilgenommen)"
            gone.append(part)
        for n, one, many in (
            (self.roles, "Rolle", "Rollen"),
            (self.consents, "Einwilligung", "Einwilligungen"),
            (self.agenda_items, "Programmpunkt-Mitwirkung", "Programmpunkt-Mitwirkungen"),
            (self.archived_documents, "archiviertes Schreiben", "archivierte Schreiben"),
        ):
            if n:
                gone.append(f"{n} {one if n == 1 else many}")
        sentences = []
        if gone:
            sentences.append("Mit gelöscht werden: " + ", ".join(gone) + ".")
        if self.substitute_for:
            sentences.append(
                f"{self.substitute_for} Einladung{'en' if self.substitute_for != 1 else ''} "
                "verlieren die Angabe der Vertretung."
            )
        if self.recommendations:
            sentences.append(
                f"{self.recommendations} Handlungsempfehlung{'en' if self.recommendations != 1 else ''} "
                "verlieren die zuständige Person."
            )
        if self.attended:
            sentences.append(
                "Damit die Teilnahmezahlen erhalten bleiben, kann die Person stattdessen anonymisiert werden."
            )
        return " ".join(sentences) or "Es hängen keine weiteren Daten an dieser Person."


def deletion_impact(database: Database, person_id: int) -> PersonImpact:
    with database.read_session() as s:
        _get_person(s, person_id)
        snap = snapshot_person(s, person_id)
    invitations = snap.rows.get("invitation", [])
    return PersonImpact(
        invitations=len(invitations),
        attended=sum(1 for i in invitations if i["status"] == InvitationStatus.ATTENDED),
        roles=snap.count("role"),
        consents=snap.count("consent_record"),
        tags=snap.count("person_tag"),
        agenda_items=snap.count("agenda_person"),
        archived_documents=snap.count("archived_document"),
        substitute_for=sum(1 for r in snap.refs if r.table == "invitation"),
        recommendations=sum(1 for r in snap.refs if r.table == "recommendation"),
    )


@dataclass(frozen=True)
class ConferenceParticipation:
    conference_id: int
    year: int
    title: str
    status: InvitationStatus
    status_label: str


@dataclass(frozen=True)
class InvitationSummary:
    invited: int
    attended: int
    planned: int
    per_conference: list[ConferenceParticipation]

    @property
    def text(self) -> str:
        """ "5× eingeladen, 3× teilgenommen" (plus "1× vorgemerkt"), or "noch nie eingeladen"."""
        if not self.invited and not self.planned:
            return "noch nie eingeladen"
        parts = [f"{self.invited}× eingeladen", f"{self.attended}× teilgenommen"]
        if self.planned:
            parts.append(f"{self.planned}× vorgemerkt")
        return ", ".join(parts)


def invitation_summary(database: Database, person_id: int) -> InvitationSummary:
    """The person's invitations per conference (newest first) and the counts."""
    with database.read_session() as s:
        rows = s.execute(
            sa.select(Conference.id, Conference.year, Conference.title, Invitation.status)
            .join(Conference, Conference.id == Invitation.conference_id)
            .where(Invitation.person_id == person_id)
            .order_by(Conference.year.desc())
        ).all()
    per = [ConferenceParticipation(r.id, r.year, r.title, r.status, label(r.status)) for r in rows]
    return InvitationSummary(
        invited=sum(1 for p in per if p.status is not InvitationStatus.PLANNED),
        attended=sum(1 for p in per if p.status is InvitationStatus.ATTENDED),
        planned=sum(1 for p in per if p.status is InvitationStatus.PLANNED),
        per_conference=per,
    )


# --- organisations ------------------------------------------------------------------------------------------


def _get_organisation(session: Session, organisation_id: int) -> Organisation:
    org = session.get(Organisation, organisation_id)
    if org is None:
        raise UserError(f"Die Organisation Nr. {organisation_id} gibt es nicht (mehr).")
    return org


def _organisation_data(org: Organisation) -> OrganisationData:
    return OrganisationData(
        **{name: getattr(org, name) for name in ORGANISATION_FIELDS},
        tags=sorted((t.name for t in org.tags), key=fold),
    )


def _apply_organisation(session: Session, org: Organisation, data: OrganisationData) -> None:
    municipality = _apply_fields(session, org, data, ORGANISATION_FIELDS)
    mun_name = _municipality_name(session, municipality)
    text = organisation_search_text(
        name=data.name,
        department=data.department,
        short_name=data.short_name,
        city=data.city,
        email=data.email,
        municipality_name=mun_name,
    )
    if org.search_text != text:
        org.search_text = text


def create_organisation(database: Database, data: OrganisationData) -> int:
    data = _checked_organisation(data)
    with database.session() as s:
        _check_references(s, data.category_id, data.municipality_id)
        org = Organisation(name=data.name)
        s.add(org)
        with s.no_autoflush:
            _apply_organisation(s, org, data)
        s.flush()
        return org.id


def update_organisation(
    database: Database, organisation_id: int, data: OrganisationData, expected_version: int | None
) -> int:
    """Save changed data of an organisation; returns the new version. A new name or short name refreshes
    the search keys of its persons."""
    data = _checked_organisation(data)
    with database.session() as s:
        org = _get_organisation(s, organisation_id)
        if expected_version is not None and org.version != expected_version:
            raise VersionConflictError(
                f"Die Organisation „{org.name}“", expected_version, org.version, _organisation_record(s, org)
            )
        _check_references(s, data.category_id, data.municipality_id)
        before = _organisation_data(org)
        names_before = (org.name, org.short_name)
        with s.no_autoflush:
            _apply_organisation(s, org, data)
            after = _organisation_data(org)
        if not _same_organisation(after, before):
            touch(org)
        s.flush()
        if (org.name, org.short_name) != names_before:
            refresh_person_search_text(
                s, s.scalars(sa.select(Role.person_id).where(Role.organisation_id == org.id))
            )
        return org.version


def _same_organisation(a: OrganisationData, b: OrganisationData) -> bool:
    return dataclasses.replace(a, tags=sorted(a.tags, key=str.casefold)) == dataclasses.replace(
        b, tags=sorted(b.tags, key=str.casefold)
    )


def _organisation_record(session: Session, org: Organisation) -> OrganisationRecord:
    count = (
        session.scalar(sa.select(sa.func.count()).select_from(Role).where(Role.organisation_id == org.id))
        or 0
    )
    return OrganisationRecord(
        org.id, org.version, org.created_at, org.updated_at, _organisation_data(org), count
    )


def get_organisation(database: Database, organisation_id: int) -> OrganisationRecord:
    with database.read_session() as s:
        return _organisation_record(s, _get_organisation(s, organisation_id))


def _org_only_invitations(session: Session, organisation_id: int) -> list[int]:
    return list(
        session.scalars(
            sa.select(Invitation.id).where(
                Invitation.organisation_id == organisation_id, Invitation.person_id.is_(None)
            )
        )
    )


def snapshot_organisation(session: Session, organisation_id: int, *, record_only: bool = False) -> Snapshot:
    """Plain copies of the organisation, its roles and tags, its own invitations (without a person) and
    the references to it (invitations of persons for it, recommendations)."""
    if record_only:
        return snapshot.capture(
            session, {"organisation": [organisation_id]}, follow=_RECORD_ONLY_ORGANISATION
        )
    return snapshot.capture(
        session,
        {"organisation": [organisation_id], "invitation": _org_only_invitations(session, organisation_id)},
    )


def capture_organisation(database: Database, organisation_id: int, *, record_only: bool = False) -> Snapshot:
    with database.read_session() as s:
        _get_organisation(s, organisation_id)
        return snapshot_organisation(s, organisation_id, record_only=record_only)


@dataclass(frozen=True)
class OrganisationImpact:
    roles: int
    persons_losing_primary: int
    invitations_unlinked: int
    invitations_deleted: int
    recommendations: int
    archived_documents: int

    @property
    def text(self) -> str:
        sentences = []
        if self.roles:
            sentences.append(
                f"{self.roles} Person{'en' if self.roles != 1 else ''} verlieren ihre Rolle in dieser "
                "Organisation (die Personen bleiben erhalten)."
            )
        if self.persons_losing_primary:
            sentences.append(
                f"Bei {self.persons_losing_primary} davon war es die Hauptrolle; dort wird die nächste Rolle "
                "zur Hauptrolle."
            )
        if self.invitations_unlinked:
            sentences.append(
                f"{self.invitations_unlinked} Einladung{'en' if self.invitations_unlinked != 1 else ''} von "
                "Personen bleiben erhalten, aber ohne diese Organisation."
            )
        if self.invitations_deleted:
            sentences.append(
                f"{self.invitations_deleted} Einladung{'en' if self.invitations_deleted != 1 else ''} der "
                "Organisation ohne Ansprechperson werden gelöscht"
                + (
                    f" (mit {self.archived_documents} archivierten Schreiben)"
                    if self.archived_documents
                    else ""
                )
                + "."
            )
        if self.recommendations:
            sentences.append(
                f"{self.recommendations} Handlungsempfehlung{'en' if self.recommendations != 1 else ''} "
                "verlieren die zuständige Organisation."
            )
        return " ".join(sentences) or "Es hängen keine weiteren Daten an dieser Organisation."


def organisation_deletion_impact(database: Database, organisation_id: int) -> OrganisationImpact:
    with database.read_session() as s:
        _get_organisation(s, organisation_id)
        snap = snapshot_organisation(s, organisation_id)
    deleted = {r["id"] for r in snap.rows.get("invitation", [])}
    return OrganisationImpact(
        roles=snap.count("role"),
        persons_losing_primary=sum(1 for r in snap.rows.get("role", []) if r["is_primary"]),
        invitations_unlinked=sum(
            1 for r in snap.refs if r.table == "invitation" and dict(r.key)["id"] not in deleted
        ),
        invitations_deleted=len(deleted),
        recommendations=sum(1 for r in snap.refs if r.table == "recommendation"),
        archived_documents=snap.count("archived_document"),
    )


def _ensure_one_primary(session: Session, person_ids: Iterable[int]) -> None:
    """Persons with roles but no primary role get their first role (by organisation name) as primary."""
    for pid in sorted(set(person_ids)):
        roles = (
            session.execute(
                sa.select(Role)
                .join(Organisation)
                .where(Role.person_id == pid)
                .order_by(Organisation.name, Role.id)
            )
            .scalars()
            .all()
        )
        if roles and not any(r.is_primary for r in roles):
            roles[0].is_primary = True


def delete_organisation(database: Database, organisation_id: int) -> Snapshot:
    """Delete an organisation: its roles go (a person who loses the primary role gets the next one as
    primary), invitations of persons for it keep the person but lose the organisation, its own invitations
    without a person are deleted, recommendations lose it. Returns the snapshot for ``restore_organisation``."""
    with database.session() as s:
        org = _get_organisation(s, organisation_id)
        snap = snapshot_organisation(s, organisation_id)
        own = {r["id"] for r in snap.rows.get("invitation", [])}
        person_ids = {r["person_id"] for r in snap.rows.get("role", [])}
        for inv_id in own:
            inv = s.get(Invitation, inv_id)
            if inv is not None:
                s.delete(inv)
        s.flush()
        _clear_references(s, snap.refs, {("invitation", i) for i in own})
        s.delete(org)
        s.flush()
        _ensure_one_primary(s, person_ids)
        s.flush()
        refresh_person_search_text(s, person_ids)
        return snap


def restore_organisation(database: Database, snap: Snapshot, *, expected_version: int | None = None) -> None:
    """Put an organisation back exactly as captured (undo of a delete or an edit, redo of a create)."""
    (organisation_id,) = snap.roots["organisation"]
    with database.session() as s:
        current = s.get(Organisation, organisation_id)
        if current is not None and expected_version is not None and current.version != expected_version:
            raise VersionConflictError(
                f"Die Organisation „{current.name}“", expected_version, current.version
            )
        s.expunge_all()
        snapshot.restore(s, snap)
        # roles that became primary when this organisation went are secondary again
        restored = {r["id"]: r for r in snap.rows.get("role", [])}
        for role_id, row in restored.items():
            if not row["is_primary"]:
                continue
            for other in s.scalars(
                sa.select(Role).where(
                    Role.person_id == row["person_id"], Role.id != role_id, Role.is_primary.is_(True)
                )
            ):
                other.is_primary = False
        s.flush()
        refresh_organisation_search_text(s, [organisation_id])
        persons = set(s.scalars(sa.select(Role.person_id).where(Role.organisation_id == organisation_id)))
        refresh_person_search_text(s, persons | {r["person_id"] for r in restored.values()})


# --- saved filters ("Verteiler") ------------------------------------------------------------------------------


def save_filter(database: Database, name: str, flt: RegistryFilter) -> int:
    """Store ``flt`` under ``name`` (replacing a filter of the same name); returns its id."""
    name = collapse_spaces(name)
    if not name:
        raise ValidationError([FieldError("name", "Name: Bitte einen Namen für den Verteiler eintragen.")])
    if len(name) > 200:
        raise ValidationError([FieldError("name", "Name: höchstens 200 Zeichen.")])
    with database.session() as s:
        existing = s.scalar(sa.select(SavedFilter).where(SavedFilter.name == name))
        if existing is None:
            existing = SavedFilter(name=name, definition=flt.to_json())
            s.add(existing)
        else:
            existing.definition = flt.to_json()
        s.flush()
        return existing.id


def list_filters(database: Database) -> list[SavedFilterInfo]:
    """The saved filters ("Verteiler"), by name (``konferenz.lists.registry.saved_filters``)."""
    with database.read_connection() as connection:
        return saved_filters(connection)


def delete_filter(database: Database, filter_id: int) -> None:
    with database.session() as s:
        s.execute(sa.delete(SavedFilter).where(SavedFilter.id == filter_id))


def _tokens(text: str) -> list[str]:
    return [t for t in fold(text).split(" ") if t]


def filter_person_ids(session: Session, flt: RegistryFilter) -> list[int]:
    """Ids of the persons matching ``flt`` (see ``RegistryFilter``), by last and first name."""
    primary = (
        sa.select(
            Role.person_id,
            Organisation.id.label("org_id"),
            Organisation.category_id,
            Organisation.municipality_id,
        )
        .join(Organisation, Organisation.id == Role.organisation_id)
        .where(Role.is_primary.is_(True))
        .subquery("primary_org")
    )
    stmt = (
        sa.select(Person.id)
        .outerjoin(primary, primary.c.person_id == Person.id)
        .where(Person.anonymised_at.is_(None))
    )
    for token in _tokens(flt.search):
        stmt = stmt.where(Person.search_text.contains(token, autoescape=True))
    if flt.category_ids:
        stmt = stmt.where(sa.func.coalesce(Person.category_id, primary.c.category_id).in_(flt.category_ids))
    if flt.municipality_ids:
        stmt = stmt.where(
            sa.or_(
                Person.municipality_id.in_(flt.municipality_ids),
                primary.c.municipality_id.in_(flt.municipality_ids),
            )
        )
    if flt.tag_ids:
        own = sa.select(person_tag.c.person_id).where(person_tag.c.tag_id.in_(flt.tag_ids))
        org = sa.select(organisation_tag.c.organisation_id).where(organisation_tag.c.tag_id.in_(flt.tag_ids))
        stmt = stmt.where(sa.or_(Person.id.in_(own), primary.c.org_id.in_(org)))
    stmt = stmt.order_by(Person.last_name, Person.first_name, Person.id)
    return list(dict.fromkeys(session.scalars(stmt)))


def filter_organisation_ids(session: Session, flt: RegistryFilter) -> list[int]:
    """Ids of the organisations matching ``flt``, by name."""
    stmt = sa.select(Organisation.id)
    for token in _tokens(flt.search):
        stmt = stmt.where(Organisation.search_text.contains(token, autoescape=True))
    if flt.category_ids:
        stmt = stmt.where(Organisation.category_id.in_(flt.category_ids))
    if flt.municipality_ids:
        stmt = stmt.where(Organisation.municipality_id.in_(flt.municipality_ids))
    if flt.tag_ids:
        stmt = stmt.where(
            Organisation.id.in_(
                sa.select(organisation_tag.c.organisation_id).where(
                    organisation_tag.c.tag_id.in_(flt.tag_ids)
                )
            )
        )
    return list(session.scalars(stmt.order_by(Organisation.name, Organisation.id)))


def filter_ids(session: Session, flt: RegistryFilter) -> list[int]:
    """Person or organisation ids, by ``flt.kind``."""
    return (
        filter_organisation_ids(session, flt)
        if flt.kind == "organisations"
        else filter_person_ids(session, flt)
    )
