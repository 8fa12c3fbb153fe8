"""What finds a person's records for a data protection request: the person by id, the person's
invitations (now and, from the audit log, earlier ones) and the audit entity types that describe a person."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from konferenz.errors import UserError
from konferenz.storage.models import AuditEntry, Invitation, Person

#: audit entity types whose entries with the person's id describe the person
PERSON_AUDIT_TYPES = ("person",)


def find_person(session: Session, person_id: int) -> Person:
    """The person ``person_id``; UserError if there is none."""
    person = session.get(Person, person_id)
    if person is None:
        raise UserError(f"Eine Person mit der ID {person_id} gibt es nicht.")
    return person


def invitation_ids(session: Session, person_id: int) -> list[int]:
    """The person's invitations: those that name the person now, and (from the audit log) those that did."""
    current = session.scalars(sa.select(Invitation.id).where(Invitation.person_id == person_id)).all()
    logged = session.scalars(
        sa.select(AuditEntry.entity_id).where(
            AuditEntry.entity_type == "invitation",
            AuditEntry.field == "person_id",
            sa.or_(AuditEntry.new_value == str(person_id), AuditEntry.old_value == str(person_id)),
        )
    ).all()
    return sorted({*current, *logged})
