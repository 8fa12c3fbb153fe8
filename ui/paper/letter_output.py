"""What the Serienbrief dialog's outputs do, on any thread: the choice that builds the letters again, one PDF
or one PDF per letter, and the sending recorded together with the files (``commit_output``: temporary names,
then the record, then the renaming), with per-letter progress and Abbrechen (``Steps``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import overload

from konferenz.enums import InvitationStatus
from konferenz.errors import UserError, file_problem
from konferenz.letters import content, sending, templates
from konferenz.letters.content import LetterContent
from konferenz.lists.source import format_count
from konferenz.storage.db import Database
from ui.paper.canvas import pdf_bytes
from ui.paper.letters import letter_pdfs, paint_letters
from ui.widgets.tasks import Cancelled, Progress


class LettersCancelledError(UserError):
    """The user pressed Abbrechen; nothing was written and nothing recorded."""

    def __init__(self) -> None:
        super().__init__("Abgebrochen – es wurde nichts gespeichert und nichts vermerkt.")


# --- what is printed --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LetterChoice:
    """Everything the dialog's controls decide, enough to build the letters again in a worker thread."""

    year: int
    template: str
    statuses: frozenset[InvitationStatus] | None = None
    invitation_ids: tuple[int, ...] | None = None
    form: str = "B"
    programme: bool = False
    reply_form: bool = False
    #: the check-in code as a QR code on the reply form (off by default; only with the reply form)
    qr: bool = False

    def contents(self, database: Database, *, enclosures: bool = True) -> list[LetterContent]:
        return content.letter_contents(
            database,
            self.year,
            self.statuses,
            self.invitation_ids,
            template=self.template,
            programme=self.programme and enclosures,
            reply_form=self.reply_form and enclosures,
            qr=self.qr and self.reply_form and enclosures,
        )

    @property
    def kind(self) -> str:
        return templates.template_kind(self.template)


@dataclass
class Outcome:
    """What an output did: letters, files written, invitations recorded as sent."""

    letters: int
    files: list[Path] = field(default_factory=list)
    recorded: int = 0
    invitation_ids: list[int] = field(default_factory=list)
    #: the sending was recorded, but (some of) the files could not be written: the German message
    file_error: str = ""


class Steps:
    """Progress over the letters of one output (building, painting, archive copies) with Abbrechen.

    ``through(letters)`` is a sequence that ``paint_letters`` reads like a list; it reports every letter
    and stops the painting (after ``on_cancel``, e.g. ``QPrinter.abort``) when Abbrechen was pressed.
    """

    def __init__(self, progress: Progress, cancelled: Cancelled, total: int = 0) -> None:
        self.progress = progress
        self.cancelled = cancelled
        self.total = total
        self.done = 0

    def check(self) -> None:
        if self.cancelled():
            raise LettersCancelledError

    def tick(self, count: int = 1) -> None:
        """Stop here when Abbrechen was pressed, else count ``count`` steps as done."""
        self.check()
        self.advance(count)

    def advance(self, count: int = 1) -> None:
        self.done += count
        self.progress(min(self.done, self.total), self.total)

    def through(
        self, letters: Sequence[LetterContent], on_cancel: Callable[[], object] | None = None
    ) -> Sequence[LetterContent]:
        return _Through(self, letters, on_cancel)

    def archive_pdfs(self, letters: Sequence[LetterContent], form: str) -> dict[int, bytes]:
        """One PDF per letter (``letter_pdfs``), letter by letter so that Abbrechen is heard."""
        result: dict[int, bytes] = {}
        for letter in letters:
            self.tick()
            result.update(letter_pdfs([letter], form=form))
        return result


class _Through(Sequence[LetterContent]):
    def __init__(
        self, steps: Steps, letters: Sequence[LetterContent], on_cancel: Callable[[], object] | None
    ) -> None:
        self._steps = steps
        self._letters = letters
        self._on_cancel = on_cancel

    def __len__(self) -> int:
        return len(self._letters)

    @overload
    def __getitem__(self, index: int) -> LetterContent: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[LetterContent]: ...
    def __getitem__(self, index: int | slice) -> LetterContent | Sequence[LetterContent]:
        return self._letters[index]

    def __iter__(self) -> Iterator[LetterContent]:
        for letter in self._letters:
            if self._steps.cancelled():
                if self._on_cancel is not None:
                    self._on_cancel()
                raise LettersCancelledError
            self._steps.advance()
            yield letter


def build_letters(database: Database, choice: LetterChoice) -> list[LetterContent]:
    """The letters of ``choice``; UserError (German) when there are none."""
    letters = choice.contents(database)
    if not letters:
        raise UserError("Für diese Auswahl gibt es keine Briefe.")
    return letters


def letter_file_names(year: int, template: str, letters: Sequence[LetterContent]) -> dict[int, str]:
    """File names of the single PDFs, as in the archive ("2026-einladung-00042-dr-anna-mueller.pdf")."""
    return {
        letter.invitation_id: sending.archive_file_name(
            year, template, letter.invitation_id, letter.recipient
        )
        for letter in letters
        if letter.invitation_id is not None
    }


