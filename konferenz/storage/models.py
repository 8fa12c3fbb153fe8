"""The ORM classes of the whole application, mapped onto the tables of ``konferenz.storage.schema``.

The tables (columns, types, defaults, constraints, indexes) are defined once, in Core, in
``konferenz.storage.schema``; this module adds what the services work with: typed attributes, relationships,
optimistic locking (``version_id_col``: a stale save raises instead of silently overwriting) and the
events that keep ``person.sort_name`` and ``organisation.sort_name`` current. Importing it imports the ORM; code that only reads lists
uses ``konferenz.storage.schema`` and starts faster.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, relationship

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
from konferenz.sorting import organisation_sort_name, person_sort_name
from konferenz.storage import schema


class Base(DeclarativeBase):
    metadata = schema.metadata


class TimestampMixin:
    created_at: Mapped[dt.datetime]
    updated_at: Mapped[dt.datetime]


person_tag = schema.person_tag
organisation_tag = schema.organisation_tag


class Category(Base):
    """A group of invitees (Freier Träger, Migrantenselbstorganisation, Kommune …), configurable."""

    __table__ = schema.category

    id: Mapped[int]
    name: Mapped[str]
    synonyms: Mapped[str]
    is_migrant_organisation: Mapped[bool]
    sort_order: Mapped[int]


class Municipality(Base):
    """One of the 17 towns and municipalities of the Kreis Borken."""

    __table__ = schema.municipality

    id: Mapped[int]
    name: Mapped[str]
    kind: Mapped[MunicipalityKind]
    postal_codes: Mapped[str]


class Tag(Base):
    __table__ = schema.tag

    id: Mapped[int]
    name: Mapped[str]


class AddressMixin:
    street: Mapped[str]
    po_box: Mapped[str]
    postal_code: Mapped[str]
    city: Mapped[str]
    country: Mapped[str]
    email: Mapped[str]
    phone: Mapped[str]
    #: the mail server's permanent refusal of ``email`` (its text) and when; "" while it works
    email_failing: Mapped[str]
    email_failing_at: Mapped[dt.datetime | None]


class Organisation(TimestampMixin, AddressMixin, Base):
    __table__ = schema.organisation

    id: Mapped[int]
    name: Mapped[str]
    department: Mapped[str]
    short_name: Mapped[str]
    category_id: Mapped[int | None]
    municipality_id: Mapped[int | None]
    website: Mapped[str]
    notes: Mapped[str]
    search_text: Mapped[str]
    sort_name: Mapped[str]
    import_batch_id: Mapped[int | None]
    version: Mapped[int]

    category: Mapped[Category | None] = relationship()
    municipality: Mapped[Municipality | None] = relationship()
    roles: Mapped[list[Role]] = relationship(back_populates="organisation", cascade="all, delete-orphan")
    tags: Mapped[list[Tag]] = relationship(secondary=organisation_tag)

    __mapper_args__ = {"version_id_col": schema.organisation.c.version}  # noqa: RUF012 (SQLAlchemy's declared form)


class Person(TimestampMixin, AddressMixin, Base):
    __table__ = schema.person

    id: Mapped[int]
    gender: Mapped[Gender]
    title: Mapped[str]
    first_name: Mapped[str]
    name_prefix: Mapped[str]
    last_name: Mapped[str]
    custom_salutation: Mapped[str]
    function: Mapped[str]
    mobile: Mapped[str]
    category_id: Mapped[int | None]
    municipality_id: Mapped[int | None]
    notes: Mapped[str]
    legal_basis: Mapped[LegalBasis]
    search_text: Mapped[str]
    sort_name: Mapped[str]
    anonymised_at: Mapped[dt.datetime | None]
    import_batch_id: Mapped[int | None]
    version: Mapped[int]

    category: Mapped[Category | None] = relationship()
    municipality: Mapped[Municipality | None] = relationship()
    roles: Mapped[list[Role]] = relationship(back_populates="person", cascade="all, delete-orphan")
    tags: Mapped[list[Tag]] = relationship(secondary=person_tag)
    consents: Mapped[list[ConsentRecord]] = relationship(
        back_populates="person", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": schema.person.c.version}  # noqa: RUF012


class Role(Base):
    """A person's role in an organisation; the primary role decides the letter address."""

    __table__ = schema.role

    id: Mapped[int]
    person_id: Mapped[int]
    organisation_id: Mapped[int]
    function: Mapped[str]
    department: Mapped[str]
    is_primary: Mapped[bool]

    person: Mapped[Person] = relationship(back_populates="roles")
    organisation: Mapped[Organisation] = relationship(back_populates="roles")


