"""The bytes of a sent e-mail in a table of their own

``mail_content`` holds each message's RFC 5322 bytes (``mail_message.content`` before), one row per message,
written once when the message is claimed for sending (``konferenz.mail.outbox.claim``). In the message's
row they were rewritten by every later change of its state: SQLite writes a row whole, so recording
"delivered" and "sent" copied some 40 KB of PDF twice more for every e-mail. Deleting a message (a run, an
invitation, a person's erasure) deletes its bytes by the foreign key.

Existing bytes are copied over, then the old column is dropped with SQLite's own ``DROP COLUMN`` (3.35+),
as 0003 and 0006 do; the downgrade copies them back.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mail_content",
        sa.Column("message_pk", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["message_pk"],
            ["mail_message.id"],
            name=op.f("fk_mail_content_message_pk_mail_message"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("message_pk", name=op.f("pk_mail_content")),
    )
    op.execute(
        "INSERT INTO mail_content (message_pk, content) "
        "SELECT id, content FROM mail_message WHERE content IS NOT NULL"
    )
    op.drop_column("mail_message", "content")


def downgrade() -> None:
    op.add_column("mail_message", sa.Column("content", sa.LargeBinary(), nullable=True))
    op.execute(
        "UPDATE mail_message SET content = "
        "(SELECT content FROM mail_content WHERE mail_content.message_pk = mail_message.id)"
    )
    op.drop_table("mail_content")
