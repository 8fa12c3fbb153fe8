"""Statements compiled once and run on a held driver connection (``konferenz.storage.prepared``), as the
e-mail run's claims are: they write exactly what ``Connection.execute`` writes (enums, time stamps, JSON,
text in any script), a unit that raises leaves nothing behind, and a SQLite unit holds the write lock from
its start."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
import sqlalchemy as sa

from konferenz.enums import MailPurpose
from konferenz.storage.db import Database
from konferenz.storage.prepared import Units
from konferenz.storage.schema import conference, mail_run, setting

AT = dt.datetime(2027, 9, 14, 8, 30, 5)

RUN = sa.insert(mail_run).values(
    conference_id=sa.bindparam("conference"),
    template=sa.bindparam("template"),
    purpose=MailPurpose.REMINDER,  # a literal of the statement: the enum's value goes to the database
    created_at=sa.bindparam("at"),
    created_by="Müller-Şahin",
)
#: leaves out created_at (``default=now``) and attachments (``default=""``)
BARE_RUN = sa.insert(mail_run).values(
    conference_id=sa.bindparam("conference"), template="bare", purpose=MailPurpose.THANKS
)
SETTING = sa.insert(setting).values(key=sa.bindparam("key"), value=sa.bindparam("value"))


def _conference(db: Database) -> int:
    with db.engine.begin() as connection:
        return int(
            connection.execute(
                sa.insert(conference).values(year=2027, title="Integrationskonferenz 2027")
            ).inserted_primary_key[0]
        )


def test_a_prepared_statement_writes_what_core_writes(db: Database) -> None:
    conference_id = _conference(db)
    with Units(db) as units:
        run, value = units.prepare(RUN), units.prepare(SETTING)
        with units.unit() as cursor:
            assert (
                run.run(cursor, {"conference": conference_id, "template": "erinnerung-Олена", "at": AT}) == 1
            )
            value.run(cursor, {"key": "prepared", "value": {"name": "Nguyễn Thị Minh", "n": [1, 2]}})
            units.prepare(BARE_RUN).run(cursor, {"conference": conference_id})
    with db.engine.begin() as connection:
        connection.execute(RUN, {"conference": conference_id, "template": "erinnerung-core", "at": AT})
        connection.execute(SETTING, {"key": "core", "value": {"name": "Nguyễn Thị Minh", "n": [1, 2]}})
        runs = connection.execute(
            sa.select(
                mail_run.c.template,
                mail_run.c.purpose,
                mail_run.c.created_at,
                mail_run.c.created_by,
                # as stored, not as read back: the two must be written alike
                sa.cast(mail_run.c.purpose, sa.Text),
                sa.cast(mail_run.c.created_at, sa.Text),
            ).order_by(mail_run.c.id)
        ).all()
        bare = connection.execute(sa.select(mail_run).where(mail_run.c.template == "bare")).one()
        values = {k: v for k, v in connection.execute(sa.select(setting.c.key, setting.c.value))}
    assert bare.attachments == "" and bare.created_by == "" and bare.created_at.year >= 2026
    runs = [r for r in runs if r[0] != "bare"]
    assert runs[0][0] == "erinnerung-Олена"
    assert runs[0][1:] == runs[1][1:]
    assert runs[0][1] is MailPurpose.REMINDER and runs[0][2] == AT and runs[0][3] == "Müller-Şahin"
    assert runs[0][4] == "remind"
    assert values["prepared"] == values["core"] == {"name": "Nguyễn Thị Minh", "n": [1, 2]}


def test_a_unit_that_raises_leaves_nothing(db: Database) -> None:
    conference_id = _conference(db)
    with Units(db) as units:
        run = units.prepare(RUN)
        with pytest.raises(RuntimeError), units.unit() as cursor:
            run.run(cursor, {"conference": conference_id, "template": "einladung", "at": AT})
            raise RuntimeError("killed mid-way")
        with units.unit() as cursor:  # the connection is usable again
            run.run(cursor, {"conference": conference_id, "template": "danach", "at": AT})
    with db.engine.connect() as connection:
        assert connection.execute(sa.select(mail_run.c.template)).scalars().all() == ["danach"]


def test_a_sqlite_unit_holds_the_write_lock_from_its_start(db: Database) -> None:
    if db.backend != "sqlite":
        pytest.skip("the write lock of a file")
    other = sqlite3.connect(str(db.url.database), timeout=0, isolation_level=None)
    try:
        with Units(db) as units:
            with units.unit(), pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
            other.execute("BEGIN IMMEDIATE")  # free again after the unit
            other.execute("ROLLBACK")
    finally:
        other.close()
