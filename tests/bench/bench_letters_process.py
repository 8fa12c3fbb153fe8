"""letters_process_ratio: the whole process ``konferenz letters`` for 1,000 invitations (interpreter start,
database, templates, DIN 5008 layout, the PDF file) divided by a bare process that paints the same strings of
each letter at the same places with QPainter and one QTextDocument for the body on a QPdfWriter: letterhead,
sender line, address, information block, subject, salutation, body, closing with signature, and footer –
no database, no templates, no fitting or page breaking.

The strings are taken from the same letters beforehand (``letter_contents`` into a JSON file), outside the
timing. Both processes are timed from start to exit, alternately, and the medians compared; the spread of
the ratios is printed because the machine may be shared.
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import BenchContext, Result, run_script

LETTERS = 1000
YEAR = 2026
ROUNDS = 7

#: a copy of the 10,000-person demo with the newest conference's list filled up to ``LETTERS`` invitations
PREPARE = r"""
import json, shutil, sys
import sqlalchemy as sa
from konferenz.conferences.inviting import InviteeFilter, invite
from konferenz.storage.db import open_database
from konferenz.storage.models import Conference, Invitation, Person

source, target, year, wanted = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
shutil.copyfile(source, target)
database = open_database(target, create=False)
with database.read_session() as s:
    conf_id = s.scalar(sa.select(Conference.id).where(Conference.year == year))
    have = s.scalar(sa.select(sa.func.count()).select_from(Invitation).where(Invitation.conference_id == conf_id))
    listed = sa.select(Invitation.person_id).where(
        Invitation.conference_id == conf_id, Invitation.person_id.is_not(None)
    )
    ids = list(s.scalars(
        sa.select(Person.id).where(Person.anonymised_at.is_(None), Person.id.not_in(listed))
        .order_by(Person.id).limit(max(0, wanted - have))
    ))
invite(database, year, InviteeFilter(person_ids=ids), entered_by="bench")
database.dispose()
print(json.dumps({"added": len(ids)}))
"""

#: the strings of every letter, as ``konferenz letters`` would print them today
EXTRACT = r"""
import json, sys
from konferenz.letters.content import letter_contents
from konferenz.storage.db import open_database

database = open_database(sys.argv[1], create=False)
letters = letter_contents(database, int(sys.argv[2]))
rows = [
    {
        "letterhead": l.letterhead,
        "sender_line": l.sender_line,
        "address": l.address_lines,
        "info": [f"{a}: {b}" if a else b for a, b in l.info] + ["", l.date_line],
        "subject": l.subject,
        "salutation": l.salutation,
        "body": l.body_html,
        "closing": [l.closing, "", "", "", *l.signature],
        "footer": l.footer,
    }
    for l in letters
]
with open(sys.argv[3], "w", encoding="utf-8") as f:
    json.dump(rows, f, ensure_ascii=False)
database.dispose()
print(json.dumps({"letters": len(rows)}))
"""

#: the bare painter: the positions of DIN 5008 Form B (ui/paper/geometry.py) as numbers, the shipped fonts
BARE = r"""
import json, sys
from PySide6.QtCore import QMarginsF, QPointF
from PySide6.QtGui import (QFont, QFontDatabase, QGuiApplication, QPageLayout, QPageSize, QPainter,
                           QPdfWriter, QTextDocument)

strings, fonts, output = sys.argv[1], sys.argv[2], sys.argv[3]
app = QGuiApplication([])
for name in ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf", "NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf"):
    QFontDatabase.addApplicationFont(f"{fonts}/{name}")
with open(strings, encoding="utf-8") as f:
    letters = json.load(f)

def font(size, bold=False):
    result = QFont()
    result.setFamilies(["Noto Sans", "Noto Sans Arabic"])
    result.setPointSizeF(size)
    result.setBold(bold)
    return result

writer = QPdfWriter(output)
writer.setResolution(1200)
writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                 QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter))
mm = writer.logicalDpiY() / 25.4
head, head_small, sender, address, info, body, bold, footer = (
    font(22, True), font(11), font(8), font(10), font(9), font(10.5), font(10.5, True), font(7.5))
painter = QPainter(writer)

def text(x, y, line, f):
    painter.setFont(f)
    painter.drawText(QPointF(x * mm, y * mm), line)

