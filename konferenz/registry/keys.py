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
- similarity: ``difflib.SequenceMatcher`` ratio of the Latin full names, candidate from ``NEAR_THRESHOLD``.

Organisations: ``organisation_key`` (folded name and department, punctuation as space) and
``organisation_name_key`` (the name alone without spaces, the key under which an import finds an
organisation).
"""

from __future__ import annotations

import difflib
import functools
import re
from dataclasses import dataclass

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


def organisation_key(name: str, department: str = "") -> str:
    """Folded name and department, punctuation as space."""
    return as_words(fold(f"{name} {department}"))


@functools.lru_cache(maxsize=65536)
def organisation_name_key(name: str) -> str:
    """``organisation_key`` of the name alone without its spaces: the key under which an import finds an
    organisation ("AWO Kreisverband" = "AWO-Kreisverband" = "AWOKreisverband")."""
    return organisation_key(name).replace(" ", "")
