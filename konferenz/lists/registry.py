"""The lists behind the tables of the main window: search and sort in SQL, display rows fetched by id.

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
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, ClassVar, Literal

import sqlalchemy as sa
from sqlalchemy import SQLColumnExpression as Expr

from konferenz.enums import AgendaItemType, InvitationStatus, RecommendationStatus, label
from konferenz.storage.schema import (
    agenda_item,
    category,
    conference,
    forum,
    invitation,
    minutes_entry,
    municipality,
    organisation,
    organisation_tag,
    person,
    person_tag,
    recommendation,
    recommendation_update,
    role,
    saved_filter,
    tag,
)
from konferenz.text import collapse_spaces, fold

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    #: what the lists read through: a Core connection (the window, ``Database.read_connection``) or an
    #: ORM session (services and tests); this module itself never imports the ORM
    Reader = sa.Connection | Session

#: ids per ``rows()`` query; stays far below the bind-parameter limits of both backends
ROWS_CHUNK = 500

#: invitation states that mean "the letter went out" (everything after *vorgemerkt*)
INVITED_STATES: frozenset[InvitationStatus] = frozenset(InvitationStatus) - {InvitationStatus.PLANNED}
#: invitation states that mean "said yes" (a substitute, a no-show and an attendee all had accepted)
ACCEPTED_STATES: frozenset[InvitationStatus] = frozenset(
    {
        InvitationStatus.ACCEPTED,
        InvitationStatus.SUBSTITUTED,
        InvitationStatus.ATTENDED,
        InvitationStatus.NO_SHOW,
    }
)
ATTENDED_STATES: frozenset[InvitationStatus] = frozenset({InvitationStatus.ATTENDED})

# Accented capitals that begin names, filed under their base letter when sorting (DIN 5007-1 files Ä
# under A; Turkish, Polish and Czech names start with Ç, Ş, İ, Ł, Š …). Only the first letter, and only
# capitals: a full fold in SQL costs several times the sort itself on 100,000 rows. Inside a word the
# database's own order applies (lower(); SQLite compares the rest by code point).
_INITIALS = "ÄÖÜÇŞİÉÈÁŁŠČŽØ"
_INITIAL_BASE = {ch: fold(ch)[:1] or ch for ch in _INITIALS}


# --- formatting ---------------------------------------------------------------------------------------


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


# --- sort expressions -------------------------------------------------------------------------------


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


# --- the abstraction -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ListColumn:
    """One column of a list: key (stable, English), German header, and how it behaves."""

    key: str
    header: str
    sortable: bool = True
    #: quantities: right-aligned, thousands grouped
    numeric: bool = False


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
    ) -> list[int]:
        """The ids matching ``search`` (all when empty) in the order of column ``sort_key``.

        ``sort_key`` None means the list's default order (``default_sort`` and ``default_descending``).
        """
        if sort_key is None:
            sort_key, descending = self.default_sort, self.default_descending
        elif sort_key not in self.column_keys():
            raise KeyError(f"unknown column {sort_key!r} of list {self.name!r}")
        elif not self.column(sort_key).sortable:
            sort_key, descending = self.default_sort, self.default_descending
        tokens = search_tokens(search)
        stmt = self._id_select()
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
        return ids

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


def _search_text_filter(stmt: sa.Select[Any], column: Expr[str], tokens: Iterable[str]) -> sa.Select[Any]:
    for token in tokens:
        stmt = stmt.where(column.contains(token, autoescape=True))
    return stmt


# --- Adressen ----------------------------------------------------------------------------------------


def _primary_role_join() -> Expr[bool]:
    return sa.and_(role.c.person_id == person.c.id, role.c.is_primary.is_(True))


class _Faceted(ListSource):
    """A list of the address register with optional filters besides the search ("facets"): categories,
    municipalities and tags. All chosen facets must hold; within a facet any of the chosen values.

    The facets are those of ``RegistryFilter`` with the same meaning, so a saved
    distribution list ("Verteiler") shows the records it will invite.
    """

    def __init__(
        self,
        *,
        category_ids: Iterable[int] = (),
        municipality_ids: Iterable[int] = (),
        tag_ids: Iterable[int] = (),
    ) -> None:
        self.category_ids: tuple[int, ...] = tuple(sorted(set(category_ids)))
        self.municipality_ids: tuple[int, ...] = tuple(sorted(set(municipality_ids)))
        self.tag_ids: tuple[int, ...] = tuple(sorted(set(tag_ids)))

    @property
    def filtered(self) -> bool:
        """True when any facet is chosen."""
        return bool(self.category_ids or self.municipality_ids or self.tag_ids)

    def _facets(self) -> tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]:
        return (self.category_ids, self.municipality_ids, self.tag_ids)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Faceted) and type(other) is type(self) and other._facets() == self._facets()

    def __hash__(self) -> int:
        return hash((type(self), self._facets()))

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(category_ids={self.category_ids!r}, "
            f"municipality_ids={self.municipality_ids!r}, tag_ids={self.tag_ids!r})"
        )


def _primary_organisation_members(*conditions: sa.ColumnElement[bool]) -> sa.Select[Any]:
    """Ids of persons whose primary organisation meets ``conditions``."""
    return (
        sa.select(role.c.person_id)
        .join(organisation, organisation.c.id == role.c.organisation_id)
        .where(role.c.is_primary.is_(True), *conditions)
    )


class PersonList(_Faceted):
    """Persons of the address register.

    Anonymised persons (Art. 17 DSGVO) stay in the list as the erasure left them: filtering them out costs
    a scan of the whole table on every search and sort (the name index no longer covers the query). A
    filtered list (facets) leaves them out, as ``registry.filter_person_ids`` does.

    The default order is the stored sort key ``person.sort_name`` (folded last and first name), then the
    search key, then the id: on SQLite one index holds exactly these columns (migration 0003), so a search
    is a scan of that index in display order, without a sort (100,000 persons in a few dozen ms). Facets
    are applied as one ``id IN (…)`` subquery, which keeps that scan.
    """

    name = "Personen"
    columns = (
        ListColumn("name", "Name"),
        ListColumn("first_name", "Vorname"),
        ListColumn("title", "Titel"),
        ListColumn("organisation", "Organisation"),
        ListColumn("function", "Funktion"),
        ListColumn("municipality", "Kommune"),
        ListColumn("city", "Ort"),
        ListColumn("email", "E-Mail"),
        ListColumn("phone", "Telefon"),
    )
    default_sort = "name"

    _PLAIN: ClassVar[dict[str, Expr[Any]]] = {
        "first_name": person.c.first_name,
        "title": person.c.title,
        "city": person.c.city,
        "email": person.c.email,
        "phone": person.c.phone,
    }

    def _id_column(self) -> Expr[int]:
        return person.c.id

    def _id_select(self) -> sa.Select[Any]:
        stmt = sa.select(person.c.id)
        if self.filtered:
            stmt = stmt.where(person.c.id.in_(self._facet_ids()))
        return stmt

    def _facet_ids(self) -> sa.Select[Any]:
        """Ids of the (not anonymised) persons meeting every chosen facet; a person's own category wins
        over the primary organisation's, municipality and tags may be the person's or the organisation's."""
        p = person.alias("faceted_person")
        stmt = sa.select(p.c.id).where(p.c.anonymised_at.is_(None))
        if self.category_ids:
            stmt = stmt.where(
                sa.or_(
                    p.c.category_id.in_(self.category_ids),
                    sa.and_(
                        p.c.category_id.is_(None),
                        p.c.id.in_(
                            _primary_organisation_members(organisation.c.category_id.in_(self.category_ids))
                        ),
                    ),
                )
            )
        if self.municipality_ids:
            stmt = stmt.where(
                sa.or_(
                    p.c.municipality_id.in_(self.municipality_ids),
                    p.c.id.in_(
                        _primary_organisation_members(
                            organisation.c.municipality_id.in_(self.municipality_ids)
                        )
                    ),
                )
            )
        if self.tag_ids:
            tagged_orgs = sa.select(organisation_tag.c.organisation_id).where(
                organisation_tag.c.tag_id.in_(self.tag_ids)
            )
            stmt = stmt.where(
                sa.or_(
                    p.c.id.in_(
                        sa.select(person_tag.c.person_id).where(person_tag.c.tag_id.in_(self.tag_ids))
                    ),
                    p.c.id.in_(_primary_organisation_members(organisation.c.id.in_(tagged_orgs))),
                )
            )
        return stmt

    def _search_sql(self, stmt: sa.Select[Any], tokens: list[str]) -> sa.Select[Any]:
        return _search_text_filter(stmt, person.c.search_text, tokens)

    @staticmethod
    def _function_expr() -> Expr[Any]:
        return sa.func.coalesce(sa.func.nullif(role.c.function, ""), person.c.function)

    def _order(self, stmt: sa.Select[Any], sort_key: str | None) -> tuple[sa.Select[Any], list[_Order]]:
        if sort_key in self._PLAIN:
            return stmt, text_order(self._PLAIN[sort_key])
        if sort_key == "organisation":
            stmt = stmt.outerjoin(role, _primary_role_join()).outerjoin(
                organisation, organisation.c.id == role.c.organisation_id
            )
            return stmt, [*text_order(organisation.c.name), _Order(person.c.sort_name)]
        if sort_key == "function":
            stmt = stmt.outerjoin(role, _primary_role_join())
            return stmt, text_order(self._function_expr())
        if sort_key == "municipality":
            stmt = stmt.outerjoin(municipality, municipality.c.id == person.c.municipality_id)
            return stmt, [*text_order(municipality.c.name), _Order(person.c.sort_name)]
        # "name" and the default: the stored key (folded last name, first name); the search key breaks
        # ties, so the covering index (sort_name, search_text) gives the order as it is scanned
        return stmt, [_Order(person.c.sort_name), _Order(person.c.search_text)]

    def _may_repeat_ids(self, sort_key: str | None) -> bool:
        return sort_key in ("organisation", "function")

    def _rows(self, session: Reader, ids: Sequence[int]) -> dict[int, tuple[object, ...]]:
        stmt = (
            sa.select(
                person.c.id,
                person.c.name_prefix,
                person.c.last_name,
                person.c.first_name,
                person.c.title,
                organisation.c.name,
                self._function_expr(),
                municipality.c.name,
                person.c.city,
                person.c.email,
                person.c.phone,
            )
            .outerjoin(role, _primary_role_join())
            .outerjoin(organisation, organisation.c.id == role.c.organisation_id)
            .outerjoin(municipality, municipality.c.id == person.c.municipality_id)
            .where(person.c.id.in_(ids))
            # with two primary roles by mistake, the older one wins (rows are written in order)
            .order_by(role.c.id.desc())
        )
        rows: dict[int, tuple[object, ...]] = {}
        for pid, prefix, last, first, title, org, function, mun, city, email, phone in session.execute(stmt):
            rows[pid] = (
                _join(prefix, last),
                first,
                title,
                org or "",
                function or "",
                mun or "",
                city,
                email,
                phone,
            )
        return rows


