"""Erasure by anonymisation (Art. 17 DSGVO), one person or several, and the deletion log.

Erasure keeps the person's row (anonymised) with its category, municipality and invitations, so the
attendance counts and statistics of past conferences do not change; everything that names or reaches the
person goes: names, contact data, free text (also on the person's invitations), roles, tags, consents, links
to agenda items, archived letters and e-mails to the person (with a mail server's refusal of the address), the
check-in token of the person's invitations (a fresh random one: an old badge no longer finds the record), and
the old and new values in the audit log (the person's
entries, those of duplicates merged into the person, and the free texts of the person's invitations). A
deletion log entry keeps only a keyed hash of the id, the date and the reason.

The person's name typed as plain text elsewhere is replaced by "[anonymisiert]" (``Scrubber``): in the free
text of other records (``OTHER_FREE_TEXT``: agenda speakers and moderation, minutes and rapporteur,
recommendations and their responsible text, "vertreten durch" on someone else's invitation, notes of other
persons and organisations …) and in the audit values of those fields (``AUDIT_FREE_TEXT``). Only the full
name counts ("Ayşe Öztürk", "Öztürk, Ayşe", "Frau Dr. Ayşe Öztürk", also spelled "Ayse Oeztuerk"; whole
words, case-insensitive, any script), and the person's e-mail addresses (whole addresses only); a first or
last name on its own is not replaced (it does not single anyone out), nor is the name as part of someone
else's longer name: joined by a hyphen ("Müller-Schmidt") or after another registered person's first name
("Mohammed Ali Hassan"; details in ``konferenz.privacy.scrubber``). Where "[anonymisiert]" would make a field longer than its
column, "[anon.]" or "…" stands instead, so nothing else in the field is cut off.

Records with a ``version`` get a new one, so a window still showing the old text gets a conflict instead of
saving the name back. Archived letters of invitations that were the person's go; a letter elsewhere whose
file name carries the person's name (a namesake's) keeps its content and gets "anonymisiert" in the file
name.

Import undo journals (``ImportBatch.undo_data``) keep the values records had before an import. Decision:
the journals are kept, so an import stays undoable for its other rows; the person is taken out of each: the
old values, role and tag entries of the person (and of merged duplicates) are removed, the person's name
and e-mail addresses in the remaining text are replaced, and a person the import created is detached from
it (``import_batch_id`` cleared, ``persons_created`` one less). Undoing such an import then leaves the
anonymised row and its invitations alone (they carry the statistics) and restores or removes everything
else as before; the undo's own checks (later edits, use in invitations) still apply to the other rows.

``erase_person`` anonymises one person; ``erase_persons`` several (the review list) in one transaction, all
or nothing, with progress and cancel for ``ui.widgets.tasks``. Both run ``_erase`` inside their unit of work.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import re
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from konferenz import names
from konferenz.audit import history as audit
from konferenz.enums import AuditAction, Gender
from konferenz.errors import UserError
from konferenz.privacy.records import PERSON_AUDIT_TYPES, find_person, invitation_ids
from konferenz.privacy.review import check_still_due
from konferenz.privacy.scrubber import Scrubber
from konferenz.storage import recording, schema
from konferenz.storage.db import Database
from konferenz.storage.models import (
    AgendaItem,
    AgendaPerson,
    ArchivedDocument,
    AuditEntry,
    Base,
    Conference,
    ConsentRecord,
    DeletionLog,
    Forum,
    ImportBatch,
    Invitation,
    MailMessage,
    MinutesEntry,
    Organisation,
    Person,
    Recommendation,
    RecommendationUpdate,
    Role,
    Setting,
    person_tag,
)
from konferenz.text import ascii_name, fold

ANONYMOUS = "Anonymisiert"
HASH_KEY_SETTING = "privacy.hash_key"


def _hash_key(session: Session) -> bytes:
    setting = session.get(Setting, HASH_KEY_SETTING)
    if setting is None:
        setting = Setting(key=HASH_KEY_SETTING, value=secrets.token_hex(32))
        session.add(setting)
        session.flush()
    return bytes.fromhex(str(setting.value))


def id_hash(session: Session, person_id: int) -> str:
    """Keyed hash of a person id (the key is random per database, so small ids cannot be guessed back)."""
    return hmac.new(_hash_key(session), f"person:{person_id}".encode(), hashlib.sha256).hexdigest()


@dataclass
class ErasureResult:
    person_id: int
    id_hash: str
    invitations_kept: int
    #: archived letters to the person that were removed (they name and address the person)
    documents_removed: int = 0
    #: other records whose free text named the person (now "[anonymisiert]")
    texts_scrubbed: int = 0
    #: import undo journals from which the person was taken out
    journals_scrubbed: int = 0

    def summary(self, name: str) -> str:
        """One German sentence for the user: what was removed, what stays."""

        def n(count: int, one: str, many: str) -> str:
            return f"{count} {one if count == 1 else many}"

        parts = [
            f"{name} wurde anonymisiert; "
            + n(self.invitations_kept, "Einladung bleibt", "Einladungen bleiben")
            + " für die Statistik erhalten"
        ]
        if self.documents_removed:
            parts.append(n(self.documents_removed, "archivierter Brief", "archivierte Briefe") + " gelöscht")
        if self.texts_scrubbed:
            parts.append(
                "der Name in " + n(self.texts_scrubbed, "anderen Text", "anderen Texten") + " ersetzt"
            )
        if self.journals_scrubbed:
            parts.append(
                "aus " + n(self.journals_scrubbed, "Import-Journal", "Import-Journalen") + " entfernt"
            )
        return "; ".join(parts) + "."


#: free-text fields of an invitation that may describe the invitee (also scrubbed from its audit entries)
INVITATION_FREE_TEXT = ("substitute_name", "needs_accessibility", "needs_diet", "notes")
#: Progress(done, total) and Cancelled() as ``ui.widgets.tasks`` passes them
Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


def _reason(reason: str) -> str:
    if not reason.strip():
        raise UserError("Grund: Bitte einen Grund für die Löschung angeben (z. B. „Antrag vom 03.11.2026“).")
    return reason.strip()


def _audit_entries(session: Session, person_id: int, merged: Iterable[int] = ()) -> sa.ColumnElement[bool]:
    """Audit entries about the person: the person's own (also those of duplicates merged into the person)
    and the free texts of the person's invitations."""
    return sa.or_(
        sa.and_(
            AuditEntry.entity_type.in_(PERSON_AUDIT_TYPES), AuditEntry.entity_id.in_([person_id, *merged])
        ),
        sa.and_(
            AuditEntry.entity_type == "invitation",
            AuditEntry.entity_id.in_(invitation_ids(session, person_id)),
            AuditEntry.field.in_((*INVITATION_FREE_TEXT, "")),
        ),
    )


