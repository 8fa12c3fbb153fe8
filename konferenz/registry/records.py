"""What writing a person and an organisation have in common: the version step for an edit of dependents
(``touch``), the plain fields with the municipality derived from the PLZ and the tags (created when new), and
clearing the references to a deleted record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from konferenz.registry.validation import OrganisationData, PersonData, is_germany
from konferenz.storage import recording, snapshot
from konferenz.storage.models import Organisation, Person, Tag
from konferenz.storage.reference import municipality_for_postal_code


def touch(record: Person | Organisation) -> None:
    """Count an edit of dependents (roles, tags, consents) as a new version of the record."""
    record.updated_at = dt.datetime.now().replace(microsecond=0)
    flag_modified(record, "updated_at")


def tags_by_name(session: Session, names: Sequence[str]) -> list[Tag]:
    if not names:
        return []
    existing = {t.name.casefold(): t for t in session.scalars(sa.select(Tag))}
    out = []
    for name in names:
        tag = existing.get(name.casefold())
        if tag is None:
            tag = Tag(name=name)
            session.add(tag)
            existing[name.casefold()] = tag
        out.append(tag)
    return out


def _derive_municipality(
    session: Session, postal_code: str, country: str, chosen: int | None, previous_code: str | None
) -> int | None:
    """The chosen municipality; without one (or when it was derived from the old PLZ), the PLZ's."""
    if not is_germany(country):
        return chosen
    if chosen is not None and previous_code is not None and previous_code != postal_code:
        old = municipality_for_postal_code(session, previous_code)
        if old is not None and old.id == chosen:
            chosen = None  # it followed the old PLZ: follow the new one
    if chosen is None:
        mun = municipality_for_postal_code(session, postal_code)
        return mun.id if mun is not None else None
    return chosen


def apply_fields(
    session: Session,
    record: Person | Organisation,
    data: PersonData | OrganisationData,
    fields: Iterable[str],
) -> int | None:
    """Write the changed plain fields, the municipality (derived from the PLZ unless chosen) and the tags
    of a person or organisation (only what differs, so the audit log and the version see real changes);
    returns the municipality id."""
    previous_code = record.postal_code if record.id is not None else None
    for name in fields:
        if getattr(record, name) != getattr(data, name):
            setattr(record, name, getattr(data, name))
    municipality = _derive_municipality(
        session, data.postal_code, data.country, data.municipality_id, previous_code
    )
    if record.municipality_id != municipality:
        record.municipality_id = municipality
    if {t.name.casefold() for t in record.tags} != {n.casefold() for n in data.tags}:
        record.tags = tags_by_name(session, data.tags)
    return municipality


def clear_references(
    session: Session, refs: Iterable[snapshot.Reference], skip: set[tuple[str, Any]]
) -> None:
    """Set captured ``SET NULL`` references to NULL through Core (the row's version stays: it is the
    referenced record that changes), logging each as a change of the referring record."""
    changes = []
    conn = session.connection()
    for ref in refs:
        ident = dict(ref.key)
        if (ref.table, ident.get("id")) in skip:
            continue
        table = snapshot.TABLES[ref.table]
        values: dict[str, Any] = {ref.column: None}
        if "updated_at" in table.c:
            values["updated_at"] = table.c.updated_at
        conn.execute(sa.update(table).where(*(table.c[k] == v for k, v in ref.key)).values(values))
        changes.append(
            recording.RowChange(ref.table, {**ident, ref.column: ref.value}, {**ident, ref.column: None})
        )
    recording.log_row_changes(session, changes)
