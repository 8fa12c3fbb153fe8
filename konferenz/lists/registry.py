"""The lists of the address register (persons, organisations), the choices of its pickers and filters, and an
organisation's contact persons. Facets: ``konferenz.lists.facets``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import sqlalchemy as sa
from sqlalchemy import SQLColumnExpression as Expr

from konferenz import names
from konferenz.lists.facets import contains_tokens, organisation_facets, person_facets
from konferenz.lists.source import ListColumn, ListSource, _join, _Order, key_order, text_order
from konferenz.storage.schema import category, municipality, organisation, person, role, tag
from konferenz.text import fold

if TYPE_CHECKING:
    from konferenz.lists.source import Reader
    from konferenz.storage.db import Database


def _primary_role_join() -> Expr[bool]:
    return sa.and_(role.c.person_id == person.c.id, role.c.is_primary.is_(True))


class _Faceted(ListSource):
    """A list of the address register with optional filters besides the search ("facets"): categories,
    municipalities and tags. All chosen facets must hold; within a facet any of the chosen values.

    The facets are those of ``RegistryFilter`` with the same conditions (``konferenz.lists.facets``), so a
    saved distribution list ("Verteiler") shows the records it will invite.
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

    def _unfaceted_select(self) -> sa.Select[Any]:
        return sa.select(person.c.id)

    def facet_ids(self, session: Reader) -> frozenset[int] | None:
        """The persons meeting the chosen facets (read once: the facets' subquery costs as much as the
        search itself on 100,000 persons, on every keystroke)."""
        if not self.filtered:
            return None
        return frozenset(i for (i,) in session.execute(self._facet_ids()))

    def _facet_ids(self) -> sa.Select[Any]:
        """Ids of the (not anonymised) persons meeting every chosen facet (``konferenz.lists.facets``)."""
        p = person.alias("faceted_person")
        return sa.select(p.c.id).where(*person_facets(p, self))

    def _search_sql(self, stmt: sa.Select[Any], tokens: list[str]) -> sa.Select[Any]:
        return stmt.where(*contains_tokens(person.c.search_text, tokens))

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
            return stmt, [*key_order(organisation.c.sort_name), _Order(person.c.sort_name)]
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
                names.surname(prefix, last),
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
        return sa.select(organisation.c.id).where(*organisation_facets(self))

    def _search_sql(self, stmt: sa.Select[Any], tokens: list[str]) -> sa.Select[Any]:
        return stmt.where(*contains_tokens(organisation.c.search_text, tokens))

    def _order(self, stmt: sa.Select[Any], sort_key: str | None) -> tuple[sa.Select[Any], list[_Order]]:
        by_name = key_order(organisation.c.sort_name, empty_last=False)
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


def category_choices(session: Reader) -> list[tuple[int, str]]:
    """(id, name) of every category in its configured order: the choices of a category filter."""
    rows = session.execute(sa.select(category.c.id, category.c.name, category.c.sort_order)).all()
    return [(r.id, r.name) for r in sorted(rows, key=lambda r: (r.sort_order, fold(r.name), r.id))]


def municipality_choices(session: Reader) -> list[tuple[int, str]]:
    """(id, name) of the municipalities, alphabetically."""
    rows = session.execute(sa.select(municipality.c.id, municipality.c.name)).all()
    return sorted(((mid, name) for mid, name in rows), key=lambda r: (fold(r[1]), r[0]))


def tag_choices(session: Reader) -> list[tuple[int, str]]:
    """(id, name) of every tag, alphabetically (ignoring case and accents)."""
    rows = session.execute(sa.select(tag.c.id, tag.c.name)).all()
    return sorted(((tid, name) for tid, name in rows), key=lambda r: (fold(r[1]), r[0]))


def organisation_choices(session: Reader) -> list[tuple[int, str]]:
    """(id, "Name – Abteilung") of every organisation in the filing order (``konferenz.sorting``; departments
    of one name by their folded department): the choices of an organisation picker."""
    rows = session.execute(
        sa.select(organisation.c.id, organisation.c.name, organisation.c.department, organisation.c.sort_name)
    ).all()
    rows = sorted(rows, key=lambda r: (r.sort_name.encode("utf-8"), fold(r.department or ""), r.id))
    return [(oid, _join(name, department, sep=" – ")) for oid, name, department, _key in rows]


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
        Contact(
            pid, names.name_with_title(title, first, prefix, last), function or "", department, bool(primary)
        )
        for pid, title, first, prefix, last, function, department, primary in session.execute(stmt)
    ]


# --- reading through the database (the windows) ---------------------------------------------------------


@dataclass(frozen=True)
class RegistryChoices:
    """The choices of the registry's pickers and filters, each (id, name) in its order."""

    categories: list[tuple[int, str]]
    municipalities: list[tuple[int, str]]
    tags: list[tuple[int, str]]


def registry_choices(database: Database) -> RegistryChoices:
    """Categories, municipalities and tags to choose from (one read-only connection)."""
    with database.read_connection() as connection:
        return RegistryChoices(
            category_choices(connection), municipality_choices(connection), tag_choices(connection)
        )


def organisations_to_choose(database: Database) -> list[tuple[int, str]]:
    """``organisation_choices`` in a read-only connection of its own."""
    with database.read_connection() as connection:
        return organisation_choices(connection)


def contacts_of(database: Database, organisation_id: int) -> list[Contact]:
    """``organisation_contacts`` in a read-only connection of its own."""
    with database.read_connection() as connection:
        return organisation_contacts(connection, organisation_id)
