"""letters_ratio: time to produce 1,000 invitation letters as one PDF with this program's code (letter
content from the database and the templates, DIN 5008 layout by ui/paper), divided by the time QPdfWriter
needs to paint the same texts as one QTextDocument per letter (laid out for the writer) in the same run.

Both run in one subprocess on the offscreen platform, alternately, best of three each.
"""

from __future__ import annotations

from common import BenchContext, Result, run_script

LETTERS = 1000

SCRIPT = r"""
import json, os, sys, time, html
os.environ["QT_QPA_PLATFORM"] = "offscreen"
import sqlalchemy as sa
from konferenz.storage.db import open_database
from konferenz.letters.content import letter_contents
from konferenz.storage.models import Conference, Invitation
from ui.paper.canvas import ensure_application, make_font, pdf_bytes
from ui.paper.letters import letters_pdf
from PySide6.QtGui import QTextDocument

ensure_application()
database = open_database(sys.argv[1], create=False)
wanted = int(sys.argv[2])
# the invitations of the newest conferences, until there are enough (a demo year has a few hundred)
batches = []
with database.read_session() as s:
    for year in s.scalars(sa.select(Conference.year).order_by(Conference.year.desc())):
        missing = wanted - sum(len(ids) for _, ids in batches)
        if missing <= 0:
            break
        ids = list(s.scalars(sa.select(Invitation.id).join(Conference).where(Conference.year == year)
                             .order_by(Invitation.id).limit(missing)))
        batches.append((year, ids))

def ours():
    letters = []
    for year, ids in batches:
        letters += letter_contents(database, year, invitation_ids=ids)
    data = letters_pdf(letters)
    return letters, data

def bare(letters):
    font = make_font(10.5)
    def paint(writer):
        from PySide6.QtGui import QPainter
        painter = QPainter(writer)
        width = writer.logicalDpiX() / 25.4 * 165
        for n, l in enumerate(letters):
            if n:
                writer.newPage()
            lines = [l.sender_line, *l.address_lines]
            info = [f"{a}: {b}" if a else b for a, b in l.info] + [l.date_line]
            text = (
                "<p>" + "<br>".join(html.escape(x) for x in lines) + "</p>"
                + "<p>" + "<br>".join(html.escape(x) for x in info) + "</p>"
                + "<p><b>" + html.escape(l.subject) + "</b></p><p>" + html.escape(l.salutation) + "</p>"
                + l.body_html
                + "<p>" + "<br>".join(html.escape(x) for x in [l.closing, *l.signature]) + "</p>"
            )
            doc = QTextDocument()
            doc.documentLayout().setPaintDevice(writer)
            doc.setDefaultFont(font)
            doc.setHtml(text)
            doc.setTextWidth(width)
            doc.drawContents(painter)
        painter.end()
    return pdf_bytes(paint)

letters, data = ours()  # warm up: fonts, templates, caches
bare(letters)
t_ours, t_bare = [], []
for _ in range(3):
    start = time.perf_counter(); letters, data = ours(); t_ours.append(time.perf_counter() - start)
    start = time.perf_counter(); bare(letters); t_bare.append(time.perf_counter() - start)
assert len(letters) >= wanted * 0.95, len(letters)  # anonymised persons get no letter
print(json.dumps({"ours": min(t_ours), "bare": min(t_bare), "letters": len(letters), "bytes": len(data)}))
"""


def run(ctx: BenchContext) -> list[Result]:
    db = ctx.demo_db(10_000)
    measured = run_script(ctx, "bench_letters", SCRIPT, str(db), str(LETTERS))
    print(
        f"  {measured['letters']} Briefe: konferenz {measured['ours']:.2f} s "
        f"(Inhalt + DIN-5008-Layout), QTextDocument auf QPdfWriter {measured['bare']:.2f} s, "
        f"PDF {measured['bytes'] / 1e6:.1f} MB"
    )
    return [Result("letters_ratio", measured["ours"] / measured["bare"], "ratio", 2.0)]
