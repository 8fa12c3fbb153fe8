"""The schema is created and migrated by Alembic, on both backends."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory

from konferenz import migrations
from konferenz.db import Database, open_database
from konferenz.enums import Gender
from konferenz.errors import UserError
from konferenz.models import Base, Person


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
