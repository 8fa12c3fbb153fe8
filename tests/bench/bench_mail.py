"""mail_ratio: 1,000 personalised e-mails, each with the person's letter as PDF, composed and delivered to a
local SMTP server (aiosmtpd, in a process of its own, as the office's relay is) with this program's code – letter content from the
database, the message with both parts, the outbox's state of every message, SMTP – divided by the time to
render the same 1,000 personal PDFs alone (their content read from the database and the PDF painted, with
no e-mail), measured in one run: five alternating rounds, each round's ratio of the two sides measured one after
the other, and the median of the five (issue 16: ≤ 1.3). On the shared 2-core machine one round's ratio
varies by ±0.08 and the speed of the machine drifts between rounds; pairing each round's two sides
cancels the drift, the median the outliers.

One subprocess on the offscreen platform; the database is a copy of the 10,000-person demo, so the run's
records do not stay.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from common import BenchContext, Result, run_script

MESSAGES = 1000
ROUNDS = 5

SCRIPT = r"""
import json, statistics, sys, time
import sqlalchemy as sa
from konferenz.enums import InvitationStatus, MailState
from konferenz.mail import smtp
from konferenz.mail.messages import compose, letter_attachment_name, mail_contents
from konferenz.mail.mime import Attachment
from konferenz.mail.settings import MailSettings
from konferenz.storage.db import open_database
from konferenz.storage.models import Conference
from ui.paper.canvas import ensure_application
from ui.paper.mail_attachments import letter_pdf

# the mail server is a program of its own, as the office's relay is: aiosmtpd in a second process, which
# counts what it received and says so when its stdin closes
SERVER = '''
import socket, sys
from aiosmtpd.controller import Controller
class Count:
    received = 0
    async def handle_DATA(self, server, session, envelope):
        Count.received += 1
        return "250 2.0.0 Ok"
with socket.socket() as probe:
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
controller = Controller(Count(), hostname="127.0.0.1", port=port)
controller.start()
print(port, flush=True)
sys.stdin.read()
controller.stop()
print(Count.received, flush=True)
'''
import subprocess
server = subprocess.Popen([sys.executable, "-c", SERVER], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
port = int(server.stdout.readline())

def received():
    server.stdin.close()
    return int(server.stdout.readline())

ensure_application()
database = open_database(sys.argv[1], create=False)
wanted = int(sys.argv[2])
ROUNDS = int(sys.argv[3])
settings = MailSettings(from_address="ki@kreis-borken.de", from_name="Kommunales Integrationszentrum",
                        host="127.0.0.1", port=port, security="none", per_minute=0)
template = "einladung"
everyone = list(InvitationStatus)
# the invitations with an address of the newest conferences, until there are enough
batches = []
with database.read_session() as s:
    years = list(s.scalars(sa.select(Conference.year).order_by(Conference.year.desc())))
for year in years:
    missing = wanted - sum(len(ids) for _, ids in batches)
    if missing <= 0:
        break
    items = [i for i in mail_contents(database, year, everyone, template=template) if i.recipient.address]
    batches.append((year, [i.recipient.invitation_id for i in items[:missing]]))

def ours():
    sent = 0
    for year, ids in batches:
        items = {i.recipient.invitation_id: i for i in mail_contents(database, year, everyone, ids, template=template)}
        def make(message):
            item = items[message.invitation_id]
            pdf = Attachment(letter_attachment_name(template), "application/pdf", letter_pdf(item.letter))
            return compose(item.letter, item.recipient, settings, [pdf])
        result = smtp.send_invitations(database, year, template, everyone, make, settings,
                                       attachments=["brief"], invitation_ids=ids, again=True)
        sent += result.result.report.count(MailState.SENT)
    return sent

def bare():
    # the same personal PDFs as the program renders them: each letter's content from the database (the
    # salutation, the template), then the PDF – as `ours` does before it adds the e-mail
    start = time.perf_counter()
    n = 0
    for year, ids in batches:
        for item in mail_contents(database, year, everyone, ids, template=template):
            letter_pdf(item.letter)
            n += 1
    return time.perf_counter() - start, n

bare()  # warm up: fonts, templates
# rounds alternate, and each side counts with its median: one run of either side varies by a tenth
bares, ourses, total = [], [], 0
for _round in range(ROUNDS):
    t_bare, n = bare()
    start = time.perf_counter()
    sent = ours()
    ourses.append(time.perf_counter() - start)
    bares.append(t_bare)
    assert sent == n, (sent, n)
    total += sent
got = received()
assert got == total, (got, total)
print(json.dumps({"ours": statistics.median(ourses), "bare": statistics.median(bares), "messages": n,
                  "ratio": statistics.median(o / b for o, b in zip(ourses, bares)),
                  "rounds": [round(o / b, 3) for o, b in zip(ourses, bares)]}))
"""


def run(ctx: BenchContext) -> list[Result]:
    demo = ctx.demo_db(10_000)
    with tempfile.TemporaryDirectory(dir=ctx.work) as folder:
        copy = Path(folder) / "mail.sqlite"
        shutil.copy(demo, copy)
        measured = run_script(ctx, "bench_mail", SCRIPT, str(copy), str(MESSAGES), str(ROUNDS))
    print(
        f"  {measured['messages']} E-Mails mit Brief-PDF an den SMTP-Server: {measured['ours']:.2f} s, "
        f"dieselben PDFs allein: {measured['bare']:.2f} s (Median aus {ROUNDS} abwechselnden Runden; "
        f"Verhältnis je Runde {measured['rounds']}, ihr Median {measured['ratio']:.3f})"
    )
    return [Result("mail_ratio", measured["ratio"], "ratio", 1.3)]