class OrganisationList(_Faceted):
    """Organisations of the address register (facets: the organisation's own category, municipality and
    tags)."""

    name = "Organisationen"
    columns = (
        ListColumn("name", "Name"),
        ListColumn("department", "Abteilung"),
        ListColumn("category", "Kategorie"),
        ListColumn("municipality", "Kommune"),
        ListColumn("city", "Ort"),
        ListColumn("email", "E-Mail"),
        ListColumn("phone", "Telefon"),
        ListColumn("contacts", "Ansprechpersonen", numeric=True),
    )
    default_sort = "name"

    _PLAIN: ClassVar[dict[str, Expr[Any]]] = {
        "department": organisation.c.department,
        "city": organisation.c.city,
        "email": organisation.c.email,
        "phone": organisation.c.phone,
    }

    @staticmethod
    def _contacts_expr() -> Expr[int]:
        return (
            sa.select(sa.func.count(role.c.id))
            .where(role.c.organisation_id == organisation.c.id)
            .correlate(organisation)
            .scalar_subquery()
        )

    def _id_column(self) -> Expr[int]:
        return organisation.c.id

    def _id_select(self) -> sa.Select[Any]:
        stmt = sa.select(organisation.c.id)
        if self.category_ids:
            stmt = stmt.where(organisation.c.category_id.in_(self.category_ids))
        if self.municipality_ids:
            stmt = stmt.where(organisation.c.municipality_id.in_(self.municipality_ids))
        if self.tag_ids:
            stmt = stmt.where(
                organisation.c.id.in_(
                    sa.select(organisation_tag.c.organisation_id).where(
                        organisation_tag.c.tag_id.in_(self.tag_ids)
                    )
                )
            )
        return stmt

    def _search_sql(self, stmt: sa.Select[Any], tokens: list[str]) -> sa.Select[Any]:
        return _search_text_filter(stmt, organisation.c.search_text, tokens)

    def _order(self, stmt: sa.Select[Any], sort_key: str | None) -> tuple[sa.Select[Any], list[_Order]]:
        by_name = text_order(organisation.c.name, empty_last=False)
        if sort_key in self._PLAIN:
            return stmt, [*text_order(self._PLAIN[sort_key]), *by_name]
        if sort_key == "category":
            stmt = stmt.outerjoin(category, category.c.id == organisation.c.category_id)
            return stmt, [*text_order(category.c.name), *by_name]
        if sort_key == "municipality":
            stmt = stmt.outerjoin(municipality, municipality.c.id == organisation.c.municipality_id)
            return stmt, [*text_order(municipality.c.name), *by_name]
        if sort_key == "contacts":
            return stmt, [_Order(self._contacts_expr()), *by_name]
        return stmt, [*by_name, *text_order(organisation.c.department, empty_last=False)]

    def _rows(self, session: Reader, ids: Sequence[int]) -> dict[int, tuple[object, ...]]:
        stmt = (
            sa.select(
                organisation.c.id,
                organisation.c.name,
                organisation.c.department,
                category.c.name,
                municipality.c.name,
                organisation.c.city,
                organisation.c.email,
                organisation.c.phone,
                self._contacts_expr(),
            )
            .outerjoin(category, category.c.id == organisation.c.category_id)
            .outerjoin(municipality, municipality.c.id == organisation.c.municipality_id)
            .where(organisation.c.id.in_(ids))
        )
        return {
            oid: (name, dept, cat or "", mun or "", city, email, phone, int(contacts))
            for oid, name, dept, cat, mun, city, email, phone, contacts in session.execute(stmt)
        }


