"""E-mail sending: runs, messages with their state, and the failing addresses

``mail_run`` is one sending of a template to chosen invitations; ``mail_message`` one e-mail of it, with the
state written before the message is handed to the server (queued → sending → sent / failed, ``unknown``
after an interruption), the server's reply and the bytes as sent (``konferenz.mail.outbox``). Persons and
organisations get ``email_failing`` (the server's permanent refusal of the address, its text) and
``email_failing_at``.

New tables and nullable or defaulted columns only: no table rebuild on SQLite; the downgrade drops the
columns with SQLite's own ``DROP COLUMN`` (3.35+), as 0003 and 0004 do.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_PURPOSES = ("invite", "remind", "thank")
_STATES = ("queued", "sending", "sent", "failed", "in_doubt")


def upgrade() -> None:
    for table in ("person", "organisation"):
        op.add_column(table, sa.Column("email_failing", sa.Text(), nullable=False, server_default=""))
        op.add_column(table, sa.Column("email_failing_at", sa.DateTime(), nullable=True))
    op.create_table(
        "mail_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conference_id", sa.Integer(), nullable=False),
        sa.Column("template", sa.String(length=100), nullable=False),
        sa.Column(
            "purpose", sa.Enum(*_PURPOSES, name="mailpurpose", native_enum=False, length=20), nullable=False
        ),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("attachments", sa.Text(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["conference_id"],
            ["conference.id"],
            name=op.f("fk_mail_run_conference_id_conference"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail_run")),
    )
    op.create_index(op.f("ix_mail_run_conference_id"), "mail_run", ["conference_id"])
    op.create_table(
        "mail_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=False),
        sa.Column("invitation_id", sa.Integer(), nullable=True),
        sa.Column("address", sa.String(length=254), nullable=False),
        sa.Column("message_id", sa.String(length=250), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("state", sa.Enum(*_STATES, name="mailstate", native_enum=False, length=20), nullable=False),
        sa.Column("smtp_code", sa.Integer(), nullable=True),
        sa.Column("smtp_reply", sa.Text(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(
            ["invitation_id"],
            ["invitation.id"],
            name=op.f("fk_mail_message_invitation_id_invitation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["run_id"], ["mail_run.id"], name=op.f("fk_mail_message_run_id_mail_run"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mail_message")),
        sa.UniqueConstraint("message_id", name=op.f("uq_mail_message_message_id")),
        sa.UniqueConstraint("run_id", "invitation_id", name="uq_mail_message_run_invitation"),
    )
    op.create_index(op.f("ix_mail_message_run_id"), "mail_message", ["run_id"])
    op.create_index(op.f("ix_mail_message_invitation_id"), "mail_message", ["invitation_id"])
    op.create_index(op.f("ix_mail_message_state"), "mail_message", ["state"])


def downgrade() -> None:
    op.drop_table("mail_message")
    op.drop_table("mail_run")
    for table in ("organisation", "person"):
        op.drop_column(table, "email_failing_at")
        op.drop_column(table, "email_failing")
