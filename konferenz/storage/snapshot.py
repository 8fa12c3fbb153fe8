"""Row snapshots for undo: capture a record with everything that hangs on it, and put it back exactly.

A ``Snapshot`` holds plain dicts (column name → value), found by following the foreign keys of the schema
(``konferenz.storage.models.ALL_TABLES``), so a table added later is covered without changing this module:

- rows that reference a captured row with ``ON DELETE CASCADE`` or ``RESTRICT`` are *dependents*: they go
  when the record goes (the services delete ``RESTRICT`` rows such as a person's invitations themselves),
  so they are captured as whole rows, recursively (a person's invitations, and their archived letters);
- rows that reference it with ``ON DELETE SET NULL`` only lose the reference, so only the reference is
  captured (table, primary key, column, value): a substitute named on someone else's invitation, the
  responsible person of a recommendation.

``restore()`` makes the database agree with the snapshot for its root records, in one transaction:
dependents of the roots that are not in the snapshot are deleted, rows of the snapshot that exist are
updated in place (never deleted and re-inserted, so nothing outside the snapshot cascades away), missing
rows are inserted with their old ids, and captured references are set again. Rows are processed table by
table in dependency order, updates before inserts, so unique constraints hold at every statement. Every
row change on an audited table is written to the audit log (``konferenz.storage.recording.log_row_changes``).

This serves undo of a delete (everything is inserted again), undo of a merge (the survivor is updated back,
the dropped record inserted, moved rows pointed back) and undo of an edit (a snapshot limited with
``follow`` to the rows an edit touches: roles, tags, consents — not invitations changed meanwhile).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from konferenz.errors import UserError
from konferenz.storage import recording
from konferenz.storage.models import ALL_TABLES

#: tables by name, and their position in dependency order (parents first)
TABLES: dict[str, sa.Table] = {t.name: t for t in ALL_TABLES}
_ORDER: dict[str, int] = {t.name: i for i, t in enumerate(ALL_TABLES)}
_CHUNK = 500

Key = tuple[Any, ...]


@dataclass(frozen=True)
class _Child:
    table: sa.Table
    column: sa.Column[Any]
    parent_column: str
    set_null: bool


def _children_map() -> dict[str, list[_Child]]:
    out: dict[str, list[_Child]] = {name: [] for name in TABLES}
    for table in ALL_TABLES:
        for fk in table.foreign_keys:
            parent = fk.column.table.name
            out[parent].append(
                _Child(table, fk.parent, fk.column.name, (fk.ondelete or "").upper() == "SET NULL")
            )
    return out


_CHILDREN = _children_map()


@dataclass(frozen=True)
class Reference:
    """A ``SET NULL`` reference to a captured row: ``table`` row ``key`` had ``column`` = ``value``."""

    table: str
    key: tuple[tuple[str, Any], ...]
    column: str
    value: Any


@dataclass
class Snapshot:
    """Plain copies of rows: the roots, their dependents and the references to them."""

    roots: dict[str, tuple[int, ...]]
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    refs: list[Reference] = field(default_factory=list)
    #: dependents followed into these tables only (None: all)
    follow: frozenset[str] | None = None

    def row(self, table: str, id_: int) -> dict[str, Any] | None:
        for row in self.rows.get(table, []):
            if row.get("id") == id_:
                return row
        return None

    def count(self, table: str) -> int:
        return len(self.rows.get(table, []))


def _pk_cols(table: sa.Table) -> list[sa.Column[Any]]:
    return list(table.primary_key.columns)


def _key(table: sa.Table, row: Mapping[str, Any]) -> Key:
    return tuple(row[c.name] for c in _pk_cols(table))


def _where_key(table: sa.Table, key: Key) -> sa.ColumnElement[bool]:
    return sa.and_(*(c == v for c, v in zip(_pk_cols(table), key, strict=True)))


def _chunks(values: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for i in range(0, len(values), _CHUNK):
        yield values[i : i + _CHUNK]


def _select_in(
    session: Session, table: sa.Table, column: sa.Column[Any], values: Iterable[Any]
) -> list[dict[str, Any]]:
    wanted = sorted({v for v in values if v is not None})
    out: list[dict[str, Any]] = []
    conn = session.connection()
    for chunk in _chunks(wanted):
        out += [dict(r._mapping) for r in conn.execute(sa.select(table).where(column.in_(chunk)))]
    return out


def capture(
    session: Session, roots: Mapping[str, Iterable[int]], *, follow: Collection[str] | None = None
) -> Snapshot:
    """Copy the root rows, their dependents (recursively) and the references to them."""
    session.flush()
    follow_set = frozenset(follow) if follow is not None else None
    snap = Snapshot(roots={t: tuple(sorted(set(ids))) for t, ids in roots.items()}, follow=follow_set)
    seen: dict[str, dict[Key, dict[str, Any]]] = {}
    queue: list[tuple[str, list[dict[str, Any]]]] = []
    for name, ids in snap.roots.items():
        table = TABLES[name]
        rows = _select_in(session, table, table.c.id, ids)
        fresh = _remember(seen, table, rows)
        if fresh:
            queue.append((name, fresh))
    ref_seen: set[tuple[str, Key, str]] = set()
    while queue:
        name, rows = queue.pop(0)
        for child in _CHILDREN[name]:
            if follow_set is not None and child.table.name not in follow_set:
                continue
            values = [r[child.parent_column] for r in rows]
            found = _select_in(session, child.table, child.column, values)
            if child.set_null:
                for row in found:
                    key = _key(child.table, row)
                    marker = (child.table.name, key, child.column.name)
                    if marker not in ref_seen:
                        ref_seen.add(marker)
                        names = [c.name for c in _pk_cols(child.table)]
                        snap.refs.append(
                            Reference(
                                child.table.name,
                                tuple(zip(names, key, strict=True)),
                                child.column.name,
                                row[child.column.name],
                            )
                        )
                continue
            fresh = _remember(seen, child.table, found)
            if fresh:
                queue.append((child.table.name, fresh))
    for name in sorted(seen, key=_ORDER.__getitem__):
        if seen[name]:
            snap.rows[name] = [seen[name][k] for k in sorted(seen[name], key=_sort_key)]
    return snap


def _sort_key(key: Key) -> tuple[str, ...]:
    return tuple(f"{v!s:>20}" for v in key)


def _remember(
    seen: dict[str, dict[Key, dict[str, Any]]], table: sa.Table, rows: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    bucket = seen.setdefault(table.name, {})
    fresh = []
    for row in rows:
        key = _key(table, row)
        if key not in bucket:
            bucket[key] = row
            fresh.append(row)
    return fresh


def _existing(session: Session, table: sa.Table, keys: list[Key]) -> dict[Key, dict[str, Any]]:
    pks = _pk_cols(table)
    conn = session.connection()
    out: dict[Key, dict[str, Any]] = {}
    if len(pks) == 1:
        for row in _select_in(session, table, pks[0], [k[0] for k in keys]):
            out[_key(table, row)] = row
        return out
    for chunk in _chunks(keys):
        stmt = sa.select(table).where(sa.tuple_(*pks).in_([tuple(k) for k in chunk]))
        for r in conn.execute(stmt):
            row = dict(r._mapping)
            out[_key(table, row)] = row
    return out


def delete(session: Session, snap: Snapshot) -> None:
    """Delete every row of the snapshot (dependents first), logging audited rows."""
    changes: list[recording.RowChange] = []
    conn = session.connection()
    for name in sorted(snap.rows, key=_ORDER.__getitem__, reverse=True):
        table = TABLES[name]
        for row in snap.rows[name]:
            conn.execute(sa.delete(table).where(_where_key(table, _key(table, row))))
            changes.append(recording.RowChange(name, row, None))
    recording.log_row_changes(session, changes)


def restore(session: Session, snap: Snapshot) -> None:
    """Make the roots of ``snap`` and everything captured with them as they were (see module docstring).

    Raises ``UserError`` when a row cannot be put back because something it refers to is gone.
    """
    session.flush()
    current = capture(session, snap.roots, follow=snap.follow)
    wanted: dict[str, set[Key]] = {
        name: {_key(TABLES[name], r) for r in rows} for name, rows in snap.rows.items()
    }
    changes: list[recording.RowChange] = []
    conn = session.connection()
    try:
        # 1. rows that hang on the roots now but did not then (dependents first)
        for name in sorted(current.rows, key=_ORDER.__getitem__, reverse=True):
            table = TABLES[name]
            for row in current.rows[name]:
                key = _key(table, row)
                if key not in wanted.get(name, set()):
                    conn.execute(sa.delete(table).where(_where_key(table, key)))
                    changes.append(recording.RowChange(name, row, None))
        # 2. every captured row: update in place when it exists, insert otherwise (parents first)
        for name in sorted(snap.rows, key=_ORDER.__getitem__):
            table = TABLES[name]
            rows = snap.rows[name]
            existing = _existing(session, table, [_key(table, r) for r in rows])
            inserts = []
            for row in rows:
                key = _key(table, row)
                now = existing.get(key)
                if now is None:
                    inserts.append(row)
                    continue
                if now != row:
                    values = {k: v for k, v in row.items() if k not in {c.name for c in _pk_cols(table)}}
                    conn.execute(sa.update(table).where(_where_key(table, key)).values(values))
                    changes.append(recording.RowChange(name, now, row))
            if inserts:
                conn.execute(sa.insert(table), inserts)
                changes += [recording.RowChange(name, None, row) for row in inserts]
        # 3. references set to NULL (or re-pointed) since
        for ref in snap.refs:
            table = TABLES[ref.table]
            key = tuple(v for _, v in ref.key)
            col = table.c[ref.column]
            now_value = conn.execute(sa.select(col).where(_where_key(table, key))).first()
            if now_value is None or now_value[0] == ref.value:
                continue
            ref_values: dict[str, Any] = {ref.column: ref.value}
            if "updated_at" in table.c:  # a reference is bookkeeping: keep the row's own time stamp
                ref_values["updated_at"] = table.c.updated_at
            conn.execute(sa.update(table).where(_where_key(table, key)).values(ref_values))
            ident = dict(ref.key)
            changes.append(
                recording.RowChange(
                    ref.table, {**ident, ref.column: now_value[0]}, {**ident, ref.column: ref.value}
                )
            )
    except sa.exc.IntegrityError as exc:
        raise UserError(
            "Der frühere Stand kann nicht wiederhergestellt werden, weil inzwischen etwas geändert oder "
            "gelöscht wurde, auf das er sich bezieht (z. B. eine Organisation, ein Schlagwort oder eine "
            "Konferenz)."
        ) from exc
    recording.log_row_changes(session, changes)


def dump(session: Session, tables: Iterable[str]) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of ``tables`` as sorted tuples (tests compare databases before and after)."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    conn = session.connection()
    for name in tables:
        table = TABLES[name]
        rows = conn.execute(sa.select(table).order_by(*_pk_cols(table))).all()
        out[name] = [tuple(r) for r in rows]
    return out
