"""The tables of the whole application, in SQLAlchemy Core (the one definition of the schema).

``konferenz.storage.models`` maps its ORM classes onto these tables; code that only reads lists (the main window's
first screen, ``konferenz.lists.registry``) uses them directly and so starts without importing the ORM at all
(about 0.15 s of a start of ~0.5 s).

Every table the later features need is here from the first migration, so features extend it instead of
redoing it. Enumerations are stored as short strings (no native database enums) so SQLite and PostgreSQL
behave the same and migrations stay simple. Records that several staff members edit carry a ``version``
column used for optimistic locking (the ORM's ``version_id_col``): a stale save raises instead of
silently overwriting. Table and column names are those of Alembic's migrations (``migrations/``); a test
compares the two.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from enum import StrEnum
from typing import Any

import sqlalchemy as sa

from konferenz.enums import (
    AgendaItemType,
    AuditAction,
    Channel,
    ConsentPurpose,
    Gender,
    InvitationStatus,
    LegalBasis,
    MailPurpose,
    MailState,
    MunicipalityKind,
    RecommendationStatus,
)
from konferenz.sorting import (
    ORGANISATION_SORT_NAME_LENGTH,
    SORT_NAME_LENGTH,
    organisation_sort_name,
    person_sort_name,
)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _enum(enum_type: type[StrEnum]) -> sa.Enum:
    return sa.Enum(
        enum_type,
        native_enum=False,
        length=20,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


def now() -> dt.datetime:
    """The time stamps' clock: local time to the second."""
    return dt.datetime.now().replace(microsecond=0)


#: the alphabet of check-in tokens: upper-case letters and digits nobody confuses on a label (no 0/O, 1/I/L),
#: and none that a barcode scanner set to the US keyboard layout types differently on a German one (no Y/Z,
#: which swap). Upper case only: the QR code then uses its compact alphanumeric mode, and Caps Lock does no harm.
CHECKIN_TOKEN_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWX"
#: 29 ** 10 ≈ 4 · 10 ** 14 tokens (48 bits): a code cannot be guessed, and the payload fits a 21 × 21 QR code
CHECKIN_TOKEN_LENGTH = 10


def checkin_token(choice: Callable[[str], str] = secrets.choice) -> str:
    """A new random check-in token (``invitation.checkin_token``); the demo passes its seeded ``choice``."""
    return "".join(choice(CHECKIN_TOKEN_ALPHABET) for _ in range(CHECKIN_TOKEN_LENGTH))


def _timestamps() -> list[sa.Column[dt.datetime]]:
    """``created_at`` and ``updated_at``, kept by the program (not by the database)."""
    return [
        sa.Column("created_at", sa.DateTime, nullable=False, default=now),
        sa.Column("updated_at", sa.DateTime, nullable=False, default=now, onupdate=now),
    ]


def _sort_key(length: int) -> sa.types.TypeEngine[str]:
    """A stored sort key, compared byte-wise on both backends: SQLite's default (BINARY) and
    ``COLLATE "C"`` on PostgreSQL, whose de_DE or en_US collations ignore spaces at the first level
    ("lia" would come before "li anna"). Written as a variant so SQLite never sees the collation name."""
    return sa.String(length).with_variant(sa.String(length, collation="C"), "postgresql")


def _address() -> list[sa.Column[str]]:
    """The postal and contact columns of persons and organisations."""
    return [
        sa.Column("street", sa.String(200), nullable=False, default=""),
        sa.Column("po_box", sa.String(50), nullable=False, default=""),
        sa.Column("postal_code", sa.String(10), nullable=False, default=""),
        sa.Column("city", sa.String(100), nullable=False, default=""),
        #: empty for Germany; otherwise the country name as written on the envelope
        sa.Column("country", sa.String(100), nullable=False, default=""),
        sa.Column("email", sa.String(254), nullable=False, default=""),
        sa.Column("phone", sa.String(50), nullable=False, default=""),
    ]


def _email_failing() -> list[sa.Column[Any]]:
    """The mail server's permanent refusal of the address (``konferenz.mail.outbox``, migration 0006):
    its reply text and when; empty while the address works."""
    return [
        sa.Column("email_failing", sa.Text, nullable=False, default="", server_default=""),
        sa.Column("email_failing_at", sa.DateTime),
    ]


metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)

person_tag = sa.Table(
    "person_tag",
    metadata,
    sa.Column("person_id", sa.ForeignKey("person.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("tag_id", sa.ForeignKey("tag.id", ondelete="CASCADE"), primary_key=True),
)

organisation_tag = sa.Table(
    "organisation_tag",
    metadata,
    sa.Column("organisation_id", sa.ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("tag_id", sa.ForeignKey("tag.id", ondelete="CASCADE"), primary_key=True),
)

category = sa.Table(
    "category",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(100), nullable=False, unique=True),
    #: comma-separated alternative names used by the import ("MSO" for Migrantenselbstorganisation)
    sa.Column("synonyms", sa.String(300), nullable=False, default=""),
    #: counted as migrant self-organisation in the statistics
    sa.Column("is_migrant_organisation", sa.Boolean, nullable=False, default=False),
    sa.Column("sort_order", sa.Integer, nullable=False, default=0),
)

municipality = sa.Table(
    "municipality",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(100), nullable=False, unique=True),
    sa.Column("kind", _enum(MunicipalityKind), nullable=False),
    #: comma-separated postal codes, e.g. "46395,46397,46399"
    sa.Column("postal_codes", sa.String(100), nullable=False, default=""),
)

tag = sa.Table(
    "tag",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(100), nullable=False, unique=True),
)

organisation = sa.Table(
    "organisation",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    #: department or second name line (Abteilung, Fachbereich)
    sa.Column("department", sa.String(200), nullable=False, default=""),
    sa.Column("short_name", sa.String(50), nullable=False, default=""),
    sa.Column("category_id", sa.ForeignKey("category.id", ondelete="SET NULL")),
    sa.Column("municipality_id", sa.ForeignKey("municipality.id", ondelete="SET NULL")),
    sa.Column("website", sa.String(200), nullable=False, default=""),
    sa.Column("notes", sa.Text, nullable=False, default=""),
    #: folded text of the searchable fields (konferenz.text.search_text); LIKE "%…%" scans it
    sa.Column("search_text", sa.Text, nullable=False, default=""),
    #: the filing order: folded name (``konferenz.sorting.organisation_sort_name``), kept current like
    #: ``person.sort_name``; added by migration 0005
    sa.Column(
        "sort_name",
        _sort_key(ORGANISATION_SORT_NAME_LENGTH),
        nullable=False,
        default="",
        server_default="",
        index=True,
    ),
    sa.Column("import_batch_id", sa.ForeignKey("import_batch.id", ondelete="SET NULL"), index=True),
    sa.Column("version", sa.Integer, nullable=False, default=1),
    *_timestamps(),
    *_address(),
    *_email_failing(),
)

person = sa.Table(
    "person",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("gender", _enum(Gender), nullable=False, default=Gender.UNKNOWN),
    #: academic titles as written in the address, e.g. "Dr." or "Prof. Dr."
    sa.Column("title", sa.String(50), nullable=False, default=""),
    sa.Column("first_name", sa.String(100), nullable=False, default=""),
    #: name particle that belongs to the last name: "von", "van der", "de"
    sa.Column("name_prefix", sa.String(30), nullable=False, default=""),
    sa.Column("last_name", sa.String(100), nullable=False),
    #: a salutation stored here overrides every rule ("Liebe Ayşe,")
    sa.Column("custom_salutation", sa.String(200), nullable=False, default=""),
    sa.Column("function", sa.String(200), nullable=False, default=""),
    sa.Column("mobile", sa.String(50), nullable=False, default=""),
    #: own category; without one, the person counts under the primary organisation's
    sa.Column("category_id", sa.ForeignKey("category.id", ondelete="SET NULL")),
    sa.Column("municipality_id", sa.ForeignKey("municipality.id", ondelete="SET NULL")),
    sa.Column("notes", sa.Text, nullable=False, default=""),
    sa.Column("legal_basis", _enum(LegalBasis), nullable=False, default=LegalBasis.PUBLIC_TASK),
    sa.Column("search_text", sa.Text, nullable=False, default=""),
    #: the filing order of persons: folded "last first" (``konferenz.sorting.person_sort_name``), kept current
    #: on every insert and ORM update (see ``konferenz.storage.models._fill_sort_name``); indexed by migration
    #: 0003, per backend; byte-wise on PostgreSQL since 0005
    sa.Column("sort_name", _sort_key(SORT_NAME_LENGTH), nullable=False, default="", server_default=""),
    #: set when the person was anonymised (Art. 17 DSGVO); the row stays for attendance counts
    sa.Column("anonymised_at", sa.DateTime),
    sa.Column("import_batch_id", sa.ForeignKey("import_batch.id", ondelete="SET NULL"), index=True),
    sa.Column("version", sa.Integer, nullable=False, default=1),
    *_timestamps(),
    *_address(),
    *_email_failing(),
    sa.Index("ix_person_last_first", "last_name", "first_name"),
)

