"""What a print run covers: the conference by year, a forum by name (and its printed label), the
invitations with everything letters and lists show loaded, and the order of the letters."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from konferenz.enums import InvitationStatus
from konferenz.errors import UserError
from konferenz.sorting import invitee_key
from konferenz.storage.models import Conference, Forum, Invitation, Person, Role
from konferenz.text import fold


def find_conference(session: Session, year: int) -> Conference:
    """The conference of ``year``; UserError naming the years that exist."""
    conf = session.scalar(sa.select(Conference).where(Conference.year == year))
    if conf is None:
        years = ", ".join(
            str(y) for y in session.scalars(sa.select(Conference.year).order_by(Conference.year))
        )
        known = f" Vorhanden: {years}." if years else " Es ist noch keine Konferenz angelegt."
        raise UserError(f"Eine Konferenz {year} gibt es nicht.{known}")
    return conf


def find_forum(session: Session, conference: Conference, name: str) -> Forum:
    """The forum of ``conference`` named ``name`` (title, unique beginning or number); UserError if none."""
    wanted = fold(name)
    forums = list(conference.forums)
    for number, forum in enumerate(forums, start=1):
        if wanted in (fold(forum.title), str(number)):
            return forum
    matches = [f for f in forums if fold(f.title).startswith(wanted) or wanted in fold(f.title)]
    if wanted and len(matches) == 1:
        return matches[0]
    choices = (
        "; ".join(forum_label(n, f.title) for n, f in enumerate(forums, start=1)) or "keine Foren angelegt"
    )
    problem = "ist nicht eindeutig" if len(matches) > 1 else "gibt es nicht"
    raise UserError(f"Das Forum „{name}“ {problem} (Konferenz {conference.year}: {choices}).")


FORUM_PREFIX = re.compile(r"^\s*forum\b", re.IGNORECASE)


def forum_label(number: int, title: str) -> str:
    """ "Forum 2: Arbeit und Ausbildung" – unless the title already starts with "Forum"."""
    return title if FORUM_PREFIX.match(title) else f"Forum {number}: {title}"


def invitation_query(conf_id: int) -> sa.Select[Any]:
    """The invitations of a conference with what letters and lists show loaded (person, organisation,
    forum, substitute, roles, consents)."""
    return (
        sa.select(Invitation)
        .where(Invitation.conference_id == conf_id)
        .options(
            selectinload(Invitation.person).selectinload(Person.roles),
            selectinload(Invitation.person).selectinload(Person.consents),
            selectinload(Invitation.organisation),
            selectinload(Invitation.forum),
            selectinload(Invitation.substitute_person).selectinload(Person.consents),
            selectinload(Invitation.substitute_person)
            .selectinload(Person.roles)
            .selectinload(Role.organisation),
        )
    )


def role_for(invitation: Invitation) -> Role | None:
    """The person's role at the invited organisation, if any (its department goes into the address)."""
    person, organisation = invitation.person, invitation.organisation
    if person is None or organisation is None:
        return None
    return next((r for r in person.roles if r.organisation_id == organisation.id), None)


def letter_order(invitation: Invitation) -> tuple[bytes, int]:
    """The order of letters and labels: the filing order of invitations (``konferenz.sorting.invitee_key``,
    the letter to a person by the person's name, to an organisation by its name)."""
    person, organisation = invitation.person, invitation.organisation
    return invitee_key(
        person.last_name if person is not None else None,
        person.first_name if person is not None else None,
        organisation.name if organisation is not None else None,
        invitation.id,
    )


def select_invitations(
    session: Session,
    conf: Conference,
    status: InvitationStatus | Iterable[InvitationStatus] | None,
    invitation_ids: Iterable[int] | None,
) -> list[Invitation]:
    """The invitations of ``conf`` narrowed by ``status`` and ``invitation_ids``, without anonymised
    persons."""
    stmt = invitation_query(conf.id)
    if status is not None:
        wanted = [status] if isinstance(status, InvitationStatus) else list(status)
        stmt = stmt.where(Invitation.status.in_(wanted))
    if invitation_ids is not None:
        ids = list(invitation_ids)
        stmt = stmt.where(Invitation.id.in_(ids))
    return [inv for inv in session.scalars(stmt) if gets_letters(inv)]


def gets_letters(invitation: Invitation) -> bool:
    """An anonymised person gets no letter, label, badge or line on a list (the invitation stays for the
    statistics)."""
    return invitation.person is None or invitation.person.anonymised_at is None
