"""Where the application keeps its files on this computer (platformdirs)."""

from __future__ import annotations

import getpass
import os
import socket
from pathlib import Path

import platformdirs

APP_NAME = "Konferenz"
APP_AUTHOR = "Kreis Borken"


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))


def log_dir() -> Path:
    return Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR))


def default_database_path() -> Path:
    return data_dir() / "konferenz.sqlite"


def resources_dir() -> Path:
    """The ``resources`` folder shipped with the program (templates, icons, fonts)."""
    import resources

    return Path(resources.__file__).parent


def os_user() -> str:
    """The operating system user, recorded with every change (audit log, who entered a reply)."""
    try:
        return getpass.getuser()
    except Exception:  # getuser raises OSError or KeyError when no user name can be found
        return os.environ.get("USERNAME", "unbekannt")


def host_name() -> str:
    return socket.gethostname()
