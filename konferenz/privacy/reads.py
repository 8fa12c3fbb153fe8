"""What the data protection window and command read: the chosen person named as the requests show it, the
export of everything stored about a person and the persons due for review."""

from __future__ import annotations

from typing import Any

from konferenz.privacy import access, review
from konferenz.privacy.records import find_person
from konferenz.storage.db import Database


def person_display(database: Database, person_id: int) -> str:
    """ "Dr. Ayşe Öztürk (Nr. 7)"; UserError if there is no such person."""
    with database.read_session() as s:
        person = find_person(s, person_id)
        parts = (person.title, person.first_name, person.name_prefix, person.last_name)
        return f"{' '.join(p for p in parts if p)} (Nr. {person_id})"


def person_export(database: Database, person_id: int) -> dict[str, Any]:
    """``access.export_person`` (the Art. 15 export) in a read-only session of its own."""
    with database.read_session() as s:
        return access.export_person(s, person_id)


def review_rows(database: Database, years: int) -> list[review.ReviewRow]:
    """``review.review`` (persons not invited for ``years`` years) in a read-only session of its own."""
    with database.read_session() as s:
        return review.review(s, years)
