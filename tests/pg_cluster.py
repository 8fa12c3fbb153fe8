"""A throwaway PostgreSQL cluster for the test suite and the benchmarks.

Started with the server binaries of Debian's ``postgresql`` package (or any ``initdb`` on PATH): initdb into
a temporary folder, a private port on 127.0.0.1, trust authentication, stopped and deleted afterwards.
When running as root the cluster runs as the ``postgres`` (or ``nobody``) user, since PostgreSQL refuses
to run as root. If no server binaries are found, ``find_bin_dir()`` returns None and callers skip.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ENV_URL = "KONFERENZ_TEST_PG"  # use an existing server instead: postgresql+psycopg://user@host:port/


def find_bin_dir() -> Path | None:
    on_path = shutil.which("initdb")
    if on_path:
        return Path(on_path).parent
    candidates = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), reverse=True)
    return candidates[0].parent if candidates else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Cluster:
    port: int
    user: str

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{database}"


def _run_as(user: str | None, cmd: list[str]) -> subprocess.CompletedProcess[str]:
    if user is not None:
        cmd = ["runuser", "-u", user, "--", *cmd]
    return subprocess.run(cmd, check=True, capture_output=True, text=True, timeout=120)


@contextlib.contextmanager
def running_cluster() -> Iterator[Cluster | None]:
    """Start a cluster; yields None when no server binaries are installed."""
    bin_dir = find_bin_dir()
    if bin_dir is None:
        yield None
        return
    run_user: str | None = None
    if os.geteuid() == 0:
        for candidate in ("postgres", "nobody"):
            with contextlib.suppress(KeyError):
                pwd.getpwnam(candidate)
                run_user = candidate
                break
    db_user = run_user or pwd.getpwuid(os.geteuid()).pw_name
    tmp = Path(tempfile.mkdtemp(prefix="konferenz-pg-"))
    try:
        if run_user is not None:
            pw = pwd.getpwnam(run_user)
            os.chown(tmp, pw.pw_uid, pw.pw_gid)
        data = tmp / "data"
        _run_as(
            run_user,
            [
                str(bin_dir / "initdb"),
                "-D",
                str(data),
                "-U",
                db_user,
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ],
        )
        port = _free_port()
        options = (
            f"-p {port} -k {tmp} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        _run_as(
            run_user,
            [
                str(bin_dir / "pg_ctl"),
                "-D",
                str(data),
                "-o",
                options,
                "-l",
                str(tmp / "log"),
                "-w",
                "-t",
                "60",
                "start",
            ],
        )
        try:
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                with socket.socket() as s:
                    if s.connect_ex(("127.0.0.1", port)) == 0:
                        break
                time.sleep(0.1)
            yield Cluster(port=port, user=db_user)
        finally:
            _run_as(run_user, [str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
