"""The undo journal and undoing a committed import as a whole.

What undo needs besides ``import_batch_id`` (old values, version and time of change of updated records,
roles and tags added to existing records, categories and tags created, the last audit entry of the
import) is kept as JSON with the import (``ImportBatch.undo_data``, written by
``konferenz.importing.writer``, emptied by the undo). Undo is refused (``undo_blockers``) when a record of
the import was edited since (its version moved on, or the audit log has a later entry for it), deleted or
merged, invited, named in the programme or a recommendation, or given further persons.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from konferenz import paths
from konferenz.enums import AuditAction, Gender, LegalBasis
from konferenz.errors import UserError
from konferenz.importing.running import CHUNK, chunks, without_cyclic_gc
from konferenz.registry import search_keys
from konferenz.storage import recording, schema
from konferenz.storage.db import Database
from konferenz.storage.models import (
    AgendaPerson,
    AuditEntry,
    ImportBatch,
    Invitation,
    Organisation,
    Person,
    Recommendation,
    Role,
    organisation_tag,
    person_tag,
)

_PERSON = schema.person
_ORGANISATION = schema.organisation
_CATEGORY = schema.category
_TAG = schema.tag


#: columns kept by the program itself, not logged as changes (as ``konferenz.storage.recording.IGNORED_FIELDS``)
BOOKKEEPING = frozenset({"search_text", "sort_name", "updated_at", "version"})


def json_value(value: Any) -> Any:
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
        for chunk in chunks(ids):
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
    for chunk in chunks(person_ids):
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
    for chunk in chunks(org_ids):
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


@without_cyclic_gc
def blockers(database: Database, batch_id: int) -> list[str]:
    """``undo_blockers`` in a read session of its own: why the import ``batch_id`` cannot be undone (nothing:
    it can), for showing before the undo is confirmed."""
    with database.read_session() as s:
        return undo_blockers(s, batch_id)


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
        recording.set_change_context(s, action=AuditAction.UPDATE, change_set=f"undo-import-{batch_id}")
        conn = s.connection()
        now = schema.now()
        changes: list[recording.RowChange] = []
        refresh_persons: set[int] = set()
        refresh_orgs: set[int] = set()
        # roles and tags added to existing records, roles changed
        for pid, oid in journal.get("roles_added", []):
            conn.execute(sa.delete(Role).where(Role.person_id == pid, Role.organisation_id == oid))
            changes.append(
                recording.RowChange(
                    "role", {"person_id": pid, "organisation_id": oid, "is_primary": True}, None
                )
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
            changes.append(recording.RowChange(link.name, {col: owner, "tag_id": tid}, None))
        for kind, owner, tid in journal.get("tags_removed", []):
            link, col = (
                (person_tag, "person_id") if kind == "person" else (organisation_tag, "organisation_id")
            )
            conn.execute(sa.insert(link).values({col: owner, "tag_id": tid}))
            changes.append(recording.RowChange(link.name, None, {col: owner, "tag_id": tid}))
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
            logged = [k for k in old if k not in BOOKKEEPING]
            if logged:
                changes.append(
                    recording.RowChange(
                        upd["table"],
                        {"id": upd["id"], **{k: current._mapping[k] for k in logged}},
                        {"id": upd["id"], **{k: old[k] for k in logged}},
                    )
                )
            (refresh_persons if upd["table"] == "person" else refresh_orgs).add(upd["id"])
        # created records go (roles, tags and consents of created persons go with them)
        persons = sorted(_ids_of(s, Person, batch_id))
        orgs = sorted(_ids_of(s, Organisation, batch_id))
        for chunk in chunks(orgs):
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
        recording.log_row_changes(s, changes)
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
                "change_set": recording.change_set(s),
            }
            for kind, ids in (("person", persons), ("organisation", orgs))
            for rid in ids
        ]
        for chunk in chunks(entries, CHUNK):
            recording.write_entries(s, list(chunk))
        if refresh_persons:
            search_keys.refresh_person_search_text(s, refresh_persons)
        if refresh_orgs:
            search_keys.refresh_organisation_search_text(s, refresh_orgs)
        batch.undone_at = now
        batch.undo_data = None
        recording.log_action(
            s,
            "import_batch",
            batch_id,
            AuditAction.DELETE,
            new_value=f"Import „{batch.file_name}“ rückgängig gemacht",
        )
        return UndoResult(batch_id, len(persons), len(orgs), restored)
