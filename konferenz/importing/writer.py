"""Writing a resolution in one unit of work: new records with Core inserts, updates with their audit entries,
and the journal undo needs.

New rows go in with the chunked Core ``executemany`` inserts of ``konferenz.storage.bulk`` and ids reserved
up front (PostgreSQL: from the sequence, so it needs no ``reset_id_sequences`` afterwards; SQLite: above the
highest id, under the write lock the unit of work holds).
Every written person and organisation gets its ``search_text`` from the registry's functions and its
``municipality_id`` from the row rules; created records carry ``import_batch_id``. The audit log gets one
"importiert" summary entry for the import (the audit listener does not see Core inserts, see
``konferenz.storage.recording``) and the field changes of updated records (change set ``import-<batch id>``).
What undo needs besides ``import_batch_id`` is kept as JSON with the import (``ImportBatch.undo_data``,
see ``konferenz.importing.undo``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from konferenz import paths
from konferenz.enums import AuditAction
from konferenz.errors import ConflictError
from konferenz.importing.plan import Outcome
from konferenz.importing.resolution import CategoryRef, NewCategory, NewOrg, OrgRef, Resolution, Update
from konferenz.importing.running import CHUNK, Cancelled, check_cancelled
from konferenz.importing.undo import BOOKKEEPING, json_value
from konferenz.importing.updates import RoleRow, load_roles
from konferenz.registry import search_keys
from konferenz.sorting import person_sort_name
from konferenz.storage import bulk, recording, schema
from konferenz.storage.models import (
    AuditEntry,
    Category,
    ImportBatch,
    Role,
    Tag,
    organisation_tag,
    person_tag,
)

_PERSON = schema.person
_ORGANISATION = schema.organisation
_ROLE = schema.role


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


class Writer:
    """Writes a resolution in the caller's unit of work and returns the new ``ImportBatch`` id."""

    def __init__(
        self,
        session: Session,
        res: Resolution,
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

    def _check_cancelled(self) -> None:
        """Asked before every insert statement of the organisations (the persons ask once per chunk)."""
        check_cancelled(self.cancelled)

    # -- references ---------------------------------------------------------------------------------------

    def category_id(self, ref: CategoryRef) -> int | None:
        if isinstance(ref, NewCategory):
            return ref.id
        return ref

    def org_id(self, ref: OrgRef) -> int | None:
        if isinstance(ref, NewOrg):
            return ref.id
        return ref

    def municipality_name(self, mid: int | None) -> str | None:
        return self.ctx.municipality_names.get(mid) if mid is not None else None

    def org_names(self, ref: OrgRef) -> list[str]:
        if isinstance(ref, NewOrg):
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
        change_set = recording.set_change_context(
            s, action=AuditAction.IMPORT, change_set=f"import-{batch.id}"
        )
        self.journal["change_set"] = change_set
        self._categories()
        self._tags()
        self._organisations(batch.id)
        self._persons(batch.id)
        self._updates()
        if self.persons_to_refresh:
            search_keys.refresh_person_search_text(s, self.persons_to_refresh)
        if self.orgs_to_refresh:
            search_keys.refresh_organisation_search_text(s, self.orgs_to_refresh)
        rows = self.res.rows
        batch.rows_read = len(rows)
        batch.created = sum(1 for r in rows if r.outcome is Outcome.CREATED)
        batch.updated = sum(1 for r in rows if r.outcome is Outcome.UPDATED)
        s.flush()
        # entries after this one on the import's records are later edits (undo_blockers)
        self.journal["audit_after"] = int(s.scalar(sa.select(sa.func.max(AuditEntry.id))) or 0)
        batch.undo_data = self.journal
        # Core inserts are not seen by the audit listener: one summary entry for the whole import
        # (konferenz.storage.recording); created records carry import_batch_id, updated ones their field changes
        recording.log_action(
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
        template = bulk.row_template(table)
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
                    "search_text": search_keys.organisation_search_text(
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
        conn = self.s.connection()
        bulk.insert_rows(conn, table, rows, chunk=CHUNK, before_chunk=self._check_cancelled)
        bulk.insert_rows(
            conn, organisation_tag, _unique_links(links), chunk=CHUNK, before_chunk=self._check_cancelled
        )

    def _persons(self, batch_id: int) -> None:
        persons = self.res.new_persons
        if not persons:
            return
        table = _PERSON
        template = bulk.row_template(table)
        role_template = bulk.row_template(_ROLE)
        ids = _reserve_ids(self.s, table, len(persons))
        done = 0
        for start in range(0, len(persons), CHUNK):
            check_cancelled(self.cancelled)
            rows: list[dict[str, Any]] = []
            roles: list[dict[str, Any]] = []
            links: list[dict[str, Any]] = []
            for np, pid in zip(persons[start : start + CHUNK], ids[start : start + CHUNK], strict=True):
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
                        "search_text": search_keys.person_search_text(
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
            conn = self.s.connection()
            bulk.insert_rows(conn, table, rows, chunk=CHUNK)
            if roles:
                for role in roles:
                    role.pop("id", None)
                bulk.insert_rows(conn, _ROLE, roles, chunk=CHUNK)
            if links:
                bulk.insert_rows(conn, person_tag, _unique_links(links), chunk=CHUNK)
            done += len(rows)
            self.progress(done)

    def _updates(self) -> None:
        conn = self.s.connection()
        changed = [u for u in self.res.updates if u.changed]
        roles = load_roles(self.s, [u.id for u in changed if u.table == "person" and u.role_change])
        changes: list[recording.RowChange] = []
        for upd in changed:
            check_cancelled(self.cancelled)
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
                    "old": {k: json_value(v) for k, v in upd.old.items()},
                    "version_before": upd.version,
                    "updated_at_before": json_value(upd.updated_at),
                }
            )
            logged = [k for k in values if k not in BOOKKEEPING]
            if logged:
                changes.append(
                    recording.RowChange(
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
        recording.log_row_changes(self.s, changes)

    def _update_tags(self, upd: Update) -> list[recording.RowChange]:
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
            out.append(recording.RowChange(link.name, None, {col: upd.id, "tag_id": tid}))
        for tid in sorted(have - want):
            conn.execute(sa.delete(link).where(link.c[col] == upd.id, link.c.tag_id == tid))
            self.journal["tags_removed"].append([upd.table, upd.id, tid])
            out.append(recording.RowChange(link.name, {col: upd.id, "tag_id": tid}, None))
        return out

    def _update_roles(self, upd: Update, roles: list[RoleRow]) -> list[recording.RowChange]:
        conn = self.s.connection()
        org_id = self.org_id(upd.org)
        assert org_id is not None
        out: list[recording.RowChange] = []
        table = _ROLE

        def as_row(r: RoleRow) -> dict[str, Any]:
            return {
                "id": r.id,
                "person_id": upd.id,
                "organisation_id": r.organisation_id,
                "function": r.function,
                "department": r.department,
                "is_primary": r.is_primary,
            }

        def change(r: RoleRow, **values: Any) -> None:
            before = as_row(r)
            conn.execute(sa.update(table).where(table.c.id == r.id).values(**values))
            self.journal["roles_changed"].append(
                {k: before[k] for k in ("id", "function", "department", "is_primary")}
            )
            out.append(recording.RowChange("role", before, {**before, **values}))

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
            out.append(recording.RowChange("role", None, row))
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
