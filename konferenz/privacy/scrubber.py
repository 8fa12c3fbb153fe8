"""The person's full name and e-mail addresses in free text, found in every usual spelling and replaced by
"[anonymisiert]" (``Scrubber``); the erasure (``konferenz.privacy.erasure``) runs it over other records.

Rule for the reversed form followed by a capitalised word: it is the person ("Müller, Anna Vorsitzende",
"Rückfragen an Müller, Anna Telefon 123": German nouns are capitalised) unless it reads as a list of names,
which stays: the first name and the next one or two words are the full name of another registered person
("Öztürk, Ayşe Demir" with Ayşe Demir registered), or a capitalised word stands right before the last name
("Frau Öztürk, Ayşe Demir", "Maria Berg, Anna Bergmann"). A noun there ("Grußwort Müller, Anna
Vorsitzende") is taken for a list too: the rare case left behind.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import QueryableAttribute

from konferenz.text import fold

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
