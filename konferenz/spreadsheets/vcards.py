"""Reading vCard files (.vcf, versions 2.1, 3.0 and 4.0, as phones, Apple/iCloud, Android, Outlook and
Thunderbird write them) into the same :class:`Table` the spreadsheet reader returns, so the import's row
rules apply unchanged.

The text is split into cards here (``BEGIN:VCARD`` … ``END:VCARD``, with the line number of each), lines
that vCard 2.1 continues with a quoted-printable soft break ("=" at the end) are joined, and each card is
parsed with vobject (folded lines, quoted-printable, CHARSET parameters, Apple's ``item1.`` groups). A card
that cannot be parsed, is too large or has no END line is a :class:`SkippedRow` with a German reason; vobject's
own (English) messages never reach the user.

Each card becomes one :class:`DataRow` (``excel_row`` is the line of its ``BEGIN:VCARD``) with one synthesised
column per field a card of the file fills ("Nachname", "Vorname", "Organisation", "E-Mail", "Straße" …, see
``_COLUMNS``), so a saved profile (``known_headers``) can remap them like a spreadsheet's. Properties the import
does not take (birthday, fax, photo …) become columns without a field, so the summary names them as ignored.
The business address (TYPE=WORK, else the first untyped) and the private one (TYPE=HOME) fill the two address
blocks; the first e-mail and phone of each kind fill the fields, the others "Weitere E-Mail" / "Weitere
Telefonnummer" (joined by " ::: ", as Google writes several values). A card that names only an organisation
(no person's name, or Apple's ``X-ABShowAs:COMPANY``) gives an organisation row.
"""

from __future__ import annotations

import logging
import re
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from konferenz.errors import UserError
from konferenz.spreadsheets.cells import CellValue
from konferenz.spreadsheets.columns import Column, KnownHeaders, header_key
from konferenz.spreadsheets.table import DataRow, SkippedRow, Table
from konferenz.text import collapse_spaces

#: at most this many cards per file
MAX_CARDS = 100_000
#: at most this many characters per card (a card with a large photo is about 200,000)
MAX_CARD_CHARS = 5_000_000

#: the synthesised columns: header → field (None: shown as ignored)
_COLUMNS: dict[str, str | None] = {
    "Anrede": "gender",
    "Vorname": "first_name",
    "Weitere Vornamen": "middle_name",
    "Nachname": "last_name",
    "Anzeigename": "display_name",
    "Organisation": "organisation",
    "Abteilung": "department",
    "Funktion": "function",
    "E-Mail": "email",
    "Weitere E-Mail": "email_other",
    "Telefon": "phone",
    "Mobil": "mobile",
    "Telefon privat": "private_phone",
    "Weitere Telefonnummer": "phone_other",
    "Straße": "street",
    "Postfach": "po_box",
    "PLZ": "postal_code",
    "Ort": "city",
    "Land": "country",
    "Straße privat": "private_street",
    "Postfach privat": "private_po_box",
    "PLZ privat": "private_postal_code",
    "Ort privat": "private_city",
    "Land privat": "private_country",
    "Internetseite": "website",
    "Schlagwörter": "tags",
    "Notiz": "notes",
    "Namenszusatz (Suffix)": "notes",
    "Adresszusatz": "notes",
    "Ansprechperson": "notes",
    "Geburtstag": None,
    "Spitzname": None,
    "Fax": None,
    "Foto": None,
    "Jahrestag": None,
    "Geschlecht": None,
}
#: properties read into the columns above (or without content for the import)
_HANDLED = frozenset(
    {"N", "FN", "ORG", "TITLE", "ROLE", "EMAIL", "TEL", "ADR", "URL", "CATEGORIES", "NOTE", "BDAY"}
    | {"NICKNAME", "PHOTO", "ANNIVERSARY", "GENDER", "X-ABSHOWAS", "X-ABLABEL", "VERSION", "PRODID", "UID"}
    | {"REV", "LABEL", "X-ABUID", "X-ABADR", "SOURCE", "KIND", "LANG", "TZ", "GEO", "SORT-STRING", "MAILER"}
    | {"X-ANDROID-CUSTOM", "X-PHONETIC-FIRST-NAME", "X-PHONETIC-LAST-NAME", "X-PHONETIC-MIDDLE-NAME"}
    | {"CLIENTPIDMAP", "PRODUCT", "X-ABDATE", "X-ABRELATEDNAMES", "X-MS-OL-DEFAULT-POSTAL-ADDRESS"}
)

