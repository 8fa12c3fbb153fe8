"""Duplicate persons (``find_all_duplicates``) and organisations (``find_all_organisation_duplicates``)
across the whole registry, grouped; every candidate pair is judged by the rule table of
``konferenz.registry.evidence``.

No pairwise comparison of the registry. Keys are computed once per distinct field value (names repeat a
lot) and persons are grouped by e-mail, name, Latin and loose key with dicts, which is linear. Typos are
found per name half: last names at edit distance one (a letter added, dropped, replaced, two swapped)
with the same first name, or first names at edit distance one with the same last name, looked up through
shared single-letter deletions (the SymSpell idea, linear too) and confirmed by the rapidfuzz ratio. A typo
in both halves at once is left to the check on save (``konferenz.registry.duplicates.find_duplicates_for``),
which scores every person whose search key shares the start of the last name. 100,000 persons take a few
seconds (tests/unit/test_duplicates.py prints the time).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from rapidfuzz import fuzz, process
from sqlalchemy.orm import Session

from konferenz.registry.evidence import (
    OrganisationFacts,
    PersonFacts,
    Verdict,
    assess_organisations,
    assess_persons,
    organisation_facts,
)
from konferenz.registry.keys import (
    NEAR_THRESHOLD,
    NameKeys,
    address_key,
    as_words,
    email_key,
    latin_of_folded,
    skeleton,
    strip_article,
)
from konferenz.storage.models import Organisation, Person, Role
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
    """Persons (or, with ``kind`` "organisation", organisations) linked by duplicate rules, directly or
    through each other."""

    person_ids: list[int]
    links: list[DuplicateLink]
    kind: str = "person"

    @property
    def ids(self) -> list[int]:
        return self.person_ids

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


@dataclass
class _Person:
    keys: NameKeys
    first: str  # Latin first name without spaces
    last: str  # Latin last name (with particle) without spaces
    full: str  # Latin "first last"
    address: tuple[str, str]


def _registry_keys(session: Session) -> dict[int, _Person]:
    """Keys of every (not anonymised) person, each distinct field value folded once."""
    rows = session.connection().execute(
        sa.select(
            Person.id,
            Person.first_name,
            Person.name_prefix,
            Person.last_name,
            Person.email,
            Person.street,
            Person.po_box,
            Person.postal_code,
            Person.city,
        ).where(Person.anonymised_at.is_(None))
    )
    firsts: dict[str, tuple[str, str, str]] = {}
    lasts: dict[tuple[str, str], tuple[str, str, str]] = {}
    out: dict[int, _Person] = {}
    for pid, first_name, prefix, last_name, email, street, po_box, postal_code, city in rows:
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
        address = (
            address_key(street, po_box, postal_code, city)
            if street or po_box or postal_code or city
            else ("", "")
        )
        out[pid] = _Person(keys, f[1].replace(" ", ""), last[1].replace(" ", ""), keys.latin, address)
    return out


def find_all_duplicates(session: Session) -> list[DuplicateGroup]:
    """Duplicate groups over all (not anonymised) persons: certain groups first, then by weight.

    Linear blocking, no pairwise comparison of the whole registry; each pair a block proposes is judged by
    ``evidence.assess_persons`` (e-mail, name, organisation, address) and kept when it is at least possible:

    1. same e-mail key;
    2. same name key (every person of the block against the first and against each other when the block
       is small);
    3. same Latin key in another script, same loose key (transliteration variants);
    4. typos: last names at edit distance one with the same first name, or first names at edit
       distance one with the same last name (``_close_pairs``), confirmed by the rapidfuzz ratio.
       Two typos at once are left to the check on save.
    """
    people = _registry_keys(session)
    orgs: dict[int, set[int]] = defaultdict(set)
    for pid, oid in session.connection().execute(sa.select(Role.person_id, Role.organisation_id)):
        orgs[pid].add(oid)
    empty: set[int] = set()
    facts: dict[int, PersonFacts] = {}

    def facts_of(pid: int) -> PersonFacts:
        f = facts.get(pid)
        if f is None:
            p = people[pid]
            f = facts[pid] = PersonFacts(p.keys, orgs.get(pid, empty), p.address)
        return f

    links: dict[tuple[int, int], Verdict] = {}

    def consider(a: int, b: int) -> None:
        pair = (a, b) if a < b else (b, a)
        if pair in links:
            return
        verdict = assess_persons(facts_of(a), facts_of(b))
        if verdict is not None:
            links[pair] = verdict

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
            consider(ids[0], other)
    for ids in by_name.values():
        # namesakes: a small block is compared pair by pair (the certain pair may not include the first)
        if len(ids) <= _SMALL_BLOCK:
            for i, a in enumerate(ids):
                for b in ids[i + 1 :]:
                    consider(a, b)
        else:
            for other in ids[1:]:
                consider(ids[0], other)
    for groups in (by_latin, by_loose):
        for reps in groups.values():
            if len(reps) > 1:
                head, *rest = reps.values()
                for other in rest:
                    consider(head, other)

    # 4. typos, over distinct Latin names
    by_last: dict[str, dict[str, int]] = defaultdict(dict)
    for pid, p in people.items():
        if p.last:
            by_last[p.last].setdefault(p.first, pid)
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
    return _groups(links, "person")


#: a block of namesakes up to this size is compared pair by pair
_SMALL_BLOCK = 12


def _groups(links: dict[tuple[int, int], Verdict], kind: str) -> list[DuplicateGroup]:
    uf = _UnionFind()
    for pa, pb in links:
        uf.union(pa, pb)
    grouped: dict[int, DuplicateGroup] = {}
    for (pa, pb), v in links.items():
        group = grouped.setdefault(uf.find(pa), DuplicateGroup([], [], kind))
        group.links.append(DuplicateLink(pa, pb, v.reason, v.score, v.certain))
    for group in grouped.values():
        group.person_ids = sorted({p for link_ in group.links for p in (link_.a, link_.b)})
        group.links.sort(key=lambda x: (not x.certain, -x.score, x.a, x.b))
    return sorted(grouped.values(), key=lambda g: (not g.certain, -g.score, g.person_ids[0]))


def find_all_organisation_duplicates(session: Session) -> list[DuplicateGroup]:
    """Duplicate groups over all organisations (``evidence.assess_organisations``), blocked linearly: the
    same name key (legal form ignored), e-mail or website; near names only among the organisations of one
    place, found with ``rapidfuzz.process.extract`` and a score cutoff."""
    facts: dict[int, OrganisationFacts] = {}
    o = Organisation
    for oid, name, department, email, website, postal_code, city in session.connection().execute(
        sa.select(o.id, o.name, o.department, o.email, o.website, o.postal_code, o.city)
    ):
        facts[oid] = organisation_facts(
            name, department, email=email, website=website, postal_code=postal_code, city=city
        )
    links: dict[tuple[int, int], Verdict] = {}

    def consider(a: int, b: int) -> None:
        pair = (a, b) if a < b else (b, a)
        if pair not in links:
            verdict = assess_organisations(facts[a], facts[b])
            if verdict is not None:
                links[pair] = verdict

    blocks: dict[tuple[str, str], list[int]] = defaultdict(list)
    by_place: dict[str, list[int]] = defaultdict(list)
    for oid, f in facts.items():
        for key in (("name", f.name), ("email", f.email), ("web", f.website)):
            if key[1]:
                blocks[key].append(oid)
        if f.place and f.latin:
            by_place[f.place].append(oid)
    for ids in blocks.values():
        if len(ids) <= _SMALL_BLOCK:
            for i, a in enumerate(ids):
                for b in ids[i + 1 :]:
                    consider(a, b)
        else:
            for other in ids[1:]:
                consider(ids[0], other)
    for ids in by_place.values():
        if len(ids) < 2:
            continue
        names = [facts[i].latin for i in ids]
        for index, oid in enumerate(ids):
            for _choice, _score, other in process.extract(
                names[index],
                names,
                scorer=fuzz.ratio,
                score_cutoff=NEAR_THRESHOLD * 100,
                limit=8,
            ):
                if other != index:
                    consider(oid, ids[other])
    return _groups(links, "organisation")
