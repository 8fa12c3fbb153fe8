"""The schema is created and migrated by Alembic, on both backends."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory

from konferenz.enums import Gender, MailPurpose
from konferenz.errors import UserError
from konferenz.importing import service as importing
from konferenz.importing import undo
from konferenz.storage import migrations
from konferenz.storage.db import Database, open_database
from konferenz.storage.models import Base, Conference, ImportBatch, MailMessage, MailRun, Person, Setting
from konferenz.storage.schema import mail_content


def test_head_constant_matches_alembic() -> None:
    script = ScriptDirectory.from_config(migrations.alembic_config())
    assert script.get_heads() == [migrations.HEAD]


def test_empty_database_is_upgraded_to_head(db_url: str) -> None:
    database = open_database(db_url)
    try:
        with database.engine.connect() as conn:
            assert migrations.current_revision(conn) == migrations.HEAD
            tables = set(sa.inspect(conn).get_table_names())
        assert {t.name for t in Base.metadata.sorted_tables} <= tables
    finally:
        database.dispose()


def test_models_match_migrations(db_url: str) -> None:
    """Autogenerate finds nothing to do: the migrations create exactly what the models declare."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    database = open_database(db_url)
    try:
        with database.engine.connect() as conn:
            ctx = MigrationContext.configure(
                conn, opts={"compare_type": True, "include_object": migrations.include_object}
            )
            diff = compare_metadata(ctx, Base.metadata)
        assert diff == []
    finally:
        database.dispose()


def test_data_survives_downgrade_and_upgrade(db_url: str) -> None:
    database = open_database(db_url)
    try:
        with database.session() as s:
            s.add(Person(last_name="Öztürk", first_name="Ayşe", gender=Gender.FEMALE))
        migrations.downgrade(database.engine, "-1")
        with database.engine.connect() as conn:
            assert migrations.current_revision(conn) != migrations.HEAD
        migrations.upgrade(database.engine)
        with database.engine.connect() as conn:
            assert migrations.current_revision(conn) == migrations.HEAD
        with database.session() as s:
            assert s.scalar(sa.select(Person.first_name)) == "Ayşe"
    finally:
        database.dispose()


def test_older_database_is_upgraded_on_open(db_url: str) -> None:
    database = open_database(db_url)
    with database.session() as s:
        s.add(Person(last_name="Шевченко"))
    migrations.downgrade(database.engine, "0001")
    database.dispose()
    reopened = open_database(db_url)
    try:
        with reopened.engine.connect() as conn:
            assert migrations.current_revision(conn) == migrations.HEAD
        with reopened.read_session() as s:
            assert s.scalar(sa.select(Person.last_name)) == "Шевченко"
    finally:
        reopened.dispose()


def test_trigram_index_on_postgresql(db: Database) -> None:
    with db.engine.connect() as conn:
        names = {ix["name"] for ix in sa.inspect(conn).get_indexes("person")}
    if db.backend == "postgresql":
        assert "ix_person_search_trgm" in names
    else:
        assert "ix_person_search_trgm" not in names


def test_organisation_alone_is_invited_once_per_conference(db: Database) -> None:
    """The partial unique index (schema.py names only its SQLite form) holds on both backends: an
    organisation without a contact person once per conference, any number of its persons besides."""
    from konferenz.storage.models import Conference, Invitation, Organisation, Person

    with db.session() as s:
        conf = Conference(year=2031, title="Index")
        org = Organisation(name="Verein")
        people = [Person(last_name=f"Mitglied {n}") for n in range(2)]
        s.add_all([conf, org, *people])
        s.flush()
        s.add(Invitation(conference_id=conf.id, organisation_id=org.id))
        s.add_all(Invitation(conference_id=conf.id, organisation_id=org.id, person_id=p.id) for p in people)
        ids = (conf.id, org.id)
    with pytest.raises(sa.exc.IntegrityError), db.session() as s:
        s.add(Invitation(conference_id=ids[0], organisation_id=ids[1]))


