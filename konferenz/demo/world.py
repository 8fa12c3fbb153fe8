"""The demo world: the fixed facts of the invented Kreis Borken, read from the JSON files in ``data/``.

``places.json`` (town halls, streets, addresses outside the Kreis), ``organisations.json`` (the fixed
organisations, the gendered functions per category, the patterns of generated organisations),
``persons.json`` (the name communities, the named example persons, notes) and ``conferences.json`` (the
conferences 2023–2026 with forums and recommendations, needs and notes of invitations). This module turns
them into typed, frozen definitions once, at import; the rules that combine them live in the builder.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from konferenz.enums import Gender, LegalBasis, MunicipalityKind, RecommendationStatus
from konferenz.storage.reference import MUNICIPALITIES

DATA_DIR = Path(__file__).parent / "data"

#: "today" in the demo world: the conference 2026 is being prepared, due dates before it are overdue
DEMO_TODAY = dt.date(2026, 11, 1)
#: the staff accounts that appear as "entered by"
STAFF_USERS = ("mueller.k", "schulte.b", "hoffmann.j", "demir.s")
TAG_NAMES = (
    "Newsletter",
    "Integrationsrat",
    "Presse",
    "Ehrenamt",
    "Referentin/Referent",
    "Vorbereitungsgruppe",
)

CAT_FREE = "Freier Träger"
CAT_WELFARE = "Wohlfahrtsverband"
CAT_MSO = "Migrantenselbstorganisation"
CAT_EXPERTS = "Fachleute"
CAT_ADMIN = "Verwaltung"
CAT_POLITICS = "Politik"
CAT_MUNICIPALITY = "Kommune"
CAT_EDUCATION = "Bildung"
CAT_OTHER = "Sonstige"
CATEGORY_NAMES = (
    CAT_FREE,
    CAT_WELFARE,
    CAT_MSO,
    CAT_EXPERTS,
    CAT_ADMIN,
    CAT_POLITICS,
    CAT_MUNICIPALITY,
    CAT_EDUCATION,
    CAT_OTHER,
)


def _load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA_DIR / name).read_text(encoding="utf-8"))
    return data


_PLACES = _load("places.json")
_ORGANISATIONS = _load("organisations.json")
_PERSONS = _load("persons.json")
_CONFERENCES = _load("conferences.json")


# --------------------------------------------------------------------------------------------------------
# places


@dataclass(frozen=True)
class TownHall:
    municipality: str
    street: str
    postal_code: str
    #: the switchboard number ("02861 939-0")
    phone: str
    #: the web and e-mail domain
    domain: str
    #: how often the town is drawn for a private address
    population_thousands: int
    department: str


#: municipality → its Rathaus
TOWN_HALLS = {row["municipality"]: TownHall(**row) for row in _PLACES["town_halls"]}
TOWN_NAMES = list(TOWN_HALLS)
TOWN_WEIGHTS = [hall.population_thousands for hall in TOWN_HALLS.values()]
AREA_CODES = {name: hall.phone.split(" ")[0] for name, hall in TOWN_HALLS.items()}
POSTAL_CODES = {m.name: m.postal_codes for m in MUNICIPALITIES}


def _places(key: str) -> tuple[tuple[str, str, str, str], ...]:
    return tuple((p["postal_code"], p["city"], p["country"], p["area_code"]) for p in _PLACES[key])


#: private addresses outside the Kreis and abroad: postal code, city, country, area code
OUTSIDE = _places("outside")
ABROAD = _places("abroad")
STREETS: tuple[str, ...] = tuple(_PLACES["streets"])
FOREIGN_STREETS: tuple[str, ...] = tuple(_PLACES["foreign_streets"])


# --------------------------------------------------------------------------------------------------------
# organisations


@dataclass(frozen=True)
class OrgDef:
    key: str
    category: str
    name: str
    department: str
    short_name: str
    street: str
    po_box: str
    postal_code: str
    city: str
    country: str
    #: the Kreis municipality, None outside the Kreis
    municipality: str | None
    phone: str
    email: str
    website: str
    tags: tuple[str, ...] = ()
    notes: str = ""


def _organisation_defs() -> tuple[OrgDef, ...]:
    """The 17 municipalities (key ``kommune:NAME``), then the fixed organisations of ``organisations.json``."""
    municipal = {m.name for m in MUNICIPALITIES}
    result = []
    for mun in MUNICIPALITIES:
        hall = TOWN_HALLS[mun.name]
        kind = "Stadt" if mun.kind is MunicipalityKind.CITY else "Gemeinde"
        result.append(
            OrgDef(
                f"kommune:{mun.name}",
                CAT_MUNICIPALITY,
                f"{kind} {mun.name}",
                hall.department,
                "",
                hall.street,
                "",
                hall.postal_code,
                mun.name,
                "",
                mun.name,
                hall.phone,
                f"info@{hall.domain}",
                f"www.{hall.domain}",
                ("Newsletter",),
            )
        )
    for row in _ORGANISATIONS["organisations"]:
        city = row["city"]
        result.append(
            OrgDef(
                **{**row, "tags": tuple(row["tags"])},
                municipality=city if city in municipal and not row["country"] else None,
            )
        )
    return tuple(result)


ORGANISATIONS = _organisation_defs()

#: gendered functions per category: (female, male, neutral for diverse and unknown)
FUNCTIONS: dict[str, list[tuple[str, str, str]]] = {
    category: [(female, male, neutral) for female, male, neutral in rows]
    for category, rows in _ORGANISATIONS["functions"].items()
}
#: functions of second and third roles
SECOND_ROLE_FUNCTIONS = [
    (female, male, neutral) for female, male, neutral in _ORGANISATIONS["second_role_functions"]
]


@dataclass(frozen=True)
class GeneratedOrganisations:
    """Organisations of large demos: ``pattern`` with ``{v}`` for each variant and ``{town}`` for each
    municipality."""

    category: str
    pattern: str
    variants: tuple[str, ...]


GENERATED_ORGANISATIONS = tuple(
    GeneratedOrganisations(row["category"], row["pattern"], tuple(row["variants"]))
    for row in _ORGANISATIONS["generated_organisations"]
)


# --------------------------------------------------------------------------------------------------------
# names


@dataclass(frozen=True)
class Community:
    name: str
    weight: int
    female: tuple[str, ...]
    male: tuple[str, ...]
    last: tuple[str, ...]
    #: (particle, last name) pairs and their share among this community's last names
    prefixed: tuple[tuple[str, str], ...] = ()
    prefix_share: float = 0.0
    #: "ski" (Polish -ski → -ska), "ov" (Russian -ов → -ова) or ""
    feminine: str = ""
    #: names in a script without rule-based transliteration → Latin spelling (for e-mail addresses)
    latin: dict[str, str] = field(default_factory=dict)


COMMUNITIES = tuple(
    Community(
        row["name"],
        row["weight"],
        tuple(row["female"]),
        tuple(row["male"]),
        tuple(row["last"]),
        tuple((particle, last) for particle, last in row["prefixed"]),
        row["prefix_share"],
        row["feminine"],
        dict(row["latin"]),
    )
    for row in _PERSONS["communities"]
)
COMMUNITY = {community.name: community for community in COMMUNITIES}
COMMUNITY_WEIGHTS = [c.weight for c in COMMUNITIES]


def feminine(last: str, rule: str) -> str:
    """The feminine form of a last name under a community's ``feminine`` rule."""
    if rule == "ski" and last.endswith(("ski", "cki")):
        return last[:-1] + "a"
    if rule == "ov" and last.endswith(("ов", "ев", "ин")):
        return last + "а"
    return last


