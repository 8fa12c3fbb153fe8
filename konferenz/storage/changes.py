"""What changed: the kinds of data, from the tables a unit of work wrote (our own changes) and from a
cheap fingerprint per kind (other users' changes).

The kinds (``PERSONS`` … ``RECOMMENDATIONS``) are what the window's lists subscribe to. Our own changes: every
INSERT, UPDATE and DELETE a unit of work executes is noted by table (``konferenz.storage.db``, ORM flushes and
Core statements alike), and ``Changes.kinds`` maps the tables to kinds with ``KINDS_OF_TABLE`` – so a service
says what it changed without anyone listing it by hand (Anki's ``OpChanges``, derived instead of declared).
Other users' changes: the window compares fingerprints on a timer and when it gets the focus back, and
refreshes only the lists whose kind changed. Each fingerprint is one aggregate query over a table (count,
highest id, latest change); the sum of the ``version`` columns catches edits within the same second; small
tables without a version add a checksum over the columns that matter.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from konferenz.storage.schema import (
    agenda_item,
    conference,
    forum,
    invitation,
    metadata,
    minutes_entry,
    organisation,
    person,
    recommendation,
    recommendation_update,
    role,
)

if TYPE_CHECKING:
    from konferenz.lists.source import Reader

Fingerprints = dict[str, tuple[Any, ...]]

PERSONS = "persons"
ORGANISATIONS = "organisations"
CONFERENCES = "conferences"
INVITATIONS = "invitations"
AGENDA = "agenda"
MINUTES = "minutes"
RECOMMENDATIONS = "recommendations"

#: the kinds of data a write to a table changes (tables not listed – the audit log, settings, import
#: journals, the deletion log – are shown by no list)
KINDS_OF_TABLE: dict[str, frozenset[str]] = {
    "person": frozenset({PERSONS}),
    "role": frozenset({PERSONS}),
    "person_tag": frozenset({PERSONS}),
    "consent_record": frozenset({PERSONS}),
    "organisation": frozenset({ORGANISATIONS}),
    "organisation_tag": frozenset({ORGANISATIONS}),
    # the choices and columns of both address lists
    "category": frozenset({PERSONS, ORGANISATIONS}),
    "municipality": frozenset({PERSONS, ORGANISATIONS}),
    "tag": frozenset({PERSONS, ORGANISATIONS}),
    "saved_filter": frozenset({PERSONS, ORGANISATIONS}),
    "conference": frozenset({CONFERENCES}),
    "forum": frozenset({CONFERENCES}),
    "invitation": frozenset({INVITATIONS}),
    "archived_document": frozenset({INVITATIONS}),
    # an e-mail run records its sendings on the invitations (channel, date, state of each message)
    "mail_run": frozenset({INVITATIONS}),
    "mail_message": frozenset({INVITATIONS}),
    "agenda_item": frozenset({AGENDA}),
    "agenda_person": frozenset({AGENDA}),
    "minutes_entry": frozenset({MINUTES}),
    "recommendation": frozenset({RECOMMENDATIONS}),
    "recommendation_update": frozenset({RECOMMENDATIONS}),
}


#: suffix of an entry in ``Changes.tables`` for a DELETE (its foreign keys change other tables too)
DELETED = ":delete"


@functools.cache
def affected_by_delete(table: str) -> frozenset[str]:
    """The tables a DELETE from ``table`` changes through the database's own foreign-key rules: rows
    deleted by ``ON DELETE CASCADE`` (and what those cascade to), references cleared by ``SET NULL``."""
    out, todo = {table}, [table]
    while todo:
        target = todo.pop()
        for other in metadata.tables.values():
            for fk in other.foreign_keys:
                referenced = fk.column.table.name == target
                if referenced and fk.ondelete in ("CASCADE", "SET NULL") and other.name not in out:
                    out.add(other.name)
                    if fk.ondelete == "CASCADE":
                        todo.append(other.name)
    return frozenset(out)


@dataclass
class Changes:
    """What the units of work inside ``Database.track()`` wrote and committed: table names (a DELETE also
    as ``"<table>:delete"``), and the kinds of data they are (filled when the tracked block ends)."""

    tables: set[str] = field(default_factory=set)

    @property
    def kinds(self) -> frozenset[str]:
        tables = {t for t in self.tables if not t.endswith(DELETED)}
        for entry in self.tables:
            if entry.endswith(DELETED):
                tables |= affected_by_delete(entry.removesuffix(DELETED))
        return frozenset(kind for table in tables for kind in KINDS_OF_TABLE.get(table, ()))


def _aggregate(session: Reader, *columns: Any) -> tuple[Any, ...]:
    row = session.execute(sa.select(*columns)).one()
    return tuple(row)


def fingerprints(session: Reader) -> Fingerprints:
    """Per kind of data (the names used by the window's lists), a tuple that changes when the data does."""
    return {
        PERSONS: _aggregate(
            session,
            sa.func.count(person.c.id),
            sa.func.max(person.c.id),
            sa.func.max(person.c.updated_at),
            sa.func.sum(person.c.version),
        )
        + _aggregate(session, sa.func.count(role.c.id), sa.func.max(role.c.id)),
        ORGANISATIONS: _aggregate(
            session,
            sa.func.count(organisation.c.id),
            sa.func.max(organisation.c.id),
            sa.func.max(organisation.c.updated_at),
            sa.func.sum(organisation.c.version),
        ),
        CONFERENCES: _aggregate(
            session,
            sa.func.count(conference.c.id),
            sa.func.max(conference.c.id),
            sa.func.max(conference.c.updated_at),
            sa.func.sum(conference.c.version),
        )
        + _aggregate(
            session,
            sa.func.count(forum.c.id),
            sa.func.sum(forum.c.id * 7 + sa.func.coalesce(forum.c.capacity, 0)),
        ),
        INVITATIONS: _aggregate(
            session,
            sa.func.count(invitation.c.id),
            sa.func.max(invitation.c.id),
            sa.func.sum(invitation.c.version),
        ),
        AGENDA: _aggregate(
            session,
            sa.func.count(agenda_item.c.id),
            sa.func.max(agenda_item.c.id),
            sa.func.sum(agenda_item.c.id * (agenda_item.c.position + 1) + agenda_item.c.duration_minutes),
        ),
        MINUTES: _aggregate(
            session,
            sa.func.count(minutes_entry.c.id),
            sa.func.max(minutes_entry.c.id),
            sa.func.max(minutes_entry.c.updated_at),
        ),
        RECOMMENDATIONS: _aggregate(
            session,
            sa.func.count(recommendation.c.id),
            sa.func.max(recommendation.c.id),
            sa.func.max(recommendation.c.updated_at),
            sa.func.sum(recommendation.c.version),
        )
        + _aggregate(session, sa.func.count(recommendation_update.c.id)),
    }


def changed_kinds(before: Fingerprints, after: Fingerprints) -> frozenset[str]:
    return frozenset(kind for kind, value in after.items() if before.get(kind) != value)
