"""What the data protection window reads: the chosen person named as the requests show it."""

from __future__ import annotations

from konferenz.privacy.records import find_person
from konferenz.storage.db import Database


def person_display(database: Database, person_id: int) -> str:
    """ "Dr. Ayşe Öztürk (Nr. 7)"; UserError if there is no such person."""
    with database.read_session() as s:
        person = find_person(s, person_id)
        parts = (person.title, person.first_name, person.name_prefix, person.last_name)
        return f"{' '.join(p for p in parts if p)} (Nr. {person_id})"