_BEGIN = re.compile(r"^\s*BEGIN\s*:\s*VCARD\s*$", re.IGNORECASE)
_END = re.compile(r"^\s*END\s*:\s*VCARD\s*$", re.IGNORECASE)
_QP = re.compile(r"^[^:]*QUOTED-PRINTABLE[^:]*:", re.IGNORECASE)
_APPLE_LABEL = re.compile(r"^_\$!<(.*)>!\$_$")


def looks_like_vcard(text: str) -> bool:
    """True when ``text`` starts like a vCard file."""
    return text.lstrip("\ufeff \t\r\n").upper().startswith("BEGIN:VCARD")


def _refuse(path: Path, reason: str) -> UserError:
    return UserError(f"„{path.name}“ kann nicht gelesen werden: {reason}")


def _cards(path: Path, text: str) -> Iterable[tuple[int, list[str] | None, str]]:
    """(line of BEGIN:VCARD, the card's lines or None, the German reason when None)."""
    lines: list[str] | None = None
    start = size = count = 0
    too_big = False
    no_end = "Visitenkarte ohne Ende (END:VCARD fehlt, Datei unvollständig?) – übersprungen."
    for number, line in enumerate(text.splitlines(), start=1):
        begins = _BEGIN.match(line) is not None
        if lines is not None and not begins:
            if _END.match(line):
                if too_big:
                    yield (
                        start,
                        None,
                        f"Visitenkarte größer als {MAX_CARD_CHARS // 1_000_000} MB – übersprungen.",
                    )
                else:
                    lines.append(line)
                    yield start, lines, ""
                lines = None
                continue
            if too_big:
                continue
            size += len(line)
            if size > MAX_CARD_CHARS:
                too_big, lines = True, []
                continue
            previous = lines[-1]
            if previous.endswith("=") and _QP.match(previous):
                # a quoted-printable soft line break continues the value on the next line
                lines[-1] = previous[:-1] + line.lstrip()
            elif line[:1] in (" ", "\t") and len(lines) > 1:
                lines[-1] = previous + line[1:]  # a folded line (RFC 6350 3.2)
            else:
                lines.append(line)
            continue
        if not begins:
            continue  # text between cards
        if lines is not None:
            yield start, None, no_end
        count += 1
        if count > MAX_CARDS:
            raise _refuse(
                path, f"mehr als {MAX_CARDS:_} Visitenkarten – bitte die Datei aufteilen.".replace("_", ".")
            )
        start, lines, size, too_big = number, [line], len(line), False
    if lines is not None:
        yield start, None, no_end


#: properties whose value vobject splits at commas itself (lists and structured values)
_COMMA_VALUES = frozenset(
    {"N", "ADR", "ORG", "CATEGORIES", "NICKNAME", "GEO", "PHOTO", "LOGO", "SOUND", "KEY"}
)
_UNESCAPED_COMMA = re.compile(r"(?<!\\),")


def _protect_commas(line: str) -> str:
    """The line with the commas of a single text value escaped: vobject keeps only the text before the
    first unescaped comma of such a value ("NOTE:eins, zwei" would become "eins"), and vCard 2.1 writers do
    not escape them."""
    quoted = False
    for i, ch in enumerate(line):
        if ch == '"':
            quoted = not quoted
        elif ch == ":" and not quoted:
            name = re.split(r"[;:]", line[:i], maxsplit=1)[0].rsplit(".", 1)[-1].strip().upper()
            if name in _COMMA_VALUES:
                return line
            return line[: i + 1] + _UNESCAPED_COMMA.sub(r"\\,", line[i + 1 :])
    return line


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return collapse_spaces(" ".join(_text(v) for v in value))
    if isinstance(value, bytes):
        return ""
    return str(value).strip()


def _types(prop: Any, labels: dict[str, str]) -> set[str]:
    """The upper-case types of a property: TYPE parameters, vCard 2.1's bare ones, Apple's label."""
    types: set[str] = set()
    for t in prop.params.get("TYPE", []):
        types.update(x.strip().upper() for x in str(t).split(","))
    types.update(str(t).upper() for t in prop.singletonparams)
    label = labels.get(prop.group or "", "")
    if label:
        m = _APPLE_LABEL.match(label)
        folded = (m.group(1) if m else label).casefold()
        if "mobil" in folded or "handy" in folded or "cell" in folded or "iphone" in folded:
            types.add("CELL")
        elif "home" in folded or "privat" in folded:
            types.add("HOME")
        elif "work" in folded or "arbeit" in folded or "dienst" in folded or "büro" in folded:
            types.add("WORK")
        elif "fax" in folded:
            types.add("FAX")
    return types


