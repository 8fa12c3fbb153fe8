"""Drafts where sending is not allowed: one ``.eml`` file per recipient with ``X-Unsent: 1`` (Outlook opens it
as a draft to send; Thunderbird opens it with "Als neu bearbeiten"), named as the letter archive names the
letters, never overwriting a file.

Writing drafts records nothing on the invitations. The drafts written are kept as a run of their own
(``record_drafts``: each message in state *Entwurf*, with the bytes written), so that nobody gets the same
e-mail from a later run, and recording them as sent is a separate, confirmed step, as with letters:
``confirm_drafts`` (they were sent: the invitations record channel E-Mail, date and template) or
``discard_drafts`` (they were not: the run is removed). ``draft_runs`` lists what waits for that step."""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from konferenz import paths
from konferenz.enums import MailState
from konferenz.errors import UserError, file_problem
from konferenz.mail import outbox
from konferenz.mail.messages import message_bytes
from konferenz.mail.mime import OutgoingMessage
from konferenz.storage.changes import Changes
from konferenz.storage.db import Database
from konferenz.storage.models import MailMessage, MailRun
from konferenz.storage.schema import mail_content


def as_draft(msg: OutgoingMessage) -> bytes:
    """The message as an unsent draft (``X-Unsent: 1``); ``msg`` itself is not changed."""
    data = message_bytes(msg)
    return b"X-Unsent: 1\r\n" + data


def write_drafts(folder: Path, drafts: Sequence[tuple[str, OutgoingMessage]]) -> list[Path]:
    """Write each ``(file name, message)`` as a draft into ``folder`` (created if its parent exists).

    Before anything is written, a file that exists already is refused with a German ``UserError`` naming it
    (nothing is overwritten); a file that appears meanwhile is refused the same way. Returns the paths.
    """
    folder = folder.expanduser()
    if folder.exists() and not folder.is_dir():
        raise UserError(f"„{folder}“ ist eine Datei, kein Ordner.")
    if not folder.parent.is_dir():
        raise UserError(f"Der Ordner „{folder.parent}“ existiert nicht.")
    names = [name for name, _msg in drafts]
    doubled = sorted({n for n in names if names.count(n) > 1})
    if doubled:
        raise UserError(f"Zwei Entwürfe hätten denselben Dateinamen: {', '.join(doubled)}.")
    targets = [folder / name for name in names]
    existing = [t.name for t in targets if t.exists()]
    if existing:
        more = f" und {len(existing) - 3} weitere" if len(existing) > 3 else ""
        raise UserError(
            f"Im Ordner „{folder}“ gibt es schon {', '.join(existing[:3])}{more}; es wurde nichts "
            "geschrieben. Bitte einen leeren Ordner wählen oder die alten Entwürfe entfernen."
        )
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise UserError(file_problem(folder, exc)) from None
    written: list[Path] = []
    for target, (_name, msg) in zip(targets, drafts, strict=True):
        data = as_draft(msg)
        try:
            with open(target, "xb") as out:  # "x": never replace a file that appeared meanwhile
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
        except FileExistsError:
            raise UserError(
                f"„{target}“ ist inzwischen entstanden; die übrigen Entwürfe wurden nicht geschrieben."
            ) from None
        except OSError as exc:
            target.unlink(missing_ok=True)
            raise UserError(file_problem(target, exc)) from None
        written.append(target)
    return written


# --- the drafts as a run, and the confirmed step -------------------------------------------------------


@dataclass(frozen=True)
class Draft:
    """One draft written: the invitation, the address and the message as in the file."""

    invitation_id: int
    address: str
    message: OutgoingMessage


def record_drafts(
    database: Database,
    conference_id: int,
    template: str,
    drafts: Sequence[Draft],
    *,
    attachments: Iterable[str] = (),
) -> outbox.RunCreated:
    """Keep the drafts just written as a run (state *Entwurf*, the bytes as written), in one unit of work.
    The invitations stay unchanged until ``confirm_drafts``."""
    unique = list({d.invitation_id: d for d in drafts}.values())
    if not unique:
        raise UserError("Es wurden keine Entwürfe geschrieben; es ist nichts zu vermerken.")
    with database.track() as changes, database.session() as s:
        run = MailRun(
            conference_id=conference_id,
            template=template,
            purpose=outbox.purpose_of(template),
            created_by=paths.os_user()[:100],
            attachments=",".join(attachments),
        )
        s.add(run)
        s.flush()
        written = []
        for draft in unique:
            content = message_bytes(draft.message)
            message = MailMessage(
                run_id=run.id,
                invitation_id=draft.invitation_id,
                address=draft.address,
                message_id=draft.message.get("Message-ID") or f"<{uuid.uuid4().hex}@konferenz.invalid>",
                subject=draft.message.get("Subject"),
                state=MailState.DRAFT,
                size=len(content),
                smtp_reply="Als Entwurf geschrieben.",
            )
            s.add(message)
            written.append((message, content))
        s.flush()
        s.execute(
            sa.insert(mail_content), [{"message_pk": m.id, "content": content} for m, content in written]
        )
        run_id = run.id
    return outbox.RunCreated(run_id, len(unique), changes)


def draft_runs(database: Database) -> list[outbox.RunReport]:
    """The runs of drafts whose sending is not yet confirmed (or discarded), oldest first."""
    with database.read_session() as s:
        ids = list(
            s.scalars(
                sa.select(MailMessage.run_id)
                .where(MailMessage.state == MailState.DRAFT)
                .distinct()
                .order_by(MailMessage.run_id)
            )
        )
    return [outbox.run_report(database, run_id) for run_id in ids]


def _draft_ids(s: sa.orm.Session, run_id: int) -> list[int]:
    if s.get(MailRun, run_id) is None:
        raise UserError(f"Einen Versand {run_id} gibt es nicht.")
    ids = list(
        s.scalars(
            sa.select(MailMessage.id).where(
                MailMessage.run_id == run_id, MailMessage.state == MailState.DRAFT
            )
        )
    )
    if not ids:
        raise UserError(f"Im Versand {run_id} gibt es keine unbestätigten Entwürfe; nichts geändert.")
    return ids


def confirm_drafts(database: Database, run_id: int, *, today: dt.date | None = None) -> Changes:
    """The drafts of run ``run_id`` were sent: each becomes *sent*, and its invitation records channel
    E-Mail, the date and the template (``konferenz.letters.sending.apply_sending``), in one unit of work."""
    with database.track() as changes, database.session() as s:
        ids = _draft_ids(s, run_id)
        s.execute(
            sa.update(MailMessage)
            .where(MailMessage.id.in_(ids))
            .values(
                state=MailState.DELIVERED, smtp_reply="Als Entwurf geschrieben; Versand von Hand bestätigt."
            )
        )
        run = s.get(MailRun, run_id)
        assert run is not None
        run.finished_at = run.finished_at or dt.datetime.now().replace(microsecond=0)
    outbox.record_delivered(database, run_id, today=today)
    return changes


def discard_drafts(database: Database, run_id: int) -> Changes:
    """The drafts of run ``run_id`` were not sent: the run is removed; the invitations never changed."""
    with database.track() as changes, database.session() as s:
        ids = _draft_ids(s, run_id)
        others = s.scalar(
            sa.select(sa.func.count(MailMessage.id)).where(
                MailMessage.run_id == run_id, MailMessage.id.not_in(ids)
            )
        )
        if others:
            raise UserError(f"Der Versand {run_id} enthält nicht nur Entwürfe; er wird nicht entfernt.")
        outbox.delete_run(s, run_id)
    return changes