# --------------------------------------------------------------------------------------------------------
# the named example persons (created first, so even small demos contain them)


@dataclass(frozen=True)
class Showcase:
    key: str
    gender: Gender
    title: str
    first_name: str
    name_prefix: str
    last_name: str
    function: str
    #: (organisation key, function); the first role is the primary one
    roles: tuple[tuple[str, str], ...]
    custom_salutation: str
    email: str
    legal_basis: LegalBasis
    tags: tuple[str, ...]
    #: street, postal code, municipality of a private address
    home: tuple[str, ...]


SHOWCASE = tuple(
    Showcase(
        row["key"],
        Gender(row["gender"]),
        row["title"],
        row["first_name"],
        row["name_prefix"],
        row["last_name"],
        row["function"],
        tuple((org, function) for org, function in row["roles"]),
        row["custom_salutation"],
        row["email"],
        LegalBasis(row["legal_basis"]),
        tuple(row["tags"]),
        (row["home"]["street"], row["home"]["postal_code"], row["home"]["city"]) if row["home"] else (),
    )
    for row in _PERSONS["showcase"]
)
PERSON_NOTES: tuple[str, ...] = tuple(_PERSONS["person_notes"])


# --------------------------------------------------------------------------------------------------------
# the conferences


@dataclass(frozen=True)
class ForumDef:
    title: str
    description: str
    room: str
    capacity: int
    moderation: str
    #: the minutes of the forum
    notes: str
    results: str