def _card_values(card: Any) -> dict[str, list[str]]:
    """The card's values per synthesised column (several for the list columns)."""
    out: dict[str, list[str]] = {}

    def put(header: str, text: str) -> None:
        text = text.strip()
        if text:
            out.setdefault(header, []).append(text)

    labels = {
        prop.group: _text(prop.value)
        for prop in card.getChildren()
        if prop.name.upper() == "X-ABLABEL" and prop.group
    }
    props: dict[str, list[Any]] = {}
    for prop in card.getChildren():
        props.setdefault(prop.name.upper(), []).append(prop)

    company = any(_text(p.value).upper() == "COMPANY" for p in props.get("X-ABSHOWAS", []))
    kind = _text(props["KIND"][0].value).casefold() if "KIND" in props else ""
    company = company or kind == "org"
    person: list[str] = []
    for prop in props.get("N", [])[:1]:
        n = prop.value
        if isinstance(n, str):
            parts = (n.split(";") + [""] * 5)[:5]
            family, given, additional, prefix, suffix = parts
        else:
            family, given, additional, prefix, suffix = (
                _text(n.family),
                _text(n.given),
                _text(n.additional),
                _text(n.prefix),
                _text(n.suffix),
            )
        person = [p for p in (prefix, given, additional, family) if p]
        if not company:
            put("Anrede", prefix)
            put("Vorname", given)
            put("Weitere Vornamen", additional)
            put("Nachname", family)
            put("Namenszusatz (Suffix)", suffix)
    orgs = [p.value for p in props.get("ORG", [])[:1]]
    org_name = ""
    for org in orgs:
        parts_o = [_text(x) for x in (org if isinstance(org, list | tuple) else str(org).split(";"))]
        parts_o = [x for x in parts_o if x]
        if parts_o:
            org_name = parts_o[0]
            put("Organisation", org_name)
            put("Abteilung", ", ".join(parts_o[1:]))
    full_name = _text(props["FN"][0].value) if "FN" in props else ""
    if company:
        if person:
            put("Ansprechperson", " ".join(person))
        if not org_name:
            put("Organisation", full_name)
    elif not person and full_name and full_name.casefold() != org_name.casefold():
        put("Anzeigename", full_name)
    titles = [_text(p.value) for p in props.get("TITLE", [])] or [
        _text(p.value) for p in props.get("ROLE", [])
    ]
    put("Funktion", titles[0] if titles else "")

    emails = sorted(props.get("EMAIL", []), key=lambda p: "PREF" not in _types(p, labels))
    for i, prop in enumerate(emails):
        put("E-Mail" if i == 0 else "Weitere E-Mail", _text(prop.value))
    phones = sorted(props.get("TEL", []), key=lambda p: "PREF" not in _types(p, labels))
    for prop in phones:
        number = re.sub(r"^tel:", "", _text(prop.value), flags=re.IGNORECASE)
        types = _types(prop, labels)
        if "FAX" in types:
            put("Fax", number)
            continue
        if "CELL" in types or "MOBILE" in types:
            header = "Mobil"
        elif "HOME" in types:
            header = "Telefon privat"
        else:
            header = "Telefon"
        put(header if header not in out else "Weitere Telefonnummer", number)

    addresses = props.get("ADR", [])
    work = [a for a in addresses if "HOME" not in _types(a, labels)]
    home = [a for a in addresses if "HOME" in _types(a, labels)]
    for block, suffix in ((work, ""), (home, " privat")):
        if not block:
            continue
        adr = block[0].value
        if isinstance(adr, str):
            box, extended, street, city, _region, code, country = (adr.split(";") + [""] * 7)[:7]
        else:
            box, extended, street, city, code, country = (
                _text(adr.box),
                _text(adr.extended),
                _text(adr.street),
                _text(adr.city),
                _text(adr.code),
                _text(adr.country),
            )
        put("Straße" + suffix, street)
        put("Postfach" + suffix, box)
        put("PLZ" + suffix, code)
        put("Ort" + suffix, city)
        put("Land" + suffix, country)
        put("Adresszusatz", extended)
    for extra in (*work[1:], *home[1:]):
        put("Notiz", "Weitere Adresse: " + _text(extra.value).replace("\n", ", "))

    urls = props.get("URL", [])
    put("Internetseite", _text(urls[0].value) if urls else "")
    for prop in props.get("CATEGORIES", []):
        value = prop.value
        put("Schlagwörter", ", ".join(_text(v) for v in value) if isinstance(value, list) else _text(value))
    for prop in props.get("NOTE", []):
        value = prop.value
        if isinstance(value, str) and value.strip():
            out.setdefault("Notiz", []).append(value.replace("\r\n", "\n").strip())
    put("Geburtstag", _text(props["BDAY"][0].value) if "BDAY" in props else "")
    put("Jahrestag", _text(props["ANNIVERSARY"][0].value) if "ANNIVERSARY" in props else "")
    put("Spitzname", _text(props["NICKNAME"][0].value) if "NICKNAME" in props else "")
    put("Geschlecht", _text(props["GENDER"][0].value) if "GENDER" in props else "")
    if "PHOTO" in props:
        put("Foto", "(Bild)")
    for name, found in props.items():
        if name not in _HANDLED and not name.startswith("X-ABLABEL"):
            for prop in found:
                text = _text(prop.value)
                if text:
                    out.setdefault(f"vCard: {name}", []).append(text)
    return out


