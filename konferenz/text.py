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


#: Latin spelling for names in addresses and file names: German umlauts spelled out, Cyrillic
#: (Russian and Ukrainian) transliterated, letters without a decomposition given their base letter
_ASCII = str.maketrans(
    {
        "ä": "ae",
        "ö": "oe",
        "ü": "ue",
        "ß": "ss",
        "ı": "i",
        "ł": "l",
        "đ": "d",
        "ø": "o",
        "æ": "ae",
        "ъ": "",
        "ь": "",
        **dict(
            zip(
                "абвгґдеєёжзиіїйклмнопрстуфхцчшщыэюя",
                [
                    "a",
                    "b",
                    "v",
                    "g",
                    "g",
                    "d",
                    "e",
                    "ye",
                    "e",
                    "zh",
                    "z",
                    "i",
                    "i",
                    "yi",
                    "y",
                    "k",
                    "l",
                    "m",
                    "n",
                    "o",
                    "p",
                    "r",
                    "s",
                    "t",
                    "u",
                    "f",
                    "kh",
                    "ts",
                    "ch",
                    "sh",
                    "shch",
                    "y",
                    "e",
                    "yu",
                    "ya",
                ],
                strict=True,
            )
        ),
    }
)


def ascii_name(text: str) -> str:
    """``text`` as written in an e-mail address or a file name: lower case, umlauts spelled out, Cyrillic
    transliterated, diacritics dropped, spaces as hyphens (``Öztürk`` → ``oeztuerk``, ``Ольга`` →
    ``olga``, ``Thị Lan`` → ``thi-lan``). Other scripts (Arabic …) are dropped."""
    text = unicodedata.normalize("NFC", text).casefold().translate(_ASCII)
    out = []
    for ch in unicodedata.normalize("NFKD", text):
        if unicodedata.combining(ch):
            continue
        if ch.isascii() and (ch.isalnum() or ch in ".-"):
            out.append(ch)
        elif ch in " _":
            out.append("-")
    return "".join(out).strip("-.")


def isolate(text: str) -> str:
    """``text`` as a separate direction run (Unicode FSI … PDI): an Arabic or Hebrew name in a German
    sentence or list keeps its place ("1. العلي, خالد, 2. Schmitz" instead of a jumbled order)."""
    return f"\u2068{text}\u2069" if text else text


def left_to_right(text: str) -> str:
    """``text`` as a left-to-right paragraph whatever its first letter (a LEFT-TO-RIGHT MARK before it): Qt
    lays out a word-wrapped or selectable label as a document, which takes its direction from the first
    strong letter and does not skip an isolated name – "عمر العلي <omar@…>" came out right-aligned and
    reversed."""
    return f"\u200e{text}" if text else text


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


def file_size(size: int) -> str:
    """A size as staff read it: "340 KB" below a megabyte, else "1,5 MB" (German decimal comma)."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / 1024 / 1024:.1f}".replace(".", ",") + " MB"
