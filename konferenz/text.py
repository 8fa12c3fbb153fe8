"""Text normalisation shared by search, duplicate detection and import.

``fold()`` maps a text to a search key in which the usual spellings of one name meet: case, accents and
diacritics are dropped, German umlauts and their two-letter spellings become the bare vowel (ö, oe → o),
ß becomes ss, and letters without a decomposition (Turkish ı, Vietnamese đ, Polish ł …) get their Latin
base letter. So "Öztürk", "Oeztuerk" and "Ozturk" all fold to "ozturk". Scripts other than Latin are kept
(case-folded), so a Cyrillic name is found by typing Cyrillic.
"""

from __future__ import annotations

import re
import unicodedata

_SPECIAL = str.maketrans(
    {
        "ß": "ss",
        "ẞ": "ss",
        "ı": "i",
        "đ": "d",
        "Đ": "d",
        "ł": "l",
        "Ł": "l",
        "ø": "o",
        "Ø": "o",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "þ": "th",
        "ð": "d",
        "ħ": "h",
        "ŀ": "l",
    }
)
_UMLAUT = str.maketrans({"ä": "a", "ö": "o", "ü": "u"})
_SPACES = re.compile(r"\s+")


def collapse_spaces(text: str) -> str:
    """Trim and collapse runs of white space (including non-breaking spaces) to one space."""
    return _SPACES.sub(" ", text.replace("\u00a0", " ")).strip()


def fold(text: str) -> str:
    """The search key of ``text`` (see module docstring)."""
    text = unicodedata.normalize("NFC", text).casefold()
    text = text.translate(_UMLAUT).translate(_SPECIAL)
    # the two-letter umlaut spellings: ae → a, oe → o, ue → u
    text = text.replace("ae", "a").replace("oe", "o").replace("ue", "u")
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return collapse_spaces(unicodedata.normalize("NFC", stripped))


def search_text(*parts: str | None) -> str:
    """The stored search key of a record: its searchable fields folded into one line."""
    return fold(" ".join(p for p in parts if p))
