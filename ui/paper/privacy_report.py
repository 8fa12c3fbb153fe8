"""The readable access report (Auskunft nach Art. 15 DSGVO) of one person, as a PDF.

It paints what ``konferenz.privacy.access.export_person`` returns (the same data as the JSON file, so the two
cannot disagree): the person's fields as German label/value rows, roles, invitations per conference year
with status, consents (purpose, date, channel, text version, withdrawal), the consent to be named on the
participant list, parts in the programme, and the change history (time, user, field, old → new). A4
portrait with the layout of the programme and minutes (the flowing document of ``ui.paper.flow``: page
breaks between lines, a running head on follow-up pages, "Seite N von M").
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtGui import QPagedPaintDevice

from konferenz.enums import Channel, Gender, LegalBasis, label
from konferenz.errors import UserError
from konferenz.names import record_name
from ui.paper.canvas import make_font, pdf_bytes
from ui.paper.flow import GRAY, Flow, paint_flow, paint_on_device, wrap_text

TITLE = "Auskunft nach Art. 15 DSGVO"

#: the person's fields in reading order with their German labels (others follow under their key)
PERSON_FIELDS: tuple[tuple[str, str], ...] = (
    ("id", "ID"),
    ("gender", "Geschlecht"),
    ("title", "Titel"),
    ("first_name", "Vorname"),
    ("name_prefix", "Namenszusatz"),
    ("last_name", "Nachname"),
    ("custom_salutation", "Briefanrede"),
    ("function", "Funktion"),
    ("street", "Straße"),
    ("po_box", "Postfach"),
    ("postal_code", "PLZ"),
    ("city", "Ort"),
    ("country", "Land"),
    ("email", "E-Mail"),
    ("phone", "Telefon"),
    ("mobile", "Mobiltelefon"),
    ("kategorie", "Kategorie"),
    ("kommune", "Kommune"),
    ("schlagworte", "Schlagworte"),
    ("notes", "Notizen"),
    ("legal_basis", "Rechtsgrundlage"),
    ("created_at", "Erfasst am"),
    ("updated_at", "Zuletzt geändert"),
    ("anonymised_at", "Anonymisiert am"),
)
#: bookkeeping and derived columns (in the JSON file, not in the readable report)
HIDDEN_FIELDS = frozenset(
    {"search_text", "sort_name", "version", "import_batch_id", "category_id", "municipality_id"}
)
ENUMS: dict[str, type[Any]] = {"gender": Gender, "legal_basis": LegalBasis}


# --- values ---------------------------------------------------------------------------------------------


def german(value: Any) -> str:
    """A JSON value as the user reads it: dates TT.MM.JJJJ, lists joined, booleans ja/nein."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, list):
        return ", ".join(german(v) for v in value)
    text = str(value)
    if len(text) >= 10 and text[:4].isdigit() and text[4:5] == "-" and text[7:8] == "-":
        try:
            if len(text) == 10:
                return dt.date.fromisoformat(text).strftime("%d.%m.%Y")
            return dt.datetime.fromisoformat(text).strftime("%d.%m.%Y %H:%M")
        except ValueError:
            return text
    return text


def _enum_label(enum_type: type[Any], raw: Any) -> str:
    try:
        return label(enum_type(raw))
    except (ValueError, KeyError):
        return german(raw)


def channel(raw: Any) -> str:
    return _enum_label(Channel, raw) if raw else ""


