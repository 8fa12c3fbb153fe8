"""The name keys duplicate persons and organisations are matched by, and the rules that compare them: pure
functions of the text, no database.

Persons:

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
- similarity: ``rapidfuzz.fuzz.ratio`` (normalised Indel similarity, 0…1) of the Latin full names, a near
  match from ``NEAR_THRESHOLD``.
- ``address_key``: the street (``Str.`` = ``Straße``, spacing ignored) and the place (the PLZ, else the folded
  city) of a postal address.

Organisations: ``organisation_key`` (folded name and department, punctuation as space),
``organisation_name_key`` (the name alone without spaces and without its legal form — e.V., gGmbH, GmbH,
gUG …: the key under which an import finds an organisation and Dubletten suchen groups them) and
``website_key`` (the host without ``www.`` and scheme).

How the keys weigh as evidence of a duplicate is ``konferenz.registry.evidence``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from konferenz.text import collapse_spaces, fold

NEAR_THRESHOLD = 0.85


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
    return latin_of_folded(fold(text))


def latin_of_folded(folded: str) -> str:
    return folded if folded.isascii() else fold(folded.translate(_CYRILLIC))


def as_words(text: str) -> str:
    return collapse_spaces(_NON_WORD.sub(" ", text))


def email_key(email: str) -> str:
    """The address without white space, case-folded ("" when empty)."""
    return "".join(email.split()).casefold()


@functools.lru_cache(maxsize=65536)
def _part_key(part: str) -> str:
    return as_words(fold(part))


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
    return as_words(to_latin(f"{first} {prefix} {last}"))


def latin_key(first: str, prefix: str, last: str) -> str:
    """``name_key`` with other scripts transliterated to Latin."""
    return _latin_of_name_key(name_key(first, prefix, last), first, prefix, last)


def name_keys(first: str, prefix: str, last: str) -> tuple[str, str]:
    """(``name_key``, ``latin_key``) of a name, the second computed from the first."""
    name = name_key(first, prefix, last)
    return name, _latin_of_name_key(name, first, prefix, last)


def skeleton(word: str) -> str:
    for a, b in _LOOSE_PAIRS:
        word = word.replace(a, b)
    if not word:
        return ""
    out = word[0] + "".join(c for c in word[1:] if c not in _VOWELS)
    return _DOUBLES.sub(r"\1", out)


def strip_article(tokens: list[str]) -> list[str]:
    kept = [t for t in tokens if t not in _ARTICLES] or tokens
    if len(kept) == 1:
        word = kept[0]
        if len(word) >= 5 and word[:2] in _ARTICLES and word[2] not in _VOWELS:
            return [word[2:]]
    return kept


def last_name_stem(prefix: str, last: str) -> str:
    """The Latin last name without particle or article and without spaces ("Al-Hassan" → "hassan")."""
    return "".join(strip_article(as_words(to_latin(f"{prefix} {last}")).split()))


def loose_key(first: str, prefix: str, last: str) -> str:
    """The key in which transliteration variants meet (see module docstring)."""
    firsts = " ".join(skeleton(w) for w in as_words(to_latin(first)).split())
    return f"{firsts}|{skeleton(last_name_stem(prefix, last))}"


def similarity(a: str, b: str) -> float:
    """Similarity 0…1 of two Latin names (``rapidfuzz.fuzz.ratio``, normalised Indel distance)."""
    if a == b:
        return 1.0
    return fuzz.ratio(a, b, score_cutoff=NEAR_THRESHOLD * 100) / 100


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


def organisation_key(name: str, department: str = "") -> str:
    """Folded name and department, punctuation as space."""
    return as_words(fold(f"{name} {department}"))


@functools.lru_cache(maxsize=65536)
def organisation_name_key(name: str) -> str:
    """``organisation_key`` of the name alone without its spaces: the key under which an import finds an
    organisation ("AWO Kreisverband" = "AWO-Kreisverband" = "AWOKreisverband")."""
    words = f" {organisation_key(name)} "
    for form in _LEGAL_FORMS:
        words = words.replace(form, " ")
    return words.replace(" ", "") or organisation_key(name).replace(" ", "")


#: legal forms as ``organisation_key`` spells them (spaces around), longest first
_LEGAL_FORMS = tuple(
    f" {f} "
    for f in (
        "g gmbh",
        "ggmbh",
        "gmbh co kg",
        "gmbh",
        "g ug",
        "gug",
        "ug haftungsbeschrankt",
        "ug",
        "e v",
        "ev",
        "e g",
        "eg",
        "g ag",
        "gag",
        "ag",
        "kdor",
        "mbh",
        "gbr",
    )
)


def website_key(url: str) -> str:
    """The host and path of a web address without scheme, ``www.`` and trailing slash, case-folded."""
    text = "".join(url.split()).casefold()
    text = re.sub(r"^[a-z]+://", "", text)
    text = text.removeprefix("www.")
    return text.rstrip("/")


_STREET = re.compile(r"(?<=[a-z])(?:str|strasse)(?= |$)")


@functools.lru_cache(maxsize=65536)
def street_key(street: str) -> str:
    """The folded street without spaces, "Str." = "Straße" ("Burloer Str. 93" = "Burloer Straße 93")."""
    words = as_words(fold(street))
    words = re.sub(r"\bstr\b", "strasse", words)
    return _STREET.sub("strasse", words).replace(" ", "")


def address_key(street: str, po_box: str, postal_code: str, city: str) -> tuple[str, str]:
    """(street or Postfach, place) of a postal address; the place is the PLZ, else the folded city."""
    place = "".join(postal_code.split()) or as_words(fold(city))
    where = (
        street_key(street)
        if street.strip()
        else ("postfach" + "".join(po_box.split()) if po_box.strip() else "")
    )
    return where, place
