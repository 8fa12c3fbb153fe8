"""Duplicate persons: the matching rules, a check on save, a scan of the whole registry, and merging.

Keys
----
- ``email_key``: the address without any white space, case-folded. Same key → certain duplicate.
- ``name_key``: first name, particle and last name folded with ``konferenz.text.fold`` (case, accents,
  umlauts and their two-letter spellings, ß/ss: "Öztürk" = "Oeztuerk" = "Ozturk"; Vietnamese diacritics
  fold away), punctuation as space. Same key → certain duplicate when both have a first name and they
  share an organisation or one of them has none; otherwise a strong candidate.
- ``latin_key``: the name key with Cyrillic transliterated to Latin (a simple German-friendly table close to
  the ICAO passport rules: "Иванова" → "ivanova", "Юлия" → "julija"). Same key in different scripts → candidate.
- ``loose_key``: Latin, without hyphens and spaces, without an Arabic article in the last name
  ("Al-Hassan", "Al Hassan", "Alhassan" → "hassan"), common transliteration pairs unified (sch/sh, dj/j,
  ph/f, kh/h, th/t, q/k, w/v), vowels after the first letter dropped and doubled letters collapsed:
  "Mohammed", "Muhammad", "Mohamed" → "mhmd"; "Youssef", "Yusuf" → "ysf". Same key → candidate.
- similarity: ``difflib.SequenceMatcher`` ratio of the Latin full names, candidate from ``NEAR_THRESHOLD``.

Whole-registry scan (``find_all_duplicates``)
----------------------------------------------
No pairwise comparison of the registry. Keys are computed once per distinct field value (names repeat a
lot) and persons are grouped by e-mail, name, Latin and loose key with dicts, which is linear. Typos are
found per name half: last names at edit distance one (a letter added, dropped, replaced, two swapped)
with the same first name, or first names at edit distance one with the same last name, looked up through
shared single-letter deletions (the SymSpell idea, linear too) and confirmed by the similarity ratio. A typo
in both halves at once is left to the check on save (``find_duplicates_for``), which scores every person
whose search key shares the start of the last name. 100,000 persons take a few seconds
(tests/unit/test_duplicates.py prints the time).

Merge
-----
``merge_proposal`` shows both records side by side with a default per field (a non-empty value wins, the
survivor wins a conflict). ``merge_persons`` applies the choices in one unit of work, moves roles,
invitations (when both were invited to the same conference, the invitation further along in the life
cycle survives, archived letters of the other move to it), consents, tags, agenda parts, references as
substitute and as responsible person, deletes the dropped record and returns a snapshot of both records
taken before, which ``undo_merge`` puts back exactly.

Audit history stays with the record it describes: the dropped person's entries keep its id, and a MERGE
entry ``merged_from`` on the survivor (``merged_into`` on the dropped one) links them, so
``konferenz.audit.history.history()`` of the survivor shows the dropped record's history too while it no longer
exists, and stops doing so when the merge is undone.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

import sqlalchemy as sa
from sqlalchemy.orm import Session

from konferenz.enums import AuditAction, Gender, InvitationStatus, LegalBasis, label
from konferenz.errors import UserError
from konferenz.storage import recording, snapshot
from konferenz.storage.db import Database
from konferenz.storage.models import (
    Category,
    Conference,
    Invitation,
    Municipality,
    Organisation,
    Person,
    Role,
)
from konferenz.storage.recording import FIELD_LABELS, person_display_name
from konferenz.text import collapse_spaces, fold

NEAR_THRESHOLD = 0.85

# --- keys ---------------------------------------------------------------------------------------------------

_CYRILLIC = str.maketrans(
    {
        "а": "a",
        "б": "b",
        "в": "v",
        "г": "g",
        "д": "d",
        "е": "e",
        "ё": "e",
        "ж": "zh",
        "з": "z",
        "и": "i",
        "й": "j",
        "к": "k",
        "л": "l",
        "м": "m",
        "н": "n",
        "о": "o",
        "п": "p",
        "р": "r",
        "с": "s",
        "т": "t",
        "у": "u",
        "ф": "f",
        "х": "kh",
        "ц": "ts",
        "ч": "ch",
        "ш": "sh",
        "щ": "shch",
        "ъ": "",
        "ы": "y",
        "ь": "",
        "э": "e",
        "ю": "ju",
        "я": "ja",
        # Ukrainian, Belarusian
        "і": "i",
        "ї": "ji",
        "є": "je",
        "ґ": "g",
        "ў": "u",
        # a few Greek letters that occur in names written in Greek
        "α": "a",
        "β": "v",
        "γ": "g",
        "δ": "d",
        "ε": "e",
        "ζ": "z",
        "η": "i",
        "θ": "th",
        "ι": "i",
        "κ": "k",
        "λ": "l",
        "μ": "m",
        "ν": "n",
        "ξ": "x",
        "ο": "o",
        "π": "p",
        "ρ": "r",
        "σ": "s",
        "ς": "s",
        "τ": "t",
        "υ": "y",
        "φ": "f",
        "χ": "ch",
        "ψ": "ps",
        "ω": "o",
    }
)
_NON_WORD = re.compile(r"[\W_]+")
_ARTICLES = frozenset({"al", "el", "ul"})
_LOOSE_PAIRS = (
    ("sch", "sh"),
    ("dsh", "j"),
    ("dzh", "j"),
    ("dj", "j"),
    ("zh", "j"),
    ("ph", "f"),
    ("kh", "h"),
    ("th", "t"),
    ("ck", "k"),
    ("q", "k"),
    ("w", "v"),
)
_DOUBLES = re.compile(r"(.)\1+")
_VOWELS = frozenset("aeiouy")


def to_latin(text: str) -> str:
    """``fold(text)`` with Cyrillic (and Greek) letters transliterated: "Иванова" → "ivanova"."""
    return _latin_of_folded(fold(text))


def _latin_of_folded(folded: str) -> str:
    return folded if folded.isascii() else fold(folded.translate(_CYRILLIC))


def _words(text: str) -> str:
    return collapse_spaces(_NON_WORD.sub(" ", text))


def email_key(email: str) -> str:
    """The address without white space, case-folded ("" when empty)."""
    return "".join(email.split()).casefold()


@functools.lru_cache(maxsize=65536)
def _part_key(part: str) -> str:
    return _words(fold(part))


def name_key(first: str, prefix: str, last: str) -> str:
    """Folded "first prefix last" with punctuation as space: the key of a certain name match.

    Folding and turning punctuation into spaces work character by character, so the key of the whole name
    is the keys of its parts joined by spaces; the parts' keys are cached (first names repeat a lot, an
    import computes 100,000 keys). tests/unit/test_importer.py checks this against the whole-name
    definition on random text."""
    return " ".join(k for k in (_part_key(first), _part_key(prefix), _part_key(last)) if k)


def _latin_of_name_key(name: str, first: str, prefix: str, last: str) -> str:
    # ``to_latin`` only transliterates other scripts and then folds again, which changes an ASCII key only
    # where it still holds a capital or a two-letter umlaut spelling (rare leftovers of compatibility
    # characters): an ASCII key without those is its own Latin key
    if name.isascii() and name == name.lower() and "ae" not in name and "oe" not in name and "ue" not in name:
        return name
    return _words(to_latin(f"{first} {prefix} {last}"))


def latin_key(first: str, prefix: str, last: str) -> str:
    """``name_key`` with other scripts transliterated to Latin."""
    return _latin_of_name_key(name_key(first, prefix, last), first, prefix, last)


def name_keys(first: str, prefix: str, last: str) -> tuple[str, str]:
    """(``name_key``, ``latin_key``) of a name, the second computed from the first."""
    name = name_key(first, prefix, last)
    return name, _latin_of_name_key(name, first, prefix, last)


def _skeleton(word: str) -> str:
    for a, b in _LOOSE_PAIRS:
        word = word.replace(a, b)
    if not word:
        return ""
    out = word[0] + "".join(c for c in word[1:] if c not in _VOWELS)
    return _DOUBLES.sub(r"\1", out)


def _strip_article(tokens: list[str]) -> list[str]:
    kept = [t for t in tokens if t not in _ARTICLES] or tokens
    if len(kept) == 1:
        word = kept[0]
        if len(word) >= 5 and word[:2] in _ARTICLES and word[2] not in _VOWELS:
            return [word[2:]]
    return kept


def last_name_stem(prefix: str, last: str) -> str:
    """The Latin last name without particle or article and without spaces ("Al-Hassan" → "hassan")."""
    return "".join(_strip_article(_words(to_latin(f"{prefix} {last}")).split()))


def loose_key(first: str, prefix: str, last: str) -> str:
    """The key in which transliteration variants meet (see module docstring)."""
    firsts = " ".join(_skeleton(w) for w in _words(to_latin(first)).split())
    return f"{firsts}|{_skeleton(last_name_stem(prefix, last))}"


def similarity(a: str, b: str) -> float:
    """Similarity 0…1 of two Latin names (``difflib.SequenceMatcher`` ratio)."""
    if a == b:
        return 1.0
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if matcher.quick_ratio() < NEAR_THRESHOLD:  # an upper bound, much cheaper than the ratio
        return matcher.quick_ratio()
    return matcher.ratio()


@dataclass(frozen=True)
class NameKeys:
    email: str
    name: str
    latin: str
    loose: str
    has_first: bool


@functools.lru_cache(maxsize=100_000)
def keys_of(first: str, prefix: str, last: str, email: str) -> NameKeys:
    return NameKeys(
        email_key(email), *name_keys(first, prefix, last), loose_key(first, prefix, last), bool(first.strip())
    )


@dataclass(frozen=True)
class Match:
    reason: str
    score: float
    certain: bool


def compare(a: NameKeys, b: NameKeys, orgs_a: set[int], orgs_b: set[int]) -> Match | None:
    """The strongest rule that holds for two persons, or None."""
    if a.email and a.email == b.email:
        return Match("gleiche E-Mail-Adresse", 1.0, True)
    if a.name and a.name == b.name:
        if not (a.has_first and b.has_first):
            return Match("gleicher Name (ohne Vorname)", 0.9, False)
        if orgs_a and orgs_b:
            if orgs_a & orgs_b:
                return Match("gleicher Name und gleiche Organisation", 1.0, True)
            return Match("gleicher Name, aber andere Organisation", 0.9, False)
        return Match("gleicher Name", 1.0, True)
    if a.latin and a.latin == b.latin:
        return Match("gleicher Name in anderer Schrift", 0.95, False)
    if a.loose and a.loose == b.loose and a.loose != "|":
        return Match("ähnliche Schreibweise des Namens", 0.9, False)
    la, lb = len(a.latin), len(b.latin)
    if not la or not lb or 2 * min(la, lb) / (la + lb) < NEAR_THRESHOLD:
        return None  # the ratio cannot reach the threshold
    score = similarity(a.latin, b.latin)
    if score >= NEAR_THRESHOLD:
        return Match(f"ähnlicher Name ({round(score * 100)} %)", round(score, 3), False)
    return None


# --- the check on save ------------------------------------------------------------------------------------------


class PersonLike(Protocol):
    first_name: str
    name_prefix: str
    last_name: str
    email: str

    @property
    def roles(self) -> Sequence[Any]: ...


@dataclass(frozen=True)
class Candidate:
    """A stored person that may be the same as the one being saved."""

    person_id: int
    reason: str
    score: float
    certain: bool
    #: "Dr. Ayşe Öztürk · Caritasverband Bocholt · a.oeztuerk@example.org" for the question to the user
    label: str


def _organisations_of(session: Session, person_ids: Iterable[int]) -> dict[int, set[int]]:
    out: dict[int, set[int]] = defaultdict(set)
    ids = sorted(set(person_ids))
    for i in range(0, len(ids), 500):
        for pid, oid in session.execute(
            sa.select(Role.person_id, Role.organisation_id).where(Role.person_id.in_(ids[i : i + 500]))
        ):
            out[pid].add(oid)
    return out


def _labels(session: Session, person_ids: Sequence[int]) -> dict[int, str]:
    rows = session.execute(
        sa.select(
            Person.id, Person.title, Person.first_name, Person.name_prefix, Person.last_name, Person.email
        ).where(Person.id.in_(person_ids))
    ).all()
    orgs = dict(
        session.execute(
            sa.select(Role.person_id, Organisation.name)
            .join(Organisation, Organisation.id == Role.organisation_id)
            .where(Role.person_id.in_(person_ids), Role.is_primary.is_(True))
        ).all()
    )
    out = {}
    for r in rows:
        parts = [person_display_name(dict(r._mapping)), orgs.get(r.id, ""), r.email]
        out[r.id] = " · ".join(p for p in parts if p)
    return out


def find_duplicates_for(session: Session, data: PersonLike, exclude_id: int | None = None) -> list[Candidate]:
    """Stored persons that may be the same as ``data`` (a ``PersonData``), strongest first.

    Candidates are narrowed in SQL (same e-mail key, or a word of the search key starts with the first
    three letters of the Latin last name, or of the name as written) and then compared with all rules in
    Python. Names in another script are found from Latin input through the transliteration the registry
    adds to the search key.
    """
    keys = keys_of(data.first_name, data.name_prefix, data.last_name, data.email)
    orgs = {int(r.organisation_id) for r in data.roles}
    conditions: list[sa.ColumnElement[bool]] = []
    if keys.email:
        conditions.append(sa.func.lower(sa.func.replace(Person.email, " ", "")) == keys.email)
    # the start of a word of the search key (hyphens count as word breaks: "al-hassan" has "hassan")
    words = sa.literal(" ") + sa.func.replace(Person.search_text, "-", " ")
    stems = {last_name_stem(data.name_prefix, data.last_name)[:3]}
    stems.add(_words(fold(data.last_name)).replace(" ", "")[:3])
    conditions += [words.contains(f" {stem}", autoescape=True) for stem in stems if len(stem) >= 2]
    if not conditions:
        return []
    stmt = sa.select(Person.id, Person.first_name, Person.name_prefix, Person.last_name, Person.email).where(
        sa.or_(*conditions), Person.anonymised_at.is_(None)
    )
    if exclude_id is not None:
        stmt = stmt.where(Person.id != exclude_id)
    rows = session.execute(stmt).all()
    pool_orgs = _organisations_of(session, [r.id for r in rows])
    found: list[tuple[int, Match]] = []
    for r in rows:
        match = compare(
            keys, keys_of(r.first_name, r.name_prefix, r.last_name, r.email), orgs, pool_orgs.get(r.id, set())
        )
        if match is not None:
            found.append((r.id, match))
    found.sort(key=lambda f: (not f[1].certain, -f[1].score, f[0]))
    labels = _labels(session, [pid for pid, _ in found]) if found else {}
    return [Candidate(pid, m.reason, m.score, m.certain, labels.get(pid, "")) for pid, m in found]


def check_person(database: Database, data: PersonLike, exclude_id: int | None = None) -> list[Candidate]:
    """``find_duplicates_for`` in its own read session (for the window before saving)."""
    with database.read_session() as s:
        return find_duplicates_for(s, data, exclude_id)


# --- the whole registry ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DuplicateLink:
    a: int
    b: int
    reason: str
    score: float
    certain: bool


@dataclass
class DuplicateGroup:
    """Persons linked by duplicate rules (directly or through each other)."""

    person_ids: list[int]
    links: list[DuplicateLink]

    @property
    def certain(self) -> bool:
        return all(link.certain for link in self.links)

    @property
    def score(self) -> float:
        return max(link.score for link in self.links)

    @property
    def reason(self) -> str:
        best = max(self.links, key=lambda link: (link.certain, link.score))
        return best.reason


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        parent = self.parent
        parent.setdefault(x, x)
        root = x
        while parent[root] != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _close_pairs(words: Iterable[str], *, min_len: int = 4, max_bucket: int = 40) -> set[tuple[str, str]]:
    """Pairs of words at edit distance one (a letter added, dropped, replaced, or two swapped), found
    through shared single-letter deletions (the SymSpell idea) in linear time. Words shorter than
    ``min_len`` only pair by a letter added; buckets larger than ``max_bucket`` (short common fragments)
    are skipped."""
    index: dict[str, list[str]] = defaultdict(list)
    for word in words:
        if not word:
            continue
        index[word].append(word)
        if len(word) >= min_len:
            for i in range(len(word)):
                index[word[:i] + word[i + 1 :]].append(word)
    pairs: set[tuple[str, str]] = set()
    for bucket in index.values():
        if 1 < len(bucket) <= max_bucket:
            distinct = sorted(set(bucket))
            for i, a in enumerate(distinct):
                for b in distinct[i + 1 :]:
                    pairs.add((a, b))
    return pairs


def _one_edit_similarity(a: str, b: str) -> float:
    """``SequenceMatcher`` ratio of two strings one edit apart, from their lengths alone."""
    la, lb = len(a), len(b)
    if la == lb:
        return (la - 1) / la if la else 1.0
    short = min(la, lb)
    return 2 * short / (la + lb)


@dataclass
class _Person:
    keys: NameKeys
    first: str  # Latin first name without spaces
    last: str  # Latin last name (with particle) without spaces
    full: str  # Latin "first last"


def _registry_keys(session: Session) -> dict[int, _Person]:
    """Keys of every (not anonymised) person, each distinct field value folded once."""
    rows = session.connection().execute(
        sa.select(Person.id, Person.first_name, Person.name_prefix, Person.last_name, Person.email).where(
            Person.anonymised_at.is_(None)
        )
    )
    firsts: dict[str, tuple[str, str, str]] = {}
    lasts: dict[tuple[str, str], tuple[str, str, str]] = {}
    out: dict[int, _Person] = {}
    for pid, first_name, prefix, last_name, email in rows:
        f = firsts.get(first_name)
        if f is None:
            folded = fold(first_name)
            latin = _words(_latin_of_folded(folded))
            f = (_words(folded), latin, " ".join(_skeleton(w) for w in latin.split()))
            firsts[first_name] = f
        last = lasts.get((prefix, last_name))
        if last is None:
            folded = fold(f"{prefix} {last_name}")
            latin = _words(_latin_of_folded(folded))
            last = (_words(folded), latin, _skeleton("".join(_strip_article(latin.split()))))
            lasts[(prefix, last_name)] = last
        keys = NameKeys(
            email_key(email) if email else "",
            f"{f[0]} {last[0]}".strip(),
            f"{f[1]} {last[1]}".strip(),
            f"{f[2]}|{last[2]}",
            bool(f[0]),
        )
        out[pid] = _Person(keys, f[1].replace(" ", ""), last[1].replace(" ", ""), keys.latin)
    return out


def find_all_duplicates(session: Session) -> list[DuplicateGroup]:
    """Duplicate groups over all (not anonymised) persons: certain groups first, then by score.

    Linear blocking, no pairwise comparison of the whole registry:

    1. same e-mail key → certain;
    2. same name key → certain or candidate (``compare``: first name present, organisations);
    3. same Latin key in another script, same loose key (transliteration variants) → candidate;
    4. typos: last names at edit distance one with the same first name, or first names at edit
       distance one with the same last name (``_neighbours``), confirmed by a similarity of at least
       ``NEAR_THRESHOLD`` → candidate. Two typos at once are left to the check on save.
    """
    people = _registry_keys(session)
    orgs: dict[int, set[int]] = defaultdict(set)
    for pid, oid in session.connection().execute(sa.select(Role.person_id, Role.organisation_id)):
        orgs[pid].add(oid)
    empty: set[int] = set()

    links: dict[tuple[int, int], Match] = {}

    def link(a: int, b: int, match: Match) -> None:
        pair = (a, b) if a < b else (b, a)
        old = links.get(pair)
        if old is None or (match.certain, match.score) > (old.certain, old.score):
            links[pair] = match

    by_email: dict[str, list[int]] = defaultdict(list)
    by_name: dict[str, list[int]] = defaultdict(list)
    by_latin: dict[str, dict[str, int]] = defaultdict(dict)  # latin → name key → first person
    by_loose: dict[str, dict[str, int]] = defaultdict(dict)  # loose → latin key → first person
    for pid, p in people.items():
        k = p.keys
        if k.email:
            by_email[k.email].append(pid)
        if k.name:
            by_name[k.name].append(pid)
        if k.latin:
            by_latin[k.latin].setdefault(k.name, pid)
        if k.loose != "|" and not k.loose.endswith("|"):
            by_loose[k.loose].setdefault(k.latin, pid)

    for ids in by_email.values():
        for other in ids[1:]:
            link(ids[0], other, Match("gleiche E-Mail-Adresse", 1.0, True))
    for ids in by_name.values():
        for other in ids[1:]:
            match = compare(
                people[other].keys, people[ids[0]].keys, orgs.get(other, empty), orgs.get(ids[0], empty)
            )
            if match is not None:
                link(ids[0], other, match)
    for groups, match in (
        (by_latin, Match("gleicher Name in anderer Schrift", 0.95, False)),
        (by_loose, Match("ähnliche Schreibweise des Namens", 0.9, False)),
    ):
        for reps in groups.values():
            if len(reps) > 1:
                head, *rest = reps.values()
                for other in rest:
                    link(head, other, match)

    # 4. typos, over distinct Latin names
    by_last: dict[str, dict[str, int]] = defaultdict(dict)
    for pid, p in people.items():
        if p.last:
            by_last[p.last].setdefault(p.first, pid)

    def consider(a: int, b: int) -> None:
        pair = (a, b) if a < b else (b, a)
        if pair not in links:
            score = _one_edit_similarity(people[a].full, people[b].full)
            if score >= NEAR_THRESHOLD:
                links[pair] = Match(f"ähnlicher Name ({round(score * 100)} %)", round(score, 3), False)

    by_first: dict[str, dict[str, int]] = defaultdict(dict)
    for last, firsts in by_last.items():
        for first, pid in firsts.items():
            by_first[first][last] = pid
    # last names one edit apart, same first name
    for la, lb in _close_pairs(by_last):
        firsts_a, firsts_b = by_last[la], by_last[lb]
        for first in firsts_a.keys() & firsts_b.keys():
            consider(firsts_a[first], firsts_b[first])
    # first names one edit apart, same last name
    for fa, fb in _close_pairs(by_first):
        lasts_a, lasts_b = by_first[fa], by_first[fb]
        for last in lasts_a.keys() & lasts_b.keys():
            consider(lasts_a[last], lasts_b[last])

    uf = _UnionFind()
    for pa, pb in links:
        uf.union(pa, pb)
    grouped: dict[int, DuplicateGroup] = {}
    for (pa, pb), m in links.items():
        group = grouped.setdefault(uf.find(pa), DuplicateGroup([], []))
        group.links.append(DuplicateLink(pa, pb, m.reason, m.score, m.certain))
    for group in grouped.values():
        group.person_ids = sorted({p for link_ in group.links for p in (link_.a, link_.b)})
        group.links.sort(key=lambda x: (not x.certain, -x.score, x.a, x.b))
    return sorted(grouped.values(), key=lambda g: (not g.certain, -g.score, g.person_ids[0]))


# --- merging ------------------------------------------------------------------------------------------------

Choice = Literal["keep", "drop"]

#: how far an invitation got in its life cycle: the further one survives a merge
STATUS_STRENGTH: dict[InvitationStatus, int] = {
    InvitationStatus.ATTENDED: 9,
    InvitationStatus.NO_SHOW: 8,
    InvitationStatus.ACCEPTED: 7,
    InvitationStatus.SUBSTITUTED: 6,
    InvitationStatus.WAITLIST: 5,
    InvitationStatus.DECLINED: 4,
    InvitationStatus.NO_REPLY: 3,
    InvitationStatus.INVITED: 2,
    InvitationStatus.PLANNED: 1,
}

_EMPTY_VALUES: dict[str, Any] = {"gender": Gender.UNKNOWN}


@dataclass(frozen=True)
class MergeField:
    field: str
    label: str
    keep_value: str
    drop_value: str
    default: Choice

    @property
    def differs(self) -> bool:
        return self.keep_value != self.drop_value


@dataclass(frozen=True)
class InvitationConflict:
    """Both persons were invited to the same conference: one invitation survives."""

    conference_id: int
    conference: str
    keep_invitation_id: int
    keep_status: InvitationStatus
    drop_invitation_id: int
    drop_status: InvitationStatus
    winner: Choice

    @property
    def text(self) -> str:
        kept, lost = (
            (self.keep_status, self.drop_status)
            if self.winner == "keep"
            else (self.drop_status, self.keep_status)
        )
        return (
            f"Konferenz {self.conference}: beide eingeladen – die Einladung „{label(kept)}“ bleibt, "
            f"„{label(lost)}“ entfällt."
        )


@dataclass
class MergeProposal:
    keep_id: int
    drop_id: int
    keep_label: str
    drop_label: str
    fields: list[MergeField]
    roles_moved: list[str] = field(default_factory=list)
    roles_combined: list[str] = field(default_factory=list)
    invitations_moved: int = 0
    invitation_conflicts: list[InvitationConflict] = field(default_factory=list)
    tags_added: list[str] = field(default_factory=list)
    consents_moved: int = 0

    def default_choices(self) -> dict[str, Choice]:
        return {f.field: f.default for f in self.fields}

    @property
    def notes(self) -> list[str]:
        out = []
        if self.roles_moved:
            out.append("Rollen übernommen: " + ", ".join(self.roles_moved))
        if self.roles_combined:
            out.append("Rollen zusammengelegt: " + ", ".join(self.roles_combined))
        if self.invitations_moved:
            out.append(f"{self.invitations_moved} Einladung(en) übernommen")
        out += [c.text for c in self.invitation_conflicts]
        if self.tags_added:
            out.append("Schlagwörter übernommen: " + ", ".join(self.tags_added))
        if self.consents_moved:
            out.append(f"{self.consents_moved} Einwilligung(en) übernommen")
        return out


@dataclass
class MergeResult:
    keep_id: int
    drop_id: int
    #: "person" or "organisation"
    kind: Literal["person", "organisation"]
    #: the survivor's version after the merge (undo refuses when it moved on)
    keep_version: int
    change_set: str
    #: both records with everything on them, as they were before the merge
    before: snapshot.Snapshot
    notes: list[str]


def _display(session: Session, name: str, value: Any) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, Gender | LegalBasis):
        return label(value)
    if name == "category_id":
        cat = session.get(Category, value)
        return cat.name if cat else str(value)
    if name == "municipality_id":
        mun = session.get(Municipality, value)
        return mun.name if mun else str(value)
    return str(value)


def _is_blank(name: str, value: Any) -> bool:
    return value is None or value == "" or value == _EMPTY_VALUES.get(name)


def _load_pair(session: Session, keep_id: int, drop_id: int) -> tuple[Person, Person]:
    if keep_id == drop_id:
        raise UserError("Eine Person kann nicht mit sich selbst zusammengeführt werden.")
    keep = session.get(Person, keep_id)
    drop = session.get(Person, drop_id)
    for pid, obj in ((keep_id, keep), (drop_id, drop)):
        if obj is None:
            raise UserError(f"Die Person Nr. {pid} gibt es nicht (mehr).")
    assert keep is not None and drop is not None
    return keep, drop


def _org_names(session: Session, roles: Iterable[Role]) -> dict[int, str]:
    ids = [r.organisation_id for r in roles]
    if not ids:
        return {}
    return dict(
        session.execute(sa.select(Organisation.id, Organisation.name).where(Organisation.id.in_(ids))).all()
    )


def _invitation_plan(
    session: Session, keep_id: int, drop_id: int, *, organisation: bool = False
) -> tuple[list[Invitation], list[InvitationConflict]]:
    """Drop's invitations that simply move, and the conflicts (both invited to one conference). For
    organisations: their own invitations (without a contact person)."""

    def owned(record_id: int) -> sa.Select[Invitation]:
        if organisation:
            return sa.select(Invitation).where(
                Invitation.organisation_id == record_id, Invitation.person_id.is_(None)
            )
        return sa.select(Invitation).where(Invitation.person_id == record_id)

    keep_invs = {inv.conference_id: inv for inv in session.scalars(owned(keep_id))}
    moves, conflicts = [], []
    for inv in session.scalars(owned(drop_id).order_by(Invitation.conference_id)):
        other = keep_invs.get(inv.conference_id)
        if other is None:
            moves.append(inv)
            continue
        conf = session.get(Conference, inv.conference_id)
        winner: Choice = "drop" if STATUS_STRENGTH[inv.status] > STATUS_STRENGTH[other.status] else "keep"
        conflicts.append(
            InvitationConflict(
                inv.conference_id,
                f"{conf.year}" if conf else str(inv.conference_id),
                other.id,
                other.status,
                inv.id,
                inv.status,
                winner,
            )
        )
    return moves, conflicts


def merge_proposal(session: Session, keep_id: int, drop_id: int) -> MergeProposal:
    """Both records side by side with a default choice per field, and what else would move."""
    from konferenz.registry.service import PERSON_FIELDS

    keep, drop = _load_pair(session, keep_id, drop_id)
    fields = []
    for name in PERSON_FIELDS:
        kv, dv = getattr(keep, name), getattr(drop, name)
        default: Choice = "drop" if _is_blank(name, kv) and not _is_blank(name, dv) else "keep"
        fields.append(
            MergeField(
                name,
                FIELD_LABELS.get(name, name),
                _display(session, name, kv),
                _display(session, name, dv),
                default,
            )
        )
    names = _org_names(session, [*keep.roles, *drop.roles])
    keep_orgs = {r.organisation_id for r in keep.roles}
    moves, conflicts = _invitation_plan(session, keep_id, drop_id)
    keep_tags = {t.id for t in keep.tags}
    return MergeProposal(
        keep_id=keep_id,
        drop_id=drop_id,
        keep_label=person_display_name(keep.__dict__),
        drop_label=person_display_name(drop.__dict__),
        fields=fields,
        roles_moved=[
            names.get(r.organisation_id, "") for r in drop.roles if r.organisation_id not in keep_orgs
        ],
        roles_combined=[
            names.get(r.organisation_id, "") for r in drop.roles if r.organisation_id in keep_orgs
        ],
        invitations_moved=len(moves),
        invitation_conflicts=conflicts,
        tags_added=sorted((t.name for t in drop.tags if t.id not in keep_tags), key=fold),
        consents_moved=len(drop.consents),
    )


def _core_repoint(
    session: Session, table: sa.Table, column: str, old: int, new: int, *, audited: bool
) -> int:
    """Point ``column`` from ``old`` to ``new`` through Core (no version step: the row did not change in
    substance, the referenced record was merged), logging the change for audited tables."""
    conn = session.connection()
    col = table.c[column]
    ids = list(conn.execute(sa.select(table.c.id).where(col == old)).scalars())
    if not ids:
        return 0
    values: dict[str, Any] = {column: new}
    if "updated_at" in table.c:
        values["updated_at"] = table.c.updated_at
    conn.execute(sa.update(table).where(table.c.id.in_(ids)).values(values))
    if audited:
        recording.log_row_changes(
            session,
            [recording.RowChange(table.name, {"id": i, column: old}, {"id": i, column: new}) for i in ids],
        )
    return len(ids)


def merge_persons(
    database: Database, keep_id: int, drop_id: int, choices: Mapping[str, Choice] | None = None
) -> MergeResult:
    """Merge ``drop_id`` into ``keep_id`` in one unit of work (see module docstring)."""
    from konferenz.registry.service import PERSON_FIELDS, refresh_person_search_text, touch

    with database.session() as s:
        keep, drop = _load_pair(s, keep_id, drop_id)
        change_set = recording.set_change_context(s, action=AuditAction.MERGE)
        before = snapshot.capture(s, {"person": [keep_id, drop_id]})
        proposal = merge_proposal(s, keep_id, drop_id)
        chosen = proposal.default_choices() | dict(choices or {})
        unknown = set(chosen) - set(PERSON_FIELDS)
        if unknown:
            raise UserError(f"Unbekannte Felder für die Zusammenführung: {', '.join(sorted(unknown))}")
        keep_label, drop_label = proposal.keep_label, proposal.drop_label

        # 1. fields
        for name in PERSON_FIELDS:
            if chosen.get(name) == "drop" and getattr(keep, name) != getattr(drop, name):
                setattr(keep, name, getattr(drop, name))

        # 2. roles: one per organisation, one primary
        keep_roles = {r.organisation_id: r for r in keep.roles}
        keep_primary = next((r for r in keep.roles if r.is_primary), None)
        for role in list(drop.roles):
            mine = keep_roles.get(role.organisation_id)
            if mine is None:
                role.person = keep
                if keep_primary is not None:
                    role.is_primary = False
                elif role.is_primary:
                    keep_primary = role
                continue
            for name in ("function", "department"):
                if not getattr(mine, name) and getattr(role, name):
                    setattr(mine, name, getattr(role, name))
            if keep_primary is None and role.is_primary:
                mine.is_primary = True
                keep_primary = mine
            drop.roles.remove(role)
        if keep.roles and keep_primary is None:
            keep.roles[0].is_primary = True

        # 3. consents and tags
        for consent in list(drop.consents):
            consent.person = keep
        keep_tags = {t.id for t in keep.tags}
        for tag in drop.tags:
            if tag.id not in keep_tags:
                keep.tags.append(tag)
        s.flush()

        # 4. invitations
        moves, conflicts = _invitation_plan(s, keep_id, drop_id)
        for conflict in conflicts:
            keep_inv = s.get(Invitation, conflict.keep_invitation_id)
            drop_inv = s.get(Invitation, conflict.drop_invitation_id)
            assert keep_inv is not None and drop_inv is not None
            winner, loser = (keep_inv, drop_inv) if conflict.winner == "keep" else (drop_inv, keep_inv)
            _core_repoint(
                s, snapshot.TABLES["archived_document"], "invitation_id", loser.id, winner.id, audited=False
            )
            s.delete(loser)
            s.flush()
            if winner is drop_inv:
                moves.append(drop_inv)
        for inv in moves:
            inv.person_id = keep_id
        s.flush()

        # 5. references to the dropped person
        _core_repoint(
            s, snapshot.TABLES["invitation"], "substitute_person_id", drop_id, keep_id, audited=True
        )
        _core_repoint(
            s, snapshot.TABLES["recommendation"], "responsible_person_id", drop_id, keep_id, audited=True
        )
        ap = snapshot.TABLES["agenda_person"]
        conn = s.connection()
        parts_of_keep = set(
            conn.execute(sa.select(ap.c.agenda_item_id, ap.c.part).where(ap.c.person_id == keep_id))
        )
        for ap_id, item, part in conn.execute(
            sa.select(ap.c.id, ap.c.agenda_item_id, ap.c.part).where(ap.c.person_id == drop_id)
        ):
            if (item, part) in parts_of_keep:
                conn.execute(sa.delete(ap).where(ap.c.id == ap_id))
            else:
                conn.execute(sa.update(ap).where(ap.c.id == ap_id).values(person_id=keep_id))

        # 6. the dropped record goes, the survivor gets a new version
        s.delete(drop)
        touch(keep)
        s.flush()
        recording.log_action(
            s,
            "person",
            keep_id,
            AuditAction.MERGE,
            field="merged_from",
            old_value=drop_label,
            new_value=str(drop_id),
        )
        recording.log_action(
            s,
            "person",
            drop_id,
            AuditAction.MERGE,
            field="merged_into",
            old_value=keep_label,
            new_value=str(keep_id),
        )
        refresh_person_search_text(s, [keep_id])
        notes = proposal.notes
        return MergeResult(keep_id, drop_id, "person", keep.version, change_set, before, notes)


def undo_merge(database: Database, result: MergeResult) -> None:
    """Put both records back exactly as they were before ``merge_persons`` / ``merge_organisations``."""
    from konferenz.registry.service import refresh_organisation_search_text, refresh_person_search_text

    what = "die Person" if result.kind == "person" else "die Organisation"
    with database.session() as s:

        def get(record_id: int) -> Person | Organisation | None:
            if result.kind == "person":
                return s.get(Person, record_id)
            return s.get(Organisation, record_id)

        if get(result.drop_id) is not None:
            raise UserError("Die Zusammenführung wurde schon rückgängig gemacht.")
        keep = get(result.keep_id)
        if keep is None or keep.version != result.keep_version:
            raise UserError(
                f"Die Zusammenführung kann nicht mehr rückgängig gemacht werden: {what} wurde seitdem "
                "geändert oder gelöscht."
            )
        s.expunge_all()
        snapshot.restore(s, result.before)
        if result.kind == "organisation":
            refresh_organisation_search_text(s, [result.keep_id, result.drop_id])
            refresh_person_search_text(s, {r["person_id"] for r in result.before.rows.get("role", [])})
        recording.log_action(
            s,
            result.kind,
            result.keep_id,
            AuditAction.UPDATE,
            new_value=f"Zusammenführung mit Nr. {result.drop_id} rückgängig gemacht",
        )


# --- organisations ------------------------------------------------------------------------------------------


class OrganisationLike(Protocol):
    name: str
    department: str
    email: str


@dataclass(frozen=True)
class OrganisationCandidate:
    organisation_id: int
    reason: str
    score: float
    certain: bool
    label: str


def organisation_key(name: str, department: str = "") -> str:
    """Folded name and department, punctuation as space."""
    return _words(fold(f"{name} {department}"))


@functools.lru_cache(maxsize=65536)
def organisation_name_key(name: str) -> str:
    """``organisation_key`` of the name alone without its spaces: the key under which an import finds an
    organisation ("AWO Kreisverband" = "AWO-Kreisverband" = "AWOKreisverband")."""
    return organisation_key(name).replace(" ", "")


def find_organisation_duplicates_for(
    session: Session, data: OrganisationLike, exclude_id: int | None = None
) -> list[OrganisationCandidate]:
    """Stored organisations that may be the same as ``data``: same e-mail or same name and department
    (certain), same name with another department or a similar name (candidates)."""
    key = organisation_key(data.name, data.department)
    name_only = organisation_key(data.name)
    mail = email_key(data.email)
    conditions: list[sa.ColumnElement[bool]] = []
    if mail:
        conditions.append(sa.func.lower(sa.func.replace(Organisation.email, " ", "")) == mail)
    if len(name_only) >= 2:
        conditions.append(Organisation.search_text.contains(name_only[:4], autoescape=True))
    if not conditions:
        return []
    stmt = sa.select(Organisation.id, Organisation.name, Organisation.department, Organisation.email).where(
        sa.or_(*conditions)
    )
    if exclude_id is not None:
        stmt = stmt.where(Organisation.id != exclude_id)
    found: list[OrganisationCandidate] = []
    for oid, name, department, email in session.execute(stmt):
        other_label = " – ".join(p for p in (name, department) if p)
        if mail and email_key(email) == mail:
            found.append(OrganisationCandidate(oid, "gleiche E-Mail-Adresse", 1.0, True, other_label))
        elif organisation_key(name, department) == key:
            found.append(OrganisationCandidate(oid, "gleicher Name", 1.0, True, other_label))
        elif organisation_key(name) == name_only:
            found.append(
                OrganisationCandidate(oid, "gleicher Name, andere Abteilung", 0.9, False, other_label)
            )
        else:
            score = similarity(to_latin(organisation_key(name)), to_latin(name_only))
            if score >= NEAR_THRESHOLD:
                found.append(
                    OrganisationCandidate(
                        oid, f"ähnlicher Name ({round(score * 100)} %)", round(score, 3), False, other_label
                    )
                )
    return sorted(found, key=lambda c: (not c.certain, -c.score, c.organisation_id))


def _load_organisations(session: Session, keep_id: int, drop_id: int) -> tuple[Organisation, Organisation]:
    if keep_id == drop_id:
        raise UserError("Eine Organisation kann nicht mit sich selbst zusammengeführt werden.")
    keep = session.get(Organisation, keep_id)
    drop = session.get(Organisation, drop_id)
    for oid, obj in ((keep_id, keep), (drop_id, drop)):
        if obj is None:
            raise UserError(f"Die Organisation Nr. {oid} gibt es nicht (mehr).")
    assert keep is not None and drop is not None
    return keep, drop


def organisation_merge_proposal(session: Session, keep_id: int, drop_id: int) -> MergeProposal:
    """Both organisations side by side with a default per field, and what else would move."""
    from konferenz.registry.service import ORGANISATION_FIELDS

    keep, drop = _load_organisations(session, keep_id, drop_id)
    fields = []
    for name in ORGANISATION_FIELDS:
        kv, dv = getattr(keep, name), getattr(drop, name)
        default: Choice = "drop" if _is_blank(name, kv) and not _is_blank(name, dv) else "keep"
        fields.append(
            MergeField(
                name,
                FIELD_LABELS.get(name, name),
                _display(session, name, kv),
                _display(session, name, dv),
                default,
            )
        )
    persons = {
        pid: person_display_name(dict(row._mapping))
        for row in session.execute(
            sa.select(Person.id, Person.title, Person.first_name, Person.name_prefix, Person.last_name).where(
                Person.id.in_([r.person_id for r in drop.roles])
            )
        )
        for pid in [row.id]
    }
    keep_persons = {r.person_id for r in keep.roles}
    moves, conflicts = _invitation_plan(session, keep_id, drop_id, organisation=True)
    keep_tags = {t.id for t in keep.tags}
    return MergeProposal(
        keep_id=keep_id,
        drop_id=drop_id,
        keep_label=keep.name,
        drop_label=drop.name,
        fields=fields,
        roles_moved=[persons.get(r.person_id, "") for r in drop.roles if r.person_id not in keep_persons],
        roles_combined=[persons.get(r.person_id, "") for r in drop.roles if r.person_id in keep_persons],
        invitations_moved=len(moves),
        invitation_conflicts=conflicts,
        tags_added=sorted((t.name for t in drop.tags if t.id not in keep_tags), key=fold),
    )


def merge_organisations(
    database: Database, keep_id: int, drop_id: int, choices: Mapping[str, Choice] | None = None
) -> MergeResult:
    """Merge organisation ``drop_id`` into ``keep_id`` in one unit of work: chosen fields, roles (one per
    person; a primary role stays primary), tags, the organisation's own invitations (the one further in the
    life cycle survives a conflict), invitations of persons for it, recommendations; undo with
    ``undo_merge``."""
    from konferenz.registry.service import (
        ORGANISATION_FIELDS,
        refresh_organisation_search_text,
        refresh_person_search_text,
        touch,
    )

    with database.session() as s:
        keep, drop = _load_organisations(s, keep_id, drop_id)
        change_set = recording.set_change_context(s, action=AuditAction.MERGE)
        own = [
            inv.id
            for inv in s.scalars(
                sa.select(Invitation).where(
                    Invitation.organisation_id.in_([keep_id, drop_id]), Invitation.person_id.is_(None)
                )
            )
        ]
        before = snapshot.capture(s, {"organisation": [keep_id, drop_id], "invitation": own})
        proposal = organisation_merge_proposal(s, keep_id, drop_id)
        chosen = proposal.default_choices() | dict(choices or {})
        unknown = set(chosen) - set(ORGANISATION_FIELDS)
        if unknown:
            raise UserError(f"Unbekannte Felder für die Zusammenführung: {', '.join(sorted(unknown))}")
        for name in ORGANISATION_FIELDS:
            if chosen.get(name) == "drop" and getattr(keep, name) != getattr(drop, name):
                setattr(keep, name, getattr(drop, name))
        persons = {r.person_id for r in drop.roles} | {r.person_id for r in keep.roles}
        keep_roles = {r.person_id: r for r in keep.roles}
        for role in list(drop.roles):
            mine = keep_roles.get(role.person_id)
            if mine is None:
                role.organisation = keep
                continue
            for name in ("function", "department"):
                if not getattr(mine, name) and getattr(role, name):
                    setattr(mine, name, getattr(role, name))
            if role.is_primary:
                mine.is_primary = True
            drop.roles.remove(role)
        keep_tags = {t.id for t in keep.tags}
        for tag in drop.tags:
            if tag.id not in keep_tags:
                keep.tags.append(tag)
        s.flush()
        moves, conflicts = _invitation_plan(s, keep_id, drop_id, organisation=True)
        for conflict in conflicts:
            keep_inv = s.get(Invitation, conflict.keep_invitation_id)
            drop_inv = s.get(Invitation, conflict.drop_invitation_id)
            assert keep_inv is not None and drop_inv is not None
            winner, loser = (keep_inv, drop_inv) if conflict.winner == "keep" else (drop_inv, keep_inv)
            _core_repoint(
                s, snapshot.TABLES["archived_document"], "invitation_id", loser.id, winner.id, audited=False
            )
            s.delete(loser)
            s.flush()
            if winner is drop_inv:
                moves.append(drop_inv)
        for inv in moves:
            inv.organisation_id = keep_id
        s.flush()
        _core_repoint(s, snapshot.TABLES["invitation"], "organisation_id", drop_id, keep_id, audited=True)
        _core_repoint(
            s,
            snapshot.TABLES["recommendation"],
            "responsible_organisation_id",
            drop_id,
            keep_id,
            audited=True,
        )
        s.delete(drop)
        touch(keep)
        s.flush()
        recording.log_action(
            s,
            "organisation",
            keep_id,
            AuditAction.MERGE,
            field="merged_from",
            old_value=proposal.drop_label,
            new_value=str(drop_id),
        )
        recording.log_action(
            s,
            "organisation",
            drop_id,
            AuditAction.MERGE,
            field="merged_into",
            old_value=proposal.keep_label,
            new_value=str(keep_id),
        )
        refresh_organisation_search_text(s, [keep_id])
        refresh_person_search_text(s, persons)
        return MergeResult(keep_id, drop_id, "organisation", keep.version, change_set, before, proposal.notes)
