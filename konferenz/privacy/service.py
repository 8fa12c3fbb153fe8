"""Data protection requests: access (Art. 15), erasure by anonymisation (Art. 17), review of old records.

Erasure keeps the person's row (anonymised) with its category, municipality and invitations, so the
attendance counts and statistics of past conferences do not change; everything that names or reaches the
person goes: names, contact data, free text (also on the person's invitations), roles, tags, consents, links
to agenda items, archived letters to the person, and the old and new values in the audit log (the person's
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
("Mohammed Ali Hassan"; details in ``Scrubber``). Where "[anonymisiert]" would make a field longer than its
column, "[anon.]" or "…" stands instead, so nothing else in the field is cut off.

Rule for the reversed form followed by a capitalised word: it is the person ("Müller, Anna Vorsitzende",
"Rückfragen an Müller, Anna Telefon 123": German nouns are capitalised) unless it reads as a list of names,
which stays: the first name and the next one or two words are the full name of another registered person
("Öztürk, Ayşe Demir" with Ayşe Demir registered), or a capitalised word stands right before the last name
("Frau Öztürk, Ayşe Demir", "Maria Berg, Anna Bergmann"). A noun there ("Grußwort Müller, Anna
Vorsitzende") is taken for a list too: the rare case left behind.

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
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy.orm import QueryableAttribute, Session
from sqlalchemy.orm.util import identity_key

from konferenz.audit import trail as audit
from konferenz.conferences.service import primary_roles
from konferenz.enums import AuditAction, Gender, label
from konferenz.errors import UserError
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
#: audit entity types whose entries with the person's id describe the person
PERSON_AUDIT_TYPES = ("person",)


def _value(v: Any) -> Any:
    if isinstance(v, Enum):
        return v.value
    if isinstance(v, dt.date | dt.datetime | dt.time):
        return v.isoformat()
    if isinstance(v, bytes):
        return None
    return v


def _row(obj: Any) -> dict[str, Any]:
    return {c.key: _value(getattr(obj, c.key)) for c in sa.inspect(obj).mapper.column_attrs}


def _person(session: Session, person_id: int) -> Person:
    person = session.get(Person, person_id)
    if person is None:
        raise UserError(f"Eine Person mit der ID {person_id} gibt es nicht.")
    return person


def export_person(session: Session, person_id: int) -> dict[str, Any]:
    """Everything stored about one person, as JSON-ready data (Art. 15 DSGVO)."""
    person = _person(session, person_id)
    invitations = session.execute(
        sa.select(Invitation, Conference.year, Conference.title)
        .join(Conference, Conference.id == Invitation.conference_id)
        .where(sa.or_(Invitation.person_id == person_id, Invitation.substitute_person_id == person_id))
        .order_by(Conference.year)
    ).all()
    audit = session.scalars(
        sa.select(AuditEntry)
        .where(
            sa.or_(
                sa.and_(AuditEntry.entity_type.in_(PERSON_AUDIT_TYPES), AuditEntry.entity_id == person_id),
                sa.and_(
                    AuditEntry.entity_type == "invitation",
                    AuditEntry.entity_id.in_(_invitation_ids(session, person_id)),
                ),
            )
        )
        .order_by(AuditEntry.timestamp, AuditEntry.id)
    ).all()
    return {
        "erstellt": dt.datetime.now().replace(microsecond=0).isoformat(),
        "person": {
            **_row(person),
            "kategorie": person.category.name if person.category else None,
            "kommune": person.municipality.name if person.municipality else None,
            "schlagworte": [t.name for t in person.tags],
        },
        "rollen": [{**_row(r), "organisation": r.organisation.name} for r in person.roles],
        "einladungen": [
            {
                **_row(inv),
                "konferenz": year,
                "konferenz_titel": title,
                "status_text": label(inv.status),
                "forum": inv.forum.title if inv.forum else None,
            }
            for inv, year, title in invitations
        ],
        "einwilligungen": [{**_row(c), "zweck": label(c.purpose)} for c in person.consents],
        "mitwirkung_programm": [
            {**_row(a), "rolle": AGENDA_PARTS.get(a.part, a.part), "programmpunkt": title, "jahr": year}
            for a, title, year in session.execute(
                sa.select(AgendaPerson, AgendaItem.title, Conference.year)
                .join(AgendaItem, AgendaItem.id == AgendaPerson.agenda_item_id)
                .join(Conference, Conference.id == AgendaItem.conference_id)
                .where(AgendaPerson.person_id == person_id)
                .order_by(Conference.year, AgendaItem.position)
            )
        ],
        "aenderungsprotokoll": [_row(a) for a in audit],
        "aenderungsprotokoll_lesbar": _readable_history(session, person_id),
    }


def _readable_history(session: Session, person_id: int) -> list[dict[str, Any]]:
    """The audit entries of the person and of the person's invitations in German, oldest first."""
    entries = [
        *audit.history(session, "person", person_id),
        *(
            e
            for iid in _invitation_ids(session, person_id)
            for e in audit.history(session, "invitation", iid)
        ),
    ]
    entries.sort(key=lambda e: (e.timestamp, e.entity_type, e.entity_id))
    return [
        {
            "zeit": _value(e.timestamp),
            "benutzer": e.os_user,
            "rechner": e.host,
            "datensatz": audit.ENTITY_LABELS.get(e.entity_type, e.entity_type),
            "datensatz_id": e.entity_id,
            "aktion": e.action_label,
            "feld": e.field_label,
            "alt": e.old,
            "neu": e.new,
        }
        for e in entries
    ]