def _temporary(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def plural(n: int, one: str, many: str) -> str:
    """ "1 Brief", "3 Briefe"."""
    return f"{format_count(n)} {one if n == 1 else many}"


def check_targets(paths: Sequence[Path]) -> None:
    """Refuse (German ``UserError``) before anything is painted or recorded when a target is a folder, its
    folder is missing, or an existing file cannot be replaced (read-only, or open in a program that locks
    it, as PDF viewers on Windows do)."""
    for path in paths:
        if path.is_dir() or not path.parent.is_dir():
            raise UserError(file_problem(path))
        if path.exists():
            try:
                with path.open("r+b"):  # opened for writing, nothing written: the file stays as it was
                    pass
            except OSError as exc:
                raise UserError(file_problem(path, exc)) from None


def commit_output(
    database: Database,
    choice: LetterChoice,
    letters: Sequence[LetterContent],
    files: Sequence[tuple[Path, bytes]],
    archive: dict[int, bytes] | None,
) -> Outcome:
    """Write ``files`` and record the sending (if ``archive`` is given) as one step.

    The targets are checked first (``check_targets``); files go to temporary names; then the sending is
    recorded (one transaction); then the files get their names. A failure anywhere before the renaming
    leaves no file and records nothing. Should the renaming fail after all (a file locked in that very
    moment), the sending stays recorded: the outcome says so in ``file_error`` instead of an exception,
    so the dialog follows the recorded state and nothing is recorded twice.
    """
    ids = [letter.invitation_id for letter in letters if letter.invitation_id is not None]
    check_targets([target for target, _data in files])
    staged: list[tuple[Path, Path]] = []

    def clean() -> None:
        for tmp, _target in staged:
            tmp.unlink(missing_ok=True)

    try:
        for target, data in files:
            tmp = _temporary(target)
            staged.append((tmp, target))
            tmp.write_bytes(data)
    except OSError as exc:
        clean()
        where = staged[-1][1]
        if isinstance(exc, PermissionError):
            problem = f"In den Ordner „{where.parent}“ darf hier nicht geschrieben werden."
        else:
            problem = file_problem(where, exc)
        raise UserError(problem) from None
    recorded = 0
    try:
        if archive is not None:
            recorded = sending.record_sending(database, ids, choice.template, archive)
    except BaseException:
        clean()
        raise
    written: list[Path] = []
    try:
        for tmp, target in staged:
            tmp.replace(target)
            written.append(target)
    except OSError as exc:
        clean()
        failed = staged[len(written)][1]
        problem = file_problem(failed, exc)
        if len(staged) > 1:
            total = format_count(len(staged))
            if not written:
                problem = f"Keine der {total} Dateien konnte gespeichert werden. {problem}"
            else:
                verb = "konnte" if len(written) == 1 else "konnten"
                problem = f"Nur {format_count(len(written))} von {total} Dateien {verb} gespeichert werden. {problem}"
        if not recorded:
            raise UserError(problem) from None
        archived = "der Brief liegt" if recorded == 1 else "die Briefe liegen"
        message = (
            f"Der Versand ist vermerkt ({plural(recorded, 'Einladung', 'Einladungen')}; {archived} im "
            f"Archiv), aber nicht alle Dateien sind gespeichert: {problem} Beim nächsten Speichern wird der "
            "Versand nicht noch einmal vermerkt."
        )
        return Outcome(len(letters), written, recorded, ids, file_error=message)
    return Outcome(len(letters), written, recorded, ids)


def write_pdf(
    database: Database,
    choice: LetterChoice,
    path: Path,
    *,
    record: bool,
    progress: Progress,
    cancelled: Cancelled,
) -> Outcome:
    """All letters in one PDF at ``path`` (the work of "Als PDF speichern …", any thread)."""
    check_targets([path])  # before the work: a folder or a locked file is refused at once
    steps = Steps(progress, cancelled)
    letters = build_letters(database, choice)
    steps.total = 1 + len(letters) * (2 if record else 1)
    steps.tick()
    data = pdf_bytes(
        lambda device: paint_letters(device, steps.through(letters), choice.form), title=letters[0].subject
    )
    archive = steps.archive_pdfs(letters, choice.form) if record else None
    steps.check()
    return commit_output(database, choice, letters, [(path, data)], archive)


def write_folder(
    database: Database,
    choice: LetterChoice,
    folder: Path,
    *,
    record: bool,
    progress: Progress,
    cancelled: Cancelled,
) -> Outcome:
    """One PDF per letter in ``folder`` (the work of "Einzelne PDFs in Ordner …"); the same files go to the
    archive when the sending is recorded."""
    if not folder.is_dir():
        raise UserError(f"Den Ordner „{folder}“ gibt es nicht.")
    steps = Steps(progress, cancelled)
    letters = build_letters(database, choice)
    names = letter_file_names(choice.year, choice.template, letters)
    check_targets([folder / name for name in names.values()])
    steps.total = 1 + len(letters)
    steps.tick()
    pdfs = steps.archive_pdfs(letters, choice.form)
    steps.check()
    files = [(folder / names[inv_id], data) for inv_id, data in pdfs.items()]
    return commit_output(database, choice, letters, files, pdfs if record else None)