OTHER_FREE_TEXT: dict[type[Base], tuple[str, ...]] = {
    Person: ("notes",),
    Organisation: ("notes",),
    Conference: ("theme", "notes"),
    AgendaItem: ("title", "description", "speakers", "moderation", "responsible_staff", "internal_notes"),
    Forum: ("title", "description", "moderation"),
    Invitation: INVITATION_FREE_TEXT,
    MinutesEntry: ("notes", "results", "rapporteur"),
    Recommendation: ("text", "responsible_text"),
    RecommendationUpdate: ("note",),
    ConsentRecord: ("note",),
    ImportBatch: ("file_name",),
}
#: audit entries that hold such free text: entity type → fields ("" describes a created or deleted record)
AUDIT_FREE_TEXT: dict[str, tuple[str, ...]] = {
    "person": ("notes",),
    "organisation": ("notes",),
    "invitation": INVITATION_FREE_TEXT,
    "recommendation": ("text", "responsible_text", ""),
    "import_batch": ("",),
}


def _scrub_free_text(session: Session, scrubber: Scrubber) -> int:
    """Replace the person's name in the free text of other records; returns how many records changed.
    Core updates (the audit listener would log the old text again); records with a ``version`` get a new
    one, so an editor still showing the old text gets a conflict instead of writing the name back."""
    if scrubber.pattern is None:
        return 0
    changed = 0
    for model, fields in OTHER_FREE_TEXT.items():
        table = cast(sa.Table, model.__table__)
        columns = [table.c[n] for n in fields]
        rows = session.execute(sa.select(table.c.id, *columns).where(scrubber.candidates(columns))).all()
        version = table.c.get("version")
        for row in rows:
            values: dict[str, str] = {}
            for column, old in zip(columns, row[1:], strict=True):
                new = (
                    scrubber.sub_within(old, getattr(column.type, "length", None))
                    if isinstance(old, str)
                    else old
                )
                if new != old:
                    values[column.key] = new
            if not values:
                continue
            stmt = sa.update(table).where(table.c.id == row.id).values(values)
            if version is not None:
                stmt = stmt.values(version=version + 1)
            session.execute(stmt)
            loaded = session.identity_map.get(identity_key(model, row.id))
            if loaded is not None:
                session.expire(loaded)
            changed += 1
    return changed