# --- Konferenzen ------------------------------------------------------------------------------------


def _invitation_count(states: frozenset[InvitationStatus]) -> Expr[int]:
    return (
        sa.select(sa.func.count(invitation.c.id))
        .where(invitation.c.conference_id == conference.c.id, invitation.c.status.in_(sorted(states)))
        .correlate(conference)
        .scalar_subquery()
    )


class ConferenceList(ListSource):
    """All conferences, newest first, with invitation figures.

    *Eingeladen* counts every invitation past *vorgemerkt*; *Zusagen* counts accepted, substituted,
    attended and not-shown invitations (all of them had said yes); *Teilgenommen* counts attendees.
    """

    name = "Konferenzen"
    columns = (
        ListColumn("year", "Jahr"),
        ListColumn("title", "Titel"),
        ListColumn("date", "Datum"),
        ListColumn("venue", "Ort"),
        ListColumn("capacity", "Kapazität", numeric=True),
        ListColumn("invited", "Eingeladen", numeric=True),
        ListColumn("accepted", "Zusagen", numeric=True),
        ListColumn("attended", "Teilgenommen", numeric=True),
    )
    default_sort = "year"
    default_descending = True

    def _id_column(self) -> Expr[int]:
        return conference.c.id

    def _id_select(self) -> sa.Select[Any]:
        return sa.select(conference.c.id)

    def _filters_in_python(self) -> bool:
        return True

    @staticmethod
    def _venue_expr() -> Expr[Any]:
        return sa.func.coalesce(sa.func.nullif(conference.c.venue_name, ""), conference.c.venue_city)

    def _order(self, stmt: sa.Select[Any], sort_key: str | None) -> tuple[sa.Select[Any], list[_Order]]:
        by_year = [_Order(conference.c.year)]
        match sort_key:
            case "title":
                return stmt, text_order(conference.c.title)
            case "date":
                return stmt, [*value_order(conference.c.date), *by_year]
            case "venue":
                return stmt, [*text_order(self._venue_expr()), *by_year]
            case "capacity":
                return stmt, [*value_order(conference.c.capacity), *by_year]
            case "invited":
                return stmt, [_Order(_invitation_count(INVITED_STATES)), *by_year]
            case "accepted":
                return stmt, [_Order(_invitation_count(ACCEPTED_STATES)), *by_year]
            case "attended":
                return stmt, [_Order(_invitation_count(ATTENDED_STATES)), *by_year]
            case _:
                return stmt, by_year

    def _rows(self, session: Reader, ids: Sequence[int]) -> dict[int, tuple[object, ...]]:
        stmt = sa.select(
            conference.c.id,
            conference.c.year,
            conference.c.title,
            conference.c.date,
            conference.c.venue_name,
            conference.c.venue_city,
            conference.c.capacity,
            _invitation_count(INVITED_STATES),
            _invitation_count(ACCEPTED_STATES),
            _invitation_count(ATTENDED_STATES),
        ).where(conference.c.id.in_(ids))
        rows: dict[int, tuple[object, ...]] = {}
        for cid, year, title, date, venue, city, capacity, invited, accepted, attended in session.execute(
            stmt
        ):
            rows[cid] = (
                str(year),
                title,
                format_date(date),
                _join(venue, city, sep=", "),
                capacity if capacity is not None else "",
                int(invited),
                int(accepted),
                int(attended),
            )
        return rows


