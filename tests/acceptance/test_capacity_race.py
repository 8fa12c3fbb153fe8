"""Two workplaces take the last free seat at the same moment, as two real processes on one SQLite file or one
PostgreSQL database: exactly one gets the seat, the forum is never overbooked; two entrances checking in the
same person (or the same walk-in) give one invitation, checked in.

The race is made deterministic: process A reaches the point where it has counted the seats (or read the
invitation) and then holds its unit of work open for ``HOLD_S`` seconds (``_hold`` slows one function in A's
own process); process B, already connected, starts its call only then. With the seat lock
(``replies.lock_seats``) B waits for A's commit and counts A's seat.

Measured with the lock removed (``lock_seats`` returning at once; 5 of the 5 PostgreSQL races failed): two
replies were both saved (2 seats in a forum of 1); a bulk change and a reply both took the last seat, in
either order (2 of 1); of two entrances checking in one person, A got a ConflictError (B had written in
between); of two entrances adding the same walk-in, A got an IntegrityError (uq_invitation_conference_person).
On SQLite all races pass without the lock, because B already waits for the write lock taken at BEGIN
IMMEDIATE (konferenz/storage/db.py). With a deferred BEGIN instead (measured, 5 of 5 failed): B took the seat
while A held only a read snapshot, and A then failed with an OperationalError (SQLite's busy error) instead of
a German message: not overbooked, but A's change lost.
"""

from __future__ import annotations

import multiprocessing as mp
import time
from collections.abc import Callable
from multiprocessing.synchronize import Event
from typing import Any

import pytest
import sqlalchemy as sa

from konferenz.conferences import checkin, editing, inviting, replies
from konferenz.enums import InvitationStatus
from konferenz.errors import UserError
from konferenz.programme import new_conference
from konferenz.storage import schema
from konferenz.storage.db import Database, open_database
from konferenz.storage.models import Forum, Invitation, Person

CTX = mp.get_context("spawn")
HOLD_S = 2.0
YEAR = 2027
FULL = "Das Forum „Forum Sprache“ ist voll: 1 von 1 Plätzen belegt, diese Zusage braucht 1."
FULL_BULK = "Das Forum „Forum Sprache“ ist voll: 1 von 1 Plätzen belegt, diese Zusagen brauchen 1."


def _prepare(db: Database, persons: int) -> tuple[list[int], int]:
    with db.session() as s:
        s.add_all(
            Person(last_name=name, first_name="Ada") for name in ("Öztürk", "Иванова", "Nguyễn")[:persons]
        )
    new_conference.create_conference(
        db,
        editing.ConferenceData(year=YEAR, title="Integrationskonferenz 2027"),
        [editing.ForumData(title="Forum Sprache", capacity=1)],
    )
    inviting.invite(db, YEAR, inviting.InviteeFilter(everyone=True))
    with db.read_session() as s:
        invitations = list(s.scalars(sa.select(Invitation.id).order_by(Invitation.id)))
        forum = s.scalars(sa.select(Forum.id)).one()
    return invitations, forum


# --- what each workplace does (in its own process) ------------------------------------------------------


def _reply(database: Database, invitation_id: int, forum_id: int) -> object:
    result = replies.record_reply(
        database, invitation_id, replies.Reply(InvitationStatus.ACCEPTED, forum_id=forum_id)
    )
    return "gespeichert" if result.saved else result.warnings


def _bulk(database: Database, invitation_id: int) -> object:
    return replies.set_status(database, [invitation_id], InvitationStatus.ACCEPTED, allow_overbooking=False)


def _check_in(database: Database, invitation_id: int) -> object:
    checkin.check_in(database, invitation_id)
    return "ok"


def _walk_in(database: Database, person_id: int) -> object:
    return checkin.add_walk_in(database, YEAR, person_id)


#: where A holds its unit of work open: after the seats are counted, or (check-in) once the invitation is read
HOLDS: dict[str, tuple[Any, str]] = {
    "reply": (replies, "capacity_warnings"),
    "bulk": (replies, "status_change_warnings"),
    "check_in": (schema, "now"),
    "walk_in": (schema, "now"),
}
ACTIONS: dict[str, Callable[..., object]] = {
    "reply": _reply,
    "bulk": _bulk,
    "check_in": _check_in,
    "walk_in": _walk_in,
}


