"""The data model of the whole application (SQLAlchemy 2 typed declarative models).

Every table the later features need is here from the first migration, so features extend it instead of
redoing it. Enumerations are stored as short strings (no native database enums) so SQLite and PostgreSQL
behave the same and migrations stay simple. Records that several staff members edit carry a ``version``
column used for optimistic locking (SQLAlchemy's ``version_id_col``): a stale save raises instead of
silently overwriting.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from konferenz.enums import (
    AgendaItemType,
    AuditAction,
    Channel,
    ConsentPurpose,
    Gender,
    InvitationStatus,
    LegalBasis,
    MunicipalityKind,
    RecommendationStatus,
)
from konferenz.text import fold

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


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


class TimestampMixin:
    created_at: Mapped[dt.datetime] = mapped_column(default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(default=_now, onupdate=_now)


person_tag = sa.Table(
    "person_tag",
    Base.metadata,
    sa.Column("person_id", sa.ForeignKey("person.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("tag_id", sa.ForeignKey("tag.id", ondelete="CASCADE"), primary_key=True),
)

organisation_tag = sa.Table(
    "organisation_tag",
    Base.metadata,
    sa.Column("organisation_id", sa.ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("tag_id", sa.ForeignKey("tag.id", ondelete="CASCADE"), primary_key=True),
)


class Category(Base):
    """A group of invitees (Freier Träger, Migrantenselbstorganisation, Kommune …), configurable."""

    __tablename__ = "category"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100), unique=True)
    #: comma-separated alternative names used by the import ("MSO" for Migrantenselbstorganisation)
    synonyms: Mapped[str] = mapped_column(sa.String(300), default="")
    #: counted as migrant self-organisation in the statistics
    is_migrant_organisation: Mapped[bool] = mapped_column(default=False)
    sort_order: Mapped[int] = mapped_column(default=0)


class Municipality(Base):
    """One of the 17 towns and municipalities of the Kreis Borken."""

    __tablename__ = "municipality"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100), unique=True)
    kind: Mapped[MunicipalityKind] = mapped_column(_enum(MunicipalityKind))
    #: comma-separated postal codes, e.g. "46395,46397,46399"
    postal_codes: Mapped[str] = mapped_column(sa.String(100), default="")


class Tag(Base):
    __tablename__ = "tag"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100), unique=True)


class AddressMixin:
    street: Mapped[str] = mapped_column(sa.String(200), default="")
    po_box: Mapped[str] = mapped_column(sa.String(50), default="")
    postal_code: Mapped[str] = mapped_column(sa.String(10), default="")
    city: Mapped[str] = mapped_column(sa.String(100), default="")
    #: empty for Germany; otherwise the country name as written on the envelope
    country: Mapped[str] = mapped_column(sa.String(100), default="")
    email: Mapped[str] = mapped_column(sa.String(254), default="")
    phone: Mapped[str] = mapped_column(sa.String(50), default="")


class Organisation(TimestampMixin, AddressMixin, Base):
    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200))
    #: department or second name line (Abteilung, Fachbereich)
    department: Mapped[str] = mapped_column(sa.String(200), default="")
    short_name: Mapped[str] = mapped_column(sa.String(50), default="")
    category_id: Mapped[int | None] = mapped_column(sa.ForeignKey("category.id", ondelete="SET NULL"))
    municipality_id: Mapped[int | None] = mapped_column(sa.ForeignKey("municipality.id", ondelete="SET NULL"))
    website: Mapped[str] = mapped_column(sa.String(200), default="")
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    #: folded text of the searchable fields (konferenz.text.search_text); LIKE "%…%" scans it
    search_text: Mapped[str] = mapped_column(sa.Text, default="")
    import_batch_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("import_batch.id", ondelete="SET NULL"), index=True
    )
    version: Mapped[int] = mapped_column(default=1)

    category: Mapped[Category | None] = relationship()
    municipality: Mapped[Municipality | None] = relationship()
    roles: Mapped[list[Role]] = relationship(back_populates="organisation", cascade="all, delete-orphan")
    tags: Mapped[list[Tag]] = relationship(secondary=organisation_tag)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy's declared form)


class Person(TimestampMixin, AddressMixin, Base):
    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    gender: Mapped[Gender] = mapped_column(_enum(Gender), default=Gender.UNKNOWN)
    #: academic titles as written in the address, e.g. "Dr." or "Prof. Dr."
    title: Mapped[str] = mapped_column(sa.String(50), default="")
    first_name: Mapped[str] = mapped_column(sa.String(100), default="")
    #: name particle that belongs to the last name: "von", "van der", "de"
    name_prefix: Mapped[str] = mapped_column(sa.String(30), default="")
    last_name: Mapped[str] = mapped_column(sa.String(100))
    #: a salutation stored here overrides every rule ("Liebe Ayşe,")
    custom_salutation: Mapped[str] = mapped_column(sa.String(200), default="")
    function: Mapped[str] = mapped_column(sa.String(200), default="")
    mobile: Mapped[str] = mapped_column(sa.String(50), default="")
    #: own category; without one, the person counts under the primary organisation's
    category_id: Mapped[int | None] = mapped_column(sa.ForeignKey("category.id", ondelete="SET NULL"))
    municipality_id: Mapped[int | None] = mapped_column(sa.ForeignKey("municipality.id", ondelete="SET NULL"))
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    legal_basis: Mapped[LegalBasis] = mapped_column(_enum(LegalBasis), default=LegalBasis.PUBLIC_TASK)
    search_text: Mapped[str] = mapped_column(sa.Text, default="")
    #: the default order of the address list: folded "last first" (``person_sort_name``), kept current on
    #: every insert and ORM update (see ``_fill_sort_name``); indexed by migration 0003, per backend
    sort_name: Mapped[str] = mapped_column(sa.String(400), default="", server_default="")
    #: set when the person was anonymised (Art. 17 DSGVO); the row stays for attendance counts
    anonymised_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    import_batch_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("import_batch.id", ondelete="SET NULL"), index=True
    )
    version: Mapped[int] = mapped_column(default=1)

    category: Mapped[Category | None] = relationship()
    municipality: Mapped[Municipality | None] = relationship()
    roles: Mapped[list[Role]] = relationship(back_populates="person", cascade="all, delete-orphan")
    tags: Mapped[list[Tag]] = relationship(secondary=person_tag)
    consents: Mapped[list[ConsentRecord]] = relationship(
        back_populates="person", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    __table_args__ = (sa.Index("ix_person_last_first", "last_name", "first_name"),)


class Role(Base):
    """A person's role in an organisation; the primary role decides the letter address."""

    __tablename__ = "role"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="CASCADE"), index=True
    )
    function: Mapped[str] = mapped_column(sa.String(200), default="")
    department: Mapped[str] = mapped_column(sa.String(200), default="")
    is_primary: Mapped[bool] = mapped_column(default=False)

    person: Mapped[Person] = relationship(back_populates="roles")
    organisation: Mapped[Organisation] = relationship(back_populates="roles")

    __table_args__ = (sa.UniqueConstraint("person_id", "organisation_id", name="uq_role_person_org"),)