class SavedFilter(Base):
    """A named registry filter ("Verteiler"), stored as JSON."""

    __table__ = schema.saved_filter

    id: Mapped[int]
    name: Mapped[str]
    definition: Mapped[dict[str, Any]]


class Conference(TimestampMixin, Base):
    __table__ = schema.conference

    id: Mapped[int]
    year: Mapped[int]
    title: Mapped[str]
    theme: Mapped[str]
    date: Mapped[dt.date | None]
    start_time: Mapped[dt.time | None]
    end_time: Mapped[dt.time | None]
    venue_name: Mapped[str]
    venue_street: Mapped[str]
    venue_postal_code: Mapped[str]
    venue_city: Mapped[str]
    capacity: Mapped[int | None]
    reply_deadline: Mapped[dt.date | None]
    notes: Mapped[str]
    version: Mapped[int]

    forums: Mapped[list[Forum]] = relationship(
        back_populates="conference", cascade="all, delete-orphan", order_by="Forum.sort_order"
    )
    agenda_items: Mapped[list[AgendaItem]] = relationship(
        back_populates="conference", cascade="all, delete-orphan", order_by="AgendaItem.position"
    )

    __mapper_args__ = {"version_id_col": schema.conference.c.version}  # noqa: RUF012


class AgendaItem(Base):
    __table__ = schema.agenda_item

    id: Mapped[int]
    conference_id: Mapped[int]
    position: Mapped[int]
    start_time: Mapped[dt.time | None]
    duration_minutes: Mapped[int]
    title: Mapped[str]
    item_type: Mapped[AgendaItemType]
    description: Mapped[str]
    speakers: Mapped[str]
    moderation: Mapped[str]
    room: Mapped[str]
    responsible_staff: Mapped[str]
    internal_notes: Mapped[str]

    conference: Mapped[Conference] = relationship(back_populates="agenda_items")
    forums: Mapped[list[Forum]] = relationship(back_populates="agenda_item", order_by="Forum.sort_order")


class AgendaPerson(Base):
    """A registry person speaking at or moderating an agenda item."""

    __table__ = schema.agenda_person

    id: Mapped[int]
    agenda_item_id: Mapped[int]
    person_id: Mapped[int]
    part: Mapped[str]


class Forum(Base):
    """A parallel workshop of a conference, held during a Forenphase agenda item."""

    __table__ = schema.forum

    id: Mapped[int]
    conference_id: Mapped[int]
    agenda_item_id: Mapped[int | None]
    sort_order: Mapped[int]
    title: Mapped[str]
    description: Mapped[str]
    room: Mapped[str]
    capacity: Mapped[int | None]
    moderation: Mapped[str]

    conference: Mapped[Conference] = relationship(back_populates="forums")
    agenda_item: Mapped[AgendaItem | None] = relationship(back_populates="forums")


