"""Writing many rows at once: chunked Core ``executemany`` inserts (demo data, database copies, imports) and,
after rows were written with ids chosen by the writer, moving PostgreSQL's id sequences past them.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import sqlalchemy as sa

#: rows per ``INSERT`` statement
CHUNK = 5_000


def row_template(table: sa.Table) -> dict[str, Any]:
    """One row of ``table`` with every column present: scalar defaults filled in, everything else None."""
    row: dict[str, Any] = {}
    for column in table.columns:
        default = column.default
        value: Any = None
        if isinstance(default, sa.ColumnDefault) and default.is_scalar:
            value = default.arg
        row[column.key] = value
    return row


def insert_rows(
    conn: sa.Connection,
    table: sa.Table,
    rows: Iterable[Mapping[Any, Any]],
    *,
    chunk: int = CHUNK,
    fill_defaults: bool = False,
    before_chunk: Callable[[], None] | None = None,
    after_chunk: Callable[[int], None] | None = None,
) -> None:
    """Insert ``rows`` (a list or a stream, such as a query's result) into ``table``, ``chunk`` per statement.

    ``fill_defaults`` completes every row with the columns it leaves out (:func:`row_template`), so rows
    that name different columns go into one statement. ``before_chunk`` runs before each statement (a
    cancel check raises there), ``after_chunk`` after it with the number of rows it wrote (progress).
    """
    template = row_template(table) if fill_defaults else None
    statement = sa.insert(table)
    source = iter(rows)
    while part := list(itertools.islice(source, chunk)):
        if before_chunk is not None:
            before_chunk()
        if template is None:
            conn.execute(statement, [dict(row) for row in part])
        else:
            conn.execute(statement, [{**template, **row} for row in part])
        if after_chunk is not None:
            after_chunk(len(part))


def reset_id_sequences(conn: sa.Connection, tables: Iterable[sa.Table]) -> None:
    """On PostgreSQL: the next id of each table (with a single integer primary key) is one above its highest
    id, 1 when it is empty. Needed after inserts that chose the ids themselves; nothing to do on SQLite."""
    if conn.dialect.name != "postgresql":
        return
    for table in tables:
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or not isinstance(pk[0].type, sa.Integer):
            continue
        column = pk[0].name
        conn.execute(
            sa.text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', '{column}'), "
                f"COALESCE((SELECT MAX({column}) FROM {table.name}), 0) + 1, false)"
            )
        )