class SavedFilter(Base):
    """A named registry filter ("Verteiler"), stored as JSON."""

    __tablename__ = "saved_filter"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    definition: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)


class Conference(TimestampMixin, Base):
    __tablename__ = "conference"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(unique=True)
    title: Mapped[str] = mapped_column(sa.String(300))
    theme: Mapped[str] = mapped_column(sa.Text, default="")
    date: Mapped[dt.date | None] = mapped_column(default=None)
    start_time: Mapped[dt.time | None] = mapped_column(default=None)
    end_time: Mapped[dt.time | None] = mapped_column(default=None)
    venue_name: Mapped[str] = mapped_column(sa.String(200), default="")
    venue_street: Mapped[str] = mapped_column(sa.String(200), default="")
    venue_postal_code: Mapped[str] = mapped_column(sa.String(10), default="")
    venue_city: Mapped[str] = mapped_column(sa.String(100), default="")
    capacity: Mapped[int | None] = mapped_column(default=None)
    reply_deadline: Mapped[dt.date | None] = mapped_column(default=None)
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    version: Mapped[int] = mapped_column(default=1)

    forums: Mapped[list[Forum]] = relationship(
        back_populates="conference", cascade="all, delete-orphan", order_by="Forum.sort_order"
    )
    agenda_items: Mapped[list[AgendaItem]] = relationship(
        back_populates="conference", cascade="all, delete-orphan", order_by="AgendaItem.position"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class AgendaItem(Base):
    __tablename__ = "agenda_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(sa.ForeignKey("conference.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    start_time: Mapped[dt.time | None] = mapped_column(default=None)
    duration_minutes: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(sa.String(300))
    item_type: Mapped[AgendaItemType] = mapped_column(_enum(AgendaItemType), default=AgendaItemType.OTHER)
    description: Mapped[str] = mapped_column(sa.Text, default="")
    #: free-text speakers and moderation; registry persons are linked through AgendaPerson
    speakers: Mapped[str] = mapped_column(sa.Text, default="")
    moderation: Mapped[str] = mapped_column(sa.Text, default="")
    room: Mapped[str] = mapped_column(sa.String(100), default="")
    #: running order ("Regieplan"): responsible staff and internal notes, not printed in the programme
    responsible_staff: Mapped[str] = mapped_column(sa.String(200), default="")
    internal_notes: Mapped[str] = mapped_column(sa.Text, default="")

    conference: Mapped[Conference] = relationship(back_populates="agenda_items")
    forums: Mapped[list[Forum]] = relationship(back_populates="agenda_item", order_by="Forum.sort_order")


class AgendaPerson(Base):
    """A registry person speaking at or moderating an agenda item."""

    __tablename__ = "agenda_person"

    id: Mapped[int] = mapped_column(primary_key=True)
    agenda_item_id: Mapped[int] = mapped_column(
        sa.ForeignKey("agenda_item.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id", ondelete="CASCADE"), index=True)
    #: "speaker" or "moderation"
    part: Mapped[str] = mapped_column(sa.String(20), default="speaker")


class Forum(Base):
    """A parallel workshop of a conference, held during a Forenphase agenda item."""

    __tablename__ = "forum"

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(sa.ForeignKey("conference.id", ondelete="CASCADE"), index=True)
    agenda_item_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("agenda_item.id", ondelete="SET NULL"), index=True
    )
    sort_order: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(sa.String(300))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    room: Mapped[str] = mapped_column(sa.String(100), default="")
    capacity: Mapped[int | None] = mapped_column(default=None)
    moderation: Mapped[str] = mapped_column(sa.String(300), default="")

    conference: Mapped[Conference] = relationship(back_populates="forums")
    agenda_item: Mapped[AgendaItem | None] = relationship(back_populates="forums")


