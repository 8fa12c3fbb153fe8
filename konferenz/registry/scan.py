"""Duplicate persons across the whole registry (``find_all_duplicates``), grouped.

No pairwise comparison of the registry. Keys are computed once per distinct field value (names repeat a
lot) and persons are grouped by e-mail, name, Latin and loose key with dicts, which is linear. Typos are
found per name half: last names at edit distance one (a letter added, dropped, replaced, two swapped)
with the same first name, or first names at edit distance one with the same last name, looked up through
shared single-letter deletions (the SymSpell idea, linear too) and confirmed by the similarity ratio. A typo
in both halves at once is left to the check on save (``konferenz.registry.duplicates.find_duplicates_for``),
which scores every person whose search key shares the start of the last name. 100,000 persons take a few
seconds (tests/unit/test_duplicates.py prints the time).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from konferenz.registry.keys import (
    NEAR_THRESHOLD,
    Match,
    NameKeys,
    as_words,
    compare,
    email_key,
    latin_of_folded,
    skeleton,
    strip_article,
)
from konferenz.storage.models import Person, Role
from konferenz.text import fold


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
            latin = as_words(latin_of_folded(folded))
            f = (as_words(folded), latin, " ".join(skeleton(w) for w in latin.split()))
            firsts[first_name] = f
        last = lasts.get((prefix, last_name))
        if last is None:
            folded = fold(f"{prefix} {last_name}")
            latin = as_words(latin_of_folded(folded))
            last = (as_words(folded), latin, skeleton("".join(strip_article(latin.split()))))
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
