"""The facets of the address register and the saved filters ("Verteiler") that keep them.

One SQL condition per facet, on the Core tables of ``konferenz.storage.schema``, used by the address lists
(``konferenz.lists.registry``) and by the ids a saved filter invites (``konferenz.registry.filters``), so a
Verteiler shows exactly the records it will invite. All chosen facets must hold; within a facet any of the
chosen values. For persons, category, municipality and tags hold when the person's own value **or** that of
the primary organisation matches (a person without own category counts under the organisation's category;
a person at an MSO in Bocholt is "in Bocholt" even when living elsewhere); anonymised persons never match.

Saved filters are stored by ``konferenz.registry.filters.save_filter`` and read here, so the Adressen area
lists them without the ORM.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, Protocol

import sqlalchemy as sa
from sqlalchemy import SQLColumnExpression as Expr

from konferenz.storage.schema import organisation, organisation_tag, person_tag, role, saved_filter
from konferenz.text import fold

if TYPE_CHECKING:
    from konferenz.lists.source import Reader


class Facets(Protocol):
    """The chosen values per facet (empty: the facet is not chosen)."""

    @property
    def category_ids(self) -> tuple[int, ...]: ...

    @property
    def municipality_ids(self) -> tuple[int, ...]: ...

    @property
    def tag_ids(self) -> tuple[int, ...]: ...


def contains_tokens(search_key: Expr[str], tokens: Iterable[str]) -> list[sa.ColumnElement[bool]]:
    """The stored search key contains every (folded) token of a search."""
    return [search_key.contains(token, autoescape=True) for token in tokens]


def _primary_organisation_members(*conditions: sa.ColumnElement[bool]) -> sa.Select[Any]:
    """Ids of persons whose primary organisation meets ``conditions``."""
    return (
        sa.select(role.c.person_id)
        .join(organisation, organisation.c.id == role.c.organisation_id)
        .where(role.c.is_primary.is_(True), *conditions)
    )


# --- persons (``p``: the person table or an alias of it) ------------------------------------------------


def person_not_anonymised(p: sa.FromClause) -> sa.ColumnElement[bool]:
    """Anonymised persons (Art. 17 DSGVO) never match a facet."""
    return p.c.anonymised_at.is_(None)


def person_in_categories(p: sa.FromClause, category_ids: Iterable[int]) -> sa.ColumnElement[bool]:
    """The person's own category is one of ``category_ids``, or, without one, the primary organisation's."""
    ids = list(category_ids)
    return sa.or_(
        p.c.category_id.in_(ids),
        sa.and_(
            p.c.category_id.is_(None),
            p.c.id.in_(_primary_organisation_members(organisation.c.category_id.in_(ids))),
        ),
    )


def person_in_municipalities(p: sa.FromClause, municipality_ids: Iterable[int]) -> sa.ColumnElement[bool]:
    """The person or the primary organisation is in one of ``municipality_ids``."""
    ids = list(municipality_ids)
    return sa.or_(
        p.c.municipality_id.in_(ids),
        p.c.id.in_(_primary_organisation_members(organisation.c.municipality_id.in_(ids))),
    )


def person_tagged(p: sa.FromClause, tag_ids: Iterable[int]) -> sa.ColumnElement[bool]:
    """The person or the primary organisation carries one of ``tag_ids``."""
    ids = list(tag_ids)
    tagged_orgs = sa.select(organisation_tag.c.organisation_id).where(organisation_tag.c.tag_id.in_(ids))
    return sa.or_(
        p.c.id.in_(sa.select(person_tag.c.person_id).where(person_tag.c.tag_id.in_(ids))),
        p.c.id.in_(_primary_organisation_members(organisation.c.id.in_(tagged_orgs))),
    )


def person_facets(p: sa.FromClause, facets: Facets) -> list[sa.ColumnElement[bool]]:
    """The conditions a person meets under ``facets``: not anonymised, and every chosen facet."""
    conditions = [person_not_anonymised(p)]
    if facets.category_ids:
        conditions.append(person_in_categories(p, facets.category_ids))
    if facets.municipality_ids:
        conditions.append(person_in_municipalities(p, facets.municipality_ids))
    if facets.tag_ids:
        conditions.append(person_tagged(p, facets.tag_ids))
    return conditions


# --- organisations ----------------------------------------------------------------------------------------


def organisation_in_categories(category_ids: Iterable[int]) -> sa.ColumnElement[bool]:
    return organisation.c.category_id.in_(list(category_ids))


def organisation_in_municipalities(municipality_ids: Iterable[int]) -> sa.ColumnElement[bool]:
    return organisation.c.municipality_id.in_(list(municipality_ids))


def organisation_tagged(tag_ids: Iterable[int]) -> sa.ColumnElement[bool]:
    return organisation.c.id.in_(
        sa.select(organisation_tag.c.organisation_id).where(organisation_tag.c.tag_id.in_(list(tag_ids)))
    )


def organisation_facets(facets: Facets) -> list[sa.ColumnElement[bool]]:
    """The conditions an organisation meets under ``facets``: every chosen facet, on its own values."""
    conditions = []
    if facets.category_ids:
        conditions.append(organisation_in_categories(facets.category_ids))
    if facets.municipality_ids:
        conditions.append(organisation_in_municipalities(facets.municipality_ids))
    if facets.tag_ids:
        conditions.append(organisation_tagged(facets.tag_ids))
    return conditions


# --- saved filters ("Verteiler") -------------------------------------------------------------------------


@dataclass(frozen=True)
class RegistryFilter:
    """A registry filter: a search and the facets (see the module docstring), for persons or organisations."""

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