def _parse_card(lines: list[str], *, lenient: bool) -> Any:
    """The card parsed by vobject; ``lenient`` leaves out lines it cannot read. vobject's log output and
    warnings are silenced (they are English and go to stderr)."""
    import vobject  # type: ignore[import-untyped]  # (vobject ships no type hints)

    loggers = [logging.getLogger(name) for name in ("vobject", "vobject.base")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL + 1)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            text = "\r\n".join(_protect_commas(line) for line in lines) + "\r\n"
            return vobject.readOne(text, ignoreUnreadable=lenient)
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def read_vcard_table(path: Path, text: str, *, known_headers: KnownHeaders | None = None) -> Table:
    """The cards of a vCard file as a table (see module docstring); ``text`` is the decoded file.

    Raises ``UserError`` when the file holds no card or too many; a damaged card is a skipped row.
    """
    rows_values: list[tuple[int, dict[str, list[str]], tuple[str, ...]]] = []
    skipped: list[SkippedRow] = []
    for start, lines, reason in _cards(path, text.lstrip("\ufeff")):
        if lines is None:
            skipped.append(SkippedRow(start, reason))
            continue
        notes: tuple[str, ...] = ()
        try:
            try:
                card = _parse_card(lines, lenient=False)
            except Exception:
                card = _parse_card(lines, lenient=True)
                notes = ("Eine Zeile der Visitenkarte war nicht lesbar und wurde ausgelassen.",)
            values = _card_values(card)
        except Exception as exc:
            line = getattr(exc, "lineNumber", None)
            where = f" (Zeile {start + int(line) - 1})" if isinstance(line, int) and line > 0 else ""
            skipped.append(SkippedRow(start, f"Visitenkarte ist beschädigt{where} – übersprungen."))
            continue
        if not values:
            skipped.append(SkippedRow(start, "Visitenkarte ohne Inhalt – übersprungen."))
            continue
        rows_values.append((start, values, notes))
    if not rows_values and not skipped:
        raise _refuse(path, "keine Visitenkarte (BEGIN:VCARD … END:VCARD) gefunden.")
    if not rows_values:
        first = skipped[0]
        more = f" (und {len(skipped) - 1} weitere)" if len(skipped) > 1 else ""
        raise _refuse(path, f"keine lesbare Visitenkarte – Zeile {first.excel_row}: {first.reason}{more}")
    present = {h for _, v, _n in rows_values for h in v}
    headers = [h for h in _COLUMNS if h in present] + sorted(h for h in present if h not in _COLUMNS)
    known = {header_key(h): f for h, f in (known_headers or {}).items()}
    columns = [
        Column(i, h, known[header_key(h)] if header_key(h) in known else _COLUMNS.get(h))
        for i, h in enumerate(headers)
    ]
    rows: list[DataRow] = []
    for start, values, row_notes in rows_values:
        cells: list[CellValue] = []
        for h in headers:
            found = values.get(h, [])
            if not found:
                cells.append(None)
            elif _COLUMNS.get(h) in ("email_other", "phone_other"):
                cells.append(" ::: ".join(found))
            else:
                cells.append("\n".join(found))
        rows.append(DataRow(start, cells, notes=row_notes))
    return Table(path, "vcard", None, [], 0, columns, rows, skipped)
