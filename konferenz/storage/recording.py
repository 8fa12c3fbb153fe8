"""Recording the audit log: every unit of work writes who changed which field of which record, when, and in
which user action (reading it back is ``konferenz.audit.history``).

How it works
------------
``install_audit(sessionmaker)`` registers an ``after_flush`` listener on the session factory of a
``Database`` (``Database`` calls it when it sets up the ORM), so every unit of work opened with
``Database.session()`` is audited without the caller doing anything. After each flush the listener looks
at the ORM objects the flush wrote (``session.new``, ``dirty``, ``deleted`` still describe the flush at
that point, and the attribute history still holds the old values) and inserts ``AuditEntry`` rows with one
Core ``INSERT`` on the session's own connection, so the entries commit or roll back with the change.

What is logged
--------------
- ``person``, ``organisation``, ``invitation``, ``recommendation``: creation (one entry per field that is
  not empty and not the column default), every changed field on update (old and new value), deletion (one
  entry with a short description of the record: its name, no further personal data).
- ``role`` and ``consent_record`` rows, and the tags of a person or organisation, are logged as changes of
  their owner (field ``role``, ``consent``, ``tags``) with a readable description as value
  ("Caritasverband Bocholt – Geschäftsführerin (Hauptrolle)").
- Bookkeeping columns are ignored: ``updated_at``, ``created_at``, ``version``, ``search_text``,
  ``import_batch_id``, ``entered_at``, ``entered_by``.

Values are stored as text: dates and times ISO (``2025-03-01``), enums by their stored value
(``accepted``), booleans ``true``/``false``, ids as numbers. ``FIELD_LABELS`` are the German names of the
logged fields (the history and the services' messages use them).

Writes that bypass the ORM (Core bulk inserts of the demo data or an import) are not seen by the listener;
such services log one summary entry themselves with ``log_action()``. Services that write through Core for
an ORM-mapped table (snapshot restore, reference re-pointing) describe the rows with ``log_row_changes()``,
which produces exactly the entries the listener would.

Every entry of one unit of work carries the same ``change_set`` id (kept in ``session.info``).
``set_change_context()`` lets a service name the user action: with ``action=AuditAction.MERGE`` the field
changes of that unit of work are logged as "zusammengeführt" instead of "geändert" (creations and
deletions keep their own action).
"""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.util import identity_key

from konferenz import paths
from konferenz.enums import AuditAction, Channel, ConsentPurpose, label
from konferenz.names import record_name
from konferenz.storage.models import (
    AuditEntry,
    Base,
    Category,
    Conference,
    Forum,
    Municipality,
    Organisation,
    Person,
    Tag,
)

#: records that have their own history
AUDITED_TABLES = frozenset({"person", "organisation", "invitation", "recommendation"})
#: rows logged as a change of their owner: table → (owner table, owner column, field name)
OWNED_TABLES: dict[str, tuple[str, str, str]] = {
    "role": ("person", "person_id", "role"),
    "consent_record": ("person", "person_id", "consent"),
    "person_tag": ("person", "person_id", "tags"),
    "organisation_tag": ("organisation", "organisation_id", "tags"),
}
#: bookkeeping columns that never produce an entry
IGNORED_FIELDS = frozenset(
    {
        "id",
        "updated_at",
        "created_at",
        "version",
        "search_text",
        "sort_name",
        "import_batch_id",
        "entered_at",
        "entered_by",
    }
)