@dataclass(frozen=True)
class RecDef:
    #: index of the forum, or None for a recommendation from the panel
    forum: int | None
    due: dt.date
    status: RecommendationStatus
    organisation: str | None
    responsible_text: str
    text: str
    updates: tuple[tuple[dt.date, RecommendationStatus, str], ...]


@dataclass(frozen=True)
class Venue:
    name: str
    street: str
    postal_code: str
    city: str


@dataclass(frozen=True)
class Talk:
    title: str
    speakers: str
    #: showcase keys of the speakers who are in the registry
    persons: tuple[str, ...]


@dataclass(frozen=True)
class ConferenceDef:
    year: int
    theme: str
    date: dt.date
    venue: Venue
    capacity: int
    reply_deadline: dt.date
    held: bool
    plenary_room: str
    keynote: Talk
    panel: Talk
    forums: tuple[ForumDef, ...]
    recommendations: tuple[RecDef, ...]
    invite_target: int
    notes: str = ""


def _recommendation(row: dict[str, Any]) -> RecDef:
    """``forum`` is the forum's number (1 = the first), null for the panel."""
    return RecDef(
        None if row["forum"] is None else row["forum"] - 1,
        dt.date.fromisoformat(row["due"]),
        RecommendationStatus(row["status"]),
        row["organisation"] or None,
        row["responsible_text"],
        row["text"],
        tuple(
            (dt.date.fromisoformat(u["date"]), RecommendationStatus(u["status"]), u["note"])
            for u in row["updates"]
        ),
    )


def _talk(row: dict[str, Any]) -> Talk:
    return Talk(row["title"], row["speakers"], tuple(row["persons"]))


CONFERENCES = tuple(
    ConferenceDef(
        year=row["year"],
        theme=row["theme"],
        date=dt.date.fromisoformat(row["date"]),
        venue=Venue(**row["venue"]),
        capacity=row["capacity"],
        reply_deadline=dt.date.fromisoformat(row["reply_deadline"]),
        held=row["held"],
        plenary_room=row["plenary_room"],
        keynote=_talk(row["keynote"]),
        panel=_talk(row["panel"]),
        forums=tuple(ForumDef(**forum) for forum in row["forums"]),
        recommendations=tuple(_recommendation(rec) for rec in row["recommendations"]),
        invite_target=row["invite_target"],
        notes=row["notes"],
    )
    for row in _CONFERENCES["conferences"]
)
ACCESSIBILITY: tuple[str, ...] = tuple(_CONFERENCES["accessibility"])
DIETS: tuple[str, ...] = tuple(d["diet"] for d in _CONFERENCES["diets"])
DIET_WEIGHTS: tuple[int, ...] = tuple(d["weight"] for d in _CONFERENCES["diets"])
INVITATION_NOTES: tuple[str, ...] = tuple(_CONFERENCES["invitation_notes"])
