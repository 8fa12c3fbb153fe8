"""A cheap fingerprint of the data per kind, to notice changes made by other users.

The window compares fingerprints on a timer and when it gets the focus back, and refreshes only the lists
whose kind changed. Each fingerprint is one aggregate query over a table (count, highest id, latest change);
the sum of the ``version`` columns catches edits within the same second; small tables without a version
add a checksum over the columns that matter.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from konferenz.models import (
    AgendaItem,
    Conference,
    Forum,
    Invitation,
    MinutesEntry,
    Organisation,
    Person,
    Recommendation,
    RecommendationUpdate,
    Role,
)

Fingerprints = dict[str, tuple[Any, ...]]


def _aggregate(session: Session, *columns: Any) -> tuple[Any, ...]:
    row = session.execute(sa.select(*columns)).one()
    return tuple(row)


def fingerprints(session: Session) -> Fingerprints:
    """Per kind of data (the names used by the window's lists), a tuple that changes when the data does."""
    return {
        "persons": _aggregate(
            session,
            sa.func.count(Person.id),
            sa.func.max(Person.id),
            sa.func.max(Person.updated_at),
            sa.func.sum(Person.version),
        )
        + _aggregate(session, sa.func.count(Role.id), sa.func.max(Role.id)),
        "organisations": _aggregate(
            session,
            sa.func.count(Organisation.id),
            sa.func.max(Organisation.id),
            sa.func.max(Organisation.updated_at),
            sa.func.sum(Organisation.version),
        ),
        "conferences": _aggregate(
            session,
            sa.func.count(Conference.id),
            sa.func.max(Conference.id),
            sa.func.max(Conference.updated_at),
            sa.func.sum(Conference.version),
        )
        + _aggregate(
            session, sa.func.count(Forum.id), sa.func.sum(Forum.id * 7 + sa.func.coalesce(Forum.capacity, 0))
        ),
        "invitations": _aggregate(
            session, sa.func.count(Invitation.id), sa.func.max(Invitation.id), sa.func.sum(Invitation.version)
        ),
        "agenda": _aggregate(
            session,
            sa.func.count(AgendaItem.id),
            sa.func.max(AgendaItem.id),
            sa.func.sum(AgendaItem.id * (AgendaItem.position + 1) + AgendaItem.duration_minutes),
        ),
        "minutes": _aggregate(
            session,
            sa.func.count(MinutesEntry.id),
            sa.func.max(MinutesEntry.id),
            sa.func.max(MinutesEntry.updated_at),
        ),
        "recommendations": _aggregate(
            session,
            sa.func.count(Recommendation.id),
            sa.func.max(Recommendation.id),
            sa.func.max(Recommendation.updated_at),
            sa.func.sum(Recommendation.version),
        )
        + _aggregate(session, sa.func.count(RecommendationUpdate.id)),
    }


def changed_kinds(before: Fingerprints, after: Fingerprints) -> frozenset[str]:
    return frozenset(kind for kind, value in after.items() if before.get(kind) != value)
