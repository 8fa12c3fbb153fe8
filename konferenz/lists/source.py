"""The machinery of the lists behind the main window's tables: search and sort in SQL, display rows by id.

A ``ListSource`` answers three questions, each with one query in a session the caller opens:

- ``ids()``: the ids of the records matching a search, in the requested order. Only the id column is
  selected, so 100,000 persons come back in a few dozen milliseconds on SQLite.
- ``rows()``: the display values of some ids (the block a table is about to show), one query per block.
- ``count()``: how many records the list has without a search.

The table model in ``ui/widgets/table_model.py`` keeps the id list and asks for rows block by block, as Anki's
browser does. Everything here is backend-neutral SQL (SQLite and PostgreSQL) and free of Qt.

Search: the text is folded with ``konferenz.text.fold`` and split at white space; a record matches when it
contains every token. Persons and organisations match against their precomputed ``search_text`` column in
SQL. The other lists are small (one conference's programme, some hundred recommendations), so they filter
the rows of an SQL-sorted query in Python with the same ``fold``: "ozturk" finds "Öztürk" everywhere.

Sort: in SQL, by the column, then by id for a stable order. Text is compared case-insensitively, with the
usual accented initials (Ö, Ü, Ç, Ş, İ …) filed under their base letter, and empty values last.

Display values are strings, or ``int`` for quantities (counts, capacities), which the UI right-aligns and
groups by thousands. Dates are shown as TT.MM.JJJJ, times as HH:MM, enumerations by their German label.

The lists themselves: ``konferenz.lists.registry`` (Adressen), ``konferenz.lists.conferences`` (Konferenzen,
Programm, Protokoll, Ergebnisse), ``konferenz.lists.invitations`` (the invitees of a conference).
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, ClassVar

import sqlalchemy as sa
from sqlalchemy import SQLColumnExpression as Expr

from konferenz.enums import label
from konferenz.storage.schema import (
    agenda_item,
    conference,
    minutes_entry,
    organisation,
    person,
    recommendation,
)
from konferenz.text import collapse_spaces, fold

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from konferenz.storage.db import Database

    #: what the lists read through: a Core connection (the window, ``Database.read_connection``) or an
    #: ORM session (services and tests); this module itself never imports the ORM
    Reader = sa.Connection | Session


#: ids per ``rows()`` query; stays far below the bind-parameter limits of both backends
ROWS_CHUNK = 500


# Accented capitals that begin names, filed under their base letter when sorting (DIN 5007-1 files Ä
# under A; Turkish, Polish and Czech names start with Ç, Ş, İ, Ł, Š …). Only the first letter, and only
# capitals: a full fold in SQL costs several times the sort itself on 100,000 rows. Inside a word the
# database's own order applies (lower(); SQLite compares the rest by code point).
_INITIALS = "ÄÖÜÇŞİÉÈÁŁŠČŽØ"


_INITIAL_BASE = {ch: fold(ch)[:1] or ch for ch in _INITIALS}


def format_date(value: dt.date | None) -> str:
    """TT.MM.JJJJ, or "" for no date."""
    return value.strftime("%d.%m.%Y") if value is not None else ""


def format_time(value: dt.time | None) -> str:
    """HH:MM, or "" for no time."""
    return value.strftime("%H:%M") if value is not None else ""


def format_count(value: int) -> str:
    """An integer with German thousands separators: 10000 → "10.000"."""
    return f"{value:,}".replace(",", ".")


def one_line(text: str | None) -> str:
    """Multi-line text (minutes, notes) as one line for a table cell."""
    return collapse_spaces(text or "")


def search_tokens(search: str) -> list[str]:
    """The folded tokens of a search text; a record matches when it contains all of them."""
    return fold(search).split()


def _label_or_empty(value: StrEnum | None) -> str:
    return label(value) if value is not None else ""


def _join(*parts: str | None, sep: str = " ") -> str:
    return sep.join(p for p in parts if p)


@dataclass(frozen=True)
class _Order:
    """One ORDER BY term; ``fixed`` terms (empties last) ignore the requested direction."""

    expr: Expr[Any]
    fixed: bool = False


def _initial_key(expr: Expr[Any]) -> Expr[Any]:
    first = sa.func.substr(expr, 1, 1)
    return sa.case(_INITIAL_BASE, value=first, else_=sa.func.lower(first))


def text_order(expr: Expr[Any], *, empty_last: bool = True, initial: bool = True) -> list[_Order]:
    """Case-insensitive order of a text expression, accented initials with their base letter.

    ``initial=False`` skips the initial mapping (a second sort key, where it would only cost time).
    """
    terms = [_Order(sa.func.coalesce(expr, "") == "", fixed=True)] if empty_last else []
    if initial:
        terms.append(_Order(_initial_key(expr)))
    return [*terms, _Order(sa.func.lower(expr))]


def key_order(key: Expr[Any], *, empty_last: bool = True) -> list[_Order]:
    """Order of a stored filing key (``person.sort_name``, ``organisation.sort_name``; the rule is
    ``konferenz.sorting``), compared byte-wise on both backends; missing or empty keys last when asked."""
    terms = [_Order(sa.func.coalesce(key, "") == "", fixed=True)] if empty_last else []
    return [*terms, _Order(key)]


def value_order(expr: Expr[Any]) -> list[_Order]:
    """Order of a number, date or time; missing values last in both directions."""
    return [_Order(expr.is_(None), fixed=True), _Order(expr)]


def _enum_order(column: Expr[Any], keys: dict[str, object]) -> Expr[Any]:
    return sa.case(keys, value=column, else_=None)


def label_order(column: Expr[Any], enum_type: type[StrEnum]) -> list[_Order]:
    """Alphabetical order of the German labels of a stored enumeration."""
    return [_Order(_enum_order(column, {m.value: label(m).casefold() for m in enum_type}))]


def workflow_order(column: Expr[Any], enum_type: type[StrEnum]) -> list[_Order]:
    """Order of an enumeration as declared (open → in progress → done)."""
    return [_Order(_enum_order(column, {m.value: i for i, m in enumerate(enum_type)}))]


@dataclass(frozen=True)
class ListColumn:
    """One column of a list: key (stable, English), German header, and how it behaves."""

    key: str
    header: str
    sortable: bool = True
    #: quantities: right-aligned, thousands grouped
    numeric: bool = False
    #: shown whole where the window is too narrow for every column (a status, a date): the other columns
    #: are cut first
    whole: bool = False


def _chunks(ids: Sequence[int], size: int) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _core(session: Reader) -> sa.Connection:
    """The Core connection under ``session`` (the fastest way to read plain rows)."""
    return session if isinstance(session, sa.Connection) else session.connection()


class ListSource(ABC):
    """One list of the window: its columns, the matching ids in order, and display rows by id."""

    #: the German name of the list (also the area or tab name): "Personen", "Programm" …
    name: ClassVar[str]
    columns: ClassVar[tuple[ListColumn, ...]]
    #: the column whose order is the default one (shown as the sort indicator), or None for a
    #: natural order of its own (the running order of a programme)
    default_sort: ClassVar[str | None] = None
    default_descending: ClassVar[bool] = False

    # -- public API

    def ids(
        self,
        session: Reader,
        *,
        search: str = "",
        sort_key: str | None = None,
        descending: bool = False,
        within: Collection[int] | None = None,
    ) -> list[int]:
        """The ids matching ``search`` (all when empty) in the order of column ``sort_key``.

        ``sort_key`` None means the list's default order (``default_sort`` and ``default_descending``).
        ``within``: the list's ``facet_ids`` read before (a table keeps them while the user types): the
        ids are then searched without the facets' conditions and kept when in ``within``.
        """
        if sort_key is None:
            sort_key, descending = self.default_sort, self.default_descending
        elif sort_key not in self.column_keys():
            raise KeyError(f"unknown column {sort_key!r} of list {self.name!r}")
        elif not self.column(sort_key).sortable:
            sort_key, descending = self.default_sort, self.default_descending
        tokens = search_tokens(search)
        stmt = self._id_select() if within is None else self._unfaceted_select()
        if tokens:
            stmt = self._search_sql(stmt, tokens)
        stmt, terms = self._order(stmt, sort_key)
        order_by = [
            t.expr.asc() if t.fixed or not descending else t.expr.desc()
            for t in [*terms, _Order(self._id_column())]
        ]
        stmt = stmt.order_by(*order_by)
        if tokens and self._filters_in_python():
            return self._python_filter(session, stmt, tokens)
        ids = [i for (i,) in _core(session).execute(stmt)]
        if self._may_repeat_ids(sort_key):
            ids = list(dict.fromkeys(ids))
        if within is not None:
            ids = [i for i in ids if i in within]
        return ids

    def facet_ids(self, session: Reader) -> frozenset[int] | None:
        """The ids the list's filters (facets) let through, whatever the search; None when the list has no
        filter of its own that is worth reading once (then ``ids`` applies its conditions in SQL)."""
        return None

    def rows(self, session: Reader, ids: Sequence[int]) -> dict[int, tuple[object, ...]]:
        """The display values of ``ids`` (one tuple per id, in column order); unknown ids are left out."""
        result: dict[int, tuple[object, ...]] = {}
        for chunk in _chunks(list(ids), ROWS_CHUNK):
            result.update(self._rows(session, chunk))
        return result

    def count(self, session: Reader) -> int:
        """The number of records in the list without a search."""
        stmt = sa.select(sa.func.count()).select_from(self._id_select().subquery())
        return int(session.execute(stmt).scalar_one())

    @classmethod
    def column_keys(cls) -> list[str]:
        return [c.key for c in cls.columns]

    @classmethod
    def column(cls, key: str) -> ListColumn:
        for col in cls.columns:
            if col.key == key:
                return col
        raise KeyError(key)

    @classmethod
    def column_index(cls, key: str | None) -> int:
        """The position of column ``key``, -1 for None."""
        return -1 if key is None else cls.column_keys().index(key)

    @property
    def empty_row(self) -> tuple[object, ...]:
        return ("",) * len(self.columns)

    # -- to implement

    @abstractmethod
    def _id_column(self) -> Expr[int]: ...

    @abstractmethod
    def _id_select(self) -> sa.Select[Any]:
        """SELECT of the id column with the list's fixed conditions (one conference …)."""

    def _unfaceted_select(self) -> sa.Select[Any]:
        """``_id_select`` without the conditions ``facet_ids`` stands for (used with ``within``)."""
        return self._id_select()

    @abstractmethod
    def _order(self, stmt: sa.Select[Any], sort_key: str | None) -> tuple[sa.Select[Any], list[_Order]]:
        """The statement (with any joins the order needs) and the ORDER BY terms for ``sort_key``."""

    @abstractmethod
    def _rows(self, session: Reader, ids: Sequence[int]) -> dict[int, tuple[object, ...]]: ...

    def _search_sql(self, stmt: sa.Select[Any], tokens: list[str]) -> sa.Select[Any]:
        """Narrow ``stmt`` to the records containing every token (lists that search in SQL)."""
        return stmt

    def _filters_in_python(self) -> bool:
        return False

    def _search_texts(self, session: Reader, ids: Sequence[int]) -> dict[int, str]:
        """The folded searchable text per id (lists that filter in Python)."""
        return {id_: fold(" ".join(str(v) for v in row)) for id_, row in self.rows(session, ids).items()}

    def _may_repeat_ids(self, sort_key: str | None) -> bool:
        """True when the order joins a table that may list a record twice."""
        return False

    def _python_filter(self, session: Reader, stmt: sa.Select[Any], tokens: list[str]) -> list[int]:
        ids = list(dict.fromkeys(i for (i,) in _core(session).execute(stmt)))
        texts = self._search_texts(session, ids)
        return [i for i in ids if all(tok in texts.get(i, "") for tok in tokens)]


