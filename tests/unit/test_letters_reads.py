"""The letter windows' reads (``konferenz.letters.reads``) on both backends: the preview's recipients in
the filing order without anonymised persons, and the letters per status."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from unit.test_conferences import World, build_world

from konferenz.conferences import editing, inviting
from konferenz.enums import InvitationStatus
from konferenz.letters import reads
from konferenz.programme import new_conference
from konferenz.storage.db import Database
from konferenz.storage.models import Invitation, Person


def _conference(db: Database) -> int:
    new_conference.create_conference(
        db, editing.ConferenceData(year=2025, title="Integrationskonferenz 2025")
    )
    inviting.invite(db, 2025, inviting.InviteeFilter(everyone=True))
    with db.read_session() as s:
        return editing.conference_id(s, 2025)


def test_recipients_in_filing_order_without_anonymised_persons(db: Database) -> None:
    world: World = build_world(db)
    conf_id = _conference(db)
    with db.session() as s:
        s.get_one(Person, world.persons[4]).anonymised_at = dt.datetime(2026, 1, 1)
        by_person = {
            (i.person_id, i.organisation_id): i.id
            for i in s.scalars(sa.select(Invitation).where(Invitation.conference_id == conf_id))
        }
    with db.read_session() as s:
        recipients = reads.sample_recipients(s, conf_id)
    assert recipients == [
        ("Öztürk, Ayşe – Türkischer Elternverein Bocholt", by_person[(world.persons[0], world.org_mso)]),
        ("Schulte, Maria – Stadt Borken", by_person[(world.persons[2], world.org_stadt)]),
        ("Syrischer Kulturverein", by_person[(None, world.org_alone)]),
        ("Yılmaz, Mehmet – Türkischer Elternverein Bocholt", by_person[(world.persons[1], world.org_mso)]),
        ("Иванова, Ольга", by_person[(world.persons[3], None)]),
    ]


def test_letter_counts_per_status_leave_anonymised_persons_out(db: Database) -> None:
    world = build_world(db)
    conf_id = _conference(db)
    with db.session() as s:
        s.get_one(Person, world.persons[0]).anonymised_at = dt.datetime(2026, 1, 1)
        invs = list(
            s.scalars(
                sa.select(Invitation)
                .where(Invitation.conference_id == conf_id, Invitation.person_id != world.persons[0])
                .order_by(Invitation.id)
            )
        )
        invs[0].status = InvitationStatus.ACCEPTED
        invs[1].status = InvitationStatus.ACCEPTED
        invs[2].status = InvitationStatus.DECLINED
    with db.read_session() as s:
        counts = reads.letter_counts(s, conf_id)
    # six invitations: the anonymised person's is left out, the organisation alone (no person) counts
    assert counts == {InvitationStatus.ACCEPTED: 2, InvitationStatus.DECLINED: 1, InvitationStatus.PLANNED: 2}