def write_export(session: Session, person_id: int, path: Path) -> Path:
    return save_export(export_person(session, person_id), path)


def save_export(data: dict[str, Any], path: Path) -> Path:
    """Write an export (``export_person``) as UTF-8 JSON; returns the absolute path."""
    path = path.expanduser().absolute()
    if not path.parent.is_dir():
        raise UserError(f"Der Ordner „{path.parent}“ existiert nicht.")
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


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


#: how a person takes part in an agenda item (``AgendaPerson.part``), in German
AGENDA_PARTS = {"speaker": "Vortrag", "moderation": "Moderation"}
#: free-text fields of an invitation that may describe the invitee (also scrubbed from its audit entries)
INVITATION_FREE_TEXT = ("substitute_name", "needs_accessibility", "needs_diet", "notes")
#: Progress(done, total) and Cancelled() as ``ui.widgets.tasks`` passes them
Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


def _reason(reason: str) -> str:
    if not reason.strip():
        raise UserError("Grund: Bitte einen Grund für die Löschung angeben (z. B. „Antrag vom 03.11.2026“).")
    return reason.strip()


def _invitation_ids(session: Session, person_id: int) -> list[int]:
    """The person's invitations: those that name the person now, and (from the audit log) those that did."""
    current = session.scalars(sa.select(Invitation.id).where(Invitation.person_id == person_id)).all()
    logged = session.scalars(
        sa.select(AuditEntry.entity_id).where(
            AuditEntry.entity_type == "invitation",
            AuditEntry.field == "person_id",
            sa.or_(AuditEntry.new_value == str(person_id), AuditEntry.old_value == str(person_id)),
        )
    ).all()
    return sorted({*current, *logged})


def _audit_entries(session: Session, person_id: int, merged: Iterable[int] = ()) -> sa.ColumnElement[bool]:
    """Audit entries about the person: the person's own (also those of duplicates merged into the person)
    and the free texts of the person's invitations."""
    return sa.or_(
        sa.and_(
            AuditEntry.entity_type.in_(PERSON_AUDIT_TYPES), AuditEntry.entity_id.in_([person_id, *merged])
        ),
        sa.and_(
            AuditEntry.entity_type == "invitation",
            AuditEntry.entity_id.in_(_invitation_ids(session, person_id)),
            AuditEntry.field.in_((*INVITATION_FREE_TEXT, "")),
        ),
    )


# --- the person's name in other records' free text ------------------------------------------------------

