"""Two workplaces record replies for the last free seat at the same moment, as two real processes on one
SQLite file or one PostgreSQL database: exactly one gets the seat, the forum is never overbooked.

The race is made deterministic: process A counts the seats and then holds its unit of work open for
``HOLD_S`` seconds (a slowed ``capacity_warnings`` in A's own process); process B starts its reply while A
holds. With the seat lock (``replies.lock_seats``) B waits for A's commit and counts A's seat. Measured with
the lock removed: on PostgreSQL both replies were saved (2 seats in a forum of 1), and of two entrances
checking in one person the first got a ConflictError (the second had written in between); on SQLite B
waited for the write lock taken at BEGIN IMMEDIATE, as now.
"""

from __future__ import annotations

import multiprocessing as mp
import time
from multiprocessing.synchronize import Event

import sqlalchemy as sa

from konferenz.conferences import checkin, editing, inviting, replies
from konferenz.enums import InvitationStatus
from konferenz.programme import new_conference
from konferenz.storage.db import Database, open_database
from konferenz.storage.models import Forum, Invitation, Person

CTX = mp.get_context("spawn")
HOLD_S = 2.0
YEAR = 2027


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


def _accept(url: str, invitation_id: int, forum_id: int, hold: bool, counted: Event, out: mp.Queue) -> None:  # type: ignore[type-arg]
    database = open_database(url)
    if hold:
        original = replies.capacity_warnings

        def slow(*args, **kwargs):  # type: ignore[no-untyped-def]
            warnings = original(*args, **kwargs)
            counted.set()
            time.sleep(HOLD_S)  # the unit of work stays open: seats counted, not yet committed
            return warnings

        replies.capacity_warnings = slow  # type: ignore[assignment]
    else:
        counted.wait(timeout=60)
    result = replies.record_reply(
        database, invitation_id, replies.Reply(InvitationStatus.ACCEPTED, forum_id=forum_id)
    )
    out.put((invitation_id, result.saved, result.warnings))
    database.dispose()


def _race(url: str, first: int, second: int, forum_id: int) -> list[tuple[int, bool, list[str]]]:
    counted = CTX.Event()
    out = CTX.Queue()
    procs = [
        CTX.Process(target=_accept, args=(url, first, forum_id, True, counted, out)),
        CTX.Process(target=_accept, args=(url, second, forum_id, False, counted, out)),
    ]
    for p in procs:
        p.start()
    results = [out.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    return sorted(results)


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


def test_two_workplaces_cannot_overbook_the_last_seat(db: Database) -> None:
    (first, second, _third), forum = _prepare(db, 3)
    url = db.url.render_as_string(hide_password=False)
    results = _race(url, first, second, forum)
    assert [saved for _id, saved, _w in results] == [True, False], results
    refused = results[1]
    assert refused[0] == second
    assert refused[2] == [
        "Das Forum „Forum Sprache“ ist voll: 1 von 1 Plätzen belegt, diese Zusage braucht 1."
    ]
    assert _seated_in_forum(db, forum) == 1


def _check_in(url: str, invitation_id: int, hold: bool, counted: Event, out: mp.Queue) -> None:  # type: ignore[type-arg]
    database = open_database(url)
    if hold:
        from konferenz.storage import schema

        original = schema.now
        held: list[bool] = []

        def slow():  # type: ignore[no-untyped-def]
            if not held:  # once: the invitation is read and changed, not yet written
                held.append(True)
                counted.set()
                time.sleep(HOLD_S)
            return original()

        schema.now = slow  # type: ignore[assignment]
    else:
        counted.wait(timeout=60)
    try:
        checkin.check_in(database, invitation_id)
        out.put("ok")
    except Exception as exc:
        out.put(type(exc).__name__)
    database.dispose()


def test_two_entrances_check_in_the_same_person_once(db: Database) -> None:
    (invitation,), _forum = _prepare(db, 1)
    replies.set_status(db, [invitation], InvitationStatus.ACCEPTED)
    with db.read_session() as s:
        version = s.get_one(Invitation, invitation).version
    url = db.url.render_as_string(hide_password=False)
    counted = CTX.Event()
    out = CTX.Queue()
    procs = [
        CTX.Process(target=_check_in, args=(url, invitation, hold, counted, out)) for hold in (True, False)
    ]
    for p in procs:
        p.start()
    results = [out.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=60)
    # both entrances see success; the invitation was changed once (the second found it checked in)
    assert results == ["ok", "ok"]
    with db.read_session() as s:
        stored = s.get_one(Invitation, invitation)
    assert stored.status is InvitationStatus.ATTENDED and stored.version == version + 1
