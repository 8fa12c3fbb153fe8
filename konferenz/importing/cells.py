"""The import's rules for the text of one cell: the salutation (``Anrede``), a whole name split into its
parts, ``PLZ / Ort``, e-mail cells, names that are an organisation's; and the small text helpers the other
modules of the import share. Pure functions, no database.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Literal

from konferenz.enums import Gender
from konferenz.registry import validation
from konferenz.spreadsheets.columns import header_key
from konferenz.text import collapse_spaces, fold

_MALE = frozenset({"herr", "herrn", "hr", "hrn", "mr", "m", "mannlich", "male", "mann", "sir"})
_FEMALE = frozenset({"frau", "fr", "frl", "fraulein", "ms", "mrs", "miss", "w", "weiblich", "female", "f"})
_DIVERSE = frozenset({"divers", "diverse", "d", "mx", "x", "nichtbinar", "inter"})
_UNKNOWN = frozenset(
    {"", "keine angabe", "k a", "ka", "unbekannt", "ohne", "ohne angabe", "n a", "na", "none"}
    | {"nicht angegeben", "unspecified"}
)
_POLITE = frozenset(
    {"sehr", "geehrte", "geehrter", "liebe", "lieber", "an", "z", "hd", "zhd", "zu", "handen"}
)
_SALUTATION_WORD = re.compile(r"^(herrn?|hr\.?|frau|fr\.?)\s+", re.IGNORECASE)
_TITLE_TOKEN = re.compile(
    r"^(prof\.?|professor(in)?|dr\.?(-ing\.?)?|pd|apl\.|dipl\.-[\w]+\.?|mag\.|med\.|phil\.|jur\.|rer\.|nat\.|"
    r"pol\.|oec\.|theol\.|paed\.|h\.\s?c\.|habil\.|em\.|m\.\s?a\.|b\.\s?a\.|mba|llm|ll\.m\.)$",
    re.IGNORECASE,
)
#: lower-case words that belong to the last name when a full name is split
_PARTICLES = frozenset(
    {
        "von",
        "van",
        "de",
        "der",
        "den",
        "del",
        "della",
        "di",
        "da",
        "du",
        "la",
        "le",
        "zu",
        "zur",
        "vom",
        "zum",
    }
    | {"ten", "ter", "dos", "das", "do", "bin", "ibn", "al", "el", "mac", "vander"}
)


POSTAL_CITY = re.compile(r"^(?:(?:D|DE)\s*-\s*)?(\d{4,5})\s+(\S.*)$", re.IGNORECASE)


_EMAIL_SPLIT = re.compile(r"[;,\s]+")
_ANGLE = re.compile(r"<([^<>]+@[^<>]+)>")
_MAILTO = re.compile(r"^mailto:\s*", re.IGNORECASE)


#: words that mark a "name" as an organisation ("Caritasverband Bocholt e. V.")
_ORG_WORDS = frozenset(
    {"ev", "gmbh", "ggmbh", "ag", "kg", "ug", "stiftung", "verein", "verband", "moschee", "kita", "schule"}
    | {"gemeinde", "stadt", "kreis", "landkreis", "caritas", "diakonie", "awo", "drk", "jobcenter", "zentrum"}
    | {"integrationsrat", "volkshochschule", "vhs", "bildungswerk", "kirchengemeinde", "arbeitskreis", "buro"}
    | {
        "initiative",
        "netzwerk",
        "forum",
        "beratungsstelle",
        "fraktion",
        "partei",
        "rathaus",
        "amt",
        "kreistag",
    }
)
_ORG_ENDINGS = ("verein", "verband", "schule", "zentrum", "gemeinde", "stiftung", "werk", "dienst", "amt")


@dataclass(frozen=True)
class Salutation:
    gender: Gender
    title: str = ""
    recognised: bool = True


@functools.lru_cache(maxsize=4096)
def parse_salutation(text: str) -> Salutation:
    """The gender (and a title written with it) of an ``Anrede`` cell."""
    text = collapse_spaces(text)
    folded = " ".join(re.findall(r"\w+", fold(text)))
    if folded in _UNKNOWN or text in ("-", "?", "/"):
        return Salutation(Gender.UNKNOWN)
    genders: list[Gender] = []
    titles: list[str] = []
    unknown_words = 0
    for raw in text.replace("/", " / ").split():
        word = " ".join(re.findall(r"\w+", fold(raw)))
        if not word:
            continue
        if _TITLE_TOKEN.match(raw) or _TITLE_TOKEN.match(raw + "."):
            titles.append(raw if raw.endswith(".") or raw.casefold() in ("pd", "mba", "llm") else raw + ".")
        elif word in _MALE:
            genders.append(Gender.MALE)
        elif word in _FEMALE:
            genders.append(Gender.FEMALE)
        elif word in _DIVERSE:
            genders.append(Gender.DIVERSE)
        elif word in _POLITE or word in ("und", "u"):
            continue
        else:
            unknown_words += 1
    title = " ".join(titles)
    if len(set(genders)) == 1 and not unknown_words:
        return Salutation(genders[0], title)
    if not genders and not unknown_words and title:
        return Salutation(Gender.UNKNOWN, title)  # "Dr." alone (Outlook's "Anrede", vCard's name prefix)
    return Salutation(Gender.UNKNOWN, title, recognised=False)


def _take_titles(words: list[str]) -> tuple[list[str], list[str]]:
    """(titles, rest): the academic titles at the start of ``words``."""
    titles: list[str] = []
    i = 0
    while i < len(words) and len(words) - i > 1 and _TITLE_TOKEN.match(words[i]):
        titles.append(words[i])
        i += 1
    return titles, words[i:]


@dataclass(frozen=True)
class NameParts:
    first_name: str = ""
    last_name: str = ""
    title: str = ""
    gender: Gender | None = None


def split_name(text: str, order: Literal["first_last", "last_first"] = "first_last") -> NameParts:
    """A whole name split into its parts.

    A comma always separates last and first name ("Müller, Anna"); otherwise ``order`` decides, and
    lower-case particles ("von", "van der", "al") stay with the last name. A salutation word in front
    ("Frau", "Herrn") gives the gender, academic titles ("Prof. Dr.") the title.
    """
    text = collapse_spaces(text)
    gender: Gender | None = None
    m = _SALUTATION_WORD.match(text)
    if m and len(text) > m.end():
        gender = parse_salutation(m.group(1)).gender
        text = text[m.end() :]
    if "," in text:
        last_part, first_part = (collapse_spaces(p) for p in text.split(",", 1))
        t1, last_words = _take_titles(last_part.split())
        t2, first_words = _take_titles(first_part.split())
        if not last_words:
            last_words, first_words = first_words, []
        return NameParts(" ".join(first_words), " ".join(last_words), " ".join(t1 + t2), gender)
    titles, words = _take_titles(text.split())
    if not words:
        return NameParts("", "", " ".join(titles), gender)
    if len(words) == 1:
        return NameParts("", words[0], " ".join(titles), gender)
    if order == "last_first":
        i = 0
        while i < len(words) - 1 and words[i] in _PARTICLES:
            i += 1
        last = words[: i + 1]
        first = words[i + 1 :]
        if not first:
            return NameParts("", " ".join(last), " ".join(titles), gender)
        return NameParts(" ".join(first), " ".join(last), " ".join(titles), gender)
    cut = len(words) - 1
    for i in range(1, len(words) - 1):
        if words[i] in _PARTICLES:
            cut = i
            break
    return NameParts(" ".join(words[:cut]), " ".join(words[cut:]), " ".join(titles), gender)


def move_titles(name: str, title: str) -> tuple[str, str, list[str]]:
    """(name, title, moved): academic titles at the start of a first name ("Dr. Anna") taken out of it; those
    the title does not hold yet are added to it, so a title is never stored twice."""
    words = name.split()
    titles, rest = _take_titles(words)
    if not titles:
        return name, title, []
    have = {fold(t).rstrip(".") for t in title.split()}
    moved = {fold(t).rstrip(".") for t in titles}
    if have <= moved:  # the name holds every title already there: its order wins ("Prof. Dr.")
        return " ".join(rest), " ".join(titles), titles
    added = [t for t in titles if fold(t).rstrip(".") not in have]
    return " ".join(rest), " ".join([*title.split(), *added]), titles


def split_postal_city(text: str) -> tuple[str, str]:
    """("46325", "Borken") from "46325 Borken" (also "D-46325 Borken"); a text without PLZ is the city."""
    text = collapse_spaces(text)
    m = POSTAL_CITY.match(text)
    if m:
        return m.group(1), m.group(2)
    if text.isdigit():
        return text, ""
    return "", text


def looks_like_organisation(text: str) -> bool:
    """True for a "name" that is an organisation's ("Caritasverband Bocholt e. V.", "Stadt Rhede")."""
    folded = fold(text)
    if re.search(r"\be\.?\s?v\b", folded):
        return True
    words = re.findall(r"\w+", folded)
    return any(w in _ORG_WORDS or (len(w) > 8 and w.endswith(_ORG_ENDINGS)) for w in words)