def category_choices(session: Reader) -> list[tuple[int, str]]:
    """(id, name) of every category in its configured order: the choices of a category filter."""
    stmt = sa.select(category.c.id, category.c.name).order_by(
        category.c.sort_order, category.c.name, category.c.id
    )
    return [(cid, name) for cid, name in session.execute(stmt)]


def municipality_choices(session: Reader) -> list[tuple[int, str]]:
    """(id, name) of the municipalities, alphabetically."""
    rows = session.execute(sa.select(municipality.c.id, municipality.c.name)).all()
    return sorted(((mid, name) for mid, name in rows), key=lambda r: (fold(r[1]), r[0]))


def tag_choices(session: Reader) -> list[tuple[int, str]]:
    """(id, name) of every tag, alphabetically (ignoring case and accents)."""
    rows = session.execute(sa.select(tag.c.id, tag.c.name)).all()
    return sorted(((tid, name) for tid, name in rows), key=lambda r: (fold(r[1]), r[0]))


def organisation_choices(session: Reader) -> list[tuple[int, str]]:
    """(id, "Name – Abteilung") of every organisation, alphabetically: the choices of an organisation
    picker."""
    rows = session.execute(sa.select(organisation.c.id, organisation.c.name, organisation.c.department)).all()
    return sorted(
        ((oid, _join(name, department, sep=" – ")) for oid, name, department in rows),
        key=lambda r: (fold(r[1]), r[0]),
    )


