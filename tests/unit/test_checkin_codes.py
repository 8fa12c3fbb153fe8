"""Check-in by QR code on both backends: the token of every invitation (random, unique, filled by migration
0007), reading what a scanner types, and each outcome of a scan, checked in the database."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import sqlalchemy as sa
import test_conferences as conference_tests
from test_conferences import World

from konferenz.conferences import checkin, editing, inviting, replies
from konferenz.conferences.checkin import CheckInCode, ScanOutcome, code_payload, read_code
from konferenz.enums import InvitationStatus
from konferenz.letters import sheets
from konferenz.programme import new_conference
from konferenz.storage import migrations, schema
from konferenz.storage.db import Database
from konferenz.storage.models import Invitation, Person

# the world of the conference tests: five persons (Turkish, Cyrillic, Vietnamese names), organisations, 2025
world = conference_tests.world

TOKEN = re.compile(f"[{schema.CHECKIN_TOKEN_ALPHABET}]{{{schema.CHECKIN_TOKEN_LENGTH}}}")


def invitations(db: Database, year: int = 2025) -> dict[int | None, Invitation]:
    """The invitations of ``year`` by person id (None: the organisation alone)."""
    with db.read_session() as s:
        conf_id = editing.conference_id(s, year)
        rows = s.scalars(
            sa.select(Invitation).where(Invitation.conference_id == conf_id).order_by(Invitation.id)
        ).all()
    return {inv.person_id: inv for inv in rows}


def invite_all(db: Database, year: int = 2025) -> dict[int | None, Invitation]:
    inviting.invite(db, year, inviting.InviteeFilter(everyone=True))
    return invitations(db, year)


def add_2026(db: Database) -> None:
    new_conference.create_conference(
        db,
        editing.ConferenceData(year=2026, title="Integrationskonferenz 2026", date=dt.date(2026, 11, 5)),
    )


# --- the token ---------------------------------------------------------------------------------------------


def test_every_new_invitation_gets_its_own_random_token(world: World, db: Database) -> None:
    invited = invite_all(db)  # the Core path (one INSERT for many)
    with db.session() as s:
        newcomer = Person(last_name="Trần", first_name="Minh")
        s.add(newcomer)
        s.flush()
        newcomer_id = newcomer.id
    walk_in = checkin.add_walk_in(db, 2025, newcomer_id)  # the ORM path
    tokens = [inv.checkin_token for inv in invitations(db).values()]
    assert len(tokens) == len(invited) + 1 == 7
    assert all(TOKEN.fullmatch(t) for t in tokens), tokens
    assert len(set(tokens)) == len(tokens)
    assert invitations(db)[newcomer_id].id == walk_in
    # the unique index refuses a copy
    first, second = tokens[:2]
    with pytest.raises(sa.exc.IntegrityError), db.session() as s:
        s.execute(sa.update(Invitation).where(Invitation.checkin_token == second).values(checkin_token=first))


def test_token_generator_spreads_over_the_alphabet() -> None:
    tokens = {schema.checkin_token() for _ in range(2000)}
    assert len(tokens) == 2000
    used = set("".join(tokens))
    assert used == set(schema.CHECKIN_TOKEN_ALPHABET)
    assert not used & set("01ILOYZ")  # nothing to confuse, nothing a US-layout scanner swaps


def test_migration_0007_fills_a_token_for_every_existing_invitation(world: World, db: Database) -> None:
    invite_all(db)
    migrations.downgrade(db.engine, "0006")
    with db.engine.connect() as conn:
        assert "checkin_token" not in {c["name"] for c in sa.inspect(conn).get_columns("invitation")}
    migrations.upgrade(db.engine)
    with db.engine.connect() as conn:
        tokens = conn.execute(sa.text("SELECT checkin_token FROM invitation")).scalars().all()
        indexes = {i["name"]: i for i in sa.inspect(conn).get_indexes("invitation")}
    assert len(tokens) == 6 and len(set(tokens)) == 6
    assert all(TOKEN.fullmatch(t) for t in tokens)
    assert indexes["ix_invitation_checkin_token"]["unique"]


# --- reading what the scanner typed --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("KIK:2026:7GQ4MXC2RT", CheckInCode(2026, "7GQ4MXC2RT")),
        ("  kik:2026:7gq4mxc2rt\n", CheckInCode(2026, "7GQ4MXC2RT")),  # Caps Lock, a trailing newline
        ("KIKÖ2026Ö7GQ4MXC2RT", CheckInCode(2026, "7GQ4MXC2RT")),  # a US-layout scanner on a German keyboard
        ("Öztürk", None),
        ("KIK:26:7GQ4MXC2RT", None),
        ("KIK:2026:", None),
        ("Kiki Meier", None),
    ],
)
def test_read_code(typed: str, expected: CheckInCode | None) -> None:
    assert read_code(typed) == expected


def test_payload_round_trip() -> None:
    token = schema.checkin_token()
    assert code_payload(2026, token) == f"KIK:2026:{token}"
    assert read_code(code_payload(2026, token)) == CheckInCode(2026, token)
    assert checkin.looks_like_code("kik:20") and not checkin.looks_like_code("Kiki")


# --- the outcomes of a scan ----------------------------------------------------------------------------------


def test_scan_checks_in_and_a_second_scan_says_since_when(world: World, db: Database) -> None:
    invited = invite_all(db)
    ayse = invited[world.persons[0]]
    replies.set_status(db, [ayse.id], InvitationStatus.ACCEPTED)
    at = dt.datetime(2025, 11, 6, 9, 14)
    result = checkin.scan(db, 2025, code_payload(2025, ayse.checkin_token), now=at)
    assert result.outcome is ScanOutcome.CHECKED_IN and result.checked_in
    assert result.message() == "Willkommen: Öztürk, Ayşe (Türkischer Elternverein Bocholt)"
    stored = invitations(db)[world.persons[0]]
    assert (stored.status, stored.checked_in_at) == (InvitationStatus.ATTENDED, at)
    assert [st.status for st in result.before] == [InvitationStatus.ACCEPTED]
    assert [st.status for st in result.after] == [InvitationStatus.ATTENDED]

    again = checkin.scan(
        db, 2025, code_payload(2025, ayse.checkin_token).lower(), now=at + dt.timedelta(hours=1)
    )
    assert again.outcome is ScanOutcome.ALREADY and not again.checked_in
    assert (
        again.message()
        == "Öztürk, Ayşe (Türkischer Elternverein Bocholt) ist bereits angemeldet um 09:14 Uhr."
    )
    assert again.before == again.after == ()
    assert invitations(db)[world.persons[0]].checked_in_at == at  # unchanged
    next_day = checkin.scan(db, 2025, code_payload(2025, ayse.checkin_token), now=at + dt.timedelta(days=1))
    assert "bereits angemeldet am 06.11.2025 um 09:14 Uhr" in next_day.message()

    # undo of the scan restores the reply fields
    replies.restore_reply_states(db, list(result.before), list(result.after))
    assert invitations(db)[world.persons[0]].status is InvitationStatus.ACCEPTED


def test_scan_of_a_declined_invitee_lets_them_in_and_says_what_they_had_answered(
    world: World, db: Database
) -> None:
    invited = invite_all(db)
    olga = invited[world.persons[3]]
    replies.set_status(db, [olga.id], InvitationStatus.DECLINED)
    result = checkin.scan(db, 2025, code_payload(2025, olga.checkin_token))
    assert result.outcome is ScanOutcome.CHECKED_IN_UNEXPECTED and result.checked_in
    assert result.previous is InvitationStatus.DECLINED
    assert result.message() == (
        "Willkommen: Иванова, Ольга – Achtung, bisher „abgesagt“. Jetzt als teilgenommen eingetragen."
    )
    assert invitations(db)[world.persons[3]].status is InvitationStatus.ATTENDED


def test_scan_of_a_substitute_names_both(world: World, db: Database) -> None:
    invited = invite_all(db)
    maria = invited[world.persons[2]]
    replies.record_reply(
        db, maria.id, replies.Reply(InvitationStatus.SUBSTITUTED, substitute_name="Jonas Brüggemann")
    )
    result = checkin.scan(db, 2025, code_payload(2025, maria.checkin_token))
    assert result.outcome is ScanOutcome.CHECKED_IN
    assert result.message() == "Willkommen: Schulte, Maria (Stadt Borken) – vertreten durch Jonas Brüggemann"
    assert result.message(lambda t: f"<{t}>") == (
        "Willkommen: <Schulte, Maria> (<Stadt Borken>) – vertreten durch <Jonas Brüggemann>"
    )


def test_scan_of_another_year_unknown_code_and_no_code_change_nothing(world: World, db: Database) -> None:
    invited_2025 = invite_all(db)
    add_2026(db)
    invited_2026 = invite_all(db, 2026)
    ayse_2025 = invited_2025[world.persons[0]]
    before = {
        inv.id: (inv.status, inv.version)
        for inv in [*invitations(db).values(), *invitations(db, 2026).values()]
    }

    other = checkin.scan(db, 2026, code_payload(2025, ayse_2025.checkin_token))
    assert (other.outcome, other.code_year) == (ScanOutcome.OTHER_YEAR, 2025)
    assert other.message() == "Dieser Code gehört zur Konferenz 2025, nicht zu 2026. Bitte am Namen suchen."
    # a 2025 token behind this year's prefix: found, and told as what it is
    forged = checkin.scan(db, 2026, code_payload(2026, ayse_2025.checkin_token))
    assert (forged.outcome, forged.code_year) == (ScanOutcome.OTHER_YEAR, 2025)
    unknown = checkin.scan(db, 2026, code_payload(2026, "ABCDEFGHJK"))
    assert unknown.outcome is ScanOutcome.UNKNOWN and unknown.invitation_id is None
    assert unknown.message() == "Unbekannter Code: keine Einladung dieser Konferenz. Bitte am Namen suchen."
    not_a_code = checkin.scan(db, 2026, "Öztürk")
    assert not_a_code.outcome is ScanOutcome.UNKNOWN
    assert "kein Check-in-Code" in not_a_code.message()
    after = {
        inv.id: (inv.status, inv.version)
        for inv in [*invitations(db).values(), *invitations(db, 2026).values()]
    }
    assert after == before
    assert len(invited_2026) == 6


def test_scan_for_a_conference_that_does_not_exist_is_a_user_error(world: World, db: Database) -> None:
    from konferenz.errors import UserError

    with pytest.raises(UserError, match="keine Konferenz 2031"):
        checkin.scan(db, 2031, "KIK:2031:ABCDEFGHJK")


def test_badge_entries_carry_the_code_of_their_invitation(world: World, db: Database) -> None:
    invited = invite_all(db)
    ids = [inv.id for inv in invited.values()]
    replies.set_status(db, ids, InvitationStatus.ACCEPTED)
    rows = sheets.badge_entries(db, 2025)
    by_code = {row.checkin_code: row.name for row in rows}
    expected = {code_payload(2025, inv.checkin_token) for inv in invited.values()}
    assert set(by_code) == expected
    assert by_code[code_payload(2025, invited[world.persons[0]].checkin_token)] == "Ayşe Öztürk"
