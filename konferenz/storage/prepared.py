"""Core statements compiled once and run on one driver connection, for a loop that writes one small unit of
work per step and must not spend more on SQLAlchemy than on the database: ``Prepared`` and ``Units``.

The e-mail run commits a claim for every message before the server sees it (issue 16). Through
``engine.begin()`` that commit costs about 0.9 ms per message in a run (pool checkout, the statement cache,
result objects and events, with the processor's caches cold after painting the letter's PDF), twice what the
same statements cost on the DBAPI cursor. Here a statement is compiled once for the engine's dialect; each
execution only puts the values through the columns' own bind processors (enums, time stamps – exactly what
``Connection.execute`` would send) and hands them to the driver's cursor.

What this skips, and why that is right for such a loop: the ``before_execute`` listeners (sort keys for
``person``/``organisation`` inserts, the tables a unit of work notes for ``Database.track``) do not apply to
the tables written here, and the audit listener is an ORM one. A SQLite unit takes the write lock at its
start (``BEGIN IMMEDIATE``), as ``db._on_begin`` does for every other write.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping
from typing import Any, Self

import sqlalchemy as sa
from sqlalchemy.sql.compiler import SQLCompiler

from konferenz.storage.db import Database


class Prepared:
    """``statement`` compiled for ``dialect``: ``run(cursor, values)`` executes it with ``values`` (by bind
    name) and returns the number of rows it changed."""

    def __init__(self, statement: sa.ClauseElement, dialect: sa.Dialect) -> None:
        compiled = statement.compile(dialect=dialect)
        assert isinstance(compiled, SQLCompiler)
        self._compiled = compiled
        self.sql = compiled.string
        processors: dict[str, Callable[[Any], Any] | None] = {
            name: bind.type.dialect_impl(dialect).bind_processor(dialect)
            for bind, name in compiled.bind_names.items()
        }
        #: the columns' Python-side defaults (``default=``, ``onupdate=``) for the columns the statement
        #: leaves out, which ``Connection.execute`` fills in at each execution
        self._defaults: list[tuple[str, Callable[[], Any]]] = []
        for column in compiled.insert_prefetch:
            self._defaults.append((column.key, _default_of(column, column.default)))
        for column in compiled.update_prefetch:
            self._defaults.append((column.key, _default_of(column, column.onupdate)))
        positions: list[str] | None = getattr(compiled, "positiontup", None)
        #: (name, processor) in the order of the driver's placeholders; None: by name (psycopg's "%(name)s")
        self._positional = [(name, processors[name]) for name in positions] if positions else None
        self._named = list(processors.items())

    def parameters(self, values: Mapping[str, Any]) -> tuple[Any, ...] | dict[str, Any]:
        """The driver's parameters: ``values`` and the statement's own literals, each as its column sends it."""
        given = dict(values)
        for name, default in self._defaults:
            if name not in given:
                given[name] = default()
        params = self._compiled.construct_params(given) or {}
        if self._positional is not None:
            return tuple(p(params[name]) if p else params[name] for name, p in self._positional)
        return {name: p(params[name]) if p else params[name] for name, p in self._named}

    def run(self, cursor: Any, values: Mapping[str, Any]) -> int:
        cursor.execute(self.sql, self.parameters(values))
        return int(cursor.rowcount)


def _default_of(column: sa.Column[Any], default: Any) -> Callable[[], Any]:
    """The value ``Connection.execute`` would write into ``column`` (by its ``default`` or ``onupdate``) when
    a statement leaves it out."""
    if isinstance(default, sa.ColumnDefault):
        if default.is_scalar:
            return lambda: default.arg
        if default.is_callable:  # wrapped by SQLAlchemy to take the execution context, which ours ignore
            return lambda: default.arg(None)
    raise ValueError(f"column {column} has a default a prepared statement cannot compute: give its value")


class Units:
    """One driver connection of ``database``'s pool, held for a loop: ``with units.unit() as cursor`` is one
    committed unit of work (rolled back when it raises). ``prepare`` compiles a statement for it."""

    def __init__(self, database: Database) -> None:
        self._sqlite = database.backend == "sqlite"
        self._dialect = database.engine.dialect
        self._raw = database.engine.raw_connection()

    def prepare(self, statement: sa.ClauseElement) -> Prepared:
        return Prepared(statement, self._dialect)

    @contextlib.contextmanager
    def unit(self) -> Iterator[Any]:
        cursor = self._raw.cursor()
        try:
            if self._sqlite:  # the driver opens no transactions itself (db._on_connect)
                cursor.execute("BEGIN IMMEDIATE")
            yield cursor
            self._raw.commit()
        except BaseException:
            self._raw.rollback()
            raise
        finally:
            cursor.close()

    def close(self) -> None:
        """Give the connection back to the pool."""
        self._raw.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
