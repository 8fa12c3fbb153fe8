"""Composing the messages of a run ahead of the sending, in a thread of its own (``ComposedAhead``).

While ``konferenz.mail.smtp.send_run`` waits for the mail server's reply to one message, the next one is
composed – its letter painted as PDF, the MIME bytes written. The server's turn (a few milliseconds per
message on a local relay) then costs no time of its own. Only the composing runs in the thread: every
state of the outbox is written by the sending thread, in order, so a message is still recorded *sending*
immediately before the server sees it.

At most ``DEPTH`` messages are composed ahead; a cancelled or broken run stops the thread and drops them
(they stay *queued*). A composer's ``UserError`` (too large, a broken template) is handed over as the
result of that message; any other exception is raised in the sending thread.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from types import TracebackType

from konferenz.errors import UserError
from konferenz.storage.models import MailMessage

#: messages composed ahead of the one being sent
DEPTH = 2


@dataclass(frozen=True)
class Composed:
    """One message of the run: its bytes and subject, or the German reason why it cannot be made."""

    row: MailMessage
    content: bytes = b""
    subject: str = ""
    problem: UserError | None = None


class _Failed:
    def __init__(self, exc: BaseException) -> None:
        self.exc = exc


_END = object()


class ComposedAhead:
    """``with ComposedAhead(rows, make) as ahead: for item in ahead: …`` – the rows' messages in order;
    ``make(row)`` gives the bytes and the subject of one."""

    def __init__(self, rows: Sequence[MailMessage], make: Callable[[MailMessage], tuple[bytes, str]]) -> None:
        self._rows = rows
        self._make = make
        self._queue: queue.Queue[object] = queue.Queue(maxsize=DEPTH)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._work, name="E-Mails vorbereiten", daemon=True)

    def _put(self, item: object) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def _work(self) -> None:
        try:
            for row in self._rows:
                if self._stop.is_set():
                    return
                try:
                    content, subject = self._make(row)
                    item = Composed(row, content, subject)
                except UserError as exc:
                    item = Composed(row, problem=exc)
                if not self._put(item):
                    return
        except BaseException as exc:
            self._put(_Failed(exc))
            return
        self._put(_END)

    def __enter__(self) -> ComposedAhead:
        self._thread.start()
        return self

    def __iter__(self) -> Iterator[Composed]:
        while True:
            item = self._queue.get()
            if item is _END:
                return
            if isinstance(item, _Failed):
                raise item.exc
            assert isinstance(item, Composed)
            yield item

    def __exit__(
        self, _type: type[BaseException] | None, _exc: BaseException | None, _tb: TracebackType | None
    ) -> None:
        self._stop.set()
        self._thread.join()
