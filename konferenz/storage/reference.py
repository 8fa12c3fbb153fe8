"""Reference data every database starts with: the default categories and the 17 municipalities."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from konferenz.enums import MunicipalityKind
from konferenz.storage.models import Category, Municipality


@dataclass(frozen=True)
class CategoryDefault:
    name: str
    synonyms: str = ""
    is_migrant_organisation: bool = False


DEFAULT_CATEGORIES: tuple[CategoryDefault, ...] = (
    CategoryDefault("Freier Träger", "Träger,freie Träger,Freie Träger der Jugendhilfe"),
    CategoryDefault("Wohlfahrtsverband", "Wohlfahrt,Wohlfahrtsverbände,Spitzenverband"),
    CategoryDefault(
        "Migrantenselbstorganisation",
        "MSO,MO,Migrantenorganisation,Migrantenselbstorganisationen,Migrantenverein",
        is_migrant_organisation=True,
    ),
    CategoryDefault("Fachleute", "Experten,Expertinnen,Fachkräfte,Wissenschaft,Praxis"),
    CategoryDefault("Verwaltung", "Kreisverwaltung,Behörde,Amt"),
    CategoryDefault("Politik", "Kreistag,Landtag,Fraktion,Bürgermeister"),
    CategoryDefault("Kommune", "Stadt,Gemeinde,Kommunen"),
    CategoryDefault("Bildung", "Schule,Schulen,Kita,Hochschule,VHS,Volkshochschule"),
    CategoryDefault("Sonstige", "Sonstiges,Andere"),
)


@dataclass(frozen=True)
class MunicipalityDefault:
    name: str
    kind: MunicipalityKind
    postal_codes: tuple[str, ...]


MUNICIPALITIES: tuple[MunicipalityDefault, ...] = (
    MunicipalityDefault("Ahaus", MunicipalityKind.CITY, ("48683",)),
    MunicipalityDefault("Bocholt", MunicipalityKind.CITY, ("46395", "46397", "46399")),
    MunicipalityDefault("Borken", MunicipalityKind.CITY, ("46325",)),
    MunicipalityDefault("Gescher", MunicipalityKind.CITY, ("48712",)),
    MunicipalityDefault("Gronau (Westf.)", MunicipalityKind.CITY, ("48599",)),
    MunicipalityDefault("Isselburg", MunicipalityKind.CITY, ("46419",)),
    MunicipalityDefault("Rhede", MunicipalityKind.CITY, ("46414",)),
    MunicipalityDefault("Stadtlohn", MunicipalityKind.CITY, ("48703",)),
    MunicipalityDefault("Velen", MunicipalityKind.CITY, ("46342",)),
    MunicipalityDefault("Vreden", MunicipalityKind.CITY, ("48691",)),
    MunicipalityDefault("Heek", MunicipalityKind.MUNICIPALITY, ("48619",)),
    MunicipalityDefault("Heiden", MunicipalityKind.MUNICIPALITY, ("46359",)),
    MunicipalityDefault("Legden", MunicipalityKind.MUNICIPALITY, ("48739",)),
    MunicipalityDefault("Raesfeld", MunicipalityKind.MUNICIPALITY, ("46348",)),
    MunicipalityDefault("Reken", MunicipalityKind.MUNICIPALITY, ("48734",)),
    MunicipalityDefault("Schöppingen", MunicipalityKind.MUNICIPALITY, ("48624",)),
    MunicipalityDefault("Südlohn", MunicipalityKind.MUNICIPALITY, ("46354",)),
)


def ensure_reference_data(session: Session) -> None:
    """Add missing default categories and municipalities; never changes or removes existing ones."""
    have = set(session.scalars(sa.select(Category.name)))
    for order, cat in enumerate(DEFAULT_CATEGORIES):
        if cat.name not in have:
            session.add(
                Category(
                    name=cat.name,
                    synonyms=cat.synonyms,
                    is_migrant_organisation=cat.is_migrant_organisation,
                    sort_order=order,
                )
            )
    have = set(session.scalars(sa.select(Municipality.name)))
    for mun in MUNICIPALITIES:
        if mun.name not in have:
            session.add(Municipality(name=mun.name, kind=mun.kind, postal_codes=",".join(mun.postal_codes)))


def municipality_for_postal_code(session: Session, postal_code: str) -> Municipality | None:
    """The municipality of the Kreis whose postal codes include ``postal_code``, if any."""
    code = postal_code.strip()
    if not code:
        return None
    for mun in session.scalars(sa.select(Municipality)):
        if code in mun.postal_codes.split(","):
            return mun
    return None
