"""Check-in token of invitations, for the QR code on badges

``invitation.checkin_token`` is a random string of 10 characters (``konferenz.storage.schema.checkin_token``)
that the check-in QR code carries, with the program's prefix and the conference year
(``konferenz.conferences.checkin.code_payload``). It is no personal data: a lost badge tells nobody who it
belongs to. Every existing invitation gets its token here; new ones get one from the column default.

A column with a server default and a unique index: no table rebuild on SQLite; the downgrade drops the
index and the column with SQLite's own ``DROP COLUMN`` (3.35+), as 0003 and 0006 do.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-14
"""

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_BATCH = 5000
# the rule of konferenz.storage.schema.checkin_token at the time of this migration
_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWX"
_LENGTH = 10


def _tokens(count: int) -> list[str]:
    chosen: set[str] = set()
    while len(chosen) < count:
        chosen.add("".join(secrets.choice(_ALPHABET) for _ in range(_LENGTH)))
    return list(chosen)


def upgrade() -> None:
    op.add_column(
        "invitation",
        sa.Column("checkin_token", sa.String(length=_LENGTH), nullable=False, server_default=""),
    )
    conn = op.get_bind()
    invitation = sa.table("invitation", sa.column("id"))
    ids = list(conn.execute(sa.select(invitation.c.id).order_by(invitation.c.id)).scalars())
    tokens = _tokens(len(ids))
    update = sa.text("UPDATE invitation SET checkin_token = :token WHERE id = :iid")
    for start in range(0, len(ids), _BATCH):
        conn.execute(
            update,
            [
                {"token": token, "iid": iid}
                for iid, token in zip(
                    ids[start : start + _BATCH], tokens[start : start + _BATCH], strict=True
                )
            ],
        )
    op.create_index(op.f("ix_invitation_checkin_token"), "invitation", ["checkin_token"], unique=True)


def downgrade() -> None:
    op.drop_index(op.f("ix_invitation_checkin_token"), table_name="invitation")
    op.drop_column("invitation", "checkin_token")
