"""What the letter windows read about a conference's invitees, as plain rows: the recipients offered for a
template's preview, and how many invitations of each status would get a letter."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from konferenz.enums import InvitationStatus
from konferenz.letters.selection import gets_letters, letter_order
from konferenz.names import list_name
from konferenz.storage.models import Invitation, Person


def sample_recipients(session: Session, conference_id: int) -> list[tuple[str, int]]:
    """(name, invitation id) of the conference's invitees for the preview, in the filing order: "de Vries,
    Dr. Jan – Caritasverband" (anonymised persons are left out)."""
    rows = session.scalars(
        sa.select(Invitation)
        .where(Invitation.conference_id == conference_id)
        .options(selectinload(Invitation.person), selectinload(Invitation.organisation))
    ).all()
    entries = []
    for inv in filter(gets_letters, rows):
        person, org = inv.person, inv.organisation
        org_name = org.name if org is not None else None
        if person is not None:
            name = list_name(person.name_prefix, person.last_name, person.first_name, person.title)
            if org_name is not None:
                name += f" – {org_name}"
        else:
            name = org_name or "?"
        entries.append((letter_order(inv), name, inv.id))
    return [(name, inv_id) for _key, name, inv_id in sorted(entries)]


def letter_counts(session: Session, conference_id: int) -> dict[InvitationStatus, int]:
    """Invitations of the conference per status (anonymised persons get no letters, as in ``letter_contents``)."""
    rows = session.execute(
        sa.select(Invitation.status, sa.func.count())
        .outerjoin(Person, Person.id == Invitation.person_id)
        .where(Invitation.conference_id == conference_id, Person.anonymised_at.is_(None))
        .group_by(Invitation.status)
    ).all()
    return {InvitationStatus(status): int(n) for status, n in rows}