@dataclass(frozen=True)
class EmailParts:
    email: str
    #: further addresses found in the cell
    others: tuple[str, ...] = ()
    #: the cell when it holds no valid address
    invalid: str = ""


def clean_email(text: str) -> EmailParts:
    """The address of an e-mail cell (the e-mail rule in ``konferenz.importing.rows``)."""
    raw = collapse_spaces(text)
    if not raw:
        return EmailParts("")
    candidate = raw
    m = _ANGLE.search(candidate)
    if m:
        candidate = m.group(1)
    candidate = _MAILTO.sub("", candidate).strip(" .;,:<>()[]\"'")
    if validation.is_valid_email(candidate):
        return EmailParts(candidate)
    compact = "".join(candidate.split())
    if validation.is_valid_email(compact):
        return EmailParts(compact)
    parts = [p.strip(" .<>()[]\"'") for p in _EMAIL_SPLIT.split(candidate)]
    parts = [_MAILTO.sub("", p) for p in parts if p]
    valid = [p for p in parts if validation.is_valid_email(p)]
    if valid:
        return EmailParts(valid[0], tuple(valid[1:]))
    return EmailParts("", invalid=raw)


def append_note(existing: str, addition: str) -> str:
    """``existing`` with ``addition`` appended, unless it is already there."""
    if not addition:
        return existing
    if not existing:
        return addition
    if addition in existing:
        return existing
    return f"{existing}\n{addition}"


@functools.lru_cache(maxsize=65536)
def cached_header_key(text: str) -> str:
    return header_key(text)


def shortened(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