class Invitation(Base):
    """One invitee (a person at an organisation, or an organisation alone) for one conference."""

    __tablename__ = "invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(sa.ForeignKey("conference.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("person.id", ondelete="RESTRICT"), index=True)
    #: the organisation the person is invited for, or the invited organisation itself
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[InvitationStatus] = mapped_column(
        _enum(InvitationStatus), default=InvitationStatus.PLANNED, index=True
    )
    invitation_channel: Mapped[Channel | None] = mapped_column(_enum(Channel), default=None)
    invited_on: Mapped[dt.date | None] = mapped_column(default=None)
    reply_channel: Mapped[Channel | None] = mapped_column(_enum(Channel), default=None)
    replied_on: Mapped[dt.date | None] = mapped_column(default=None)
    reminded_on: Mapped[dt.date | None] = mapped_column(default=None)
    #: "vertreten durch": the substitute's name, and the registry person once taken over
    substitute_name: Mapped[str] = mapped_column(sa.String(200), default="")
    substitute_person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("person.id", ondelete="SET NULL"))
    companions: Mapped[int] = mapped_column(default=0)
    forum_id: Mapped[int | None] = mapped_column(sa.ForeignKey("forum.id", ondelete="SET NULL"), index=True)
    needs_accessibility: Mapped[str] = mapped_column(sa.String(300), default="")
    needs_diet: Mapped[str] = mapped_column(sa.String(300), default="")
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    #: position on the waiting list (1 = next), only while status is WAITLIST
    waitlist_position: Mapped[int | None] = mapped_column(default=None)
    checked_in_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    letter_template: Mapped[str] = mapped_column(sa.String(100), default="")
    entered_by: Mapped[str] = mapped_column(sa.String(100), default="")
    entered_at: Mapped[dt.datetime] = mapped_column(default=_now)
    version: Mapped[int] = mapped_column(default=1)

    conference: Mapped[Conference] = relationship()
    person: Mapped[Person | None] = relationship(foreign_keys=[person_id])
    organisation: Mapped[Organisation | None] = relationship()
    forum: Mapped[Forum | None] = relationship()
    substitute_person: Mapped[Person | None] = relationship(foreign_keys=[substitute_person_id])

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012

    __table_args__ = (
        # nobody is invited twice to the same conference …
        sa.UniqueConstraint("conference_id", "person_id", name="uq_invitation_conference_person"),
        # … and an organisation without a contact person only once
        sa.Index(
            "uq_invitation_conference_org_only",
            "conference_id",
            "organisation_id",
            unique=True,
            sqlite_where=sa.text("person_id IS NULL"),
            postgresql_where=sa.text("person_id IS NULL"),
        ),
        sa.CheckConstraint("person_id IS NOT NULL OR organisation_id IS NOT NULL", name="invitee"),
        sa.CheckConstraint("companions >= 0", name="companions"),
    )