#: what replaces the person's name (or e-mail address) in other records' free text
NAME_PLACEHOLDER = "[anonymisiert]"
#: shorter ones, for a field that would otherwise get longer than its column (nothing else is cut off)
SHORT_PLACEHOLDERS = ("[anon.]", "…")
#: combining accents and the Arabic marks and tatweel a name may carry in typed text
_MARKS = "\u0300-\u036f\u0610-\u061a\u0640\u064b-\u065f\u0670\u06d6-\u06ed"
#: not inside a word: no letter, digit or mark next to the match (an underscore separates, as in file names)
_BEFORE = rf"(?<![^\W_])(?<![{_MARKS}])"
_AFTER = rf"(?![^\W_])(?![{_MARKS}])"
#: a name is not part of a hyphenated name either: "Müller-Schmidt", "Schmidt-Müller", "Hassan-Rahimi"
_HYPHENS = "-‐–"
_NAME_BEFORE = rf"{_BEFORE}(?<![^\W\d_][{_HYPHENS}])"
_NAME_AFTER = rf"{_AFTER}(?![{_HYPHENS}][^\W\d_])"
#: an e-mail address is not part of a longer one: no address character before it ("anna.mueller@…"
#: for "mueller@…"), no domain character or further domain label after it ("…@verein.de.example")
_EMAIL_CHARS = r"[\w.!#$%&'*+/=?^`{|}~-]"
_EMAIL_BEFORE = rf"(?<!{_EMAIL_CHARS})"
_EMAIL_AFTER = r"(?![\w-])(?!\.[\w-])(?!@)"
#: other spellings of a letter in typed text (case is ignored anyway)
_SPELLINGS: dict[str, tuple[str, ...]] = {
    "ä": ("ae", "a"), "ö": ("oe", "o"), "ü": ("ue", "u"), "ß": ("ss",), "ı": ("i",), "i": ("ı",),
    "ł": ("l",), "đ": ("d",), "ø": ("o",), "æ": ("ae",), "œ": ("oe",),
}  # fmt: skip
#: "oe" in a stored name may be typed as "ö" (Oeztuerk / Öztürk)
_DIGRAPHS = {"ae": "ä", "oe": "ö", "ue": "ü", "ss": "ß"}
#: words before a name that go with it: salutations and the usual academic titles
_TITLE_WORDS = ("Frau", "Herrn", "Herr", "Prof.", "Dr.", "med.", "phil.", "jur.", "h.c.", "Dipl.-Ing.")


#: up to two words right after a position (only spaces between)
_NEXT_WORDS = re.compile(r"[^\S\n]+(\w[\w'’]*)(?:[^\S\n]+(\w[\w'’]*))?")
#: the word right before a position (only spaces between)
_WORD_BEFORE = re.compile(r"(?<![\w.])([^\W\d_][\w'’]*)[^\S\n]+\Z")


def _words_after(text: str, pos: int) -> list[str]:
    """The one or two words right after ``pos``."""
    m = _NEXT_WORDS.match(text, pos)
    return [w for w in m.groups() if w] if m is not None else []


def _capitalised_word_before(text: str, pos: int) -> str | None:
    """The capitalised word right before ``pos`` (folded), if there is one."""
    m = _WORD_BEFORE.search(text, max(0, pos - 80), pos)
    return fold(m.group(1)) if m is not None and m.group(1)[0].isupper() else None


def _letter(ch: str) -> tuple[str, bool]:
    """The pattern of one letter of a name, and whether it is a plain ASCII letter (see ``_probe``)."""
    if ch.isspace():
        return r"\s+", False
    if ch in "-‐–":
        return r"\s*[-‐–]\s*", False
    if ch in "'’`´":
        return "['’`´]?", False
    if ch == ".":
        return r"\.?\s*", False
    low = ch.lower()
    alts = {re.escape(low), *(re.escape(s) for s in _SPELLINGS.get(low, ()))}
    base = "".join(c for c in unicodedata.normalize("NFD", low) if not unicodedata.combining(c))
    if base and base != low:
        alts.add(re.escape(base))
    plain = ch.isascii() and ch.isalpha() and low not in _SPELLINGS
    return "(?:" + "|".join(sorted(alts, key=lambda a: (-len(a), a))) + f")[{_MARKS}]*", plain


def _name_part(text: str) -> tuple[str, list[str]]:
    """Pattern of one name part and its runs of plain ASCII letters (the same in every spelling)."""
    text = unicodedata.normalize("NFC", " ".join(text.split()))
    out: list[str] = []
    runs: list[str] = [""]
    i = 0
    while i < len(text):
        pair = text[i : i + 2].lower()
        if pair in _DIGRAPHS:
            out.append(f"(?:{pair}|{_DIGRAPHS[pair]})")
            runs.append("")
            i += 2
            continue
        pattern, plain = _letter(text[i])
        out.append(pattern)
        if plain:
            runs[-1] += text[i].lower()
        else:
            runs.append("")
        i += 1
    return "".join(out), [r for r in runs if r]


