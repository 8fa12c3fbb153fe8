"""Schema migrations (Alembic). A database is created or upgraded automatically when it is opened.

``HEAD`` is the newest revision; a test checks it against Alembic's script directory. Comparing the
stored revision with it needs one query, so opening a current database never imports Alembic (startup).
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa

from konferenz.errors import UserError

if TYPE_CHECKING:
    from alembic.config import Config

log = logging.getLogger(__name__)

HEAD = "0008"
MIGRATIONS_DIR = Path(__file__).parent


#: indexes that exist on one backend only and are created by hand-written migrations
BACKEND_SPECIFIC_INDEXES = frozenset(
    {"ix_person_search_trgm", "ix_organisation_search_trgm", "ix_person_sort_search", "ix_person_sort_name"}
)


def include_object(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    """Autogenerate filter: ignore the backend-specific indexes."""
    return not (type_ == "index" and name in BACKEND_SPECIFIC_INDEXES)


def alembic_config(connection: sa.Connection | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def current_revision(conn: sa.Connection) -> str | None:
    """The stored revision, or None for an empty database. Raises UserError for a foreign database."""
    tables = set(sa.inspect(conn).get_table_names())
    if "alembic_version" not in tables:
        if tables:
            raise UserError("Die Datenbank enthält fremde Tabellen und ist keine Konferenz-Datenbank.")
        return None
    return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {rev.revision for rev in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def upgrade(engine: sa.Engine, revision: str = "head") -> None:
    from alembic import command

    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), revision)


def downgrade(engine: sa.Engine, revision: str) -> None:
    from alembic import command

    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), revision)


def ensure_current(engine: sa.Engine, name: str) -> None:
    """Create the schema in an empty database, or upgrade an older one to ``HEAD``."""
    with engine.connect() as conn:
        revision = current_revision(conn)
    if revision == HEAD:
        return
    if revision is not None and revision not in known_revisions():
        raise UserError(
            f"Die Datenbank „{name}“ wurde mit einer neueren Programmversion angelegt "
            f"(Schema {revision}). Bitte das Programm aktualisieren."
        )
    if revision is not None and engine.dialect.name == "sqlite" and engine.url.database:
        from konferenz.storage.backups import pre_migration_backup

        saved = pre_migration_backup(Path(engine.url.database), revision)
        log.info("Backup before migration: %s", saved)
    log.info("Migrating %s from %s to %s", name, revision or "empty", HEAD)
    upgrade(engine)
    if revision is None:
        from sqlalchemy.orm import Session

        from konferenz.storage.reference import ensure_reference_data

        with Session(engine) as session, session.begin():
            ensure_reference_data(session)