class MinutesEntry(TimestampMixin, Base):
    """Minutes of one agenda item or one forum."""

    __tablename__ = "minutes_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(sa.ForeignKey("conference.id", ondelete="CASCADE"), index=True)
    agenda_item_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("agenda_item.id", ondelete="SET NULL"), index=True
    )
    forum_id: Mapped[int | None] = mapped_column(sa.ForeignKey("forum.id", ondelete="SET NULL"), index=True)
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    results: Mapped[str] = mapped_column(sa.Text, default="")
    rapporteur: Mapped[str] = mapped_column(sa.String(200), default="")

    agenda_item: Mapped[AgendaItem | None] = relationship()
    forum: Mapped[Forum | None] = relationship()


class Recommendation(TimestampMixin, Base):
    """A Handlungsempfehlung from a conference, followed up in later years."""

    __tablename__ = "recommendation"

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int] = mapped_column(sa.ForeignKey("conference.id", ondelete="CASCADE"), index=True)
    agenda_item_id: Mapped[int | None] = mapped_column(sa.ForeignKey("agenda_item.id", ondelete="SET NULL"))
    forum_id: Mapped[int | None] = mapped_column(sa.ForeignKey("forum.id", ondelete="SET NULL"))
    minutes_entry_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("minutes_entry.id", ondelete="SET NULL")
    )
    text: Mapped[str] = mapped_column(sa.Text)
    responsible_organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="SET NULL")
    )
    responsible_person_id: Mapped[int | None] = mapped_column(sa.ForeignKey("person.id", ondelete="SET NULL"))
    #: a department or party that is not in the registry ("Schulamt", "Jobcenter")
    responsible_text: Mapped[str] = mapped_column(sa.String(300), default="")
    due_date: Mapped[dt.date | None] = mapped_column(default=None)
    status: Mapped[RecommendationStatus] = mapped_column(
        _enum(RecommendationStatus), default=RecommendationStatus.OPEN, index=True
    )
    version: Mapped[int] = mapped_column(default=1)

    conference: Mapped[Conference] = relationship()
    agenda_item: Mapped[AgendaItem | None] = relationship()
    forum: Mapped[Forum | None] = relationship()
    responsible_organisation: Mapped[Organisation | None] = relationship()
    responsible_person: Mapped[Person | None] = relationship()
    history: Mapped[list[RecommendationUpdate]] = relationship(
        back_populates="recommendation",
        cascade="all, delete-orphan",
        order_by="(RecommendationUpdate.date, RecommendationUpdate.id)",
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class RecommendationUpdate(Base):
    """A dated status note of a recommendation ("2026-03-01: Gespräch mit Schulamt geführt")."""

    __tablename__ = "recommendation_update"

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("recommendation.id", ondelete="CASCADE"), index=True
    )
    date: Mapped[dt.date]
    status: Mapped[RecommendationStatus] = mapped_column(_enum(RecommendationStatus))
    note: Mapped[str] = mapped_column(sa.Text, default="")
    #: the minutes entry ("Sachstand …" item) in which the update was recorded, if any
    minutes_entry_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("minutes_entry.id", ondelete="SET NULL")
    )
    entered_by: Mapped[str] = mapped_column(sa.String(100), default="")

    recommendation: Mapped[Recommendation] = relationship(back_populates="history")