role = sa.Table(
    "role",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("person_id", sa.ForeignKey("person.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column(
        "organisation_id", sa.ForeignKey("organisation.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    sa.Column("function", sa.String(200), nullable=False, default=""),
    sa.Column("department", sa.String(200), nullable=False, default=""),
    sa.Column("is_primary", sa.Boolean, nullable=False, default=False),
    sa.UniqueConstraint("person_id", "organisation_id", name="uq_role_person_org"),
)

saved_filter = sa.Table(
    "saved_filter",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False, unique=True),
    sa.Column("definition", sa.JSON, nullable=False, default=dict),
)

conference = sa.Table(
    "conference",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("year", sa.Integer, nullable=False, unique=True),
    sa.Column("title", sa.String(300), nullable=False),
    sa.Column("theme", sa.Text, nullable=False, default=""),
    sa.Column("date", sa.Date),
    sa.Column("start_time", sa.Time),
    sa.Column("end_time", sa.Time),
    sa.Column("venue_name", sa.String(200), nullable=False, default=""),
    sa.Column("venue_street", sa.String(200), nullable=False, default=""),
    sa.Column("venue_postal_code", sa.String(10), nullable=False, default=""),
    sa.Column("venue_city", sa.String(100), nullable=False, default=""),
    sa.Column("capacity", sa.Integer),
    sa.Column("reply_deadline", sa.Date),
    sa.Column("notes", sa.Text, nullable=False, default=""),
    sa.Column("version", sa.Integer, nullable=False, default=1),
    *_timestamps(),
)

agenda_item = sa.Table(
    "agenda_item",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "conference_id", sa.ForeignKey("conference.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    sa.Column("position", sa.Integer, nullable=False, default=0),
    sa.Column("start_time", sa.Time),
    sa.Column("duration_minutes", sa.Integer, nullable=False, default=0),
    sa.Column("title", sa.String(300), nullable=False),
    sa.Column("item_type", _enum(AgendaItemType), nullable=False, default=AgendaItemType.OTHER),
    sa.Column("description", sa.Text, nullable=False, default=""),
    #: free-text speakers and moderation; registry persons are linked through AgendaPerson
    sa.Column("speakers", sa.Text, nullable=False, default=""),
    sa.Column("moderation", sa.Text, nullable=False, default=""),
    sa.Column("room", sa.String(100), nullable=False, default=""),
    #: running order ("Regieplan"): responsible staff and internal notes, not printed in the programme
    sa.Column("responsible_staff", sa.String(200), nullable=False, default=""),
    sa.Column("internal_notes", sa.Text, nullable=False, default=""),
)

agenda_person = sa.Table(
    "agenda_person",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "agenda_item_id", sa.ForeignKey("agenda_item.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    sa.Column("person_id", sa.ForeignKey("person.id", ondelete="CASCADE"), nullable=False, index=True),
    #: "speaker" or "moderation"
    sa.Column("part", sa.String(20), nullable=False, default="speaker"),
)

forum = sa.Table(
    "forum",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "conference_id", sa.ForeignKey("conference.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    sa.Column("agenda_item_id", sa.ForeignKey("agenda_item.id", ondelete="SET NULL"), index=True),
    sa.Column("sort_order", sa.Integer, nullable=False, default=0),
    sa.Column("title", sa.String(300), nullable=False),
    sa.Column("description", sa.Text, nullable=False, default=""),
    sa.Column("room", sa.String(100), nullable=False, default=""),
    sa.Column("capacity", sa.Integer),
    sa.Column("moderation", sa.String(300), nullable=False, default=""),
)

invitation = sa.Table(
    "invitation",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "conference_id", sa.ForeignKey("conference.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    sa.Column("person_id", sa.ForeignKey("person.id", ondelete="RESTRICT"), index=True),
    #: the organisation the person is invited for, or the invited organisation itself
    sa.Column("organisation_id", sa.ForeignKey("organisation.id", ondelete="SET NULL"), index=True),
    sa.Column(
        "status", _enum(InvitationStatus), nullable=False, default=InvitationStatus.PLANNED, index=True
    ),
    sa.Column("invitation_channel", _enum(Channel)),
    sa.Column("invited_on", sa.Date),
    sa.Column("reply_channel", _enum(Channel)),
    sa.Column("replied_on", sa.Date),
    sa.Column("reminded_on", sa.Date),
    #: "vertreten durch": the substitute's name, and the registry person once taken over
    sa.Column("substitute_name", sa.String(200), nullable=False, default=""),
    sa.Column("substitute_person_id", sa.ForeignKey("person.id", ondelete="SET NULL")),
    sa.Column("companions", sa.Integer, nullable=False, default=0),
    sa.Column("forum_id", sa.ForeignKey("forum.id", ondelete="SET NULL"), index=True),
    sa.Column("needs_accessibility", sa.String(300), nullable=False, default=""),
    sa.Column("needs_diet", sa.String(300), nullable=False, default=""),
    sa.Column("notes", sa.Text, nullable=False, default=""),
    #: position on the waiting list (1 = next), only while status is WAITLIST
    sa.Column("waitlist_position", sa.Integer),
    sa.Column("checked_in_at", sa.DateTime),
    #: the random token the check-in QR code carries (``konferenz.conferences.checkin.code_payload``), never
    #: personal data; every insert gets one (the column default), added by migration 0007
    sa.Column(
        "checkin_token",
        sa.String(CHECKIN_TOKEN_LENGTH),
        nullable=False,
        default=checkin_token,
        server_default="",
        index=True,
        unique=True,
    ),
    sa.Column("letter_template", sa.String(100), nullable=False, default=""),
    sa.Column("entered_by", sa.String(100), nullable=False, default=""),
    sa.Column("entered_at", sa.DateTime, nullable=False, default=now),
    sa.Column("version", sa.Integer, nullable=False, default=1),
    # nobody is invited twice to the same conference …
    sa.UniqueConstraint("conference_id", "person_id", name="uq_invitation_conference_person"),
    # … and an organisation without a contact person only once: a partial unique index, created by
    # migration 0001 on both backends with ``WHERE person_id IS NULL``. Only the SQLite form is repeated
    # here: naming ``postgresql_where`` would import SQLAlchemy's PostgreSQL dialect (and asyncio) into
    # every start of the window, ~20 ms (tests check the index is partial on PostgreSQL).
    sa.Index(
        "uq_invitation_conference_org_only",
        "conference_id",
        "organisation_id",
        unique=True,
        sqlite_where=sa.text("person_id IS NULL"),
    ),
    sa.CheckConstraint("person_id IS NOT NULL OR organisation_id IS NOT NULL", name="invitee"),
    sa.CheckConstraint("companions >= 0", name="companions"),
)

minutes_entry = sa.Table(
    "minutes_entry",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "conference_id", sa.ForeignKey("conference.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    sa.Column("agenda_item_id", sa.ForeignKey("agenda_item.id", ondelete="SET NULL"), index=True),
    sa.Column("forum_id", sa.ForeignKey("forum.id", ondelete="SET NULL"), index=True),
    sa.Column("notes", sa.Text, nullable=False, default=""),
    sa.Column("results", sa.Text, nullable=False, default=""),
    sa.Column("rapporteur", sa.String(200), nullable=False, default=""),
    *_timestamps(),
)

recommendation = sa.Table(
    "recommendation",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "conference_id", sa.ForeignKey("conference.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    sa.Column("agenda_item_id", sa.ForeignKey("agenda_item.id", ondelete="SET NULL")),
    sa.Column("forum_id", sa.ForeignKey("forum.id", ondelete="SET NULL")),
    sa.Column("minutes_entry_id", sa.ForeignKey("minutes_entry.id", ondelete="SET NULL")),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("responsible_organisation_id", sa.ForeignKey("organisation.id", ondelete="SET NULL")),
    sa.Column("responsible_person_id", sa.ForeignKey("person.id", ondelete="SET NULL")),
    #: a department or party that is not in the registry ("Schulamt", "Jobcenter")
    sa.Column("responsible_text", sa.String(300), nullable=False, default=""),
    sa.Column("due_date", sa.Date),
    sa.Column(
        "status", _enum(RecommendationStatus), nullable=False, default=RecommendationStatus.OPEN, index=True
    ),
    sa.Column("version", sa.Integer, nullable=False, default=1),
    *_timestamps(),
)

recommendation_update = sa.Table(
    "recommendation_update",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "recommendation_id",
        sa.ForeignKey("recommendation.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    ),
    sa.Column("date", sa.Date, nullable=False),
    sa.Column("status", _enum(RecommendationStatus), nullable=False),
    sa.Column("note", sa.Text, nullable=False, default=""),
    #: the minutes entry ("Sachstand …" item) in which the update was recorded, if any
    sa.Column("minutes_entry_id", sa.ForeignKey("minutes_entry.id", ondelete="SET NULL")),
    sa.Column("entered_by", sa.String(100), nullable=False, default=""),
)

consent_record = sa.Table(
    "consent_record",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("person_id", sa.ForeignKey("person.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("purpose", _enum(ConsentPurpose), nullable=False),
    sa.Column("given_on", sa.Date, nullable=False),
    sa.Column("channel", _enum(Channel)),
    sa.Column("text_version", sa.String(100), nullable=False, default=""),
    sa.Column("withdrawn_on", sa.Date),
    sa.Column("note", sa.Text, nullable=False, default=""),
)

audit_entry = sa.Table(
    "audit_entry",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("timestamp", sa.DateTime, nullable=False, default=now, index=True),
    sa.Column("os_user", sa.String(100), nullable=False, default=""),
    sa.Column("host", sa.String(100), nullable=False, default=""),
    #: table name of the record: "person", "organisation", "invitation", "recommendation" …
    sa.Column("entity_type", sa.String(50), nullable=False),
    sa.Column("entity_id", sa.Integer, nullable=False),
    sa.Column("action", _enum(AuditAction), nullable=False),
    sa.Column("field", sa.String(100), nullable=False, default=""),
    sa.Column("old_value", sa.Text),
    sa.Column("new_value", sa.Text),
    #: groups the entries of one user action (a merge, an import) so they can be shown and undone together
    sa.Column("change_set", sa.String(40), nullable=False, default="", index=True),
    sa.Index("ix_audit_entity", "entity_type", "entity_id"),
)

import_batch = sa.Table(
    "import_batch",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("file_name", sa.String(500), nullable=False),
    sa.Column("imported_at", sa.DateTime, nullable=False, default=now),
    sa.Column("os_user", sa.String(100), nullable=False, default=""),
    sa.Column("rows_read", sa.Integer, nullable=False, default=0),
    sa.Column("created", sa.Integer, nullable=False, default=0),
    sa.Column("updated", sa.Integer, nullable=False, default=0),
    sa.Column("undone_at", sa.DateTime),
    #: what undoing needs besides ``import_batch_id`` (konferenz.importing.undo); NULL once
    #: the import is undone (migration 0004 moved it here from the ``setting`` table)
    sa.Column("undo_data", sa.JSON(none_as_null=True)),
)

import_profile = sa.Table(
    "import_profile",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False, unique=True),
    sa.Column("mapping", sa.JSON, nullable=False, default=dict),
)

deletion_log = sa.Table(
    "deletion_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("id_hash", sa.String(64), nullable=False),
    sa.Column("deleted_at", sa.DateTime, nullable=False, default=now),
    sa.Column("reason", sa.Text, nullable=False, default=""),
)

archived_document = sa.Table(
    "archived_document",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("conference_id", sa.ForeignKey("conference.id", ondelete="CASCADE"), index=True),
    sa.Column("invitation_id", sa.ForeignKey("invitation.id", ondelete="CASCADE"), index=True),
    sa.Column("kind", sa.String(50), nullable=False),
    sa.Column("file_name", sa.String(300), nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False, default=now),
    sa.Column("content", sa.LargeBinary, nullable=False),
)

#: one sending of e-mails (konferenz.mail.outbox): a template to the chosen invitations of a conference
mail_run = sa.Table(
    "mail_run",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "conference_id", sa.ForeignKey("conference.id", ondelete="CASCADE"), nullable=False, index=True
    ),
    sa.Column("template", sa.String(100), nullable=False),
    sa.Column("purpose", _enum(MailPurpose), nullable=False),
    sa.Column("created_at", sa.DateTime, nullable=False, default=now),
    #: the operating system user who started the run
    sa.Column("created_by", sa.String(100), nullable=False, default=""),
    #: the attachments chosen, comma-separated ("programm,ics")
    sa.Column("attachments", sa.Text, nullable=False, default=""),
    #: set when no message of the run waits any more (queued, sending or unknown)
    sa.Column("finished_at", sa.DateTime),
)

#: one e-mail of a run to one invitation: its state is written before it is handed to the server
mail_message = sa.Table(
    "mail_message",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("run_id", sa.ForeignKey("mail_run.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("invitation_id", sa.ForeignKey("invitation.id", ondelete="CASCADE"), index=True),
    sa.Column("address", sa.String(254), nullable=False),
    #: the Message-ID header, angle brackets included; fixed when the message is queued
    sa.Column("message_id", sa.String(250), nullable=False, unique=True),
    sa.Column("subject", sa.Text, nullable=False, default=""),
    sa.Column("state", _enum(MailState), nullable=False, default=MailState.QUEUED, index=True),
    #: the server's reply to the message (250, 550 …) and its text; NULL/empty before
    sa.Column("smtp_code", sa.Integer),
    sa.Column("smtp_reply", sa.Text, nullable=False, default=""),
    #: bytes of the message as handed to the server
    sa.Column("size", sa.Integer, nullable=False, default=0),
    sa.Column("sent_at", sa.DateTime),
    sa.Column("updated_at", sa.DateTime, nullable=False, default=now, onupdate=now),
    # one message per invitation and run: nobody twice
    sa.UniqueConstraint("run_id", "invitation_id", name="uq_mail_message_run_invitation"),
)

#: the message exactly as handed to the server (RFC 5322 bytes), stored before it is handed over – in a
#: table of its own, so that the message's changes of state do not rewrite some 40 KB each (migration 0008)
mail_content = sa.Table(
    "mail_content",
    metadata,
    sa.Column("message_pk", sa.ForeignKey("mail_message.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("content", sa.LargeBinary, nullable=False),
)

setting = sa.Table(
    "setting",
    metadata,
    sa.Column("key", sa.String(100), primary_key=True),
    sa.Column("value", sa.JSON, nullable=False),
)


# --- the stored sort keys --------------------------------------------------------------------------------
#
# The rule is konferenz.sorting; the ORM events that keep the keys current on every insert and update are in
# konferenz.storage.models; the engine hook below covers Core bulk inserts (demo data, imports, copies),
# whatever module writes them.


def _person_key(row: dict[str, Any]) -> str:
    return person_sort_name(row["last_name"], row.get("first_name"))


def _organisation_key(row: dict[str, Any]) -> str:
    return organisation_sort_name(row["name"])


#: per table: the column a row must carry to get a key, and the key
_KEYS: dict[str, tuple[str, Callable[[dict[str, Any]], str]]] = {
    "person": ("last_name", _person_key),
    "organisation": ("name", _organisation_key),
}


@sa.event.listens_for(sa.Engine, "before_execute", retval=True)
def _fill_sort_name_on_core_insert(
    _conn: sa.Connection, clauseelement: Any, multiparams: Any, params: Any, _execution_options: Any
) -> tuple[Any, Any, Any]:
    """Core ``INSERT`` into ``person`` or ``organisation`` with rows as parameters: compute missing or
    empty sort keys."""
    # the ORM passes an annotated copy of the table: compare by name
    if isinstance(clauseelement, sa.Update):
        return _fill_organisation_sort_name_on_core_update(clauseelement), multiparams, params
    if not isinstance(clauseelement, sa.Insert):
        return clauseelement, multiparams, params
    rule = _KEYS.get(getattr(clauseelement.table, "name", None) or "")
    if rule is None:
        return clauseelement, multiparams, params
    source, key = rule

    def filled(row: Any) -> Any:
        if isinstance(row, dict) and source in row and not row.get("sort_name"):
            return {**row, "sort_name": key(row)}
        return row

    if isinstance(multiparams, list):
        multiparams = [filled(row) for row in multiparams]
    elif isinstance(multiparams, tuple):
        multiparams = tuple(
            [filled(r) for r in item] if isinstance(item, list) else filled(item) for item in multiparams
        )
    if isinstance(params, dict) and params:
        params = filled(params)
    return clauseelement, multiparams, params


def _fill_organisation_sort_name_on_core_update(stmt: sa.Update) -> sa.Update:
    """Core ``UPDATE organisation SET name = 'literal'`` (an import, its undo, a merge): the key follows.

    Only the organisation's key can be kept this way: it depends on the updated column alone. A person's
    key needs both names, so code that renames persons in Core writes ``sort_name`` itself (the import)."""
    if getattr(stmt.table, "name", None) != "organisation":
        return stmt
    values = stmt.compile().params
    name = values.get("name")
    if isinstance(name, str) and "sort_name" not in values:
        return stmt.values(sort_name=organisation_sort_name(name))
    return stmt


# --- the domain rules in SQL ------------------------------------------------------------------------------
#
# Each is the SQL form of a rule whose Python form lives in konferenz.sorting (order) or is stated here;
# every query that orders persons or organisations, or counts an invitation under a category or a
# municipality, uses these (tests/unit/test_rule_homes.py runs every consumer on the same data).


def person_order(table: sa.FromClause = person) -> list[sa.ColumnElement[Any]]:
    """``ORDER BY`` terms of the filing order of persons (``konferenz.sorting.person_key``)."""
    return [table.c.sort_name, table.c.id]


def organisation_order(table: sa.FromClause = organisation) -> list[sa.ColumnElement[Any]]:
    """``ORDER BY`` terms of the filing order of organisations (``konferenz.sorting.organisation_key``)."""
    return [table.c.sort_name, table.c.id]


def invitee_order(
    person_table: sa.FromClause = person,
    organisation_table: sa.FromClause = organisation,
    invitation_table: sa.FromClause = invitation,
) -> list[sa.ColumnElement[Any]]:
    """``ORDER BY`` terms of invitations (``konferenz.sorting.invitee_key``), for a query that outer-joins
    the invited person and the invitation's organisation: the person's key, else the organisation's."""
    return [
        sa.func.coalesce(person_table.c.sort_name, organisation_table.c.sort_name, ""),
        invitation_table.c.id,
    ]


def primary_organisation_id(person_id: sa.ColumnElement[Any]) -> sa.ScalarSelect[Any]:
    """The person's primary organisation (the first primary role, should there be two by mistake), as a
    scalar subquery correlated with the query it is used in."""
    r = role.alias("primary_role")
    return (
        sa.select(r.c.organisation_id)
        .where(r.c.person_id == person_id, r.c.is_primary.is_(True))
        .order_by(r.c.id)
        .limit(1)
        .correlate_except(r)
        .scalar_subquery()
    )


def _counted_under(column: str, inv: sa.FromClause) -> sa.ColumnElement[Any]:
    # aliases of their own, so the subqueries never correlate with a person or organisation of the outer query
    p = person.alias("counted_person")
    own = sa.select(p.c[column]).where(p.c.id == inv.c.person_id).correlate_except(p).scalar_subquery()
    o = organisation.alias("counted_org")
    invited_for = (
        sa.select(o.c[column]).where(o.c.id == inv.c.organisation_id).correlate_except(o).scalar_subquery()
    )
    primary = organisation.alias("counted_primary_org")
    of_primary = (
        sa.select(primary.c[column])
        .where(primary.c.id == primary_organisation_id(inv.c.person_id))
        .correlate_except(primary)
        .scalar_subquery()
    )
    return sa.func.coalesce(own, invited_for, of_primary)


def counted_category_id(inv: sa.FromClause = invitation) -> sa.ColumnElement[Any]:
    """The category an invitation counts under (statistics and invitation export): the person's own, else
    that of the organisation the person was invited for (an organisation alone: its own), else that of the
    person's primary organisation; NULL for none."""
    return _counted_under("category_id", inv)


def counted_municipality_id(inv: sa.FromClause = invitation) -> sa.ColumnElement[Any]:
    """The municipality an invitation counts under, by the rule of ``counted_category_id``."""
    return _counted_under("municipality_id", inv)
