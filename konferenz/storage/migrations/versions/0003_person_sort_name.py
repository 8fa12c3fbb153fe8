"""Stored sort key of persons, indexed for the address list

The address list shows persons by last and first name. Sorting 100,000 rows by a folded name expression
on every keystroke of search-as-you-type took 200–350 ms; a stored key (``person.sort_name``, folded
"last first", see ``konferenz.storage.schema.person_sort_name``) with an index takes a few dozen.

- SQLite: one index on ``(sort_name, search_text)``. A search (``search_text LIKE '%…%'``) then scans this
  covering index in display order: no table access, no sort.
- PostgreSQL: an index on ``sort_name`` (the trigram index of 0002 finds the matches; a B-tree entry with
  ``search_text`` could exceed PostgreSQL's size limit for a person with many organisations).

Both indexes exist on one backend only and are therefore not in the models
(``konferenz.storage.migrations.BACKEND_SPECIFIC_INDEXES``).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

from konferenz.text import fold

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_BATCH = 5000


def _sort_name(last_name, first_name):
    # the rule of konferenz.storage.schema.person_sort_name at the time of this migration
    return f"{fold(last_name or '')} {fold(first_name or '')}".strip()[:400]


def upgrade() -> None:
    op.add_column("person", sa.Column("sort_name", sa.String(length=400), nullable=False, server_default=""))
    conn = op.get_bind()
    person = sa.table("person", sa.column("id"), sa.column("last_name"), sa.column("first_name"))
    rows = conn.execute(sa.select(person.c.id, person.c.last_name, person.c.first_name)).all()
    update = sa.text("UPDATE person SET sort_name = :key WHERE id = :pid")
    for start in range(0, len(rows), _BATCH):
        conn.execute(
            update,
            [
                {"key": _sort_name(last, first), "pid": pid}
                for pid, last, first in rows[start : start + _BATCH]
            ],
        )
    if conn.dialect.name == "sqlite":
        op.create_index("ix_person_sort_search", "person", ["sort_name", "search_text"])
    else:
        op.create_index("ix_person_sort_name", "person", ["sort_name"])


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.drop_index("ix_person_sort_search", table_name="person")
    else:
        op.drop_index("ix_person_sort_name", table_name="person")
    op.drop_column("person", "sort_name")