def _scrub_audit_free_text(session: Session, scrubber: Scrubber) -> None:
    """The same in the audit log's old and new values of those fields."""
    if scrubber.pattern is None:
        return
    rows = session.execute(
        sa.select(AuditEntry.id, AuditEntry.old_value, AuditEntry.new_value).where(
            sa.or_(
                *(
                    sa.and_(AuditEntry.entity_type == kind, AuditEntry.field.in_(fields))
                    for kind, fields in AUDIT_FREE_TEXT.items()
                )
            ),
            scrubber.candidates([AuditEntry.old_value, AuditEntry.new_value]),
        )
    ).all()
    for entry_id, old, new in rows:
        old_new = (scrubber.sub(old) if old else old, scrubber.sub(new) if new else new)
        if old_new != (old, new):
            session.execute(
                sa.update(AuditEntry)
                .where(AuditEntry.id == entry_id)
                .values(old_value=old_new[0], new_value=old_new[1])
            )


def _scrub_strings(value: Any, scrubber: Scrubber) -> Any:
    if isinstance(value, str):
        return scrubber.sub(value)
    if isinstance(value, list):
        return [_scrub_strings(v, scrubber) for v in value]
    if isinstance(value, dict):
        return {k: _scrub_strings(v, scrubber) for k, v in value.items()}
    return value


def _without_person(
    journal: dict[str, Any], ids: set[int], role_ids: set[int], *, created: bool
) -> dict[str, Any]:
    """A copy of an import undo journal (``konferenz.importing.undo``) without the entries of
    the persons ``ids``: their old values, roles and tags; a person the import created no longer counts."""
    out: dict[str, Any] = json.loads(json.dumps(journal))

    def keep(key: str, wanted: Callable[[Any], bool]) -> None:
        if isinstance(out.get(key), list):
            out[key] = [e for e in out[key] if wanted(e)]

    keep("updates", lambda u: not (u.get("table") == "person" and u.get("id") in ids))
    keep("roles_added", lambda r: r[0] not in ids)
    keep("roles_changed", lambda r: r.get("id") not in role_ids)
    keep("tags_added", lambda t: not (t[0] == "person" and t[1] in ids))
    keep("tags_removed", lambda t: not (t[0] == "person" and t[1] in ids))
    if created:
        out["persons_created"] = max(0, int(out.get("persons_created", 0)) - 1)
    return out


def _journal_emails(journal: dict[str, Any], ids: set[int]) -> set[str]:
    """E-mail addresses the persons ``ids`` had before an import changed them."""
    return {
        str(u["old"]["email"])
        for u in journal.get("updates", [])
        if u.get("table") == "person" and u.get("id") in ids and (u.get("old") or {}).get("email")
    }


def _scrub_journals(
    session: Session,
    person: Person,
    *,
    batches: list[ImportBatch],
    ids: set[int],
    role_ids: set[int],
    scrubber: Scrubber,
) -> int:
    """Take the person out of every import undo journal (see module docstring); returns how many changed."""
    changed = 0
    for batch in batches:
        journal = batch.undo_data
        if not isinstance(journal, dict):
            continue
        created = batch.id == person.import_batch_id
        new = _scrub_strings(_without_person(journal, ids, role_ids, created=created), scrubber)
        if new != journal:
            batch.undo_data = new
            changed += 1
    # the anonymised row stays when the import that created it is undone (it carries the statistics)
    person.import_batch_id = None
    return changed


