"""Import undo journal in its own column

The journal that ``konferenz.importing.undo.undo_import`` needs (old values and versions of updated records, the
categories, tags and roles an import added …) was kept in the generic ``setting`` table under the key
``import.<batch id>.undo``. It belongs to its import: ``import_batch.undo_data`` (JSON, NULL once the
import is undone). Existing journals move into the column and their ``setting`` rows are removed; a
downgrade moves them back.

Both steps are plain SQL on both backends (``'import.' || id || '.undo'`` concatenates an integer on
SQLite and PostgreSQL alike; both columns are JSON, so the value is copied unchanged). Adding a nullable
column needs no table rebuild on SQLite; dropping it again uses SQLite's own ``DROP COLUMN`` (3.35+), as
0003 does, because a batch rebuild would drop ``import_batch`` and with it, through the foreign key, the
persons' link to their import.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_KEY = "'import.' || import_batch.id || '.undo'"


def upgrade() -> None:
    op.add_column("import_batch", sa.Column("undo_data", sa.JSON(), nullable=True))
    conn = op.get_bind()
    conn.execute(
        sa.text(f"UPDATE import_batch SET undo_data = (SELECT s.value FROM setting s WHERE s.key = {_KEY})")
    )
    conn.execute(sa.text(f"DELETE FROM setting WHERE key IN (SELECT {_KEY} FROM import_batch)"))


def downgrade() -> None:
    conn = op.get_bind()
    conn.execute(
        sa.text(
            f"INSERT INTO setting (key, value) SELECT {_KEY}, undo_data FROM import_batch WHERE undo_data IS NOT NULL"
        )
    )
    op.drop_column("import_batch", "undo_data")
