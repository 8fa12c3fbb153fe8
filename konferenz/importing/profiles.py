"""Column mappings saved under a name (``ImportProfile``: header text → field), for
``plan_import(mapping=…)``, the wizard's "Zuordnung speichern" and ``konferenz import --profile``.
"""

from __future__ import annotations

from collections.abc import Mapping

import sqlalchemy as sa

from konferenz.errors import UserError
from konferenz.importing.plan import ImportPlan
from konferenz.storage.db import Database
from konferenz.storage.models import ImportProfile
from konferenz.text import collapse_spaces, fold


def _profile_mapping(mapping: ImportPlan | Mapping[str, str | None]) -> dict[str, str | None]:
    raw = mapping.mapping_by_header() if isinstance(mapping, ImportPlan) else dict(mapping)
    from konferenz.spreadsheets.columns import known_field

    for header, name in raw.items():
        if name is not None and not known_field(name):
            raise UserError(f"Unbekanntes Feld „{name}“ für die Spalte „{header}“.")
    return raw


def save_profile(database: Database, name: str, mapping: ImportPlan | Mapping[str, str | None]) -> int:
    """Save a column mapping (header text → field) under ``name``, replacing one of the same name."""
    name = collapse_spaces(name)
    if not name:
        raise UserError("Bitte einen Namen für die Zuordnung angeben.")
    if len(name) > 200:
        raise UserError("Der Name der Zuordnung darf höchstens 200 Zeichen haben.")
    columns = _profile_mapping(mapping)
    with database.session() as s:
        profile = s.scalar(sa.select(ImportProfile).where(ImportProfile.name == name))
        if profile is None:
            profile = ImportProfile(name=name, mapping={"columns": columns})
            s.add(profile)
        else:
            profile.mapping = {"columns": columns}
        s.flush()
        return profile.id


def load_profile(database: Database, name: str) -> dict[str, str | None]:
    """The mapping saved under ``name`` (header text → field), for ``plan_import(mapping=…)``."""
    with database.read_session() as s:
        profile = s.scalar(sa.select(ImportProfile).where(ImportProfile.name == collapse_spaces(name)))
        if profile is None:
            known = (
                ", ".join(s.scalars(sa.select(ImportProfile.name).order_by(ImportProfile.name))) or "keine"
            )
            raise UserError(f"Die Zuordnung „{name}“ gibt es nicht (gespeichert: {known}).")
        columns = (profile.mapping or {}).get("columns", {})
        return {str(k): (str(v) if v is not None else None) for k, v in columns.items()}


def list_profiles(database: Database) -> list[str]:
    with database.read_session() as s:
        return sorted(s.scalars(sa.select(ImportProfile.name)), key=fold)


def delete_profile(database: Database, name: str) -> None:
    with database.session() as s:
        s.execute(sa.delete(ImportProfile).where(ImportProfile.name == collapse_spaces(name)))
