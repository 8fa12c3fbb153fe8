"""Stored sort key of organisations; both sort keys byte-wise on PostgreSQL

Organisations were ordered by ``lower(name)``, which on SQLite folds ASCII only ("Ökumenisches Netzwerk"
after "Zentrum …"). ``organisation.sort_name`` holds the folded name (``konferenz.sorting
.organisation_sort_name``), filled here for the existing rows and kept current by the program, with an index
on both backends.

On PostgreSQL both stored keys get ``COLLATE "C"``: a de_DE or en_US database collation ignores spaces at
the first level, so "lia anna" would come before "li anna" and the server would order unlike SQLite (which
compares the bytes). Changing a column's collation rebuilds its index (``ix_person_sort_name`` of 0003).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

from konferenz.text import fold

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_BATCH = 5000


def _sort_name(name):
    # the rule of konferenz.sorting.organisation_sort_name at the time of this migration
    return fold(name or "")[:200]


def upgrade() -> None:
    conn = op.get_bind()
    postgresql = conn.dialect.name == "postgresql"
    column_type = sa.String(length=200, collation="C") if postgresql else sa.String(length=200)
    op.add_column("organisation", sa.Column("sort_name", column_type, nullable=False, server_default=""))
    organisation = sa.table("organisation", sa.column("id"), sa.column("name"))
    rows = conn.execute(sa.select(organisation.c.id, organisation.c.name)).all()
    update = sa.text("UPDATE organisation SET sort_name = :key WHERE id = :oid")
    for start in range(0, len(rows), _BATCH):
        conn.execute(
            update, [{"key": _sort_name(name), "oid": oid} for oid, name in rows[start : start + _BATCH]]
        )
    op.create_index("ix_organisation_sort_name", "organisation", ["sort_name"])
    if postgresql:
        op.execute('ALTER TABLE person ALTER COLUMN sort_name TYPE VARCHAR(400) COLLATE "C"')


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute('ALTER TABLE person ALTER COLUMN sort_name TYPE VARCHAR(400) COLLATE "default"')
    op.drop_index("ix_organisation_sort_name", table_name="organisation")
    op.drop_column("organisation", "sort_name")