def _hold(module: Any, name: str, counted: Event) -> None:
    """Slow ``module.name`` in this process: after its first call, signal ``counted`` and keep the unit of
    work open for ``HOLD_S`` seconds (seats counted or invitation read, nothing committed yet)."""
    original = getattr(module, name)
    held: list[bool] = []

    def slow(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        if not held:
            held.append(True)
            counted.set()
            time.sleep(HOLD_S)
        return result

    setattr(module, name, slow)


def _workplace(
    url: str, action: str, args: tuple[object, ...], hold: bool, counted: Event, out: mp.Queue
) -> None:  # type: ignore[type-arg]
    database = open_database(url)  # connected before the race starts
    tag = "A" if hold else "B"
    if hold:
        _hold(*HOLDS[action], counted)
    elif not counted.wait(timeout=60):
        out.put((tag, "A never held"))
        return
    try:
        out.put((tag, ACTIONS[action](database, *args)))
    except UserError as exc:
        out.put((tag, f"{type(exc).__name__}: {exc}"))
    except Exception as exc:  # reported, not raised: the test shows what the second workplace got
        out.put((tag, type(exc).__name__))
    finally:
        database.dispose()


def _race(
    url: str, first: tuple[str, tuple[object, ...]], second: tuple[str, tuple[object, ...]]
) -> dict[str, object]:
    """Run ``first`` as workplace A (it holds) and ``second`` as workplace B; their results by "A" and "B"."""
    counted = CTX.Event()
    out = CTX.Queue()
    procs = [
        CTX.Process(target=_workplace, args=(url, action, args, hold, counted, out))
        for (action, args), hold in ((first, True), (second, False))
    ]
    for p in procs:
        p.start()
    results = dict(out.get(timeout=120) for _ in procs)
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    return results


def _url(db: Database) -> str:
    return db.url.render_as_string(hide_password=False)


def _seated_in_forum(db: Database, forum_id: int) -> int:
    with db.read_session() as s:
        return int(
            s.scalar(
                sa.select(sa.func.count(Invitation.id)).where(
                    Invitation.forum_id == forum_id, Invitation.status.in_(InvitationStatus.seated())
                )
            )
            or 0
        )


# --- the races ----------------------------------------------------------------------------------------------


def test_two_workplaces_cannot_overbook_the_last_seat(db: Database) -> None:
    (first, second, _third), forum = _prepare(db, 3)
    results = _race(_url(db), ("reply", (first, forum)), ("reply", (second, forum)))
    assert results == {"A": "gespeichert", "B": [FULL]}
    assert _seated_in_forum(db, forum) == 1


@pytest.mark.parametrize("bulk_first", [True, False], ids=["bulk-first", "reply-first"])
def test_a_bulk_change_and_a_reply_cannot_overbook_the_last_seat(db: Database, bulk_first: bool) -> None:
    (first, second), forum = _prepare(db, 2)
    # the bulk change seats an invitation whose forum is chosen already (planned, not yet accepted)
    replies.record_reply(db, first, replies.Reply(InvitationStatus.PLANNED, forum_id=forum))
    bulk = ("bulk", (first,))
    reply = ("reply", (second, forum))
    if bulk_first:
        assert _race(_url(db), bulk, reply) == {"A": 1, "B": [FULL]}
    else:
        assert _race(_url(db), reply, bulk) == {"A": "gespeichert", "B": f"OverbookingError: {FULL_BULK}"}
    assert _seated_in_forum(db, forum) == 1


def test_two_entrances_check_in_the_same_person_once(db: Database) -> None:
    (invitation,), _forum = _prepare(db, 1)
    replies.set_status(db, [invitation], InvitationStatus.ACCEPTED)
    with db.read_session() as s:
        version = s.get_one(Invitation, invitation).version
    results = _race(_url(db), ("check_in", (invitation,)), ("check_in", (invitation,)))
    # both entrances see success; the invitation was changed once (the second found it checked in)
    assert results == {"A": "ok", "B": "ok"}
    with db.read_session() as s:
        stored = s.get_one(Invitation, invitation)
    assert stored.status is InvitationStatus.ATTENDED and stored.version == version + 1


def test_two_entrances_add_the_same_walk_in_once(db: Database) -> None:
    _prepare(db, 1)
    with db.session() as s:
        walk_in = Person(last_name="Şahin", first_name="Zeynep")
        s.add(walk_in)
        s.flush()
        person_id = walk_in.id
    results = _race(_url(db), ("walk_in", (person_id,)), ("walk_in", (person_id,)))
    # one invitation, found by the second entrance after the first one's commit
    assert results["A"] == results["B"] and isinstance(results["A"], int), results
    with db.read_session() as s:
        stored = s.scalars(sa.select(Invitation).where(Invitation.person_id == person_id)).all()
    assert [(i.id, i.status) for i in stored] == [(results["A"], InvitationStatus.ATTENDED)]
    assert stored[0].checked_in_at is not None
