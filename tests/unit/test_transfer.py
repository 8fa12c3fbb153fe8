"""Whole-database copies: SQLite → server, backup of either backend to SQLite, restore; the bulk writer."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa

from konferenz.enums import Gender, InvitationStatus
from konferenz.errors import UserError
from konferenz.storage import bulk, schema, transfer
from konferenz.storage.db import Database, open_database
from konferenz.storage.models import (
    ArchivedDocument,
    Base,
    Conference,
    Invitation,
    Organisation,
    Person,
    Role,
    SavedFilter,
    Tag,
)


def fill(database: Database) -> None:
    with database.session() as s:
        org = Organisation(name="Syrischer Kulturverein Bocholt e. V.", postal_code="46397", city="Bocholt")
        people = [
            Person(last_name="Иванова", first_name="Ольга", gender=Gender.FEMALE),
            Person(last_name="Nguyễn", first_name="Thị Lan", gender=Gender.FEMALE),
            Person(last_name="الحسن", first_name="محمد", gender=Gender.MALE, title="Prof. Dr."),
            Person(last_name="Öztürk", first_name="Ayşe", notes="=SUMME(A1:A3) bleibt Text"),
        ]
        s.add_all([org, *people])
        s.flush()
        s.add(Role(person_id=people[0].id, organisation_id=org.id, is_primary=True))
        conf = Conference(
            year=2025,
            title="Integrationskonferenz 2025",
            date=dt.date(2025, 11, 6),
            start_time=dt.time(9, 30),
            reply_deadline=dt.date(2025, 10, 20),
        )
        s.add(conf)
        s.flush()
        for p in people:
            s.add(
                Invitation(
                    conference_id=conf.id,
                    person_id=p.id,
                    organisation_id=org.id,
                    status=InvitationStatus.ATTENDED,
                    companions=1,
                )
            )
        s.add(Invitation(conference_id=conf.id, organisation_id=org.id, status=InvitationStatus.DECLINED))
        s.add(SavedFilter(name="MSO in Bocholt", definition={"categories": [3], "text": "ä"}))
        s.add(
            ArchivedDocument(
                conference_id=conf.id, kind="letter", file_name="brief.pdf", content=b"%PDF-1.7\x00\xff"
            )
        )


def dump(database: Database) -> dict[str, list[tuple[object, ...]]]:
    with database.engine.connect() as conn:
        return {
            t.name: [tuple(r) for r in conn.execute(t.select().order_by(*t.primary_key.columns))]
            for t in Base.metadata.sorted_tables
        }


@pytest.fixture
def source(tmp_path: Path) -> Database:
    database = open_database(tmp_path / "quelle.sqlite")
    fill(database)
    return database


def test_copy_preserves_everything(source: Database, db_url: str) -> None:
    target = open_database(db_url)
    try:
        result = transfer.copy_database(source, target)
        assert result.counts["person"] == 4
        assert dump(target) == dump(source)
        # ids continue after the copied ones (PostgreSQL sequences were reset)
        with target.session() as s:
            new = Person(last_name="Neu")
            s.add(new)
            s.flush()
            assert new.id == 5
    finally:
        target.dispose()
        source.dispose()


def test_copy_refuses_target_with_data(source: Database, db_url: str) -> None:
    target = open_database(db_url)
    try:
        with target.session() as s:
            s.add(Person(last_name="Schon da"))
        before = dump(target)
        with pytest.raises(UserError, match="enthält bereits Daten"):
            transfer.copy_database(source, target)
        assert dump(target) == before
    finally:
        target.dispose()
        source.dispose()


def test_cancelled_copy_leaves_target_empty(source: Database, db_url: str) -> None:
    target = open_database(db_url)
    try:
        before = dump(target)
        with pytest.raises(UserError, match="Abgebrochen"):
            transfer.copy_database(source, target, cancelled=lambda: True)
        assert dump(target) == before
    finally:
        target.dispose()
        source.dispose()


def test_backup_of_any_backend_is_an_openable_sqlite_file(db: Database, tmp_path: Path) -> None:
    fill(db)
    out = tmp_path / "sicherung.sqlite"
    result = transfer.backup(db, out)
    assert result.counts["invitation"] == 5
    copy = open_database(out, create=False)
    try:
        assert dump(copy) == dump(db)
    finally:
        copy.dispose()
    with pytest.raises(UserError, match="gibt es schon"):
        transfer.backup(db, out)


def test_restore_into_sqlite_keeps_previous_state(source: Database, tmp_path: Path) -> None:
    saved = tmp_path / "sicherung.sqlite"
    transfer.backup(source, saved)
    expected = dump(source)
    with source.session() as s:
        s.execute(sa.delete(Invitation))
        s.add(Person(last_name="Nach der Sicherung"))
    changed = dump(source)
    transfer.restore(saved, source)
    assert dump(source) == expected
    kept = list(tmp_path.glob("quelle.vor-wiederherstellung-*.sqlite"))
    assert len(kept) == 1
    previous = open_database(kept[0], create=False)
    try:
        assert dump(previous) == changed
    finally:
        previous.dispose()
        source.dispose()


def test_restore_into_empty_server_or_file(source: Database, db_url: str, tmp_path: Path) -> None:
    saved = tmp_path / "sicherung.sqlite"
    transfer.backup(source, saved)
    target = open_database(db_url)
    try:
        transfer.restore(saved, target)
        assert dump(target) == dump(source)
    finally:
        target.dispose()
        source.dispose()


def test_restore_missing_file(db: Database, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="gibt es nicht"):
        transfer.restore(tmp_path / "fehlt.sqlite", db)


def test_bulk_insert_in_chunks_with_defaults_and_sequences(db: Database) -> None:
    """Rows go in ``chunk`` at a time, with the check before and the count after each statement; rows that
    leave columns out get their defaults; afterwards the next id is above the ids written."""
    calls: list[object] = []
    stamp = dt.datetime(2026, 1, 5, 9, 0)
    with db.engine.begin() as conn:
        bulk.insert_rows(
            conn,
            schema.tag,
            iter([{"id": 100 + i, "name": f"Schlagwort {i}"} for i in range(12)]),
            chunk=5,
            before_chunk=lambda: calls.append("check"),
            after_chunk=calls.append,
        )
        bulk.insert_rows(
            conn,
            schema.organisation,
            [
                {"id": 7, "name": "Caritas", "city": "Borken", "created_at": stamp, "updated_at": stamp},
                {"id": 8, "name": "DRK", "created_at": stamp, "updated_at": stamp},
            ],
            fill_defaults=True,
        )
        bulk.reset_id_sequences(conn, [schema.tag, schema.organisation])
    assert calls == ["check", 5, "check", 5, "check", 2]
    with db.session() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(Tag)) == 12
        orgs = s.scalars(sa.select(Organisation).order_by(Organisation.id)).all()
        assert [(o.id, o.city, o.version) for o in orgs] == [(7, "Borken", 1), (8, "", 1)]
        tag = Tag(name="danach")
        s.add(tag)
        s.flush()
        assert tag.id == 112