def test_reopening_keeps_data(db_url: str) -> None:
    database = open_database(db_url)
    with database.session() as s:
        s.add(Person(last_name="Иванова", first_name="Ольга", created_at=dt.datetime(2025, 1, 2, 3, 4, 5)))
    database.dispose()
    again = open_database(db_url)
    try:
        with again.session() as s:
            person = s.scalars(sa.select(Person)).one()
            assert (person.first_name, person.last_name) == ("Ольга", "Иванова")
            assert person.gender is Gender.UNKNOWN
    finally:
        again.dispose()


def test_newer_schema_is_refused(db_url: str) -> None:
    database = open_database(db_url)
    with database.engine.begin() as conn:
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '9999'"))
    database.dispose()
    with pytest.raises(UserError, match="neueren Programmversion"):
        open_database(db_url)


def _journal_settings(conn: sa.Connection) -> dict[str, object]:
    rows = conn.execute(sa.select(Setting.key, Setting.value).where(Setting.key.like("import.%")))
    return {key: value for key, value in rows}


def test_0004_moves_import_journals_from_the_settings_into_their_import(db_url: str, tmp_path: Path) -> None:
    """A database at 0003 with import journals in ``setting`` (``import.<id>.undo``): after 0004 each
    journal is its import's ``undo_data``, the setting rows are gone, other settings stay, and the import
    can still be undone. The downgrade puts the journals back."""
    sheet = tmp_path / "liste.csv"
    sheet.write_text(
        "Vorname;Nachname;E-Mail\nAnna;Schmidt;anna@example.org\nOlena;Шевченко;olena@example.org\n",
        encoding="utf-8",
    )
    database = open_database(db_url)
    try:
        first = importing.import_file(database, sheet).batch_id
        with database.read_session() as s:
            journal = s.get_one(ImportBatch, first).undo_data
        assert journal is not None and journal["change_set"] == f"import-{first}"
        migrations.downgrade(database.engine, "0003")
        with database.engine.begin() as conn:
            assert "undo_data" not in {c["name"] for c in sa.inspect(conn).get_columns("import_batch")}
            assert _journal_settings(conn) == {f"import.{first}.undo": journal}
            # a second import as 0003 recorded it, an undone one (its journal was deleted) and another setting
            for file_name, undone in (("zweite.xlsx", None), ("rueckgaengig.xlsx", dt.datetime(2026, 1, 2))):
                conn.execute(
                    sa.text(
                        "INSERT INTO import_batch (file_name, imported_at, os_user, rows_read, created, updated, "
                        "undone_at) VALUES (:f, :t, 'tester', 1, 1, 0, :u)"
                    ),
                    {"f": file_name, "t": dt.datetime(2026, 1, 1), "u": undone},
                )
            second, undone_id = conn.execute(
                sa.text("SELECT id FROM import_batch WHERE id <> :first ORDER BY id"), {"first": first}
            ).scalars()
            old_journal = {"change_set": f"import-{second}", "updates": [], "audit_after": 7}
            conn.execute(
                sa.insert(Setting),
                [
                    {"key": f"import.{second}.undo", "value": old_journal},
                    {"key": "letter.sender", "value": {"line": "Kreis Borken · 46325 Borken"}},
                ],
            )
        migrations.upgrade(database.engine)
        with database.engine.connect() as conn:
            assert migrations.current_revision(conn) == migrations.HEAD
            assert _journal_settings(conn) == {}
            assert conn.execute(
                sa.select(Setting.value).where(Setting.key == "letter.sender")
            ).scalar_one() == {"line": "Kreis Borken · 46325 Borken"}
        with database.read_session() as s:
            data = dict(s.execute(sa.select(ImportBatch.id, ImportBatch.undo_data)).all())
        assert data == {first: journal, second: old_journal, undone_id: None}
        result = undo.undo_import(database, first or 0)
        assert result.persons_deleted == 2
        with database.read_session() as s:
            assert s.scalar(sa.select(sa.func.count(Person.id))) == 0
            assert s.get_one(ImportBatch, first).undo_data is None
        migrations.downgrade(database.engine, "0003")
        with database.engine.connect() as conn:
            assert _journal_settings(conn) == {f"import.{second}.undo": old_journal}
        migrations.upgrade(database.engine)
    finally:
        database.dispose()