def _archive_slugs(first_name: str, last_name: str) -> list[str]:
    """The recipient part of archived letters' file names (``letters.archive_file_name``): the current
    German spelling and the folded one of older versions."""
    recipient = names.archive_name(first_name, last_name)
    current = re.sub(r"[^a-z0-9]+", "-", ascii_name(recipient)).strip("-")[:40].strip("-")
    older = re.sub(r"[^a-z0-9]+", "-", fold(recipient)).strip("-")[:40]
    return [s for s in dict.fromkeys((current, older)) if s]


def _scrub_documents(session: Session, person_id: int, slugs: list[str], rename: bool) -> int:
    """Archived letters named after the person: those of invitations that were the person's go (their
    content names and addresses the person); the others (a namesake's) keep their content but lose the
    name in the file name. Returns how many were removed."""
    if not slugs:
        return 0
    named = re.compile(rf"-(\d{{5,}})-(?:{'|'.join(map(re.escape, slugs))})\.pdf$")
    invitations = set(invitation_ids(session, person_id))
    removed = 0
    rows = session.execute(
        sa.select(ArchivedDocument.id, ArchivedDocument.invitation_id, ArchivedDocument.file_name).where(
            sa.or_(*(ArchivedDocument.file_name.like(f"%-{slug}.pdf") for slug in slugs))
        )
    ).all()
    for doc_id, invitation_id, file_name in rows:
        if not named.search(file_name):
            continue
        if invitation_id in invitations:
            session.execute(sa.delete(ArchivedDocument).where(ArchivedDocument.id == doc_id))
            removed += 1
        elif rename:
            session.execute(
                sa.update(ArchivedDocument)
                .where(ArchivedDocument.id == doc_id)
                .values(file_name=named.sub(r"-\1-anonymisiert.pdf", file_name))
            )
    return removed