@dataclass(frozen=True)
class Contact:
    """A person with a role in an organisation (the organisation's "Ansprechpersonen")."""

    person_id: int
    name: str
    function: str
    department: str
    is_primary: bool


def organisation_contacts(session: Reader, organisation_id: int) -> list[Contact]:
    """The persons with a role in ``organisation_id``, by name (the role's function, else the person's)."""
    stmt = (
        sa.select(
            person.c.id,
            person.c.title,
            person.c.first_name,
            person.c.name_prefix,
            person.c.last_name,
            sa.func.coalesce(sa.func.nullif(role.c.function, ""), person.c.function),
            role.c.department,
            role.c.is_primary,
        )
        .join(role, role.c.person_id == person.c.id)
        .where(role.c.organisation_id == organisation_id)
        .order_by(person.c.sort_name, person.c.id)
    )
    return [
        Contact(pid, _join(title, first, prefix, last), function or "", department, bool(primary))
        for pid, title, first, prefix, last, function, department, primary in session.execute(stmt)
    ]


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


def conference_choices(session: Reader) -> list[tuple[int, str]]:
    """(id, "2025 – Titel") of every conference, newest first: the choices of a conference selector."""
    stmt = sa.select(conference.c.id, conference.c.year, conference.c.title).order_by(
        conference.c.year.desc(), conference.c.id.desc()
    )
    return [(cid, _join(str(year), title, sep=" – ")) for cid, year, title in session.execute(stmt)]