#: German labels of the logged fields (person, organisation, invitation, recommendation, owned rows)
FIELD_LABELS: dict[str, str] = {
    "": "Datensatz",
    # person and organisation
    "gender": "Geschlecht",
    "title": "Titel",
    "first_name": "Vorname",
    "name_prefix": "Namenszusatz",
    "last_name": "Nachname",
    "custom_salutation": "Briefanrede",
    "function": "Funktion",
    "name": "Name",
    "department": "Abteilung",
    "short_name": "Kurzname",
    "street": "Straße",
    "po_box": "Postfach",
    "postal_code": "PLZ",
    "city": "Ort",
    "country": "Land",
    "email": "E-Mail",
    "phone": "Telefon",
    "mobile": "Mobiltelefon",
    "website": "Internetseite",
    "category_id": "Kategorie",
    "municipality_id": "Kommune",
    "notes": "Notizen",
    "legal_basis": "Rechtsgrundlage",
    "anonymised_at": "Anonymisiert am",
    "tags": "Schlagwort",
    "role": "Rolle",
    "roles": "Rollen",
    "consent": "Einwilligung",
    "participant_list_consent": "Einwilligung Teilnehmerliste",
    "merged_from": "Zusammengeführt mit",
    "merged_into": "Zusammengeführt in",
    # invitation
    "conference_id": "Konferenz",
    "person_id": "Person",
    "organisation_id": "Organisation",
    "status": "Status",
    "invitation_channel": "Einladungsweg",
    "invited_on": "Eingeladen am",
    "reply_channel": "Antwortweg",
    "replied_on": "Antwort am",
    "reminded_on": "Erinnert am",
    "substitute_name": "Vertreten durch",
    "substitute_person_id": "Vertretung (Person)",
    "companions": "Begleitpersonen",
    "forum_id": "Forum",
    "needs_accessibility": "Barrierefreiheit",
    "needs_diet": "Ernährung",
    "waitlist_position": "Platz auf der Warteliste",
    "checked_in_at": "Eingelassen am",
    "letter_template": "Briefvorlage",
    # recommendation
    "text": "Empfehlung",
    "agenda_item_id": "Tagesordnungspunkt",
    "minutes_entry_id": "Protokolleintrag",
    "responsible_organisation_id": "Zuständige Organisation",
    "responsible_person_id": "Zuständige Person",
    "responsible_text": "Zuständig",
    "due_date": "Fällig am",
}

_CONTEXT_KEY = "konferenz.storage.recording"


@dataclass(frozen=True)
class RowChange:
    """One row as it was (``old``) and as it is (``new``); ``None`` for a created or deleted row."""

    table: str
    old: Mapping[str, Any] | None
    new: Mapping[str, Any] | None


# --- context -----------------------------------------------------------------------------------------


@functools.cache
def _who() -> tuple[str, str]:
    return paths.os_user()[:100], paths.host_name()[:100]


def _context(session: Session) -> dict[str, Any]:
    ctx: dict[str, Any] = session.info.setdefault(_CONTEXT_KEY, {})
    if "change_set" not in ctx:
        ctx["change_set"] = uuid.uuid4().hex
    return ctx


def change_set(session: Session) -> str:
    """The id grouping the audit entries of this unit of work."""
    return str(_context(session)["change_set"])


def set_change_context(
    session: Session, *, action: AuditAction | None = None, change_set: str | None = None
) -> str:
    """Name the user action of this unit of work (see module docstring); returns the change-set id."""
    ctx = _context(session)
    if action is not None:
        ctx["action"] = action
    if change_set is not None:
        ctx["change_set"] = change_set[:40]
    return str(ctx["change_set"])


def suspend_audit(session: Session, suspended: bool = True) -> None:
    """Switch the automatic entries of this session off (a service that logs a summary itself)."""
    _context(session)["suspended"] = suspended


# --- values ------------------------------------------------------------------------------------------


def value_text(value: Any) -> str | None:
    """A column value as stored in the log: ISO dates, enum values, ``true``/``false``."""
    if value is None:
        return None
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, bytes):
        return f"<{len(value)} Bytes>"
    return str(value)


def _is_empty(value: Any, default: Any) -> bool:
    return value is None or value == "" or (default is not None and value == default)


def _column_defaults(table: sa.Table) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for col in table.columns:
        default = col.default
        if default is not None and getattr(default, "is_scalar", False):
            out[col.name] = getattr(default, "arg", None)
    return out


_TABLES = {t.name: t for t in AuditEntry.metadata.sorted_tables}
_DEFAULTS = {name: _column_defaults(t) for name, t in _TABLES.items()}


def person_display_name(row: Mapping[str, Any]) -> str:
    """ "Dr. Ayşe Öztürk" from a person row (title, first name, particle, last name)."""
    return record_name(
        row.get("title"), row.get("first_name"), row.get("name_prefix"), row.get("last_name"), row.get("id")
    )


