"""A cheap fingerprint of the data per kind, to notice changes made by other users.

The window compares fingerprints on a timer and when it gets the focus back, and refreshes only the lists
whose kind changed. Each fingerprint is one aggregate query over a table (count, highest id, latest change);
the sum of the ``version`` columns catches edits within the same second; small tables without a version
add a checksum over the columns that matter.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from konferenz.storage.schema import (
    agenda_item,
    conference,
    forum,
    invitation,
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


def _aggregate(session: Reader, *columns: Any) -> tuple[Any, ...]:
    row = session.execute(sa.select(*columns)).one()
    return tuple(row)


def fingerprints(session: Reader) -> Fingerprints:
    """Per kind of data (the names used by the window's lists), a tuple that changes when the data does."""
    return {
        "persons": _aggregate(
            session,
            sa.func.count(person.c.id),
            sa.func.max(person.c.id),
            sa.func.max(person.c.updated_at),
            sa.func.sum(person.c.version),
        )
        + _aggregate(session, sa.func.count(role.c.id), sa.func.max(role.c.id)),
        "organisations": _aggregate(
            session,
            sa.func.count(organisation.c.id),
            sa.func.max(organisation.c.id),
            sa.func.max(organisation.c.updated_at),
            sa.func.sum(organisation.c.version),
        ),
        "conferences": _aggregate(
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
        "invitations": _aggregate(
            session,
            sa.func.count(invitation.c.id),
            sa.func.max(invitation.c.id),
            sa.func.sum(invitation.c.version),
        ),
        "agenda": _aggregate(
            session,
            sa.func.count(agenda_item.c.id),
            sa.func.max(agenda_item.c.id),
            sa.func.sum(agenda_item.c.id * (agenda_item.c.position + 1) + agenda_item.c.duration_minutes),
        ),
        "minutes": _aggregate(
            session,
            sa.func.count(minutes_entry.c.id),
            sa.func.max(minutes_entry.c.id),
            sa.func.max(minutes_entry.c.updated_at),
        ),
        "recommendations": _aggregate(
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