def newest_conference_with_minutes(session: Reader) -> int | None:
    """The newest conference that has minutes (the Protokoll area starts there), or None."""
    stmt = (
        sa.select(conference.c.id)
        .where(sa.exists().where(minutes_entry.c.conference_id == conference.c.id))
        .order_by(conference.c.year.desc(), conference.c.id.desc())
        .limit(1)
    )
    return session.scalar(stmt)


# --- Programm und Protokoll -------------------------------------------------------------------------


class _ConferencePart(ListSource):
    """A list of one conference; without a conference (none planned yet) it is empty."""

    def __init__(self, conference_id: int | None) -> None:
        self.conference_id = conference_id

    def __repr__(self) -> str:
        return f"{type(self).__name__}(conference_id={self.conference_id!r})"

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, _ConferencePart)
            and type(other) is type(self)
            and other.conference_id == self.conference_id
        )

    def __hash__(self) -> int:
        return hash((type(self), self.conference_id))

    def _filters_in_python(self) -> bool:
        return True


class AgendaList(_ConferencePart):
    """The programme of one conference, in running order unless sorted by a column."""

    name = "Programm"
    columns = (
        ListColumn("start", "Beginn"),
        ListColumn("duration", "Dauer", numeric=True),
        ListColumn("title", "Titel"),
        ListColumn("type", "Art"),
        ListColumn("room", "Raum"),
        ListColumn("contributors", "Mitwirkende"),
    )

    def _id_column(self) -> Expr[int]:
        return agenda_item.c.id

    def _id_select(self) -> sa.Select[Any]:
        return sa.select(agenda_item.c.id).where(agenda_item.c.conference_id == self.conference_id)

    def _order(self, stmt: sa.Select[Any], sort_key: str | None) -> tuple[sa.Select[Any], list[_Order]]:
        running = [*value_order(agenda_item.c.start_time), _Order(agenda_item.c.position)]
        match sort_key:
            case "start":
                return stmt, running
            case "duration":
                return stmt, [_Order(agenda_item.c.duration_minutes), *running]
            case "title":
                return stmt, text_order(agenda_item.c.title)
            case "type":
                return stmt, [*label_order(agenda_item.c.item_type, AgendaItemType), *running]
            case "room":
                return stmt, [*text_order(agenda_item.c.room), *running]
            case "contributors":
                return stmt, [*text_order(agenda_item.c.speakers), *text_order(agenda_item.c.moderation)]
            case _:
                return stmt, [_Order(agenda_item.c.position), *value_order(agenda_item.c.start_time)]

    def _rows(self, session: Reader, ids: Sequence[int]) -> dict[int, tuple[object, ...]]:
        stmt = sa.select(
            agenda_item.c.id,
            agenda_item.c.start_time,
            agenda_item.c.duration_minutes,
            agenda_item.c.title,
            agenda_item.c.item_type,
            agenda_item.c.room,
            agenda_item.c.speakers,
            agenda_item.c.moderation,
        ).where(agenda_item.c.id.in_(ids))
        rows: dict[int, tuple[object, ...]] = {}
        for aid, start, minutes, title, item_type, room, speakers, moderation in session.execute(stmt):
            moderation_text = f"Moderation: {one_line(moderation)}" if moderation.strip() else ""
            contributors = _join(one_line(speakers), moderation_text, sep="; ")
            rows[aid] = (
                format_time(start),
                f"{minutes} Min." if minutes else "",
                title,
                _label_or_empty(item_type),
                room,
                contributors,
            )
        return rows


def _minutes_item_expr() -> Expr[Any]:
    """What a minutes entry is about: its forum's title, else its agenda item's title."""
    return sa.func.coalesce(forum.c.title, agenda_item.c.title, "")


def _minutes_item_text(title: str, is_forum: bool) -> str:
    if is_forum and not title.casefold().startswith("forum"):
        return f"Forum: {title}"
    return title


