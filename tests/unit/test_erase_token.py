"""Erasing a person (DSGVO, ``konferenz.privacy.erasure``) gives the person's invitations a fresh random
check-in token: an old printed badge or reply form no longer identifies the record, and a scan of its code is
"unbekannter Code". On both backends, through the real database."""

from __future__ import annotations

import re

import test_conferences as conference_tests
from test_checkin_codes import invitations, invite_all
from test_conferences import World

from konferenz.conferences import checkin
from konferenz.conferences.checkin import ScanOutcome, code_payload
from konferenz.privacy.erasure import erase_person, erase_persons
from konferenz.storage import schema
from konferenz.storage.db import Database

world = conference_tests.world

TOKEN = re.compile(f"[{schema.CHECKIN_TOKEN_ALPHABET}]{{{schema.CHECKIN_TOKEN_LENGTH}}}")


def test_erased_person_s_old_code_is_unknown(world: World, db: Database) -> None:
    before = invite_all(db)
    erased, other = world.persons[0], world.persons[1]
    old_code = code_payload(2025, before[erased].checkin_token)
    # the code works before the erasure (and is not scanned: the scan would check the person in)
    assert TOKEN.fullmatch(before[erased].checkin_token)

    erase_person(db, erased, "Antrag vom 03.11.2026")

    after = invitations(db)
    assert after[erased].id == before[erased].id  # the invitation stays (statistics) …
    assert after[erased].checkin_token != before[erased].checkin_token  # … with a new token
    assert TOKEN.fullmatch(after[erased].checkin_token)
    # nobody else's token changed
    assert {p: inv.checkin_token for p, inv in after.items() if p != erased} == {
        p: inv.checkin_token for p, inv in before.items() if p != erased
    }

    result = checkin.scan(db, 2025, old_code)
    assert result.outcome is ScanOutcome.UNKNOWN
    assert result.invitation_id is None and result.name == ""
    assert "Unbekannter Code" in result.message()
    assert invitations(db)[erased].status is before[erased].status  # nothing checked in

    # the others' badges still scan
    scanned = checkin.scan(db, 2025, code_payload(2025, before[other].checkin_token))
    assert scanned.checked_in  # (not replied yet: "unexpected", let in all the same)
    assert scanned.invitation_id == before[other].id


def test_erasing_several_persons_renews_each_token(world: World, db: Database) -> None:
    before = invite_all(db)
    erased = world.persons[2:4]
    erase_persons(db, erased, "Löschfrist abgelaufen")
    after = invitations(db)
    new_tokens = [after[p].checkin_token for p in erased]
    assert len(set(new_tokens)) == len(erased)
    for person in erased:
        assert after[person].checkin_token != before[person].checkin_token
        old = checkin.scan(db, 2025, code_payload(2025, before[person].checkin_token))
        assert old.outcome is ScanOutcome.UNKNOWN and old.invitation_id is None