class Names:
    """Names of referenced records for descriptions, looked up once per flush."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.cache: dict[tuple[str, int], str] = {}

    def _mapped(self, model: type[Any], key: int) -> Any:
        try:
            return self.session.identity_map.get(identity_key(model, key))
        except Exception:  # a malformed key: fall back to the query
            return None

    def name(self, table: str, key: int | None) -> str:
        if key is None:
            return ""
        if (table, key) in self.cache:
            return self.cache[(table, key)]
        text = self._lookup(table, key)
        self.cache[(table, key)] = text
        return text

    def _lookup(self, table: str, key: int) -> str:
        conn = self.session.connection()
        if table == "organisation":
            obj = self._mapped(Organisation, key)
            if obj is not None:
                return str(obj.name)
            name = conn.execute(sa.select(Organisation.name).where(Organisation.id == key)).scalar()
            return name if name is not None else f"Organisation Nr. {key}"
        if table == "person":
            obj = self._mapped(Person, key)
            if obj is not None:
                return person_display_name(obj.__dict__)
            row = conn.execute(
                sa.select(
                    Person.id, Person.title, Person.first_name, Person.name_prefix, Person.last_name
                ).where(Person.id == key)
            ).first()
            return person_display_name(dict(row._mapping)) if row else f"Person Nr. {key}"
        if table == "tag":
            name = conn.execute(sa.select(Tag.name).where(Tag.id == key)).scalar()
            return name if name is not None else f"Schlagwort Nr. {key}"
        if table == "category":
            name = conn.execute(sa.select(Category.name).where(Category.id == key)).scalar()
            return name if name is not None else f"Kategorie Nr. {key}"
        if table == "municipality":
            name = conn.execute(sa.select(Municipality.name).where(Municipality.id == key)).scalar()
            return name if name is not None else f"Kommune Nr. {key}"
        if table == "conference":
            conf = conn.execute(
                sa.select(Conference.year, Conference.title).where(Conference.id == key)
            ).first()
            return f"{conf.year} {conf.title}".strip() if conf else f"Konferenz Nr. {key}"
        if table == "forum":
            name = conn.execute(sa.select(Forum.title).where(Forum.id == key)).scalar()
            return name if name is not None else f"Forum Nr. {key}"
        return f"Nr. {key}"


def _date_de(value: Any) -> str:
    return value.strftime("%d.%m.%Y") if isinstance(value, dt.date) else ""


def _describe_owned(names: Names, table: str, row: Mapping[str, Any] | None) -> str | None:
    if row is None:
        return None
    if table == "role":
        text = names.name("organisation", row.get("organisation_id"))
        extra = ", ".join(str(v) for v in (row.get("function"), row.get("department")) if v)
        if extra:
            text += f" – {extra}"
        if row.get("is_primary"):
            text += " (Hauptrolle)"
        return text
    if table == "consent_record":
        purpose = row.get("purpose")
        text = label(ConsentPurpose(purpose)) if purpose else "Einwilligung"
        text += f", erteilt {_date_de(row.get('given_on'))}".rstrip()
        channel = row.get("channel")
        if channel:
            text += f" ({label(Channel(channel))})"
        if row.get("text_version"):
            text += f", Textfassung {row['text_version']}"
        if row.get("withdrawn_on"):
            text += f", widerrufen {_date_de(row['withdrawn_on'])}"
        return text
    if table in ("person_tag", "organisation_tag"):
        return names.name("tag", row.get("tag_id"))
    return None


def _describe_record(names: Names, table: str, row: Mapping[str, Any]) -> str:
    if table == "person":
        return person_display_name(row)
    if table == "organisation":
        return str(row.get("name") or f"Organisation Nr. {row.get('id')}")
    if table == "invitation":
        who = (
            names.name("person", row.get("person_id"))
            if row.get("person_id")
            else names.name("organisation", row.get("organisation_id"))
        )
        return f"Einladung {who} zur Konferenz {names.name('conference', row.get('conference_id'))}"
    if table == "recommendation":
        text = str(row.get("text") or "")
        return text if len(text) <= 80 else text[:79] + "…"
    return f"Nr. {row.get('id')}"


# --- writing entries ---------------------------------------------------------------------------------


def _entry(
    session: Session,
    entity: tuple[str, int],
    action: AuditAction,
    field: str = "",
    values: tuple[str | None, str | None] = (None, None),
    *,
    timestamp: dt.datetime | None = None,
) -> dict[str, Any]:
    user, host = _who()
    return {
        "timestamp": timestamp or dt.datetime.now().replace(microsecond=0),
        "os_user": user,
        "host": host,
        "entity_type": entity[0],
        "entity_id": entity[1],
        "action": action,
        "field": field,
        "old_value": values[0],
        "new_value": values[1],
        "change_set": change_set(session),
    }


class _Builder:
    """Turns row changes into audit rows (one flush or one Core write)."""

    def __init__(self, session: Session, changes: list[RowChange]) -> None:
        self.session = session
        self.update_action: AuditAction = _context(session).get("action") or AuditAction.UPDATE
        self.now = dt.datetime.now().replace(microsecond=0)
        self.names = Names(session)
        self.created = {
            (c.table, c.new.get("id"))
            for c in changes
            if c.table in AUDITED_TABLES and c.old is None and c.new
        }
        self.deleted = {
            (c.table, c.old.get("id"))
            for c in changes
            if c.table in AUDITED_TABLES and c.new is None and c.old
        }
        self.out: list[dict[str, Any]] = []

    def add(
        self, entity: tuple[str, int], action: AuditAction, field: str, old: str | None, new: str | None
    ) -> None:
        self.out.append(_entry(self.session, entity, action, field, (old, new), timestamp=self.now))

    def record(self, table: str, old: Mapping[str, Any] | None, new: Mapping[str, Any] | None) -> None:
        defaults = _DEFAULTS.get(table, {})
        if old is None and new is not None:
            entity = (table, new["id"])
            fields = [
                k for k, v in new.items() if k not in IGNORED_FIELDS and not _is_empty(v, defaults.get(k))
            ]
            if not fields:
                self.add(entity, AuditAction.CREATE, "", None, _describe_record(self.names, table, new))
            for key in fields:
                self.add(entity, AuditAction.CREATE, key, None, value_text(new[key]))
        elif new is None and old is not None:
            self.add(
                (table, old["id"]), AuditAction.DELETE, "", _describe_record(self.names, table, old), None
            )
        elif old is not None and new is not None:
            for key, value in new.items():
                if key in IGNORED_FIELDS or key not in old:
                    continue
                before, after = value_text(old[key]), value_text(value)
                if before != after:
                    self.add((table, new["id"]), self.update_action, key, before, after)

    def _owner_action(self, owner: tuple[str, int]) -> AuditAction | None:
        if owner in self.deleted:
            return None  # the owner's deletion entry says it all
        if owner in self.created:
            return AuditAction.CREATE
        return self.update_action

    def owned(self, table: str, old: Mapping[str, Any] | None, new: Mapping[str, Any] | None) -> None:
        owner_table, owner_col, field = OWNED_TABLES[table]
        old_owner = old.get(owner_col) if old is not None else None
        new_owner = new.get(owner_col) if new is not None else None
        old_text = _describe_owned(self.names, table, old)
        new_text = _describe_owned(self.names, table, new)
        if old_owner == new_owner and old_owner is not None:
            action = self._owner_action((owner_table, old_owner))
            if action is not None and old_text != new_text:
                self.add((owner_table, old_owner), action, field, old_text, new_text)
            return
        for owner, texts in ((old_owner, (old_text, None)), (new_owner, (None, new_text))):
            if owner is None:
                continue
            action = self._owner_action((owner_table, owner))
            if action is not None:
                self.add((owner_table, owner), action, field, *texts)


def entries_for(session: Session, changes: Iterable[RowChange]) -> list[dict[str, Any]]:
    """The audit rows describing ``changes`` (without writing them)."""
    changes = list(changes)
    builder = _Builder(session, changes)
    for change in changes:
        if change.table in AUDITED_TABLES:
            builder.record(change.table, change.old, change.new)
        elif change.table in OWNED_TABLES:
            builder.owned(change.table, change.old, change.new)
    return builder.out


def write_entries(session: Session, rows: list[dict[str, Any]]) -> None:
    if rows:
        session.connection().execute(sa.insert(_TABLES["audit_entry"]), rows)


def log_row_changes(session: Session, changes: Iterable[RowChange]) -> None:
    """Log rows written through Core as the listener would have logged them through the ORM."""
    if _context(session).get("suspended"):
        return
    write_entries(session, entries_for(session, changes))


def log_action(
    session: Session,
    entity_type: str,
    entity_id: int,
    action: AuditAction,
    *,
    field: str = "",
    old_value: str | None = None,
    new_value: str | None = None,
) -> None:
    """Write one explicit entry (an import summary, a merge, a restore) into this unit of work."""
    write_entries(session, [_entry(session, (entity_type, entity_id), action, field, (old_value, new_value))])


# --- the listener --------------------------------------------------------------------------------------


def _state_values(state: Any, *, old: bool) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for prop in state.mapper.column_attrs:
        key = prop.key
        name = prop.columns[0].name
        if old:
            hist = state.attrs[key].history
            if hist.deleted:
                values[name] = hist.deleted[0]
                continue
            if hist.added:
                # set for the first time in this flush: the row had no value for it before
                values[name] = None
                continue
        if key in state.dict:
            values[name] = state.dict[key]
    return values


def _tag_changes(state: Any, owner_table: str, *, created: bool) -> list[RowChange]:
    if "tags" not in state.mapper.relationships:
        return []
    hist = state.attrs["tags"].history
    link = f"{owner_table}_tag"
    owner_col = f"{owner_table}_id"
    owner_id = state.dict.get("id")
    out = [
        RowChange(link, None, {owner_col: owner_id, "tag_id": tag.id})
        for tag in hist.added
        if tag is not None and tag.id is not None
    ]
    if not created:
        out += [
            RowChange(link, {owner_col: owner_id, "tag_id": tag.id}, None)
            for tag in hist.deleted
            if tag is not None and tag.id is not None
        ]
    return out


_TRACKED = AUDITED_TABLES | frozenset({"role", "consent_record"})


def _after_flush(session: Session, _flush_context: Any) -> None:
    ctx = _context(session)
    deleted_states = ctx.pop("deleted_states", [])
    if ctx.get("suspended"):
        return
    changes: list[RowChange] = []
    for obj in session.new:
        state = sa.inspect(obj)
        table = state.mapper.local_table.name
        if table in _TRACKED:
            changes.append(RowChange(table, None, _state_values(state, old=False)))
            if table in ("person", "organisation"):
                changes += _tag_changes(state, table, created=True)
    for obj in session.dirty:
        state = sa.inspect(obj)
        table = state.mapper.local_table.name
        if table in _TRACKED and state.modified:
            changes.append(RowChange(table, _state_values(state, old=True), _state_values(state, old=False)))
            if table in ("person", "organisation"):
                changes += _tag_changes(state, table, created=False)
    # every row the flush deleted, including orphans removed from a collection (``delete-orphan``), which
    # ``session.deleted`` does not list: collected by the mapper event below
    for state in deleted_states:
        changes.append(RowChange(state.mapper.local_table.name, _state_values(state, old=False), None))
    if changes:
        write_entries(session, entries_for(session, changes))


@event.listens_for(Base, "after_delete", propagate=True)
def _after_delete(_mapper: Any, _connection: Any, target: Any) -> None:
    state = sa.inspect(target)
    if state.mapper.local_table.name not in _TRACKED:
        return
    session = state.session
    if session is not None:
        _context(session).setdefault("deleted_states", []).append(state)


_INSTALLED = "_konferenz_audit_installed"


def install_audit(factory: sessionmaker[Session]) -> None:
    """Audit every session ``factory`` makes (called once per ``Database``; a second call does nothing).

    The "already installed" mark lives on the factory itself. ``event.contains`` is not used: SQLAlchemy's
    event registry is keyed by ``id()``, so a new factory that reuses the id of a collected one was taken
    for "already listening", and its sessions went unaudited (seen as rare test failures).
    """
    if getattr(factory, _INSTALLED, False):
        return
    event.listen(factory, "after_flush", _after_flush)
    setattr(factory, _INSTALLED, True)