class ConsentRecord(Base):
    """Provable consent (Art. 7 DSGVO): purpose, date, channel, text version, withdrawal."""

    __tablename__ = "consent_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(sa.ForeignKey("person.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[ConsentPurpose] = mapped_column(_enum(ConsentPurpose))
    given_on: Mapped[dt.date]
    channel: Mapped[Channel | None] = mapped_column(_enum(Channel), default=None)
    text_version: Mapped[str] = mapped_column(sa.String(100), default="")
    withdrawn_on: Mapped[dt.date | None] = mapped_column(default=None)
    note: Mapped[str] = mapped_column(sa.Text, default="")

    person: Mapped[Person] = relationship(back_populates="consents")


class AuditEntry(Base):
    """One changed field (or one whole action) on one record, with who and when."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    timestamp: Mapped[dt.datetime] = mapped_column(default=_now, index=True)
    os_user: Mapped[str] = mapped_column(sa.String(100), default="")
    host: Mapped[str] = mapped_column(sa.String(100), default="")
    #: table name of the record: "person", "organisation", "invitation", "recommendation" …
    entity_type: Mapped[str] = mapped_column(sa.String(50))
    entity_id: Mapped[int]
    action: Mapped[AuditAction] = mapped_column(_enum(AuditAction))
    field: Mapped[str] = mapped_column(sa.String(100), default="")
    old_value: Mapped[str | None] = mapped_column(sa.Text, default=None)
    new_value: Mapped[str | None] = mapped_column(sa.Text, default=None)
    #: groups the entries of one user action (a merge, an import) so they can be shown and undone together
    change_set: Mapped[str] = mapped_column(sa.String(40), default="", index=True)

    __table_args__ = (sa.Index("ix_audit_entity", "entity_type", "entity_id"),)


class ImportBatch(Base):
    """One committed spreadsheet import, so it can be undone as a whole."""

    __tablename__ = "import_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    file_name: Mapped[str] = mapped_column(sa.String(500))
    imported_at: Mapped[dt.datetime] = mapped_column(default=_now)
    os_user: Mapped[str] = mapped_column(sa.String(100), default="")
    rows_read: Mapped[int] = mapped_column(default=0)
    created: Mapped[int] = mapped_column(default=0)
    updated: Mapped[int] = mapped_column(default=0)
    undone_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    #: what undoing needs besides ``import_batch_id`` (konferenz.importer, "Writing and undo"); NULL once
    #: the import is undone (migration 0004 moved it here from the ``setting`` table)
    undo_data: Mapped[dict[str, Any] | None] = mapped_column(sa.JSON(none_as_null=True), default=None)


class ImportProfile(Base):
    """A saved column mapping for spreadsheets of a recurring shape."""

    __tablename__ = "import_profile"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(200), unique=True)
    mapping: Mapped[dict[str, Any]] = mapped_column(sa.JSON, default=dict)


class DeletionLog(Base):
    """Erasure log without personal data (Art. 17 DSGVO): hashed id, date, reason."""

    __tablename__ = "deletion_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    id_hash: Mapped[str] = mapped_column(sa.String(64))
    deleted_at: Mapped[dt.datetime] = mapped_column(default=_now)
    reason: Mapped[str] = mapped_column(sa.Text, default="")


class ArchivedDocument(Base):
    """A copy of something sent or produced (a letter PDF), kept with the invitation."""

    __tablename__ = "archived_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    conference_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("conference.id", ondelete="CASCADE"), index=True
    )
    invitation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("invitation.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(sa.String(50))
    file_name: Mapped[str] = mapped_column(sa.String(300))
    created_at: Mapped[dt.datetime] = mapped_column(default=_now)
    content: Mapped[bytes] = mapped_column(sa.LargeBinary)


class Setting(Base):
    """Settings that belong to the database rather than to one PC (letterhead, sender line …)."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(sa.String(100), primary_key=True)
    value: Mapped[Any] = mapped_column(sa.JSON)


