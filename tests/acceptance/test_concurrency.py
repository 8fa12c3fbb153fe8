"""Several staff members at once, as real processes on one SQLite file or one PostgreSQL database."""

from __future__ import annotations

import datetime as dt
import multiprocessing as mp
from multiprocessing.synchronize import Barrier

import pytest
import sqlalchemy as sa

from konferenz.conferences import editing, inviting, replies
from konferenz.enums import InvitationStatus
from konferenz.errors import ConflictError
from konferenz.programme import new_conference
from konferenz.storage.db import Database, open_database
from konferenz.storage.models import Category, Invitation, Organisation, Person, Role

CTX = mp.get_context("spawn")
WORKERS = 4


def _fill(db: Database, persons: int) -> int:
    with db.session() as s:
        mso = s.scalars(sa.select(Category.id).where(Category.name == "Migrantenselbstorganisation")).one()
        org = Organisation(name="Verein für Alle", category_id=mso)
        s.add(org)
        s.flush()
        s.execute(
            sa.insert(Person), [{"last_name": f"Person {i}", "first_name": "Ada"} for i in range(persons)]
        )
        ids = s.scalars(sa.select(Person.id)).all()
        s.execute(
            sa.insert(Role), [{"person_id": p, "organisation_id": org.id, "is_primary": True} for p in ids]
        )
    new_conference.create_conference(
        db, editing.ConferenceData(year=2025, title="Integrationskonferenz 2025")
    )
    return mso


def _invite_worker(url: str, category: int, barrier: Barrier, out: mp.Queue) -> None:  # type: ignore[type-arg]
    database = open_database(url)
    barrier.wait()
    result = inviting.invite(database, 2025, inviting.InviteeFilter(category_ids=[category]))
    out.put((result.invited, result.already))
    database.dispose()


def _run(target, args_for) -> list[object]:  # type: ignore[no-untyped-def]
    barrier = CTX.Barrier(WORKERS)
    out = CTX.Queue()
    procs = [CTX.Process(target=target, args=(*args_for(i), barrier, out)) for i in range(WORKERS)]
    for p in procs:
        p.start()
    results = [out.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    return results


def test_simultaneous_invitations_invite_nobody_twice(db: Database) -> None:
    mso = _fill(db, 300)
    url = db.url.render_as_string(hide_password=False)
    results = _run(_invite_worker, lambda _i: (url, mso))
    invited = sum(r[0] for r in results)  # type: ignore[index]
    assert invited == 300
    assert all(r[0] + r[1] == 300 for r in results)  # type: ignore[index]
    with db.read_session() as s:
        assert s.scalar(sa.select(sa.func.count(Invitation.id))) == 300
        doubles = s.execute(
            sa.select(Invitation.person_id).group_by(Invitation.person_id).having(sa.func.count() > 1)
        ).all()
    assert doubles == []


def _reply_worker(
    url: str, invitation_id: int, version: int, status: str, barrier: Barrier, out: mp.Queue
) -> None:  # type: ignore[type-arg]
    database = open_database(url)
    barrier.wait()
    try:
        replies.record_reply(
            database,
            invitation_id,
            replies.Reply(InvitationStatus(status), replied_on=dt.date(2025, 10, 1)),
            expected_version=version,
        )
        out.put(("saved", status))
    except ConflictError:
        out.put(("conflict", status))
    database.dispose()


@pytest.mark.parametrize("_round", range(3))
def test_conflicting_edits_one_wins_none_lost(db: Database, _round: int) -> None:
    _fill(db, 1)
    inviting.invite(db, 2025, inviting.InviteeFilter(everyone=True))
    with db.read_session() as s:
        inv = s.scalars(sa.select(Invitation)).one()
    url = db.url.render_as_string(hide_password=False)
    statuses = ["accepted", "declined", "waitlist", "substituted"]
    results = _run(_reply_worker, lambda i: (url, inv.id, inv.version, statuses[i]))
    saved = [r for r in results if r[0] == "saved"]  # type: ignore[index]
    assert len(saved) == 1, results
    assert sum(1 for r in results if r[0] == "conflict") == WORKERS - 1  # type: ignore[index]
    with db.read_session() as s:
        stored = s.get_one(Invitation, inv.id)
    # the one reported as saved is what is stored: no silent overwrite
    assert stored.status.value == saved[0][1]  # type: ignore[index]
    assert stored.version == inv.version + 1


def _import_worker(url: str, path: str, barrier: Barrier, out: mp.Queue) -> None:  # type: ignore[type-arg]
    from konferenz.importing.service import import_file

    database = open_database(url)
    barrier.wait()
    report = import_file(database, path)
    out.put((report.created, report.rejected))
    database.dispose()


def test_parallel_imports_of_different_files(db: Database, tmp_path) -> None:  # type: ignore[no-untyped-def]
    files = []
    for n in range(WORKERS):
        path = tmp_path / f"liste-{n}.csv"
        lines = ["Anrede;Vorname;Nachname;Organisation;PLZ;Ort;E-Mail"]
        lines += [
            f"Frau;Ayşe;Öztürk-{n}-{i};Verein {n} e. V.;46325;Borken;a{n}.{i}@example.org" for i in range(150)
        ]
        path.write_text("\n".join(lines), encoding="utf-8")
        files.append(str(path))
    url = db.url.render_as_string(hide_password=False)
    results = _run(_import_worker, lambda i: (url, files[i]))
    assert sorted(results) == [(150, 0)] * WORKERS  # type: ignore[type-var]
    with db.read_session() as s:
        names = s.scalars(sa.select(Person.last_name)).all()
        orgs = s.scalars(sa.select(Organisation.name)).all()
    assert len(names) == len(set(names)) == 150 * WORKERS
    assert sorted(orgs) == [f"Verein {n} e. V." for n in range(WORKERS)]


def test_editing_while_an_import_runs_loses_nothing(db: Database, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from konferenz.registry import persons as registry_persons
    from konferenz.registry import validation

    person = registry_persons.create_person(db, validation.PersonData(last_name="Kaya", first_name="Mehmet"))
    path = tmp_path / "gross.csv"
    lines = ["Vorname;Nachname;Organisation;PLZ;Ort"]
    lines += [f"Lan;Nguyễn-{i};Vietnamesischer Verein;46395;Bocholt" for i in range(3000)]
    path.write_text("\n".join(lines), encoding="utf-8")
    url = db.url.render_as_string(hide_password=False)
    barrier = CTX.Barrier(2)
    out = CTX.Queue()
    proc = CTX.Process(target=_import_worker, args=(url, str(path), barrier, out))
    proc.start()
    barrier.wait()
    for n in range(5):  # the user keeps editing while the import writes
        record = registry_persons.get_person(db, person)
        record.data.function = f"Vorsitzender {n}"
        registry_persons.update_person(db, person, record.data, record.version)
    assert out.get(timeout=120) == (3000, 0)
    proc.join(timeout=60)
    assert proc.exitcode == 0
    with db.read_session() as s:
        assert s.get_one(Person, person).function == "Vorsitzender 4"
        assert s.scalar(sa.select(sa.func.count(Person.id))) == 3001