def _title_pattern(title: str) -> str:
    words = {*_TITLE_WORDS, *title.split()}
    alts = sorted(
        (re.escape(w) + (r"\s*" if w.endswith(".") else r"\s+") for w in words), key=len, reverse=True
    )
    return "(?:" + "|".join(alts) + ")"


@dataclass(frozen=True)
class Scrubber:
    """Finds a person's full name and e-mail addresses in free text and replaces them by
    ``NAME_PLACEHOLDER``: "Vorname Nachname" and "Nachname, Vorname", with titles and salutations before
    the name ("Frau Dr. Ayşe Öztürk"), case-insensitive, as whole words, in the usual other spellings
    (Öztürk, Oeztuerk, Ozturk; Yılmaz, Yilmaz) and with Arabic vowel marks. A first name or a last name
    alone is never replaced; without a first name only the e-mail addresses are.

    Part of a longer name is not the person: a name joined by a hyphen to another name part
    ("Anna Müller-Schmidt", "Schmidt-Müller, Anna") is left alone, and so is a name right after a first
    name of someone else in the register ("Mohammed Ali Hassan" for Ali Hassan when a Mohammed is
    registered; ``others``), or the reversed form right after a registered first or last name ("Jonas
    Müller, Anna", "Garcia Lopez, Maria"). Titles and salutations before the name belong to it ("Frau
    Dr. Anna Müller"); another capitalised word does not stop the match ("Grußwort Anna Müller": German
    nouns are capitalised). "Nachname, Vorname" followed by a capitalised word counts ("Müller, Anna
    Jugendamt Borken") unless it is a list of names: the first name and the next one or two words are a
    registered person's full name ("Öztürk, Ayşe Demir"), or a capitalised word stands right before it
    ("Frau Öztürk, Ayşe Demir", "Maria Berg, Anna Bergmann"). An e-mail address counts only whole ("anna.mueller@stadt.de" is not "mueller@stadt.de")."""

    pattern: re.Pattern[str] | None
    #: substrings every match contains (case-insensitive ASCII): the quick filter in SQL; empty: none
    probes: tuple[str, ...]
    #: first and last names (each word, folded) of the other persons in the register
    given_names: frozenset[str] = frozenset()
    last_names: frozenset[str] = frozenset()
    #: the other persons' full names, "first last" and "first-of-the-first-names last", folded
    full_names: frozenset[str] = frozenset()
    #: the person's own first name as matched (whole, and the first of several), folded
    first_names: tuple[str, ...] = ()

    @classmethod
    def for_person(
        cls,
        *,
        first_name: str,
        name_prefix: str,
        last_name: str,
        title: str,
        emails: Iterable[str] = (),
        others: Iterable[tuple[str, str]] = (),
    ) -> Scrubber:
        """``others``: (first name, last name) of the other persons in the register."""
        forms: list[str] = []
        probes: list[str] = []
        first_name, last_name = first_name.strip(), last_name.strip()
        if first_name and last_name:
            last, runs = _name_part(last_name)
            particle = ""
            if name_prefix.strip():
                prefix = _name_part(name_prefix)[0]
                last = f"(?:{prefix}\\s+)?{last}"
                particle = f"(?:\\s+{prefix})?"
            firsts = [_name_part(first_name)[0]]
            if len(first_name.split()) > 1:  # "Ayşe Nur Öztürk" is also written "Ayşe Öztürk"
                firsts.append(_name_part(first_name.split()[0])[0])
            first = "(?:" + "|".join(firsts) + ")"
            titles = _title_pattern(title)
            # "_" as in a file name "ayse_oeztuerk.xlsx"
            forms.append(
                f"{_NAME_BEFORE}(?:(?P<straight>(?P<lead>{titles}*){first}[\\s_]+{last})"
                f"|(?P<reversed>{last}\\s*,\\s*{titles}*{first}{particle})){_NAME_AFTER}"
            )
            longest = max(runs, key=len, default="")
            probes.append(longest if len(longest) >= 2 else "")
        addresses = list(dict.fromkeys(e.strip() for e in emails if e and e.strip()))
        if addresses:
            forms.append(f"{_EMAIL_BEFORE}(?:{'|'.join(map(re.escape, addresses))}){_EMAIL_AFTER}")
            probes += [e if e.isascii() else "" for e in addresses]
        if not forms:
            return cls(None, ())
        pattern = re.compile("|".join(forms), re.IGNORECASE)
        others = [(fold(first), fold(last)) for first, last in others]
        return cls(
            pattern,
            () if "" in probes else tuple(probes),
            frozenset(w for first, _last in others for w in first.split()),
            frozenset(w for _first, last in others for w in last.split()),
            frozenset(
                f"{given} {last}"
                for first, last in others
                if first and last
                for given in {first, first.split()[0]}
            ),
            tuple(dict.fromkeys((fold(first_name), *fold(first_name).split()[:1]))),
        )

    def sub(self, text: str, placeholder: str = NAME_PLACEHOLDER) -> str:
        """``text`` with every occurrence replaced (unchanged, same object, when there is none)."""
        if self.pattern is None or not text:
            return text
        new = self._sub(text, placeholder)
        if new == text:
            normalised = unicodedata.normalize("NFC", text)
            if normalised == text:
                return text
            new = self._sub(normalised, placeholder)  # typed decomposed (ö as o + ¨)
            if new == normalised:
                return text
        return new

    def sub_within(self, text: str, length: int | None) -> str:
        """``sub`` for a column of at most ``length`` characters: a shorter placeholder where the long one
        would not fit ("[anon.]", then "…"; a match is never shorter than that), so nothing is cut off."""
        new = self.sub(text)
        for placeholder in SHORT_PLACEHOLDERS:
            if length is None or len(new) <= length:
                break
            new = self.sub(text, placeholder)
        return new

    def _sub(self, text: str, placeholder: str) -> str:
        assert self.pattern is not None
        out: list[str] = []
        done = start = 0
        while (m := self.pattern.search(text, start)) is not None:
            if self._part_of_longer_name(text, m):
                start = m.start() + 1
                continue
            out += [text[done : m.start()], placeholder]
            done = start = m.end()
        return "".join([*out, text[done:]]) if out else text

    def _part_of_longer_name(self, text: str, m: re.Match[str]) -> bool:
        groups = m.groupdict()
        if groups.get("straight") is not None and not groups.get("lead"):
            # "Mohammed Ali Hassan": a registered first name before it makes it someone else's name
            return _capitalised_word_before(text, m.start()) in self.given_names
        if groups.get("reversed") is not None:
            before = _capitalised_word_before(text, m.start())
            if before in self.last_names or before in self.given_names:  # "Garcia Lopez, Maria"
                return True
            after = _words_after(text, m.end())
            if not after or not after[0][0].isupper():
                return False
            # a list of other names, not "Öztürk, Ayşe": "Frau Öztürk, Ayşe Demir", "Maria Berg, Anna
            # Bergmann" (a capitalised word before), or "Öztürk, Ayşe Demir" with Ayşe Demir registered;
            # but "Müller, Anna Vorsitzende", "Rückfragen an Müller, Anna Telefon" are the person
            return before is not None or any(
                " ".join([first, *map(fold, after[:n])]) in self.full_names
                for first in self.first_names
                for n in range(1, len(after) + 1)
            )
        return False

    def candidates(
        self, columns: Iterable[sa.ColumnElement[Any] | QueryableAttribute[Any]]
    ) -> sa.ColumnElement[bool]:
        """SQL condition selecting the rows whose ``columns`` may contain a match."""
        columns = list(columns)
        if self.pattern is None:
            return sa.false()
        if not self.probes:
            return sa.or_(*(sa.and_(c.is_not(None), c != "") for c in columns))
        return sa.or_(*(c.icontains(p, autoescape=True) for c in columns for p in self.probes))