class MinutesList(_ConferencePart):
    """The minutes of one conference, in the order of the programme and its forums."""

    name = "Protokoll"
    columns = (
        ListColumn("item", "Tagesordnungspunkt / Forum"),
        ListColumn("results", "Ergebnisse"),
        ListColumn("rapporteur", "Berichterstattung"),
    )

    def _id_column(self) -> Expr[int]:
        return minutes_entry.c.id

    def _id_select(self) -> sa.Select[Any]:
        return sa.select(minutes_entry.c.id).where(minutes_entry.c.conference_id == self.conference_id)

    def _joined(self, stmt: sa.Select[Any]) -> sa.Select[Any]:
        return stmt.outerjoin(agenda_item, agenda_item.c.id == minutes_entry.c.agenda_item_id).outerjoin(
            forum, forum.c.id == minutes_entry.c.forum_id
        )

    def _order(self, stmt: sa.Select[Any], sort_key: str | None) -> tuple[sa.Select[Any], list[_Order]]:
        stmt = self._joined(stmt)
        running = [
            *value_order(agenda_item.c.position),
            *value_order(forum.c.sort_order),
        ]
        match sort_key:
            case "item":
                return stmt, text_order(_minutes_item_expr())
            case "results":
                return stmt, [*text_order(minutes_entry.c.results), *running]
            case "rapporteur":
                return stmt, [*text_order(minutes_entry.c.rapporteur), *running]
            case _:
                return stmt, running

    def _rows(self, session: Reader, ids: Sequence[int]) -> dict[int, tuple[object, ...]]:
        stmt = self._joined(
            sa.select(
                minutes_entry.c.id,
                _minutes_item_expr(),
                minutes_entry.c.forum_id,
                minutes_entry.c.results,
                minutes_entry.c.notes,
                minutes_entry.c.rapporteur,
            )
        ).where(minutes_entry.c.id.in_(ids))
        return {
            mid: (
                _minutes_item_text(item, forum_id is not None),
                one_line(results) or one_line(notes),
                rapporteur,
            )
            for mid, item, forum_id, results, notes, rapporteur in session.execute(stmt)
        }


# --- Ergebnisse ------------------------------------------------------------------------------------


_ResponsiblePerson = person.alias("responsible_person")