def test_0005_adds_the_organisation_sort_key_and_makes_both_keys_bytewise(db_url: str) -> None:
    database = open_database(db_url)
    try:
        migrations.downgrade(database.engine, "0004")
        with database.engine.begin() as conn:
            assert "sort_name" not in {c["name"] for c in sa.inspect(conn).get_columns("organisation")}
            for name in ("Ökumenisches Netzwerk", "Zentrum Nord", "caritas Borken"):
                conn.execute(
                    sa.text(
                        "INSERT INTO organisation (name, department, short_name, website, notes, search_text, "
                        "version, created_at, updated_at, street, po_box, postal_code, city, country, email, "
                        "phone) VALUES (:n, '', '', '', '', '', 1, :t, :t, '', '', '', '', '', '', '')"
                    ),
                    {"n": name, "t": dt.datetime(2026, 1, 1)},
                )
        migrations.upgrade(database.engine)
        with database.engine.connect() as conn:
            assert migrations.current_revision(conn) == migrations.HEAD
            names = (
                conn.execute(sa.text("SELECT name FROM organisation ORDER BY sort_name, id")).scalars().all()
            )
            assert names == ["caritas Borken", "Ökumenisches Netzwerk", "Zentrum Nord"]
            indexes = {i["name"] for i in sa.inspect(conn).get_indexes("organisation")}
            assert "ix_organisation_sort_name" in indexes
            if database.backend == "postgresql":
                collations = dict(
                    conn.execute(
                        sa.text(
                            "SELECT table_name, collation_name FROM information_schema.columns "
                            "WHERE column_name = 'sort_name'"
                        )
                    ).all()
                )
                assert collations == {"person": "C", "organisation": "C"}
        migrations.downgrade(database.engine, "0004")
        with database.engine.connect() as conn:
            assert "sort_name" not in {c["name"] for c in sa.inspect(conn).get_columns("organisation")}
            assert conn.execute(sa.text("SELECT count(*) FROM organisation")).scalar() == 3
        migrations.upgrade(database.engine)
    finally:
        database.dispose()


def test_0008_moves_the_sent_bytes_into_their_own_table_and_back(db_url: str) -> None:
    """A message's bytes leave its row (every change of state rewrote them) for ``mail_content``; the
    downgrade puts them back, byte for byte."""
    payload = "Sehr geehrte Frau Öztürk,\r\n.Zeile mit Punkt\r\n".encode() + bytes(range(256)) * 40
    database = open_database(db_url)
    try:
        with database.session() as s:
            conference = Conference(year=2031, title="Integrationskonferenz 2031")
            s.add(conference)
            s.flush()
            run = MailRun(conference_id=conference.id, template="einladung", purpose=MailPurpose.INVITATION)
            s.add(run)
            s.flush()
            message = MailMessage(
                run_id=run.id, address="a@example.org", message_id="<m1@example.org>", size=len(payload)
            )
            s.add(message)
            s.flush()
            s.execute(sa.insert(mail_content).values(message_pk=message.id, content=payload))
            pk = message.id
        migrations.downgrade(database.engine, "0007")
        with database.engine.connect() as conn:
            assert "mail_content" not in sa.inspect(conn).get_table_names()
            old = conn.execute(sa.text("SELECT content FROM mail_message WHERE id = :pk"), {"pk": pk})
            assert bytes(old.scalar_one()) == payload
        migrations.upgrade(database.engine)
        with database.engine.connect() as conn:
            assert "content" not in {c["name"] for c in sa.inspect(conn).get_columns("mail_message")}
            new = conn.execute(sa.select(mail_content.c.content).where(mail_content.c.message_pk == pk))
            assert bytes(new.scalar_one()) == payload
        with database.session() as s:  # deleting the message deletes its bytes (the foreign key)
            s.execute(sa.delete(MailMessage).where(MailMessage.id == pk))
        with database.engine.connect() as conn:
            assert conn.execute(sa.select(sa.func.count()).select_from(mail_content)).scalar_one() == 0
    finally:
        database.dispose()
