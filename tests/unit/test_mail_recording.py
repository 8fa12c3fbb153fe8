"""Recording delivered messages on their invitations (``outbox.record_delivered``), which writes through Core
for speed (issue 16, mail_ratio): the invitations change as ``apply_sending`` says, their ``version`` rises
(a window holding one sees the conflict), the audit log holds exactly what the ORM listener writes for the
same change, and an address marked failing works again."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from konferenz.enums import Channel, InvitationStatus
from konferenz.errors import ConflictError
from konferenz.letters.sending import apply_sending
from konferenz.mail import outbox
from konferenz.storage.db import Database
from konferenz.storage.models import AuditEntry, Conference, Invitation, Person

TODAY = dt.date(2027, 9, 14)
BEFORE = dt.date(2027, 9, 1)
#: (first name, last name, address, status, invited on) – vorgemerkt, eingeladen by post, zugesagt
INVITEES = [
    ("Ayşe", "Öztürk", "ayse@example.org", InvitationStatus.PLANNED, None),
    ("Олена", "Шевченко", "olena@example.org", InvitationStatus.INVITED, BEFORE),
    ("Nguyễn", "Thị Minh", "minh@example.org", InvitationStatus.ACCEPTED, BEFORE),
]


def _conference(db: Database, year: int) -> dict[str, int]:
    """A conference with the invitees; their invitation ids by address."""
    ids = {}
    with db.session() as s:
        conference = Conference(year=year, title=f"Integrationskonferenz {year}")
        s.add(conference)
        s.flush()
        for first, last, address, status, invited_on in INVITEES:
            person = Person(first_name=first, last_name=last, email=address)
            s.add(person)
            s.flush()
            channel = Channel.POST if invited_on else None
            invitation = Invitation(
                conference_id=conference.id,
                person_id=person.id,
                status=status,
                invited_on=invited_on,
                invitation_channel=channel,
            )
            s.add(invitation)
            s.flush()
            ids[address] = invitation.id
    return ids


def _deliver(db: Database, year: int, template: str) -> None:
    """A run whose messages the server accepted (claimed, then delivered), not yet recorded."""
    plan = outbox.plan_recipients(db, year, template, list(InvitationStatus))
    run_id = outbox.create_run(
        db, plan.conference_id, template, plan.email, from_address="kiz@kreis-borken.de"
    ).run_id
    for pk in outbox.queued_ids(db, run_id):
        assert outbox.claim(db, pk, b"Subject: x\r\n\r\nx\r\n", "x")
        outbox.mark_delivered(db, pk, 250, "2.0.0 Ok")


def _logged(db: Database, ids: dict[str, int]) -> dict[str, set[tuple[str, str, str | None, str | None]]]:
    with db.read_session() as s:
        entries = s.scalars(sa.select(AuditEntry).where(AuditEntry.entity_type == "invitation")).all()
    by_id = {invitation_id: address for address, invitation_id in ids.items()}
    found: dict[str, set[tuple[str, str, str | None, str | None]]] = {address: set() for address in ids}
    for entry in entries:
        if entry.entity_id in by_id and entry.action.value != "create":  # the sending's entries
            found[by_id[entry.entity_id]].add(
                (entry.action.value, entry.field, entry.old_value, entry.new_value)
            )
    return found


@pytest.mark.parametrize("template", ["einladung", "erinnerung", "dank"])
def test_the_invitations_change_and_are_logged_as_through_the_orm(db: Database, template: str) -> None:
    core, orm = _conference(db, 2027), _conference(db, 2028)
    _deliver(db, 2027, template)
    with db.read_session() as s:
        versions = {a: s.get(Invitation, i).version for a, i in core.items()}  # type: ignore[union-attr]
    assert outbox.record_delivered(db, today=TODAY) == len(INVITEES)
    # the same change through the ORM, for the second conference: what the listener logs
    with db.session() as s:
        for invitation_id in orm.values():
            invitation = s.get(Invitation, invitation_id)
            assert invitation is not None
            apply_sending(invitation, template, Channel.EMAIL, TODAY)
    assert _logged(db, core) == _logged(db, orm)
    with db.read_session() as s:
        for address, invitation_id in core.items():
            through_core, through_orm = s.get(Invitation, invitation_id), s.get(Invitation, orm[address])
            assert through_core is not None and through_orm is not None
            fields = ("status", "invitation_channel", "invited_on", "reminded_on", "letter_template")
            assert [getattr(through_core, f) for f in fields] == [getattr(through_orm, f) for f in fields]
            assert through_core.version == versions[address] + 1
    if template == "einladung":  # the rule, spelled out once
        assert _logged(db, core)["ayse@example.org"] == {
            ("update", "status", "planned", "invited"),
            ("update", "invitation_channel", None, "email"),
            ("update", "invited_on", None, TODAY.isoformat()),
            ("update", "letter_template", "", "einladung"),
        }


def test_a_window_holding_an_invitation_sees_the_conflict(db: Database) -> None:
    ids = _conference(db, 2027)
    with db.read_session() as s:
        held = s.get(Invitation, ids["ayse@example.org"])
        assert held is not None
        s.expunge(held)
    _deliver(db, 2027, "einladung")
    outbox.record_delivered(db, today=TODAY)
    with pytest.raises(ConflictError), db.session() as s:
        stale = s.merge(held, load=False)
        stale.notes = "am Telefon zugesagt"


def test_an_address_marked_failing_works_again(db: Database) -> None:
    ids = _conference(db, 2027)
    _deliver(db, 2027, "einladung")
    # marked failing meanwhile (another run was refused), before this run's delivery is recorded
    with db.session() as s:
        invitation = s.get(Invitation, ids["olena@example.org"])
        assert invitation is not None and invitation.person is not None
        invitation.person.email_failing = "550 5.1.1 user unknown"
        invitation.person.email_failing_at = dt.datetime(2027, 9, 2, 10, 0)
    outbox.record_delivered(db, today=TODAY)
    with db.read_session() as s:
        people = s.scalars(sa.select(Person)).all()
        assert all(p.email_failing == "" and p.email_failing_at is None for p in people)
        logged = s.scalars(
            sa.select(AuditEntry).where(
                AuditEntry.entity_type == "person", AuditEntry.field == "email_failing"
            )
        ).all()
    assert [(e.old_value, e.new_value) for e in logged][-1] == ("550 5.1.1 user unknown", "")