class Invitation(Base):
    """One invitee (a person at an organisation, or an organisation alone) for one conference."""

    __table__ = schema.invitation

    id: Mapped[int]
    conference_id: Mapped[int]
    person_id: Mapped[int | None]
    organisation_id: Mapped[int | None]
    status: Mapped[InvitationStatus]
    invitation_channel: Mapped[Channel | None]
    invited_on: Mapped[dt.date | None]
    reply_channel: Mapped[Channel | None]
    replied_on: Mapped[dt.date | None]
    reminded_on: Mapped[dt.date | None]
    substitute_name: Mapped[str]
    substitute_person_id: Mapped[int | None]
    companions: Mapped[int]
    forum_id: Mapped[int | None]
    needs_accessibility: Mapped[str]
    needs_diet: Mapped[str]
    notes: Mapped[str]
    waitlist_position: Mapped[int | None]
    checked_in_at: Mapped[dt.datetime | None]
    checkin_token: Mapped[str]
    letter_template: Mapped[str]
    entered_by: Mapped[str]
    entered_at: Mapped[dt.datetime]
    version: Mapped[int]

    conference: Mapped[Conference] = relationship()
    person: Mapped[Person | None] = relationship(foreign_keys=[schema.invitation.c.person_id])
    organisation: Mapped[Organisation | None] = relationship()
    forum: Mapped[Forum | None] = relationship()
    substitute_person: Mapped[Person | None] = relationship(
        foreign_keys=[schema.invitation.c.substitute_person_id]
    )

    __mapper_args__ = {"version_id_col": schema.invitation.c.version}  # noqa: RUF012


class MinutesEntry(TimestampMixin, Base):
    """Minutes of one agenda item or one forum."""

    __table__ = schema.minutes_entry

    id: Mapped[int]
    conference_id: Mapped[int]
    agenda_item_id: Mapped[int | None]
    forum_id: Mapped[int | None]
    notes: Mapped[str]
    results: Mapped[str]
    rapporteur: Mapped[str]

    agenda_item: Mapped[AgendaItem | None] = relationship()
    forum: Mapped[Forum | None] = relationship()


class Recommendation(TimestampMixin, Base):
    """A Handlungsempfehlung from a conference, followed up in later years."""

    __table__ = schema.recommendation

    id: Mapped[int]
    conference_id: Mapped[int]
    agenda_item_id: Mapped[int | None]
    forum_id: Mapped[int | None]
    minutes_entry_id: Mapped[int | None]
    text: Mapped[str]
    responsible_organisation_id: Mapped[int | None]
    responsible_person_id: Mapped[int | None]
    responsible_text: Mapped[str]
    due_date: Mapped[dt.date | None]
    status: Mapped[RecommendationStatus]
    version: Mapped[int]

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

    __mapper_args__ = {"version_id_col": schema.recommendation.c.version}  # noqa: RUF012


class RecommendationUpdate(Base):
    """A dated status note of a recommendation ("2026-03-01: Gespräch mit Schulamt geführt")."""

    __table__ = schema.recommendation_update

    id: Mapped[int]
    recommendation_id: Mapped[int]
    date: Mapped[dt.date]
    status: Mapped[RecommendationStatus]
    note: Mapped[str]
    minutes_entry_id: Mapped[int | None]
    entered_by: Mapped[str]

    recommendation: Mapped[Recommendation] = relationship(back_populates="history")


class ConsentRecord(Base):
    """Provable consent (Art. 7 DSGVO): purpose, date, channel, text version, withdrawal."""

    __table__ = schema.consent_record

    id: Mapped[int]
    person_id: Mapped[int]
    purpose: Mapped[ConsentPurpose]
    given_on: Mapped[dt.date]
    channel: Mapped[Channel | None]
    text_version: Mapped[str]
    withdrawn_on: Mapped[dt.date | None]
    note: Mapped[str]

    person: Mapped[Person] = relationship(back_populates="consents")


class AuditEntry(Base):
    """One changed field (or one whole action) on one record, with who and when."""

    __table__ = schema.audit_entry

    id: Mapped[int]
    timestamp: Mapped[dt.datetime]
    os_user: Mapped[str]
    host: Mapped[str]
    entity_type: Mapped[str]
    entity_id: Mapped[int]
    action: Mapped[AuditAction]
    field: Mapped[str]
    old_value: Mapped[str | None]
    new_value: Mapped[str | None]
    change_set: Mapped[str]


class ImportBatch(Base):
    """One committed spreadsheet import, so it can be undone as a whole."""

    __table__ = schema.import_batch

    id: Mapped[int]
    file_name: Mapped[str]
    imported_at: Mapped[dt.datetime]
    os_user: Mapped[str]
    rows_read: Mapped[int]
    created: Mapped[int]
    updated: Mapped[int]
    undone_at: Mapped[dt.datetime | None]
    undo_data: Mapped[dict[str, Any] | None]


