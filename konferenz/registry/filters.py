"""Saved filters ("Verteiler") and the ids a registry filter selects for inviting; the facet conditions are
those of the address lists (``konferenz.lists.facets``).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from konferenz.lists.facets import (
    RegistryFilter,
    SavedFilterInfo,
    contains_tokens,
    organisation_facets,
    person_facets,
    saved_filters,
)
from konferenz.lists.source import search_tokens
from konferenz.registry.validation import FieldError, ValidationError
from konferenz.storage.db import Database
from konferenz.storage.models import SavedFilter
from konferenz.storage.schema import organisation, organisation_order, person, person_order
from konferenz.text import collapse_spaces


def save_filter(database: Database, name: str, flt: RegistryFilter) -> int:
    """Store ``flt`` under ``name`` (replacing a filter of the same name); returns its id."""
    name = collapse_spaces(name)
    if not name:
        raise ValidationError([FieldError("name", "Name: Bitte einen Namen für den Verteiler eintragen.")])
    if len(name) > 200:
        raise ValidationError([FieldError("name", "Name: höchstens 200 Zeichen.")])
    with database.session() as s:
        existing = s.scalar(sa.select(SavedFilter).where(SavedFilter.name == name))
        if existing is None:
            existing = SavedFilter(name=name, definition=flt.to_json())
            s.add(existing)
        else:
            existing.definition = flt.to_json()
        s.flush()
        return existing.id


def list_filters(database: Database) -> list[SavedFilterInfo]:
    """The saved filters ("Verteiler"), by name (``konferenz.lists.facets.saved_filters``)."""
    with database.read_connection() as connection:
        return saved_filters(connection)


def delete_filter(database: Database, filter_id: int) -> None:
    with database.session() as s:
        s.execute(sa.delete(SavedFilter).where(SavedFilter.id == filter_id))


def filter_person_ids(session: Session, flt: RegistryFilter) -> list[int]:
    """Ids of the persons matching ``flt`` (see ``RegistryFilter``), in the filing order."""
    stmt = (
        sa.select(person.c.id)
        .where(*contains_tokens(person.c.search_text, search_tokens(flt.search)), *person_facets(person, flt))
        .order_by(*person_order(person))
    )
    return list(session.scalars(stmt))


def filter_organisation_ids(session: Session, flt: RegistryFilter) -> list[int]:
    """Ids of the organisations matching ``flt``, in the filing order."""
    stmt = (
        sa.select(organisation.c.id)
        .where(
            *contains_tokens(organisation.c.search_text, search_tokens(flt.search)), *organisation_facets(flt)
        )
        .order_by(*organisation_order(organisation))
    )
    return list(session.scalars(stmt))


def filter_ids(session: Session, flt: RegistryFilter) -> list[int]:
    """Person or organisation ids, by ``flt.kind``."""
    return (
        filter_organisation_ids(session, flt)
        if flt.kind == "organisations"
        else filter_person_ids(session, flt)
    )
