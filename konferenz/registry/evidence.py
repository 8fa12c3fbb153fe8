"""The duplicate rule table: which evidence two records share, what it weighs, and the verdict.

One home for the import (``konferenz.importing.resolver``), the check on save
(``konferenz.registry.duplicates``) and Bearbeiten → Dubletten suchen (``konferenz.registry.scan``). Like
CiviCRM's dedupe rules, each piece of evidence has a weight; the weights of a pair are added and compared with
two thresholds: ``CERTAIN`` (a duplicate: the import does not create the row again) and ``POSSIBLE`` (created,
but reported as a possible duplicate naming the candidate, and listed by Dubletten suchen). A veto (a
conflicting e-mail address; a conflicting organisation *and* address) keeps a pair below certain whatever it
weighs: namesakes are everywhere in a registry of 100,000 persons.

The keys compared are ``konferenz.registry.keys`` (folded names, transliteration, loose key, addresses).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from enum import StrEnum

from konferenz.registry import keys as rk

#: a pair weighing this much is a duplicate, unless a veto holds
CERTAIN = 100
#: a pair weighing this much (and less than certain, or vetoed) is a possible duplicate
POSSIBLE = 50


class Kind(StrEnum):
    EMAIL_SAME = "email_same"
    NAME_SAME = "name_same"
    NAME_OTHER_SCRIPT = "name_other_script"
    NAME_SPELLING = "name_spelling"
    NAME_NEAR = "name_near"
    ORGANISATION_SAME = "organisation_same"
    ADDRESS_SAME = "address_same"
    NOTHING_ELSE = "nothing_else"
    EMAIL_CONFLICT = "email_conflict"
    ORGANISATION_CONFLICT = "organisation_conflict"
    ADDRESS_CONFLICT = "address_conflict"
    # organisations
    ORG_NAME_SAME = "org_name_same"
    ORG_NAME_NEAR = "org_name_near"
    WEBSITE_SAME = "website_same"
    PLACE_SAME = "place_same"
    DEPARTMENT_CONFLICT = "department_conflict"
    PLACE_CONFLICT = "place_conflict"


@dataclass(frozen=True)
class Rule:
    kind: Kind
    weight: int
    #: the German reason shown in the import preview and the Dubletten dialog
    label: str
    #: what the rule means, for the README and the tests
    meaning: str
    veto: bool = False


#: the rule table of persons (the README documents it; tests/unit/test_duplicate_evidence.py checks each row)
PERSON_RULES: dict[Kind, Rule] = {
    r.kind: r
    for r in (
        Rule(Kind.EMAIL_SAME, 100, "gleiche E-Mail-Adresse", "same e-mail address, case and spaces ignored"),
        Rule(
            Kind.NAME_SAME,
            60,
            "gleicher Name",
            "same first name, particle and last name, case, accents and umlaut spellings ignored",
        ),
        Rule(
            Kind.NAME_OTHER_SCRIPT,
            55,
            "gleicher Name in anderer Schrift",
            "the same name once transliterated (Cyrillic, Greek)",
        ),
        Rule(
            Kind.NAME_SPELLING,
            50,
            "ähnliche Schreibweise des Namens",
            "transliteration variants (Mohammed/Muhammad, Al-Hassan/Alhassan)",
        ),
        Rule(Kind.NAME_NEAR, 50, "ähnlicher Name", "a near name (rapidfuzz ratio of at least 85 %)"),
        Rule(Kind.ORGANISATION_SAME, 40, "gleiche Organisation", "both at one organisation"),
        Rule(
            Kind.ADDRESS_SAME,
            40,
            "gleiche Anschrift",
            "the same street (or Postfach) in the same place, or the same place with no street on either",
        ),
        Rule(
            Kind.NOTHING_ELSE,
            40,
            "sonst keine Angaben",
            "same name with first names, and one of the two has no e-mail, organisation or address",
        ),
        Rule(
            Kind.EMAIL_CONFLICT,
            0,
            "andere E-Mail-Adresse",
            "both have an e-mail address and they differ: never certain",
            veto=True,
        ),
        Rule(
            Kind.ORGANISATION_CONFLICT,
            0,
            "andere Organisation",
            "both have organisations, none shared (a veto together with another address)",
        ),
        Rule(
            Kind.ADDRESS_CONFLICT,
            0,
            "andere Anschrift",
            "both have an address and they differ (a veto together with another organisation)",
        ),
    )
}

#: the rule table of organisations
ORGANISATION_RULES: dict[Kind, Rule] = {
    r.kind: r
    for r in (
        Rule(Kind.EMAIL_SAME, 100, "gleiche E-Mail-Adresse", "same e-mail address, case and spaces ignored"),
        Rule(Kind.WEBSITE_SAME, 100, "gleiche Website", "same web address without scheme and www."),
        Rule(
            Kind.ORG_NAME_SAME,
            100,
            "gleicher Name",
            "same name ignoring case, accents, punctuation, spacing and the legal form (e.V., gGmbH …)",
        ),
        Rule(
            Kind.ORG_NAME_NEAR,
            50,
            "ähnlicher Name",
            "a near name (rapidfuzz ratio of at least 85 %), not when the places differ",
        ),
        Rule(Kind.PLACE_SAME, 40, "gleicher Ort", "same PLZ, or same city without PLZ"),
        Rule(
            Kind.DEPARTMENT_CONFLICT,
            0,
            "andere Abteilung",
            "the departments differ (one may have none): never certain",
            veto=True,
        ),
        Rule(
            Kind.PLACE_CONFLICT,
            0,
            "anderer Ort",
            "both have a place and it differs: never certain",
            veto=True,
        ),
    )
}

_NAME_KINDS = frozenset(
    {Kind.EMAIL_SAME, Kind.NAME_SAME, Kind.NAME_OTHER_SCRIPT, Kind.NAME_SPELLING, Kind.NAME_NEAR}
)


@dataclass(frozen=True)
class Verdict:
    """The outcome for one pair: certain or possible, its weight and the evidence (German reasons)."""

    certain: bool
    points: int
    #: the evidence found, strongest first, conflicts last ("gleicher Name", "andere E-Mail-Adresse")
    reasons: tuple[str, ...]

    @property
    def reason(self) -> str:
        """ "gleicher Name und gleiche Organisation, andere E-Mail-Adresse"."""
        return self.reasons[0] if len(self.reasons) == 1 else _join(self.reasons)

    @property
    def score(self) -> float:
        """``points`` as 0…1 (certain pairs have 1.0)."""
        return 1.0 if self.certain else round(min(self.points, CERTAIN - 1) / CERTAIN, 3)


def _join(reasons: tuple[str, ...]) -> str:
    support = [r for r in reasons if not r.startswith(("andere", "anderer"))]
    against = [r for r in reasons if r.startswith(("andere", "anderer"))]
    return ", ".join([" und ".join(support), *against] if support else against)


@dataclass(frozen=True)
class PersonFacts:
    """What the rules compare of a person."""

    keys: rk.NameKeys
    orgs: Collection[int] = field(default_factory=frozenset)
    #: ``keys.address_key`` of the person's own address ("", "" when none)
    address: tuple[str, str] = ("", "")

    @property
    def has_other(self) -> bool:
        return bool(self.keys.email or self.orgs or self.address[0] or self.address[1])


def person_facts(
    keys: rk.NameKeys,
    orgs: Collection[int] = (),
    *,
    street: str = "",
    po_box: str = "",
    postal_code: str = "",
    city: str = "",
) -> PersonFacts:
    return PersonFacts(keys, orgs, rk.address_key(street, po_box, postal_code, city))


def _verdict(table: dict[Kind, Rule], found: list[tuple[Kind, str]], *, email_wins: bool) -> Verdict | None:
    points = sum(table[k].weight for k, _ in found)
    if points < POSSIBLE:
        return None
    kinds = {k for k, _ in found}
    vetoed = (
        any(table[k].veto for k in kinds)
        or {
            Kind.ORGANISATION_CONFLICT,
            Kind.ADDRESS_CONFLICT,
        }
        <= kinds
    )
    if email_wins and Kind.EMAIL_SAME in kinds:
        vetoed = False
    found.sort(key=lambda f: -table[f[0]].weight)
    certain = points >= CERTAIN and not vetoed
    if certain and Kind.EMAIL_SAME in kinds:
        found = [f for f in found if f[0] is Kind.EMAIL_SAME]  # the e-mail alone decides: say only that
    return Verdict(certain, points, tuple(label for _, label in found))


def assess_persons(a: PersonFacts, b: PersonFacts) -> Verdict | None:
    """The verdict on two persons by ``PERSON_RULES``, or None when they are not even possible duplicates."""
    ka, kb = a.keys, b.keys
    rules = PERSON_RULES
    found: list[tuple[Kind, str]] = []
    if ka.email and kb.email:
        kind = Kind.EMAIL_SAME if ka.email == kb.email else Kind.EMAIL_CONFLICT
        found.append((kind, rules[kind].label))
    if ka.name and ka.name == kb.name:
        found.append((Kind.NAME_SAME, rules[Kind.NAME_SAME].label))
        if ka.has_first and kb.has_first and not (a.has_other and b.has_other):
            found.append((Kind.NOTHING_ELSE, rules[Kind.NOTHING_ELSE].label))
    elif ka.latin and ka.latin == kb.latin:
        found.append((Kind.NAME_OTHER_SCRIPT, rules[Kind.NAME_OTHER_SCRIPT].label))
    elif ka.loose and ka.loose == kb.loose and not ka.loose.startswith("|") and not ka.loose.endswith("|"):
        found.append((Kind.NAME_SPELLING, rules[Kind.NAME_SPELLING].label))
    else:
        near = near_names(ka.latin, kb.latin)
        if near:
            found.append((Kind.NAME_NEAR, f"{rules[Kind.NAME_NEAR].label} ({round(near * 100)} %)"))
    if not {k for k, _ in found} & _NAME_KINDS:
        return None
    if a.orgs and b.orgs:
        kind = Kind.ORGANISATION_SAME if set(a.orgs) & set(b.orgs) else Kind.ORGANISATION_CONFLICT
        found.append((kind, rules[kind].label))
    (sa, pa), (sb, pb) = a.address, b.address
    if (sa and sa == sb and (not pa or not pb or pa == pb)) or (pa and pa == pb and sa == sb):
        found.append((Kind.ADDRESS_SAME, rules[Kind.ADDRESS_SAME].label))
    elif (sa and sb and sa != sb) or (pa and pb and pa != pb):
        found.append((Kind.ADDRESS_CONFLICT, rules[Kind.ADDRESS_CONFLICT].label))
    return _verdict(rules, found, email_wins=True)


def near_names(a: str, b: str) -> float:
    """The rapidfuzz similarity 0…1 of two Latin names when it reaches ``keys.NEAR_THRESHOLD``, else 0."""
    la, lb = len(a), len(b)
    if not la or not lb or 2 * min(la, lb) / (la + lb) < rk.NEAR_THRESHOLD:
        return 0.0  # the ratio cannot reach the threshold
    return rk.similarity(a, b)


@dataclass(frozen=True)
class OrganisationFacts:
    """What the rules compare of an organisation."""

    name: str  # ``keys.organisation_name_key``
    latin: str  # the folded, transliterated name with spaces, for near matches
    department: str  # folded
    email: str
    website: str
    place: str


def organisation_facts(
    name: str,
    department: str = "",
    *,
    email: str = "",
    website: str = "",
    postal_code: str = "",
    city: str = "",
) -> OrganisationFacts:
    return OrganisationFacts(
        rk.organisation_name_key(name),
        rk.to_latin(rk.organisation_key(name)),
        rk.organisation_key(department),
        rk.email_key(email),
        rk.website_key(website),
        rk.address_key("", "", postal_code, city)[1],
    )


def assess_organisations(a: OrganisationFacts, b: OrganisationFacts) -> Verdict | None:
    """The verdict on two organisations by ``ORGANISATION_RULES``, or None."""
    rules = ORGANISATION_RULES
    found: list[tuple[Kind, str]] = []
    if a.email and a.email == b.email:
        found.append((Kind.EMAIL_SAME, rules[Kind.EMAIL_SAME].label))
    if a.website and a.website == b.website:
        found.append((Kind.WEBSITE_SAME, rules[Kind.WEBSITE_SAME].label))
    same_place = bool(a.place and a.place == b.place)
    if a.name and a.name == b.name:
        found.append((Kind.ORG_NAME_SAME, rules[Kind.ORG_NAME_SAME].label))
    elif same_place or not (a.place and b.place):
        near = near_names(a.latin, b.latin)
        if near:
            found.append((Kind.ORG_NAME_NEAR, f"{rules[Kind.ORG_NAME_NEAR].label} ({round(near * 100)} %)"))
    if not found:
        return None
    if same_place:
        found.append((Kind.PLACE_SAME, rules[Kind.PLACE_SAME].label))
    elif a.place and b.place:
        found.append((Kind.PLACE_CONFLICT, rules[Kind.PLACE_CONFLICT].label))
    if a.department != b.department:
        found.append((Kind.DEPARTMENT_CONFLICT, rules[Kind.DEPARTMENT_CONFLICT].label))
    return _verdict(rules, found, email_wins=True)
