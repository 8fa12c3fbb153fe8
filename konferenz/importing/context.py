"""The database as the import sees it, loaded once per resolution into dicts: categories (names and
synonyms), municipalities (names and PLZ), organisations, tags, and the duplicate keys of stored persons
(with what ``konferenz.registry.evidence`` weighs: organisations and address).

A name key costs a ``fold`` of the whole name; for 100,000 persons that is seconds. The keys of stored
persons are therefore computed only for last names that end in a word some row's name ends in
(``row_buckets``). Near names (``near``) are looked up only among the persons of the row's bucket, with
``rapidfuzz.process.extract`` and a score cutoff, so an import stays linear in the rows.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from rapidfuzz import fuzz, process
from sqlalchemy.orm import Session

from konferenz.importing.cells import cached_header_key
from konferenz.importing.rows import ParsedRow, row_keys
from konferenz.registry import evidence
from konferenz.registry import keys as registry_keys
from konferenz.spreadsheets.columns import header_key
from konferenz.storage import schema
from konferenz.storage.models import Category, Municipality, Role, Tag
from konferenz.text import fold

_PERSON = schema.person
_ORGANISATION = schema.organisation


@dataclass
class _OrgInfo:
    id: int
    name: str
    department: str
    short_name: str
    category_id: int | None
    has_address: bool


@dataclass(slots=True)
class _PersonKey:
    id: int
    first: str
    prefix: str
    last: str
    email: str
    anonymised: bool
    street: str = ""
    po_box: str = ""
    postal_code: str = ""
    city: str = ""
    #: the duplicate keys, computed when first needed (``Context.keys``)
    keys: registry_keys.NameKeys | None = None


def _bucket(name_key: str) -> str:
    """The last word of a name key: equal name keys have equal last words (the last name's)."""
    return name_key.rsplit(" ", 1)[-1]


class Context:
    """Categories, municipalities, organisations, tags and person keys, loaded once per resolution."""

    def __init__(self, session: Session, buckets: set[str] | None = None) -> None:
        """``buckets``: the last words of the name keys of the rows (None: index every person)."""
        conn = session.connection()
        self.categories: dict[str, int] = {}
        self.category_names: dict[int, str] = {}
        categories = conn.execute(
            sa.select(Category.id, Category.name, Category.synonyms).order_by(
                Category.sort_order, Category.id
            )
        ).all()
        for cid, name, _synonyms in categories:
            self.category_names[cid] = name
            self.categories.setdefault(header_key(name), cid)
        for cid, _name, synonyms in categories:  # names win over synonyms
            for synonym in (synonyms or "").split(","):
                if synonym.strip():
                    self.categories.setdefault(header_key(synonym), cid)
        self.municipality_by_code: dict[str, int] = {}
        self.municipality_by_name: dict[str, int] = {}
        self.municipality_names: dict[int, str] = {}
        for mid, name, codes in conn.execute(
            sa.select(Municipality.id, Municipality.name, Municipality.postal_codes)
        ):
            self.municipality_names[mid] = name
            self.municipality_by_name[header_key(name)] = mid
            # "Gronau (Westf.)" is also found as "Gronau"
            self.municipality_by_name.setdefault(header_key(re.sub(r"\(.*?\)", "", name)), mid)
            for code in (codes or "").split(","):
                if code.strip():
                    self.municipality_by_code[code.strip()] = mid
        self.orgs: dict[str, list[_OrgInfo]] = {}
        self.org_by_id: dict[int, _OrgInfo] = {}
        o = _ORGANISATION
        for r in conn.execute(
            sa.select(
                o.c.id,
                o.c.name,
                o.c.department,
                o.c.short_name,
                o.c.category_id,
                o.c.street,
                o.c.po_box,
                o.c.city,
            ).order_by(o.c.id)
        ):
            info = _OrgInfo(
                r.id, r.name, r.department, r.short_name, r.category_id, bool(r.street or r.po_box or r.city)
            )
            self.orgs.setdefault(registry_keys.organisation_name_key(r.name), []).append(info)
            self.org_by_id[r.id] = info
        self.tags: dict[str, int] = {
            name.casefold(): tid for tid, name in conn.execute(sa.select(Tag.id, Tag.name))
        }
        self.persons: dict[int, _PersonKey] = {}
        self.by_email: dict[str, list[int]] = {}
        self.by_name: dict[str, list[int]] = {}
        self.by_latin: dict[str, list[int]] = {}
        #: last word of the Latin key → persons (for near names)
        self.by_bucket: dict[str, list[int]] = {}
        self._bucket_names: dict[str, list[str]] = {}
        # Name keys cost a ``fold`` of the whole name; for 100,000 persons that is seconds. Only persons
        # whose last name ends in a word some row's name ends in can have the same key, so the last word
        # is computed once per distinct last name and the full keys only for those persons.
        last_words: dict[str, tuple[str, str]] = {}
        p = _PERSON
        email_key = registry_keys.email_key
        for pid, first, prefix, last, email, anonymised_at, street, po_box, postal_code, city in conn.execute(
            sa.select(
                p.c.id,
                p.c.first_name,
                p.c.name_prefix,
                p.c.last_name,
                p.c.email,
                p.c.anonymised_at,
                p.c.street,
                p.c.po_box,
                p.c.postal_code,
                p.c.city,
            )
        ).all():
            pk = _PersonKey(
                pid,
                first or "",
                prefix or "",
                last or "",
                email_key(email) if email else "",
                anonymised_at is not None,
                street or "",
                po_box or "",
                postal_code or "",
                city or "",
            )
            self.persons[pid] = pk
            if pk.anonymised:
                continue
            if pk.email:
                self.by_email.setdefault(pk.email, []).append(pid)
            if buckets is not None:
                words = last_words.get(pk.last)
                if words is None:
                    name, latin = registry_keys.name_keys("", "", pk.last)
                    words = (_bucket(name), _bucket(latin))
                    last_words[pk.last] = words
                if words[0] and words[0] not in buckets and words[1] not in buckets:
                    continue
            keys = self.keys(pk)
            if keys.name:
                self.by_name.setdefault(keys.name, []).append(pid)
            if keys.latin and keys.latin != keys.name:
                self.by_latin.setdefault(keys.latin, []).append(pid)
            if keys.latin:
                self.by_bucket.setdefault(_bucket(keys.latin), []).append(pid)
        self.person_orgs: dict[int, set[int]] = {}
        self.primary_org: dict[int, int] = {}
        for pid, oid, primary in conn.execute(
            sa.select(Role.person_id, Role.organisation_id, Role.is_primary)
        ).all():
            self.person_orgs.setdefault(pid, set()).add(oid)
            if primary:
                self.primary_org.setdefault(pid, oid)

    @staticmethod
    def keys(info: _PersonKey) -> registry_keys.NameKeys:
        if info.keys is None:
            name, latin = registry_keys.name_keys(info.first, info.prefix, info.last)
            info.keys = registry_keys.NameKeys(info.email, name, latin, "", bool(info.first.strip()))
        return info.keys

    def facts(self, info: _PersonKey) -> evidence.PersonFacts:
        """What the duplicate rules weigh of a stored person."""
        return evidence.person_facts(
            self.keys(info),
            self.person_orgs.get(info.id, set()),
            street=info.street,
            po_box=info.po_box,
            postal_code=info.postal_code,
            city=info.city,
        )

    def near(self, latin: str, limit: int = 5) -> list[int]:
        """Stored persons of the same bucket whose Latin name is near ``latin`` (rapidfuzz ratio of at
        least ``keys.NEAR_THRESHOLD``)."""
        bucket = _bucket(latin)
        ids = self.by_bucket.get(bucket)
        if not ids:
            return []
        names = self._bucket_names.get(bucket)
        if names is None:
            names = self._bucket_names[bucket] = [self.keys(self.persons[i]).latin for i in ids]
        found = process.extract(
            latin,
            names,
            scorer=fuzz.ratio,
            score_cutoff=registry_keys.NEAR_THRESHOLD * 100,
            limit=limit,
        )
        return [ids[index] for _name, _score, index in found]

    def category_id(self, text: str) -> int | None:
        return self.categories.get(cached_header_key(text))

    def municipality_for(self, postal_code: str, country: str, named: str, city: str) -> int | None:
        if named:
            found = self.municipality_by_name.get(cached_header_key(named))
            if found is not None:
                return found
        if country:
            return None
        if postal_code:
            return self.municipality_by_code.get(postal_code)
        if city:
            return self.municipality_by_name.get(cached_header_key(city))
        return None

    def find_org(self, name: str, department: str = "", person_id: int | None = None) -> _OrgInfo | None:
        candidates = self.orgs.get(registry_keys.organisation_name_key(name))
        if not candidates:
            return None
        if len(candidates) == 1:
            return candidates[0]
        if person_id is not None:
            mine = self.person_orgs.get(person_id, set())
            for c in candidates:
                if c.id in mine:
                    return c
        if department:
            dep = fold(department)
            for c in candidates:
                if fold(c.department) == dep:
                    return c
        plain = [c for c in candidates if not c.department]
        return (plain or candidates)[0]


def row_buckets(parsed: Sequence[ParsedRow]) -> set[str]:
    """The last words of the name keys of the person rows (see ``Context``)."""
    out: set[str] = set()
    for row in parsed:
        if row.kind == "person":
            keys = row_keys(row)
            out.add(_bucket(keys.name))
            out.add(_bucket(keys.latin))
    return out
