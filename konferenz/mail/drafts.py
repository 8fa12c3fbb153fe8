"""Drafts where sending is not allowed: one ``.eml`` file per recipient with ``X-Unsent: 1`` (Outlook opens it
as a draft to send; Thunderbird opens it with "Als neu bearbeiten"), named as the letter archive names the
letters, never overwriting a file. Writing drafts records nothing on the invitations."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from konferenz.errors import UserError, file_problem
from konferenz.mail.messages import message_bytes
from konferenz.mail.mime import OutgoingMessage


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
