"""Where the application keeps its files on this computer (platformdirs)."""

from __future__ import annotations

import configparser
import getpass
import os
import socket
import sys
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


#: the configuration file IT may put next to the program (or name in ``KONFERENZ_CONFIG``)
CONFIG_FILE = "konferenz.ini"
CONFIG_ENV_VAR = "KONFERENZ_CONFIG"


def program_dir() -> Path | None:
    """The folder of the installed program (the self-contained build), None when run from Python."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent
    return None


def config_file() -> Path | None:
    """The machine-wide configuration: ``KONFERENZ_CONFIG``, else ``konferenz.ini`` next to the program."""
    named = os.environ.get(CONFIG_ENV_VAR, "").strip()
    if named:
        return Path(named)
    folder = program_dir()
    return folder / CONFIG_FILE if folder is not None else None


def configured(section: str, key: str) -> str:
    """A value of the machine-wide configuration ("" when there is none). A file that cannot be read is
    ignored with a note in the log; the program then uses its defaults."""
    path = config_file()
    if path is None or not path.is_file():
        return ""
    parser = configparser.ConfigParser(interpolation=None)
    try:
        with path.open(encoding="utf-8-sig") as fh:
            parser.read_file(fh)
    except (OSError, UnicodeDecodeError, configparser.Error) as exc:
        import logging

        logging.getLogger(__name__).warning("Konfiguration %s nicht lesbar: %s", path, exc)
        return ""
    return parser.get(section, key, fallback="").strip()


def os_user() -> str:
    """The operating system user, recorded with every change (audit log, who entered a reply)."""
    try:
        return getpass.getuser()
    except Exception:  # getuser raises OSError or KeyError when no user name can be found
        return os.environ.get("USERNAME", "unbekannt")


def host_name() -> str:
    return socket.gethostname()