class ImportProfile(Base):
    """A saved column mapping for spreadsheets of a recurring shape."""

    __table__ = schema.import_profile

    id: Mapped[int]
    name: Mapped[str]
    mapping: Mapped[dict[str, Any]]


class DeletionLog(Base):
    """Erasure log without personal data (Art. 17 DSGVO): hashed id, date, reason."""

    __table__ = schema.deletion_log

    id: Mapped[int]
    id_hash: Mapped[str]
    deleted_at: Mapped[dt.datetime]
    reason: Mapped[str]


class ArchivedDocument(Base):
    """A copy of something sent or produced (a letter PDF), kept with the invitation."""

    __table__ = schema.archived_document

    id: Mapped[int]
    conference_id: Mapped[int | None]
    invitation_id: Mapped[int | None]
    kind: Mapped[str]
    file_name: Mapped[str]
    created_at: Mapped[dt.datetime]
    content: Mapped[bytes]


class MailRun(Base):
    """One sending of e-mails: a template to chosen invitations of a conference (konferenz.mail.outbox)."""

    __table__ = schema.mail_run

    id: Mapped[int]
    conference_id: Mapped[int]
    template: Mapped[str]
    purpose: Mapped[MailPurpose]
    created_at: Mapped[dt.datetime]
    created_by: Mapped[str]
    attachments: Mapped[str]
    finished_at: Mapped[dt.datetime | None]

    conference: Mapped[Conference] = relationship()
    messages: Mapped[list[MailMessage]] = relationship(
        back_populates="run", cascade="all, delete-orphan", order_by=schema.mail_message.c.id
    )


class MailMessage(Base):
    """One e-mail of a run to one invitation, with its state, the server's reply and the bytes sent."""

    __table__ = schema.mail_message

    id: Mapped[int]
    run_id: Mapped[int]
    invitation_id: Mapped[int | None]
    address: Mapped[str]
    message_id: Mapped[str]
    subject: Mapped[str]
    state: Mapped[MailState]
    smtp_code: Mapped[int | None]
    smtp_reply: Mapped[str]
    size: Mapped[int]
    sent_at: Mapped[dt.datetime | None]
    updated_at: Mapped[dt.datetime]

    run: Mapped[MailRun] = relationship(back_populates="messages")
    invitation: Mapped[Invitation | None] = relationship()


class Setting(Base):
    """Settings that belong to the database rather than to one PC (letterhead, sender line …)."""

    __table__ = schema.setting

    key: Mapped[str]
    value: Mapped[Any]


#: tables in dependency order, for copying between databases and for tests
ALL_TABLES = tuple(Base.metadata.sorted_tables)


# --- the stored sort keys (the rule: konferenz.sorting; the hook for Core inserts: konferenz.storage.schema) ------
#
# The address list is ordered by ``person.sort_name`` (migration 0003 indexes it: on SQLite together with
# ``search_text``, so a search-as-you-type query over 100,000 persons is one scan of a covering index in
# display order, without a sort), the organisations by ``organisation.sort_name`` (0005). The key must be
# right for every row, whoever writes it: the ORM events below cover the services, and the engine hook
# covers Core bulk inserts (demo data, imports, copies), which pass the row as a dict, often with an empty
# ``sort_name`` from a column template.


@sa.event.listens_for(Person, "before_insert")
@sa.event.listens_for(Person, "before_update")
def _fill_sort_name(_mapper: Any, _connection: Any, target: Person) -> None:
    key = person_sort_name(target.last_name, target.first_name)
    if target.sort_name != key:
        target.sort_name = key


@sa.event.listens_for(Organisation, "before_insert")
@sa.event.listens_for(Organisation, "before_update")
def _fill_organisation_sort_name(_mapper: Any, _connection: Any, target: Organisation) -> None:
    key = organisation_sort_name(target.name)
    if target.sort_name != key:
        target.sort_name = key
