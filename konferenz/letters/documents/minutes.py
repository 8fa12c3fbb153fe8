"""The minutes (Protokoll) as an office document, with the content and order of the PDF
(``ui.paper.programme_pdf.paint_minutes``): the kind and the conference's title, theme, date and venue;
the attendance by category from the check-in; each agenda item with its time, notes, results, status
updates and rapporteur, its forums below it; the recommendations with responsible party, due date and
status. The content is ``konferenz.letters.printing.minutes_document``."""

from __future__ import annotations

from konferenz.letters.documents.model import Document, Para, Run, para
from konferenz.letters.printing import MinutesDocument, MinutesSection, attendance_text


def _labelled(document: Document, caption: str, text: str, indent: float) -> None:
    if not text.strip():
        return
    document.add(para(caption, 9.5, bold=True, indent=indent, keep_with_next=True))
    document.add(para(text.strip(), 10, indent=indent, space_after=1.5))


def _section(document: Document, section: MinutesSection, *, level: int = 0, indent: float = 0.0) -> None:
    heading = (
        f"{section.time_range}\t{section.heading}" if level == 0 and section.time_range else section.heading
    )
    document.add(
        Para(
            (Run(heading, bold=True),),
            12 if level == 0 else 10.5,
            gray=section.is_break,
            indent=indent,
            space_before=4.0 if level == 0 else 2.0,
            space_after=1.0,
            keep_with_next=True,
        )
    )
    if section.details:
        document.add(para(section.details, 9, gray=True, indent=indent))
    if level and section.attendance:
        names = ", ".join(f"{name} {n}" for name, n in section.attendance)
        document.add(
            para(
                f"Teilnahme laut Check-in: {attendance_text(section.attendance)} ({names})",
                9,
                gray=True,
                indent=indent,
            )
        )
    _labelled(document, "Notizen", section.notes, indent)
    _labelled(document, "Ergebnisse", section.results, indent)
    if section.status_updates:
        document.add(para("Sachstand der Empfehlungen", 9.5, bold=True, indent=indent, keep_with_next=True))
        for update in section.status_updates:
            note = f": {update.note}" if update.note else ""
            document.add(para(f"• {update.text} ({update.year}) – {update.status}{note}", 9.5, indent=indent))
    if section.rapporteur:
        document.add(para(f"Berichterstattung: {section.rapporteur}", 9, gray=True, indent=indent))
    for forum in section.forums:
        _section(document, forum, level=1, indent=indent + 4.0)


def minutes_document_file(doc: MinutesDocument) -> Document:
    """The minutes of one conference as a document to edit."""
    header = doc.header
    document = Document(f"Protokoll – {header.title}")
    document.add(para("PROTOKOLL", 10, bold=True, gray=True, space_after=1.0))
    document.add(para(header.title, 17, bold=True))
    if header.theme:
        document.add(para(header.theme, 11.5))
    for line in (header.date_line, header.venue_line):
        if line:
            document.add(para(line, 10.5, gray=True))
    document.add(
        para(f"Teilnahme laut Check-in: {attendance_text(doc.attendance)}", 10.5, bold=True, space_before=5.0)
    )
    if doc.attendance:
        for name, n in doc.attendance:
            document.add(para(f"{name}\t{n}", 9))
    else:
        document.add(para("Es wurde niemand eingecheckt.", 9, gray=True))
    for section in doc.sections:
        _section(document, section)
    document.add(
        para("Handlungsempfehlungen", 13, bold=True, space_before=6.0, space_after=1.5, keep_with_next=True)
    )
    if not doc.recommendations:
        document.add(para("Diese Konferenz hat keine Empfehlungen beschlossen.", 10))
    for rec in doc.recommendations:
        document.add(
            para(
                f"{rec.number}.\t{rec.text}",
                10,
                bold=True,
                hanging=9.0,
                space_before=2.5,
                keep_with_next=True,
            )
        )
        details = [
            f"Aus: {rec.source}" if rec.source else "",
            f"Zuständig: {rec.responsible or 'noch offen'}",
            " · ".join(p for p in (f"Fällig am {rec.due}" if rec.due else "", f"Status: {rec.status}") if p),
        ]
        for line in details:
            if line:
                document.add(para(line, 9, gray=True, indent=9.0))
    return document