#: free-text columns of other records in which a person's name may have been typed
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
    for model, names in OTHER_FREE_TEXT.items():
        table = cast(sa.Table, model.__table__)
        columns = [table.c[n] for n in names]
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
    recipient = f"{last_name} {first_name}"
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
    invitations = set(_invitation_ids(session, person_id))
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
    person = _person(s, person_id)
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
    ):  # fmt: skip
        setattr(person, attr, "")
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
    removed += _scrub_documents(s, person_id, slugs, rename=full_name)
    s.execute(
        sa.update(Invitation)
        .where(Invitation.person_id == person_id)
        .values(
            {**dict.fromkeys(INVITATION_FREE_TEXT, ""), "version": Invitation.version + 1},
        )
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
        audit.set_change_context(s, action=AuditAction.ERASE)
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
        audit.set_change_context(s, action=AuditAction.ERASE)
        if review_years is not None:
            _check_still_due(s, ids, review_years, today)
        for done, person_id in enumerate(ids):
            if cancelled is not None and cancelled():
                raise UserError("Abgebrochen – es wurde niemand anonymisiert.")
            results.append(_erase(s, person_id, reason))
            if progress is not None:
                progress(done + 1, len(ids))
        if cancelled is not None and cancelled():
            raise UserError("Abgebrochen – es wurde niemand anonymisiert.")
    return results


@dataclass
class ReviewRow:
    person_id: int
    name: str
    last_year: int | None
    created_at: dt.datetime
    #: the organisation of the person's primary role ("" without a role)
    organisation: str = ""


def review(session: Session, years: int = 3, today: dt.date | None = None) -> list[ReviewRow]:
    """Persons (not yet anonymised) not invited to any conference of the last ``years`` years; persons
    never invited count when they were entered longer ago than that."""
    return [
        ReviewRow(pid, f"{last}, {first}".strip(", "), year, created, organisation or "")
        for pid, first, last, year, created, organisation in session.execute(_review_query(years, today))
    ]


def _review_query(years: int, today: dt.date | None) -> sa.Select[Any]:
    """The rule of ``review`` as a query (id, first and last name, last year, created, organisation)."""
    if years < 1:
        raise UserError("Jahre: bitte mindestens 1 angeben.")
    today = today or dt.date.today()
    cutoff_year = today.year - years
    last_year = (
        sa.select(Invitation.person_id, sa.func.max(Conference.year).label("last_year"))
        .join(Conference, Conference.id == Invitation.conference_id)
        .where(Invitation.person_id.is_not(None))
        .group_by(Invitation.person_id)
        .subquery()
    )
    cutoff_date = dt.datetime(today.year - years, today.month, min(today.day, 28))
    primary = primary_roles()
    return (
        sa.select(
            Person.id,
            Person.first_name,
            Person.last_name,
            last_year.c.last_year,
            Person.created_at,
            Organisation.name,
        )
        .outerjoin(last_year, last_year.c.person_id == Person.id)
        .outerjoin(primary, primary.c.person_id == Person.id)
        .outerjoin(Organisation, Organisation.id == primary.c.organisation_id)
        .where(Person.anonymised_at.is_(None))
        .where(
            sa.or_(
                last_year.c.last_year <= cutoff_year,
                sa.and_(last_year.c.last_year.is_(None), Person.created_at < cutoff_date),
            )
        )
        .order_by(Person.last_name, Person.first_name, Person.id)
    )


def _check_still_due(session: Session, ids: list[int], years: int, today: dt.date | None) -> None:
    """UserError naming the persons ``ids`` that are no longer on the review list (invited since it was
    made, anonymised or deleted meanwhile). The person rows are locked first (PostgreSQL: an invitation
    added concurrently waits for this transaction; SQLite holds the write lock already)."""
    found = {
        pid: f"{first} {last}".strip()
        for pid, first, last in session.execute(
            sa.select(Person.id, Person.first_name, Person.last_name)
            .where(Person.id.in_(ids))
            .with_for_update()
        )
    }
    due = {row[0] for row in session.execute(_review_query(years, today).where(Person.id.in_(ids)))}
    gone = [found.get(pid, f"ID {pid}") for pid in ids if pid not in due]
    if gone:
        raise UserError(
            "Nicht mehr auf der Überprüfungsliste (seit der Suche eingeladen, geändert oder schon "
            f"anonymisiert): {'; '.join(gone)}. Es wurde niemand anonymisiert – bitte neu suchen."
        )