def database_counts(session: Reader) -> dict[str, int]:
    """How many records of each list's kind the database holds (one query; the keys of the window's
    lists): persons and organisations not anonymised are counted as the registry lists show them."""
    counts = {
        "Personen": sa.select(sa.func.count()).select_from(person).where(person.c.anonymised_at.is_(None)),
        "Organisationen": sa.select(sa.func.count()).select_from(organisation),
        "Konferenzen": sa.select(sa.func.count()).select_from(conference),
        "Programm": sa.select(sa.func.count()).select_from(agenda_item),
        "Protokoll": sa.select(sa.func.count()).select_from(minutes_entry),
        "Ergebnisse": sa.select(sa.func.count()).select_from(recommendation),
    }
    row = session.execute(
        sa.select(*(stmt.scalar_subquery().label(f"c{i}") for i, stmt in enumerate(counts.values())))
    ).one()
    return {name: int(value or 0) for name, value in zip(counts, row, strict=True)}


# --- reading through the database (the windows) ---------------------------------------------------------


def read_rows(database: Database, source: ListSource, ids: Sequence[int]) -> dict[int, tuple[object, ...]]:
    """``source.rows(ids)`` in a read-only connection of its own."""
    with database.read_connection() as connection:
        return source.rows(connection, ids)


def read_matches(
    database: Database, source: ListSource, search: str, limit: int
) -> tuple[list[int], dict[int, tuple[object, ...]]]:
    """The first ``limit`` ids matching ``search`` in the list's default order, and their display rows."""
    with database.read_connection() as connection:
        ids = source.ids(connection, search=search)[:limit]
        return ids, source.rows(connection, ids)