for n, l in enumerate(letters):
    if n:
        writer.newPage()
    for i, line in enumerate(l["letterhead"]):
        text(25, 22 + i * 5 + (2 if i else 0), line, head if i == 0 else head_small)
    text(25, 61.7, l["sender_line"], sender)
    for i, line in enumerate(l["address"]):
        text(25, 62.7 + (i + 1) * 4.23 - 0.8, line, address)
    for i, line in enumerate(l["info"]):
        text(125, 53.2 + i * 4.23, line, info)
    top = max(90.0, 50 + 4.23 * len(l["info"])) + 2 * 4.23 + 4
    text(25, top, l["subject"], bold)
    text(25, top + 3 * 4.6, l["salutation"], body)
    doc = QTextDocument()
    doc.documentLayout().setPaintDevice(writer)
    doc.setDefaultFont(body)
    doc.setDocumentMargin(0)
    doc.setHtml(l["body"])
    doc.setTextWidth(165 * mm)
    painter.save()
    painter.translate(25 * mm, (top + 5 * 4.6) * mm)
    doc.drawContents(painter)
    painter.restore()
    y = top + 5 * 4.6 + doc.size().height() / mm + 4.6
    for i, line in enumerate(l["closing"]):
        if line:
            text(25, y + i * 4.6, line, body)
    for i, line in enumerate(l["footer"]):
        text(25, 285 + i * 3.4, line, footer)
painter.end()
print(len(letters))
"""


def _timed(args: list[str], *, cwd: Path) -> tuple[float, float]:
    """Wall time and CPU time (user + system) of one whole process, in seconds; fails on a non-zero exit.

    The wall time is the result; the CPU time is printed beside it, as it hardly changes when other work
    shares the machine's cores."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(
        args,
        check=True,
        cwd=cwd,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        stdout=subprocess.DEVNULL,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _database(ctx: BenchContext) -> Path:
    path = ctx.work / f"letters-process-{LETTERS}.sqlite"
    if not path.exists():
        tmp = path.with_suffix(".tmp")
        tmp.unlink(missing_ok=True)
        run_script(
            ctx, "bench_letters_process", PREPARE, str(ctx.demo_db(10_000)), str(tmp), str(YEAR), str(LETTERS)
        )
        tmp.rename(path)
        for extra in ctx.work.glob(f"{tmp.name}*"):  # the lock and backup folders of the copy, if any
            shutil.rmtree(extra, ignore_errors=True)
    return path


def run(ctx: BenchContext) -> list[Result]:
    db = _database(ctx)
    # an installed program starts from bytecode (see bench_startup)
    subprocess.run([sys.executable, "-m", "compileall", "-q", "konferenz", "ui"], cwd=ctx.root, check=True)
    fonts = ctx.root / "resources" / "fonts"
    with tempfile.TemporaryDirectory(prefix="konferenz-bench-") as folder:
        work = Path(folder)
        strings = work / "letters.json"
        extracted = run_script(ctx, "bench_letters_process", EXTRACT, str(db), str(YEAR), str(strings))
        assert extracted["letters"] == LETTERS, extracted
        ours = [
            sys.executable, "-m", "ui", "letters", "--conference", str(YEAR),
            "-o", str(work / "konferenz.pdf"), "--db", str(db),
        ]  # fmt: skip
        bare = [sys.executable, "-c", BARE, str(strings), str(fonts), str(work / "bare.pdf")]
        _timed(ours, cwd=ctx.root)  # warm the file cache for both
        _timed(bare, cwd=ctx.root)
        t_ours: list[tuple[float, float]] = []
        t_bare: list[tuple[float, float]] = []
        for _ in range(ROUNDS):
            t_ours.append(_timed(ours, cwd=ctx.root))
            t_bare.append(_timed(bare, cwd=ctx.root))
        sizes = ((work / "konferenz.pdf").stat().st_size, (work / "bare.pdf").stat().st_size)
    wall_ours, wall_bare = [w for w, _c in t_ours], [w for w, _c in t_bare]
    ratios = sorted(a / b for a, b in zip(wall_ours, wall_bare, strict=True))
    ratio = statistics.median(wall_ours) / statistics.median(wall_bare)
    cpu_ours = statistics.median(c for _w, c in t_ours)
    cpu_bare = statistics.median(c for _w, c in t_bare)
    print(
        f"  {LETTERS} Briefe: konferenz letters {statistics.median(wall_ours):.2f} s "
        f"({min(wall_ours):.2f}–{max(wall_ours):.2f}), bare QPainter {statistics.median(wall_bare):.2f} s "
        f"({min(wall_bare):.2f}–{max(wall_bare):.2f}); Verhältnis je Runde {ratios[0]:.2f}–{ratios[-1]:.2f}; "
        f"CPU-Zeit {cpu_ours:.2f} s / {cpu_bare:.2f} s = {cpu_ours / cpu_bare:.2f}; "
        f"PDF {sizes[0] / 1e6:.1f} MB / {sizes[1] / 1e6:.1f} MB"
    )
    return [Result("letters_process_ratio", ratio, "ratio", 2.0)]
