"""Tags ("Schlagwörter") of persons and organisations: the list with their use, setting and deleting them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import sqlalchemy as sa

from konferenz.errors import UserError
from konferenz.registry.records import tags_by_name, touch
from konferenz.registry.validation import unique_names
from konferenz.storage import recording
from konferenz.storage.db import Database
from konferenz.storage.models import Organisation, Person, Tag, organisation_tag, person_tag
from konferenz.text import fold


@dataclass(frozen=True)
class TagInfo:
    id: int
    name: str
    persons: int
    organisations: int


def list_tags(database: Database) -> list[TagInfo]:
    """All tags with how many persons and organisations carry them, by name."""
    with database.read_session() as s:
        persons: dict[int, int] = dict(
            s.execute(sa.select(person_tag.c.tag_id, sa.func.count()).group_by(person_tag.c.tag_id)).all()
        )
        orgs: dict[int, int] = dict(
            s.execute(
                sa.select(organisation_tag.c.tag_id, sa.func.count()).group_by(organisation_tag.c.tag_id)
            ).all()
        )
        tags = s.execute(sa.select(Tag.id, Tag.name)).all()
    return sorted(
        (TagInfo(t.id, t.name, persons.get(t.id, 0), orgs.get(t.id, 0)) for t in tags),
        key=lambda t: (fold(t.name), t.id),
    )


def set_tags(
    database: Database, kind: Literal["person", "organisation"], entity_id: int, names: Sequence[str]
) -> None:
    """Give a person or organisation exactly these tags (created when new, matched ignoring case)."""
    names = unique_names(names)
    with database.session() as s:
        record: Person | Organisation | None = (
            s.get(Person, entity_id) if kind == "person" else s.get(Organisation, entity_id)
        )
        if record is None:
            raise UserError(f"Den Datensatz Nr. {entity_id} gibt es nicht (mehr).")
        tags = tags_by_name(s, names)
        if {t.name.casefold() for t in record.tags} != {n.casefold() for n in names}:
            record.tags = tags
            touch(record)


def delete_tag(database: Database, tag_id: int) -> None:
    """Delete a tag; persons and organisations lose it."""
    with database.session() as s:
        tag = s.get(Tag, tag_id)
        if tag is None:
            return
        person_ids = list(s.scalars(sa.select(person_tag.c.person_id).where(person_tag.c.tag_id == tag_id)))
        org_ids = list(
            s.scalars(
                sa.select(organisation_tag.c.organisation_id).where(organisation_tag.c.tag_id == tag_id)
            )
        )
        recording.log_row_changes(
            s,
            [recording.RowChange("person_tag", {"person_id": p, "tag_id": tag_id}, None) for p in person_ids]
            + [
                recording.RowChange("organisation_tag", {"organisation_id": o, "tag_id": tag_id}, None)
                for o in org_ids
            ],
        )
        s.delete(tag)
