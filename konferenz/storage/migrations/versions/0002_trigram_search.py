"""Trigram indexes for search-as-you-type on PostgreSQL

Substring search (``search_text LIKE '%…%'``) cannot use a B-tree index. On PostgreSQL a GIN index with
pg_trgm's operator class can; SQLite scans, which is fast enough for a local file. The indexes are not in
the models (they exist on one backend only); ``konferenz.storage.migrations.include_object`` hides them from
autogenerate.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TABLES = ("person", "organisation")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table in TABLES:
        op.execute(f"CREATE INDEX ix_{table}_search_trgm ON {table} USING gin (search_text gin_trgm_ops)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        op.execute(f"DROP INDEX IF EXISTS ix_{table}_search_trgm")