#: tables in dependency order, for copying between databases and for tests
ALL_TABLES = tuple(Base.metadata.sorted_tables)


# --- the stored sort key of persons --------------------------------------------------------------------
#
# The address list is ordered by ``person.sort_name`` (migration 0003 indexes it: on SQLite together with
# ``search_text``, so a search-as-you-type query over 100,000 persons is one scan of a covering index in
# display order, without a sort). The key must be right for every row, whoever writes it: the ORM events
# below cover the services, and the engine hook covers Core bulk inserts (demo data, imports, copies),
# which pass the row as a dict, often with an empty ``sort_name`` from a column template.

#: longest stored key (the column's length)
SORT_NAME_LENGTH = 400


def person_sort_name(last_name: str | None, first_name: str | None) -> str:
    """The sort key of a person: folded last name, a space, folded first name ("ozturk ayse").

    Case, accents and umlauts are ignored (DIN 5007-1 files Ö under O); the name particle is not part of
    it ("de Vries" is filed under V); a shorter last name comes first ("Li" before "Lia")."""
    return f"{fold(last_name or '')} {fold(first_name or '')}".strip()[:SORT_NAME_LENGTH]


@sa.event.listens_for(Person, "before_insert")
@sa.event.listens_for(Person, "before_update")
def _fill_sort_name(_mapper: Any, _connection: Any, target: Person) -> None:
    key = person_sort_name(target.last_name, target.first_name)
    if target.sort_name != key:
        target.sort_name = key


@sa.event.listens_for(sa.Engine, "before_execute", retval=True)
def _fill_sort_name_on_core_insert(
    _conn: sa.Connection, clauseelement: Any, multiparams: Any, params: Any, _execution_options: Any
) -> tuple[Any, Any, Any]:
    """Core ``INSERT`` into ``person`` with rows as parameters: compute missing or empty sort keys."""
    # the ORM passes an annotated copy of the table: compare by name
    if not (isinstance(clauseelement, sa.Insert) and getattr(clauseelement.table, "name", None) == "person"):
        return clauseelement, multiparams, params

    def filled(row: Any) -> Any:
        if isinstance(row, dict) and "last_name" in row and not row.get("sort_name"):
            return {**row, "sort_name": person_sort_name(row["last_name"], row.get("first_name"))}
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
