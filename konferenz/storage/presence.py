"""Who else has the same database file open: a small marker file per running program, next to the database.

``<db>-in-Benutzung/<host>-<pid>.json`` holds user, computer and start time; the program touches it every
minute. Markers older than ``STALE_AFTER`` (a crashed program, a PC switched off) are ignored and cleaned
up; on the same computer a marker of a process that no longer runs is removed at once. Works on network
shares, where SQLite's own locks say nothing about who is there.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

from konferenz import paths

STALE_AFTER = dt.timedelta(minutes=5)


@dataclass(frozen=True)
class Presence:
    user: str
    host: str
    pid: int
    since: dt.datetime

    @property
    def text(self) -> str:
        return f"{self.user} auf {self.host} (seit {self.since:%H:%M} Uhr)"


def folder(db_path: Path) -> Path:
    return db_path.parent / f"{db_path.name}-in-Benutzung"


def _pid_alive(pid: int) -> bool:
    if os.name == "nt":  # pragma: no cover - Windows
        import ctypes

        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)  # type: ignore[attr-defined]
        if handle:
            ctypes.windll.kernel32.CloseHandle(handle)  # type: ignore[attr-defined]
            return True
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class PresenceMarker:
    """This program's marker for one database file."""

    def __init__(self, db_path: Path, *, pid: int | None = None) -> None:
        self.db_path = db_path
        self.pid = pid or os.getpid()
        self.host = paths.host_name()
        self.path = folder(db_path) / f"{self.host}-{self.pid}.json"

    def register(self) -> None:
        try:
            self.path.parent.mkdir(exist_ok=True)
            self.path.write_text(
                json.dumps(
                    {
                        "user": paths.os_user(),
                        "host": self.host,
                        "pid": self.pid,
                        "since": dt.datetime.now().replace(microsecond=0).isoformat(),
                    }
                ),
                encoding="utf-8",
            )
        except OSError:  # a read-only share: nobody learns about us, but work goes on
            pass

    def heartbeat(self) -> None:
        try:
            os.utime(self.path)
        except OSError:
            self.register()

    def unregister(self) -> None:
        try:
            self.path.unlink(missing_ok=True)
            self.path.parent.rmdir()  # only when empty
        except OSError:
            pass

    def others(self, now: float | None = None) -> list[Presence]:
        """The other programs that have the file open right now."""
        now = now if now is not None else time.time()
        found = []
        directory = self.path.parent
        for marker in sorted(directory.glob("*.json")) if directory.is_dir() else []:
            if marker == self.path:
                continue
            try:
                data = json.loads(marker.read_text(encoding="utf-8"))
                age = now - marker.stat().st_mtime
                presence = Presence(
                    str(data["user"]),
                    str(data["host"]),
                    int(data["pid"]),
                    dt.datetime.fromisoformat(data["since"]),
                )
            except (OSError, ValueError, KeyError, TypeError):
                continue
            stale = age > STALE_AFTER.total_seconds() or (
                presence.host == self.host and not _pid_alive(presence.pid)
            )
            if stale:
                marker.unlink(missing_ok=True)
                continue
            found.append(presence)
        return found