def person_rows(person: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(label, value) of every field that holds something; empty fields are left out."""
    rows: list[tuple[str, str]] = []
    known = {key for key, _label in PERSON_FIELDS}
    for key, caption in PERSON_FIELDS:
        raw = person.get(key)
        value = _enum_label(ENUMS[key], raw) if key in ENUMS and raw else german(raw)
        if value:
            rows.append((caption, value))
    for key, raw in person.items():
        if key not in known and key not in HIDDEN_FIELDS and german(raw):
            rows.append((key, german(raw)))
    return rows


def person_name(person: Mapping[str, Any]) -> str:
    return record_name(
        person.get("title"),
        person.get("first_name"),
        person.get("name_prefix"),
        person.get("last_name"),
        person.get("id"),
    )


def list_consent(consents: Sequence[Mapping[str, Any]]) -> str:
    """What the person said about being named on the participant list (the newest record counts)."""
    records = sorted(
        (c for c in consents if c.get("purpose") == "participant_list"), key=lambda c: str(c.get("given_on"))
    )
    if not records:
        return "nicht erteilt"
    last = records[-1]
    if last.get("withdrawn_on"):
        return f"erteilt am {german(last.get('given_on'))}, widerrufen am {german(last.get('withdrawn_on'))}"
    return f"erteilt am {german(last.get('given_on'))}"


# --- layout ---------------------------------------------------------------------------------------------


def _entry(flow: Flow, title: str, details: Sequence[str]) -> None:
    """A bold first line and grey detail lines, kept together when they fit on a page."""
    c, page = flow.canvas, flow.page
    title_font = make_font(10, bold=True)
    detail_font = make_font(9)
    title_lines = wrap_text(c, title, title_font, page.text_width)
    detail_lines = [line for d in details if d for line in wrap_text(c, d, detail_font, page.text_width - 4)]
    height = flow.block_height(title_lines, title_font) + flow.block_height(detail_lines, detail_font)
    if height < 60:
        flow.room(height)
    flow.lines(page.left, title_lines, title_font)
    flow.lines(page.left + 4.0, detail_lines, detail_font, color=GRAY)
    flow.y += 1.8


def _empty(flow: Flow, text: str) -> None:
    flow.text_line(text, make_font(9.5), color=GRAY)


def _joined(*parts: str) -> str:
    return " · ".join(p for p in parts if p)


def _paint(flow: Flow, export: Mapping[str, Any]) -> None:
    person: Mapping[str, Any] = export.get("person") or {}
    line_font = make_font(10.5)
    flow.title(TITLE, person_name(person))
    flow.y += 1.0
    intro = (
        f"Stand: {german(export.get('erstellt'))}. Diese Auskunft enthält alle Daten, die das Programm "
        "„Konferenz“ des Kreises Borken zu dieser Person speichert (Integrationskonferenz); die Datei im "
        "JSON-Format enthält dieselben Daten maschinenlesbar."
    )
    flow.paragraph(intro, line_font, color=GRAY)
    flow.y += 2.0

    flow.heading("Angaben zur Person")
    flow.pairs(person_rows(person))

    flow.heading("Rollen in Organisationen")
    roles: Sequence[Mapping[str, Any]] = export.get("rollen") or []
    for role in roles:
        _entry(
            flow,
            str(role.get("organisation") or ""),
            [
                _joined(
                    f"Funktion: {role['function']}" if role.get("function") else "",
                    f"Abteilung: {role['department']}" if role.get("department") else "",
                    "Hauptrolle" if role.get("is_primary") else "",
                )
            ],
        )
    if not roles:
        _empty(flow, "Keine Rollen gespeichert.")

    flow.heading("Einladungen")
    invitations: Sequence[Mapping[str, Any]] = export.get("einladungen") or []
    for inv in invitations:
        title = f"{inv.get('konferenz')} – {inv.get('konferenz_titel') or ''}".rstrip(" –")
        substitute = inv.get("substitute_person_id") == person.get("id") and inv.get(
            "person_id"
        ) != person.get("id")
        details = [
            _joined(
                "als Vertretung" if substitute else "",
                f"Status: {inv.get('status_text') or ''}",
                f"Forum: {inv['forum']}" if inv.get("forum") else "",
            ),
            _joined(
                f"eingeladen am {german(inv['invited_on'])}" if inv.get("invited_on") else "",
                f"per {channel(inv['invitation_channel'])}" if inv.get("invitation_channel") else "",
                f"erinnert am {german(inv['reminded_on'])}" if inv.get("reminded_on") else "",
            ),
            _joined(
                f"Antwort am {german(inv['replied_on'])}" if inv.get("replied_on") else "",
                f"per {channel(inv['reply_channel'])}" if inv.get("reply_channel") else "",
                f"Begleitpersonen: {inv['companions']}" if inv.get("companions") else "",
                f"eingelassen am {german(inv['checked_in_at'])}" if inv.get("checked_in_at") else "",
            ),
            f"Vertreten durch: {inv['substitute_name']}"
            if inv.get("substitute_name") and not substitute
            else "",
            f"Barrierefreiheit: {inv['needs_accessibility']}" if inv.get("needs_accessibility") else "",
            f"Ernährung: {inv['needs_diet']}" if inv.get("needs_diet") else "",
            f"Notizen: {inv['notes']}" if inv.get("notes") else "",
        ]
        _entry(flow, title, details)
    if not invitations:
        _empty(flow, "Keine Einladungen gespeichert.")

    flow.heading("Einwilligungen")
    consents: Sequence[Mapping[str, Any]] = export.get("einwilligungen") or []
    flow.pairs([("Teilnehmerliste", f"Einwilligung in die Nennung: {list_consent(consents)}")])
    flow.y += 1.0
    for consent in consents:
        _entry(
            flow,
            str(consent.get("zweck") or consent.get("purpose") or ""),
            [
                _joined(
                    f"erteilt am {german(consent.get('given_on'))}",
                    f"per {channel(consent['channel'])}" if consent.get("channel") else "",
                    f"Textfassung {consent['text_version']}" if consent.get("text_version") else "",
                ),
                f"widerrufen am {german(consent['withdrawn_on'])}" if consent.get("withdrawn_on") else "",
                f"Vermerk: {consent['note']}" if consent.get("note") else "",
            ],
        )
    if not consents:
        _empty(flow, "Keine Einwilligungen gespeichert.")

    parts: Sequence[Mapping[str, Any]] = export.get("mitwirkung_programm") or []
    if parts:
        flow.heading("Mitwirkung im Programm")
        for part in parts:
            title = part.get("programmpunkt") or f"Programmpunkt Nr. {part.get('agenda_item_id')}"
            year = part.get("jahr")
            _entry(flow, f"{year} – {title}" if year else title, [f"Rolle: {part.get('rolle') or ''}"])

    flow.heading("Änderungsprotokoll")
    history: Sequence[Mapping[str, Any]] | None = export.get("aenderungsprotokoll_lesbar")
    if history is None:  # an export of an older version: the stored entries as they are
        history = [
            {
                "zeit": e.get("timestamp"),
                "benutzer": e.get("os_user"),
                "datensatz": e.get("entity_type"),
                "datensatz_id": e.get("entity_id"),
                "aktion": e.get("action"),
                "feld": e.get("field"),
                "alt": e.get("old_value"),
                "neu": e.get("new_value"),
            }
            for e in export.get("aenderungsprotokoll") or []
        ]
    for e in history:
        old, new = german(e.get("alt")), german(e.get("neu"))
        change = f"{old} → {new}" if old and new else (new or (f"{old} → (leer)" if old else ""))
        record = f"{e.get('datensatz') or ''} {e.get('datensatz_id') or ''}".strip()
        what = f"{e.get('feld') or ''} {e.get('aktion') or ''}".strip()
        _entry(
            flow,
            _joined(german(e.get("zeit")), record, what),
            [_joined(f"Benutzer: {e['benutzer']}" if e.get("benutzer") else "", change)],
        )
    if not history:
        _empty(flow, "Keine Einträge.")


def paint_privacy_report(
    device: QPagedPaintDevice, export: Mapping[str, Any], *, prepare: bool = True
) -> int:
    """The access report on A4 portrait; returns the number of pages."""
    name = person_name(export.get("person") or {})
    return paint_on_device(
        device,
        lambda canvas: paint_flow(
            canvas,
            lambda flow: _paint(flow, export),
            running_head=f"{TITLE} – {name}",
            footer_note=f"{TITLE} – {name} – Stand {german(export.get('erstellt'))}",
        ),
        prepare=prepare,
    )


def privacy_report_pdf(
    export: Mapping[str, Any], path: str | os.PathLike[str] | None = None, *, author: str = ""
) -> bytes:
    """The access report as PDF/A bytes (also written to ``path`` if given); ``author``: the office
    (``archive_pdf.database_author``), else the operating system user."""
    if path is not None:
        target = Path(path).expanduser().absolute()
        if not target.parent.is_dir():
            raise UserError(f"Der Ordner „{target.parent}“ existiert nicht.")
    return pdf_bytes(
        lambda device: paint_privacy_report(device, export),
        title=f"{TITLE} – {person_name(export.get('person') or {})}",
        path=path,
        archive=True,
        author=author,
    )