class RecommendationList(ListSource):
    """Recommendations (Handlungsempfehlungen) of all conferences, newest conference first."""

    name = "Ergebnisse"
    columns = (
        ListColumn("year", "Jahr"),
        ListColumn("text", "Empfehlung"),
        ListColumn("responsible", "Zuständig"),
        ListColumn("due", "Fällig"),
        ListColumn("status", "Status"),
        ListColumn("last_note", "Letzter Vermerk"),
    )
    default_sort = "year"
    default_descending = True

    def _id_column(self) -> Expr[int]:
        return recommendation.c.id

    def _id_select(self) -> sa.Select[Any]:
        return sa.select(recommendation.c.id)

    def _filters_in_python(self) -> bool:
        return True

    @staticmethod
    def _responsible_expr() -> Expr[Any]:
        return sa.func.coalesce(
            sa.func.nullif(organisation.c.name, ""),
            sa.func.nullif(_ResponsiblePerson.c.last_name, ""),
            recommendation.c.responsible_text,
        )

    @staticmethod
    def _last_note_date() -> Expr[Any]:
        return (
            sa.select(sa.func.max(recommendation_update.c.date))
            .where(recommendation_update.c.recommendation_id == recommendation.c.id)
            .correlate(recommendation)
            .scalar_subquery()
        )

    def _order(self, stmt: sa.Select[Any], sort_key: str | None) -> tuple[sa.Select[Any], list[_Order]]:
        match sort_key:
            case "text":
                return stmt, text_order(recommendation.c.text)
            case "responsible":
                stmt = stmt.outerjoin(
                    organisation, organisation.c.id == recommendation.c.responsible_organisation_id
                ).outerjoin(
                    _ResponsiblePerson, _ResponsiblePerson.c.id == recommendation.c.responsible_person_id
                )
                return stmt, text_order(self._responsible_expr())
            case "due":
                return stmt, value_order(recommendation.c.due_date)
            case "status":
                return stmt, [
                    *workflow_order(recommendation.c.status, RecommendationStatus),
                    *value_order(recommendation.c.due_date),
                ]
            case "last_note":
                return stmt, value_order(self._last_note_date())
            case _:
                stmt = stmt.join(conference, conference.c.id == recommendation.c.conference_id)
                return stmt, [_Order(conference.c.year)]

    def _rows(self, session: Reader, ids: Sequence[int]) -> dict[int, tuple[object, ...]]:
        stmt = (
            sa.select(
                recommendation.c.id,
                conference.c.year,
                recommendation.c.text,
                organisation.c.name,
                _ResponsiblePerson.c.title,
                _ResponsiblePerson.c.first_name,
                _ResponsiblePerson.c.name_prefix,
                _ResponsiblePerson.c.last_name,
                recommendation.c.responsible_text,
                recommendation.c.due_date,
                recommendation.c.status,
            )
            .join(conference, conference.c.id == recommendation.c.conference_id)
            .outerjoin(organisation, organisation.c.id == recommendation.c.responsible_organisation_id)
            .outerjoin(_ResponsiblePerson, _ResponsiblePerson.c.id == recommendation.c.responsible_person_id)
            .where(recommendation.c.id.in_(ids))
        )
        notes: dict[int, str] = {}
        updates = (
            sa.select(
                recommendation_update.c.recommendation_id,
                recommendation_update.c.date,
                recommendation_update.c.note,
                recommendation_update.c.status,
            )
            .where(recommendation_update.c.recommendation_id.in_(ids))
            .order_by(recommendation_update.c.date, recommendation_update.c.id)
        )
        for rid, date, note, status in session.execute(updates):
            notes[rid] = f"{format_date(date)}: {one_line(note) or _label_or_empty(status)}"
        rows: dict[int, tuple[object, ...]] = {}
        for rid, year, text, org, title, first, prefix, last, free, due, status in session.execute(stmt):
            person = _join(title, first, prefix, last)
            rows[rid] = (
                str(year),
                one_line(text),
                _join(org, person, free, sep=", "),
                format_date(due),
                _label_or_empty(status),
                notes.get(rid, ""),
            )
        return rows


# --- saved filters ("Verteiler") -------------------------------------------------------------------------
#
# Stored by ``konferenz.registry.service.save_filter``; read here, so the Adressen area lists them without the ORM.


@dataclass(frozen=True)
class RegistryFilter:
    """A registry filter: all facets must hold; within a facet any of the chosen values.

    For persons, category, municipality and tags hold when the person's own value **or** that of the
    primary organisation matches (a person without own category counts under the organisation's; a person
    at an MSO in Bocholt is "in Bocholt" even when living elsewhere). Anonymised persons never match.
    """

    kind: Literal["persons", "organisations"] = "persons"
    search: str = ""
    category_ids: tuple[int, ...] = ()
    municipality_ids: tuple[int, ...] = ()
    tag_ids: tuple[int, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "search": self.search,
            "category_ids": list(self.category_ids),
            "municipality_ids": list(self.municipality_ids),
            "tag_ids": list(self.tag_ids),
        }

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> RegistryFilter:
        kind = raw.get("kind", "persons")
        return cls(
            kind="organisations" if kind == "organisations" else "persons",
            search=str(raw.get("search", "")),
            category_ids=tuple(int(i) for i in raw.get("category_ids", [])),
            municipality_ids=tuple(int(i) for i in raw.get("municipality_ids", [])),
            tag_ids=tuple(int(i) for i in raw.get("tag_ids", [])),
        )


@dataclass(frozen=True)
class SavedFilterInfo:
    id: int
    name: str
    filter: RegistryFilter


def saved_filters(session: Reader) -> list[SavedFilterInfo]:
    """The saved filters ("Verteiler"), by name."""
    rows = session.execute(sa.select(saved_filter.c.id, saved_filter.c.name, saved_filter.c.definition)).all()
    return sorted(
        (SavedFilterInfo(r.id, r.name, RegistryFilter.from_json(r.definition or {})) for r in rows),
        key=lambda f: fold(f.name),
    )
