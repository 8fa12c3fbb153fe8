"""Review of old records: persons not invited to any conference for some years (candidates for erasure),
and the check, inside the erasure's transaction, that they still are."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from konferenz import names
from konferenz.conferences.inviting import primary_roles
from konferenz.errors import UserError
from konferenz.storage import schema
from konferenz.storage.models import Conference, Invitation, Organisation, Person


@dataclass
class ReviewRow:
    person_id: int
    name: str
    last_year: int | None
    created_at: dt.datetime
    #: the organisation of the person's primary role ("" without a role)
    organisation: str = ""


def review(session: Session, years: int = 3, today: dt.date | None = None) -> list[ReviewRow]:
    """Persons (not yet anonymised) not invited to any conference of the last ``years`` years; persons
    never invited count when they were entered longer ago than that."""
    return [
        # the list form, as in the address list ("von Stein, Dr. Dietrich")
        ReviewRow(pid, names.list_name(prefix, last, first, title), year, created, organisation or "")
        for pid, title, first, prefix, last, year, created, organisation in session.execute(
            _review_query(years, today)
        )
    ]


def _review_query(years: int, today: dt.date | None) -> sa.Select[Any]:
    """The rule of ``review`` as a query (id, title, first name, particle, last name, last year, created,
    organisation)."""
    if years < 1:
        raise UserError("Jahre: bitte mindestens 1 angeben.")
    today = today or dt.date.today()
    cutoff_year = today.year - years
    last_year = (
        sa.select(Invitation.person_id, sa.func.max(Conference.year).label("last_year"))
        .join(Conference, Conference.id == Invitation.conference_id)
        .where(Invitation.person_id.is_not(None))
        .group_by(Invitation.person_id)
        .subquery()
    )
    cutoff_date = dt.datetime(today.year - years, today.month, min(today.day, 28))
    primary = primary_roles()
    return (
        sa.select(
            Person.id,
            Person.title,
            Person.first_name,
            Person.name_prefix,
            Person.last_name,
            last_year.c.last_year,
            Person.created_at,
            Organisation.name,
        )
        .outerjoin(last_year, last_year.c.person_id == Person.id)
        .outerjoin(primary, primary.c.person_id == Person.id)
        .outerjoin(Organisation, Organisation.id == primary.c.organisation_id)
        .where(Person.anonymised_at.is_(None))
        .where(
            sa.or_(
                last_year.c.last_year <= cutoff_year,
                sa.and_(last_year.c.last_year.is_(None), Person.created_at < cutoff_date),
            )
        )
        .order_by(*schema.person_order())
    )


def check_still_due(session: Session, ids: list[int], years: int, today: dt.date | None) -> None:
    """UserError naming the persons ``ids`` that are no longer on the review list (invited since it was
    made, anonymised or deleted meanwhile). The person rows are locked first (PostgreSQL: an invitation
    added concurrently waits for this transaction; SQLite holds the write lock already)."""
    found = {
        pid: names.full_name(first, prefix, last)
        for pid, first, prefix, last in session.execute(
            sa.select(Person.id, Person.first_name, Person.name_prefix, Person.last_name)
            .where(Person.id.in_(ids))
            .with_for_update()
        )
    }
    due = {row[0] for row in session.execute(_review_query(years, today).where(Person.id.in_(ids)))}
    gone = [found.get(pid, f"ID {pid}") for pid in ids if pid not in due]
    if gone:
        raise UserError(
            "Nicht mehr auf der Überprüfungsliste (seit der Suche eingeladen, geändert oder schon "
            f"anonymisiert): {'; '.join(gone)}. Es wurde niemand anonymisiert – bitte neu suchen."
        )