def _erase(session: Session, person_id: int, reason: str) -> ErasureResult:
    """Anonymise one person inside the caller's unit of work (the one code path of every erasure)."""
    s = session
    person = find_person(s, person_id)
    if person.anonymised_at is not None:
        raise UserError(f"Die Person mit der ID {person_id} ist bereits anonymisiert.")
    # what finds the person elsewhere, taken before it is erased: ids (with duplicates merged into the
    # person), roles, former e-mail addresses (audit log, import journals), the name
    merged = set(audit._merged_ids(s, "person", person_id))
    ids = {person_id, *merged}
    role_ids = set(s.scalars(sa.select(Role.id).where(Role.person_id == person_id)))
    batches = list(s.scalars(sa.select(ImportBatch).where(ImportBatch.undo_data.is_not(None))))
    emails = {person.email}
    emails.update(
        v
        for pair in s.execute(
            sa.select(AuditEntry.old_value, AuditEntry.new_value).where(
                AuditEntry.entity_type == "person", AuditEntry.entity_id.in_(ids), AuditEntry.field == "email"
            )
        )
        for v in pair
        if v
    )
    for batch in batches:
        if isinstance(batch.undo_data, dict):
            emails |= _journal_emails(batch.undo_data, ids)
    scrubber = Scrubber.for_person(
        first_name=person.first_name,
        name_prefix=person.name_prefix,
        last_name=person.last_name,
        title=person.title,
        emails=emails,
        others=[
            (first, last)
            for first, last in s.execute(
                sa.select(Person.first_name, Person.last_name).where(
                    Person.id.not_in(ids), Person.anonymised_at.is_(None)
                )
            )
        ],
    )
    slugs = _archive_slugs(person.first_name, person.last_name)
    full_name = bool(person.first_name.strip() and person.last_name.strip())

    for attr in (
        "title", "first_name", "name_prefix", "custom_salutation", "function", "mobile", "notes",
        "street", "po_box", "postal_code", "city", "country", "email", "phone", "search_text",
        "email_failing",
    ):  # fmt: skip
        setattr(person, attr, "")
    person.email_failing_at = None
    person.last_name = ANONYMOUS
    person.gender = Gender.UNKNOWN
    person.anonymised_at = dt.datetime.now().replace(microsecond=0)
    journals = _scrub_journals(s, person, batches=batches, ids=ids, role_ids=role_ids, scrubber=scrubber)
    s.execute(sa.delete(Role).where(Role.person_id == person_id))
    s.execute(sa.delete(ConsentRecord).where(ConsentRecord.person_id == person_id))
    s.execute(sa.delete(AgendaPerson).where(AgendaPerson.person_id == person_id))
    s.execute(sa.delete(person_tag).where(person_tag.c.person_id == person_id))
    kept = s.scalar(sa.select(sa.func.count(Invitation.id)).where(Invitation.person_id == person_id))
    own = sa.select(Invitation.id).where(Invitation.person_id == person_id).scalar_subquery()
    documents = s.execute(sa.delete(ArchivedDocument).where(ArchivedDocument.invitation_id.in_(own)))
    removed = int(getattr(documents, "rowcount", 0) or 0)
    # the e-mails sent to the person name and address them (header, text, attachments): they go too
    s.execute(sa.delete(MailMessage).where(MailMessage.invitation_id.in_(own)))
    removed += _scrub_documents(s, person_id, slugs, rename=full_name)
    s.execute(
        sa.update(Invitation)
        .where(Invitation.person_id == person_id)
        .values(
            {**dict.fromkeys(INVITATION_FREE_TEXT, ""), "version": Invitation.version + 1},
        )
    )
    # an old printed badge (or reply form) must not identify the record any more: a fresh random token per
    # invitation, so a scan of the old code is "unbekannter Code"
    for invitation_id in s.scalars(sa.select(Invitation.id).where(Invitation.person_id == person_id)).all():
        s.execute(
            sa.update(Invitation)
            .where(Invitation.id == invitation_id)
            .values(checkin_token=schema.checkin_token())
        )
    substituted = s.scalars(
        sa.select(Invitation.id).where(Invitation.substitute_person_id == person_id)
    ).all()
    s.execute(
        sa.update(Invitation).where(Invitation.substitute_person_id == person_id).values(substitute_name="")
    )
    texts = _scrub_free_text(s, scrubber)
    s.flush()
    # the audit log must not keep what was erased; the anonymisation itself stays visible
    s.execute(
        sa.update(AuditEntry)
        .where(
            sa.or_(
                _audit_entries(s, person_id, merged),
                sa.and_(
                    AuditEntry.entity_type == "invitation",
                    AuditEntry.entity_id.in_(substituted),
                    AuditEntry.field == "substitute_name",
                ),
            )
        )
        .values(old_value=None, new_value=None)
    )
    _scrub_audit_free_text(s, scrubber)
    hashed = id_hash(s, person_id)
    s.add(DeletionLog(id_hash=hashed, reason=reason))
    return ErasureResult(person_id, hashed, int(kept or 0), removed, texts, journals)


def erase_person(database: Database, person_id: int, reason: str) -> ErasureResult:
    """Anonymise one person everywhere, in one transaction (see module docstring)."""
    reason = _reason(reason)
    with database.session() as s:
        recording.set_change_context(s, action=AuditAction.ERASE)
        return _erase(s, person_id, reason)


def erase_persons(
    database: Database,
    person_ids: Iterable[int],
    reason: str,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    *,
    review_years: int | None = None,
    today: dt.date | None = None,
) -> list[ErasureResult]:
    """Anonymise several persons (the review list) in ONE transaction: all of them or, on any error or
    when ``cancelled()`` turns true, none (UserError).

    ``review_years``: the persons come from ``review(years=review_years)``; inside the transaction each
    must still be on that list (not invited since, not anonymised, still there), else nobody is anonymised
    and the UserError names those who no longer qualify."""
    reason = _reason(reason)
    ids = list(dict.fromkeys(person_ids))
    if not ids:
        raise UserError("Es ist keine Person ausgewählt.")
    results: list[ErasureResult] = []
    with database.session() as s:
        recording.set_change_context(s, action=AuditAction.ERASE)
        if review_years is not None:
            check_still_due(s, ids, review_years, today)
        for done, person_id in enumerate(ids):
            if cancelled is not None and cancelled():
                raise UserError("Abgebrochen – es wurde niemand anonymisiert.")
            results.append(_erase(s, person_id, reason))
            if progress is not None:
                progress(done + 1, len(ids))
        if cancelled is not None and cancelled():
            raise UserError("Abgebrochen – es wurde niemand anonymisiert.")
    return results
