"""Deterministic demo data: a realistic Kreis Borken with invitees, four conferences and their results.

``generate_demo()`` fills an empty database in one transaction: the 17 municipalities as organisations with
a mayor each, about fifty other organisations of every category (a few outside the Kreis and one abroad),
``persons`` people with names from the communities that live in the Kreis (German, Turkish, Arabic, Kurdish,
Polish, Russian and Ukrainian in Cyrillic, Vietnamese, Dutch …), the Integrationskonferenzen 2023–2025 with
agenda, forums, invitations, minutes and recommendations followed up over the years, and the conference
2026 in planning.

Everything is derived from ``random.Random`` seeded with ``seed`` and from fixed dates, so the same seed
gives the same database content, row for row. The demo world's "today" is :data:`DEMO_TODAY`.

Counts: ``persons`` is the exact number of Person rows written, including the named example persons
(``_SHOWCASE``, created first) and the 17 mayors (created next); a smaller number keeps only the first
ones. Organisations: the 17 municipalities and the fixed list below (51), plus one generated organisation
(school, Kita, club, association …) per 100 persons above 1,000, at most 884, so the people of large demos
spread over a realistic number of organisations.

Speed: the tables are written with Core ``executemany`` inserts and primary keys assigned here (never one
ORM object per row); 100,000 persons take well under two minutes. On PostgreSQL the id sequences are moved
past the inserted ids afterwards. Measured: 100,000 persons in about 8 s on SQLite and 15 s on PostgreSQL.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from konferenz.enums import (
    AgendaItemType,
    Channel,
    ConsentPurpose,
    Gender,
    InvitationStatus,
    LegalBasis,
    MunicipalityKind,
    RecommendationStatus,
)
from konferenz.errors import UserError
from konferenz.registry.search_keys import organisation_search_text, person_search_text
from konferenz.storage.db import Database
from konferenz.storage.models import Base, Category, Conference, Municipality, Organisation, Person, Tag
from konferenz.storage.reference import MUNICIPALITIES, ensure_reference_data
from konferenz.text import ascii_name

#: "today" in the demo world: the conference 2026 is being prepared, due dates before it are overdue
DEMO_TODAY = dt.date(2026, 11, 1)
#: the staff accounts that appear as "entered by"
STAFF_USERS = ("mueller.k", "schulte.b", "hoffmann.j", "demir.s")
TAG_NAMES = (
    "Newsletter",
    "Integrationsrat",
    "Presse",
    "Ehrenamt",
    "Referentin/Referent",
    "Vorbereitungsgruppe",
)
_CHUNK = 5000
_TABLES = Base.metadata.tables

CAT_FREE = "Freier Träger"
CAT_WELFARE = "Wohlfahrtsverband"
CAT_MSO = "Migrantenselbstorganisation"
CAT_EXPERTS = "Fachleute"
CAT_ADMIN = "Verwaltung"
CAT_POLITICS = "Politik"
CAT_MUNICIPALITY = "Kommune"
CAT_EDUCATION = "Bildung"
CAT_OTHER = "Sonstige"
_CATEGORY_NAMES = (
    CAT_FREE,
    CAT_WELFARE,
    CAT_MSO,
    CAT_EXPERTS,
    CAT_ADMIN,
    CAT_POLITICS,
    CAT_MUNICIPALITY,
    CAT_EDUCATION,
    CAT_OTHER,
)


@dataclass
class DemoSummary:
    """How many rows ``generate_demo`` wrote, per kind."""

    persons: int = 0
    organisations: int = 0
    roles: int = 0
    tags: int = 0
    person_tags: int = 0
    organisation_tags: int = 0
    consent_records: int = 0
    conferences: int = 0
    agenda_items: int = 0
    agenda_persons: int = 0
    forums: int = 0
    invitations: int = 0
    minutes_entries: int = 0
    recommendations: int = 0
    recommendation_updates: int = 0


# --------------------------------------------------------------------------------------------------------
# search keys


# --------------------------------------------------------------------------------------------------------
# compact data tables


def _split(text: str, sep: str = ",") -> tuple[str, ...]:
    """``"a, b, c"`` → ``("a", "b", "c")``; empty parts are dropped."""
    return tuple(part.strip() for part in text.split(sep) if part.strip())


def _rows(text: str, columns: int) -> list[list[str]]:
    """The rows of a ``|``-separated table; blank lines and ``#`` comments are skipped."""
    rows = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [cell.strip() for cell in line.split("|")]
        if len(cells) != columns:
            raise ValueError(f"demo table row has {len(cells)} cells, expected {columns}: {line!r}")
        rows.append(cells)
    return rows


# --------------------------------------------------------------------------------------------------------
# places

#: municipality → Rathaus street, postal code, switchboard, web domain, population in thousands
_TOWN_HALLS: dict[str, tuple[str, str, str, str, int]] = {
    "Ahaus": ("Rathausplatz 1", "48683", "02561 72-0", "ahaus.de", 40),
    "Bocholt": ("Kaiser-Wilhelm-Straße 52–58", "46395", "02871 953-0", "bocholt.de", 71),
    "Borken": ("Im Piepershagen 17", "46325", "02861 939-0", "borken.de", 42),
    "Gescher": ("Marktplatz 1", "48712", "02542 60-0", "gescher.de", 17),
    "Gronau (Westf.)": ("Konrad-Adenauer-Straße 1", "48599", "02562 12-0", "gronau.de", 49),
    "Isselburg": ("Markt 14", "46419", "02874 911-0", "isselburg.de", 11),
    "Rhede": ("Rathausplatz 9", "46414", "02872 930-0", "rhede.de", 19),
    "Stadtlohn": ("Markt 3", "48703", "02563 87-0", "stadtlohn.de", 20),
    "Velen": ("Ramsdorfer Straße 19", "46342", "02863 926-0", "velen.de", 13),
    "Vreden": ("Burgstraße 14", "48691", "02564 303-0", "vreden.de", 23),
    "Heek": ("Bahnhofstraße 60", "48619", "02568 9300-0", "heek.de", 9),
    "Heiden": ("Rathausplatz 1", "46359", "02867 977-0", "heiden.de", 8),
    "Legden": ("Amtshausstraße 1", "48739", "02566 208-0", "legden.de", 7),
    "Raesfeld": ("Weseler Straße 19", "46348", "02865 955-0", "raesfeld.de", 12),
    "Reken": ("Kirchstraße 14", "48734", "02864 944-0", "reken.de", 15),
    "Schöppingen": ("Amtsstraße 17", "48624", "02555 88-0", "schoeppingen.de", 8),
    "Südlohn": ("Winterswyker Straße 1", "46354", "02862 582-0", "suedlohn.de", 9),
}
_TOWN_NAMES = list(_TOWN_HALLS)
_TOWN_WEIGHTS = [hall[4] for hall in _TOWN_HALLS.values()]
_AREA_CODES = {name: hall[2].split(" ")[0] for name, hall in _TOWN_HALLS.items()}
_POSTAL_CODES = {m.name: m.postal_codes for m in MUNICIPALITIES}

#: private addresses outside the Kreis and abroad: postal code, city, country, area code
_OUTSIDE = (
    ("48143", "Münster", "", "0251"),
    ("48149", "Münster", "", "0251"),
    ("40213", "Düsseldorf", "", "0211"),
    ("01067", "Dresden", "", "0351"),
    ("45127", "Essen", "", "0201"),
    ("44135", "Dortmund", "", "0231"),
)
_ABROAD = (
    ("7511 JN", "Enschede", "Niederlande", "+31 53"),
    ("7101 BN", "Winterswijk", "Niederlande", "+31 543"),
    ("1010", "Wien", "Österreich", "+43 1"),
)
_STREETS = _split(
    "Hauptstraße, Kirchstraße, Bahnhofstraße, Schulstraße, Gartenstraße, Lindenstraße, Mühlenweg, Ringstraße, "
    "Am Markt, Birkenweg, Eschstraße, Feldstraße, Wiesenweg, Eichendorffstraße, Goethestraße, Schillerstraße, "
    "Marienstraße, Ludgeristraße, Nordring, Südring, Ostwall, Westwall, Bocholter Straße, Borkener Straße, "
    "Ahauser Straße, Coesfelder Straße, Vredener Straße, Stadtlohner Straße, Heidener Straße, "
    "Raesfelder Straße, Am Sportplatz, Droste-Hülshoff-Straße, Kardinal-von-Galen-Straße, Amselweg, "
    "Drosselweg, Ahornweg, Bergstraße, Kolpingstraße, Overbergstraße, Dinxperloer Straße, Up de Welle, "
    "Im Kämpken"
)
_FOREIGN_STREETS = _split("Hengelosestraat, Kerkstraat, Markt, Stephansplatz")


# --------------------------------------------------------------------------------------------------------
# organisations


@dataclass(frozen=True)
class _OrgDef:
    key: str
    category: str
    name: str
    department: str
    short_name: str
    street: str
    po_box: str
    postal_code: str
    city: str
    country: str
    #: the Kreis municipality, None outside the Kreis
    municipality: str | None
    phone: str
    email: str
    website: str
    tags: tuple[str, ...] = ()
    notes: str = ""


# key | category | name | department | short name | street or Postfach | PLZ | city | country | phone | e-mail | website | tags
_ORGANISATION_TABLE = """
caritas_borken | Wohlfahrtsverband | Caritasverband für das Dekanat Borken e. V. | Fachdienst Integration und Migration | Caritas Borken | Turmstraße 14 | 46325 | Borken | | 02861 945-0 | integration@caritas-borken.de | www.caritas-borken.de | Newsletter
caritas_ahaus | Wohlfahrtsverband | Caritasverband für die Dekanate Ahaus und Vreden e. V. | Migrationsdienst | Caritas Ahaus-Vreden | Marktstraße 18 | 48683 | Ahaus | | 02561 4209-0 | migration@caritas-ahaus-vreden.de | www.caritas-ahaus-vreden.de |
caritas_bocholt | Wohlfahrtsverband | Caritasverband für das Dekanat Bocholt e. V. | Migrationsberatung für Erwachsene | Caritas Bocholt | Ostwall 44 | 46397 | Bocholt | | 02871 2513-0 | mbe@caritas-bocholt.de | www.caritas-bocholt.de |
diakonie | Wohlfahrtsverband | Diakonisches Werk im Kirchenkreis Steinfurt-Coesfeld-Borken e. V. | Flüchtlingsberatung | Diakonie | Bahnhofstraße 16 | 48599 | Gronau (Westf.) | | 02562 7012-0 | fluechtlingsberatung@diakonie-skbt.de | www.diakonie-skbt.de | Newsletter
awo | Wohlfahrtsverband | AWO Unterbezirk Münsterland-Recklinghausen | Integrationsagentur Bocholt | AWO | Nordstraße 24 | 46399 | Bocholt | | 02871 18465-0 | integrationsagentur.bocholt@awo-msl-re.de | www.awo-msl-re.de |
drk | Wohlfahrtsverband | DRK-Kreisverband Borken e. V. | Migrationsdienst | DRK Borken | Josefstraße 2 | 46325 | Borken | | 02861 8030-0 | migration@drk-borken.de | www.drk-borken.de |
paritaet | Wohlfahrtsverband | Der Paritätische NRW – Kreisgruppe Borken | | Paritätischer | Heidener Straße 60 | 46325 | Borken | | 02861 6048-0 | borken@paritaet-nrw.org | www.paritaet-nrw.org |
ib | Freier Träger | Internationaler Bund (IB) West gGmbH | Jugendmigrationsdienst Kreis Borken | IB West | Wüllener Straße 31 | 48683 | Ahaus | | 02561 95841-0 | jmd-borken@ib.de | www.internationaler-bund.de |
skf | Freier Träger | Sozialdienst katholischer Frauen e. V. Bocholt | | SkF Bocholt | Kirchstraße 5 | 46397 | Bocholt | | 02871 2516-0 | info@skf-bocholt.de | www.skf-bocholt.de |
fluechtlingshilfe_rhede | Freier Träger | Flüchtlingshilfe Rhede e. V. | | | Hohe Straße 17 | 46414 | Rhede | | 02872 80634 | kontakt@fluechtlingshilfe-rhede.de | | Newsletter
ak_asyl_vreden | Freier Träger | Arbeitskreis Asyl Vreden e. V. | | | Twicklerstraße 9 | 48691 | Vreden | | 02564 395117 | ak-asyl-vreden@web.de | |
kolping | Freier Träger | Kolping-Bildungszentrum Westmünsterland gGmbH | Migrationsprojekte | Kolping | Kirchstraße 23 | 48703 | Stadtlohn | | 02563 9355-0 | migration@kolping-westmuensterland.de | www.kolping-westmuensterland.de |
ditib_bocholt | Migrantenselbstorganisation | Türkisch-Islamische Gemeinde zu Bocholt e. V. (DITIB) | | DITIB Bocholt | Werther Straße 64 | 46395 | Bocholt | | 02871 183322 | ditib.bocholt@gmail.com | | Newsletter
syrisch | Migrantenselbstorganisation | Syrischer Kulturverein Münsterland e. V. | | | Bahnhofstraße 24 | 46325 | Borken | | 02861 8097745 | info@syrischer-kulturverein.de | | Newsletter
polnisch | Migrantenselbstorganisation | Polnische Katholische Mission Bocholt | | | St.-Georg-Platz 3 | 46399 | Bocholt | | 02871 21765-0 | pmk.bocholt@bistum-muenster.de | |
viet | Migrantenselbstorganisation | Vietnamesischer Verein Gronau e. V. | | | Eper Straße 51 | 48599 | Gronau (Westf.) | | 02562 993410 | vietnam.gronau@gmx.de | |
kurd | Migrantenselbstorganisation | Kurdischer Kulturverein Ahaus e. V. | | | Industriestraße 12 | 48683 | Ahaus | | 02561 868231 | kurdischer.kulturverein.ahaus@web.de | |
raduga | Migrantenselbstorganisation | Russischsprachiger Elternverein „Радуга“ e. V. | | Радуга | Enscheder Straße 120 | 48599 | Gronau (Westf.) | | 02562 716602 | raduga.gronau@gmx.de | |
ukr | Migrantenselbstorganisation | Ukrainische Gemeinde im Kreis Borken e. V. | | | Ahauser Straße 44 | 46325 | Borken | | 02861 9081237 | ukr.gemeinde.borken@gmail.com | |
afrika | Migrantenselbstorganisation | Afrikanischer Kulturverein Westmünsterland e. V. | | | Neustraße 8 | 48703 | Stadtlohn | | 02563 208814 | afrika.westmuensterland@web.de | |
alevi | Migrantenselbstorganisation | Alevitische Gemeinde Gronau und Umgebung e. V. | | | Gildehauser Straße 90 | 48599 | Gronau (Westf.) | | 02562 22815 | info@alevi-gronau.de | |
eritrea | Migrantenselbstorganisation | Eritreische Gemeinschaft Kreis Borken | | | Postfach 10 04 12 | 46382 | Bocholt | | | eritrea.borken@gmail.com | |
uni_ms | Fachleute | Universität Münster | Institut für Soziologie | Uni Münster | Scharnhorststraße 121 | 48151 | Münster | | 0251 83-23241 | soziologie@uni-muenster.de | www.uni-muenster.de |
whs | Fachleute | Westfälische Hochschule | Campus Bocholt | WH Bocholt | Münsterstraße 265 | 46397 | Bocholt | | 02871 2155-0 | info.bocholt@w-hs.de | www.w-hs.de |
zfti | Fachleute | Zentrum für Türkeistudien und Integrationsforschung | | ZfTI | Altendorfer Straße 3 | 45127 | Essen | | 0201 3198-0 | info@zfti.de | www.zfti.de |
dresden | Fachleute | Geschäftsstelle des Sächsischen Ausländerbeauftragten | | SAB | Bernhard-von-Lindenau-Platz 1 | 01067 | Dresden | | 0351 493-5171 | auslaenderbeauftragter@slt.sachsen.de | |
ki | Verwaltung | Kreis Borken | Kommunales Integrationszentrum | KI Kreis Borken | Burloer Straße 93 | 46325 | Borken | | 02861 681-0 | integration@kreis-borken.de | www.kreis-borken.de | Vorbereitungsgruppe
schulamt | Verwaltung | Kreis Borken | Schulamt für den Kreis Borken | Schulamt | Burloer Straße 93 | 46325 | Borken | | 02861 681-4101 | schulamt@kreis-borken.de | www.kreis-borken.de |
auslaenderbehoerde | Verwaltung | Kreis Borken | Fachbereich Ordnung – Ausländerbehörde | | Burloer Straße 93 | 46325 | Borken | | 02861 681-3301 | auslaenderbehoerde@kreis-borken.de | www.kreis-borken.de |
jobcenter | Verwaltung | Jobcenter Kreis Borken | Team Integration Point | Jobcenter | Ahauser Straße 10 | 46325 | Borken | | 02861 681-3000 | integration-point@jobcenter-kreis-borken.de | www.jobcenter-kreis-borken.de |
agentur | Verwaltung | Agentur für Arbeit Coesfeld | Geschäftsstelle Bocholt | | Adenauerallee 32 | 46399 | Bocholt | | +49 2871 2186-0 | coesfeld.bocholt@arbeitsagentur.de | www.arbeitsagentur.de |
bezreg | Verwaltung | Bezirksregierung Münster | Dezernat 36 – Integration | | Domplatz 1–3 | 48143 | Münster | | 0251 411-0 | dezernat36@brms.nrw.de | www.bezreg-muenster.de |
ministerium | Verwaltung | Ministerium für Kinder, Jugend, Familie, Gleichstellung, Flucht und Integration des Landes Nordrhein-Westfalen | Abteilung Integration | MKJFGFI NRW | Völklinger Straße 49 | 40221 | Düsseldorf | | 0211 837-02 | poststelle@mkjfgfi.nrw.de | www.mkjfgfi.nrw |
cdu | Politik | CDU-Fraktion im Kreistag Borken | | | Burloer Straße 93 | 46325 | Borken | | 02861 681-2010 | cdu-fraktion@kreis-borken.de | |
spd | Politik | SPD-Fraktion im Kreistag Borken | | | Burloer Straße 93 | 46325 | Borken | | 02861 681-2020 | spd-fraktion@kreis-borken.de | |
gruene | Politik | Fraktion Bündnis 90/Die Grünen im Kreistag Borken | | | Burloer Straße 93 | 46325 | Borken | | 02861 681-2030 | gruene-fraktion@kreis-borken.de | |
fdp | Politik | FDP-Fraktion im Kreistag Borken | | | Burloer Straße 93 | 46325 | Borken | | 02861 681-2040 | fdp-fraktion@kreis-borken.de | |
ir_bocholt | Politik | Integrationsrat der Stadt Bocholt | | | Kaiser-Wilhelm-Straße 52–58 | 46395 | Bocholt | | 02871 953-2140 | integrationsrat@bocholt.de | | Integrationsrat
ir_gronau | Politik | Integrationsrat der Stadt Gronau (Westf.) | | | Konrad-Adenauer-Straße 1 | 48599 | Gronau (Westf.) | | 02562 12-311 | integrationsrat@gronau.de | | Integrationsrat
landtag | Politik | Landtag Nordrhein-Westfalen | | | Platz des Landtags 1 | 40221 | Düsseldorf | | 0211 884-0 | email@landtag.nrw.de | www.landtag.nrw.de |
vhs_bocholt | Bildung | Volkshochschule Bocholt-Rhede-Isselburg | Fachbereich Deutsch als Zweitsprache | VHS Bocholt | Südwall 4 | 46397 | Bocholt | | 02871 2524-0 | daz@vhs-bocholt.de | www.vhs-bocholt.de |
vhs_borken | Bildung | Volkshochschule Borken | | VHS Borken | Mühlenstraße 28 | 46325 | Borken | | 02861 9240-0 | info@vhs-borken.de | www.vhs-borken.de |
vhs_gronau | Bildung | Volkshochschule Gronau | Integrationskurse | VHS Gronau | Parkweg 22 | 48599 | Gronau (Westf.) | | 02562 9390-0 | integrationskurse@vhs-gronau.de | www.vhs-gronau.de |
bk | Bildung | Berufskolleg am Wasserturm | Internationale Förderklassen | | Adenauerallee 59 | 46399 | Bocholt | | 02871 2187-0 | verwaltung@bk-am-wasserturm.de | |
fbs | Bildung | Familienbildungsstätte Bocholt | | FBS Bocholt | Ostwall 39 | 46397 | Bocholt | | 02871 2395-0 | info@fbs-bocholt.de | |
bbv | Sonstige | Bocholter-Borkener Volksblatt | Lokalredaktion Bocholt | BBV | Europaplatz 26–28 | 46399 | Bocholt | | 02871 284-0 | lokales@bbv-net.de | www.bbv-net.de | Presse
bz | Sonstige | Borkener Zeitung | Lokalredaktion | BZ | Johann-Walling-Straße 45 | 46325 | Borken | | 02861 944-0 | redaktion@borkenerzeitung.de | www.borkenerzeitung.de | Presse
euregio | Sonstige | EUREGIO | GrenzInfoPunkt | | Enscheder Straße 362 | 48599 | Gronau (Westf.) | | +49 2562 702-0 | info@euregio.eu | www.euregio.eu |
khs | Sonstige | Kreishandwerkerschaft Borken | | KH Borken | Handwerkerstraße 1 | 46325 | Borken | | 02861 9220-0 | info@kh-borken.de | www.kh-borken.de |
ksb | Sonstige | KreisSportBund Borken e. V. | Integration durch Sport | KSB | Am Kuhm 39 | 46325 | Borken | | 02861 9087-0 | info@ksb-borken.de | www.ksb-borken.de |
enschede | Sonstige | Gemeente Enschede | Team Internationale Zaken | | Langestraat 24 | 7511 HC | Enschede | Niederlande | +31 53 481 81 81 | info@enschede.nl | www.enschede.nl |
"""
_ORGANISATION_NOTES = {"eritrea": "Nur postalisch über das Postfach erreichbar."}


def _organisation_defs() -> tuple[_OrgDef, ...]:
    municipal = {m.name for m in MUNICIPALITIES}
    result = []
    for mun in MUNICIPALITIES:
        street, postal_code, phone, domain, _ = _TOWN_HALLS[mun.name]
        kind = "Stadt" if mun.kind is MunicipalityKind.CITY else "Gemeinde"
        result.append(
            _OrgDef(
                f"kommune:{mun.name}",
                CAT_MUNICIPALITY,
                f"{kind} {mun.name}",
                "Fachbereich Soziales" if mun.name in ("Bocholt", "Gronau (Westf.)") else "",
                "",
                street,
                "",
                postal_code,
                mun.name,
                "",
                mun.name,
                phone,
                f"info@{domain}",
                f"www.{domain}",
                ("Newsletter",),
            )
        )
    for row in _rows(_ORGANISATION_TABLE, 13):
        key, category, name, department, short, street, plz, city, country, phone, email, website, tags = row
        po_box = street if street.startswith("Postfach") else ""
        result.append(
            _OrgDef(
                key,
                category,
                name,
                department,
                short,
                "" if po_box else street,
                po_box,
                plz,
                city,
                country,
                city if city in municipal and not country else None,
                phone,
                email,
                website,
                _split(tags),
                _ORGANISATION_NOTES.get(key, ""),
            )
        )
    return tuple(result)


#: gendered functions per category: female | male | neutral (diverse, unknown)
_FUNCTION_TABLE = """
Kommune | Integrationsbeauftragte | Integrationsbeauftragter | Integrationsbeauftragte Person
Kommune | Fachbereichsleiterin Soziales | Fachbereichsleiter Soziales | Fachbereichsleitung Soziales
Kommune | Sachbearbeiterin Asyl | Sachbearbeiter Asyl | Sachbearbeitung Asyl
Kommune | Sozialarbeiterin | Sozialarbeiter | Fachkraft Soziale Arbeit
Kommune | Quartiersmanagerin | Quartiersmanager | Quartiersmanagement
Kommune | Leiterin des Ordnungsamtes | Leiter des Ordnungsamtes | Leitung Ordnungsamt
Wohlfahrtsverband | Geschäftsführerin | Geschäftsführer | Geschäftsführung
Wohlfahrtsverband | Bereichsleiterin Migration | Bereichsleiter Migration | Bereichsleitung Migration
Wohlfahrtsverband | Migrationsberaterin | Migrationsberater | Migrationsberatung
Wohlfahrtsverband | Koordinatorin Ehrenamt | Koordinator Ehrenamt | Koordination Ehrenamt
Wohlfahrtsverband | Sozialarbeiterin | Sozialarbeiter | Fachkraft Soziale Arbeit
Freier Träger | Geschäftsführerin | Geschäftsführer | Geschäftsführung
Freier Träger | Projektleiterin | Projektleiter | Projektleitung
Freier Träger | Sozialpädagogin | Sozialpädagoge | Fachkraft Sozialpädagogik
Freier Träger | Vorsitzende | Vorsitzender | Vorsitz
Freier Träger | Ehrenamtliche Koordinatorin | Ehrenamtlicher Koordinator | Ehrenamtliche Koordination
Migrantenselbstorganisation | Vorsitzende | Vorsitzender | Vorsitz
Migrantenselbstorganisation | Stellvertretende Vorsitzende | Stellvertretender Vorsitzender | Stellvertretender Vorsitz
Migrantenselbstorganisation | Kassiererin | Kassierer | Kasse
Migrantenselbstorganisation | Schriftführerin | Schriftführer | Schriftführung
Migrantenselbstorganisation | Beisitzerin | Beisitzer | Beisitz
Migrantenselbstorganisation | Ehrenamtliche Sprachmittlerin | Ehrenamtlicher Sprachmittler | Ehrenamtliche Sprachmittlung
Fachleute | Wissenschaftliche Mitarbeiterin | Wissenschaftlicher Mitarbeiter | Wissenschaftliche Mitarbeit
Fachleute | Referentin | Referent | Referat
Fachleute | Projektleiterin | Projektleiter | Projektleitung
Verwaltung | Teamleiterin | Teamleiter | Teamleitung
Verwaltung | Sachbearbeiterin | Sachbearbeiter | Sachbearbeitung
Verwaltung | Fallmanagerin | Fallmanager | Fallmanagement
Verwaltung | Schulrätin | Schulrat | Schulaufsicht
Verwaltung | Dezernentin | Dezernent | Dezernat
Verwaltung | Bildungskoordinatorin | Bildungskoordinator | Bildungskoordination
Politik | Fraktionsvorsitzende | Fraktionsvorsitzender | Fraktionsvorsitz
Politik | Kreistagsabgeordnete | Kreistagsabgeordneter | Kreistagsmitglied
Politik | Sachkundige Bürgerin | Sachkundiger Bürger | Sachkundige Person
Politik | Mitglied des Integrationsrates | Mitglied des Integrationsrates | Mitglied des Integrationsrates
Politik | Abgeordnete des Landtags | Abgeordneter des Landtags | Mitglied des Landtags
Bildung | Schulleiterin | Schulleiter | Schulleitung
Bildung | Lehrerin | Lehrer | Lehrkraft
Bildung | Kursleiterin Integrationskurs | Kursleiter Integrationskurs | Kursleitung Integrationskurs
Bildung | Schulsozialarbeiterin | Schulsozialarbeiter | Schulsozialarbeit
Bildung | Kita-Leiterin | Kita-Leiter | Kita-Leitung
Sonstige | Redakteurin | Redakteur | Redaktion
Sonstige | Vorsitzende | Vorsitzender | Vorsitz
Sonstige | Referentin | Referent | Referat
Sonstige | Übungsleiterin | Übungsleiter | Übungsleitung
weitere | Mitglied | Mitglied | Mitglied
weitere | Vorstandsmitglied | Vorstandsmitglied | Vorstandsmitglied
weitere | Beisitzerin | Beisitzer | Beisitz
weitere | Ehrenamtliche Mitarbeiterin | Ehrenamtlicher Mitarbeiter | Ehrenamtliche Mitarbeit
"""
_FUNCTIONS: dict[str, list[tuple[str, str, str]]] = {}
for _category, _female, _male, _neutral in _rows(_FUNCTION_TABLE, 4):
    _FUNCTIONS.setdefault(_category, []).append((_female, _male, _neutral))
#: functions of second and third roles
_SECOND_ROLE_FUNCTIONS = _FUNCTIONS.pop("weitere")

#: generated organisations of large demos: category | name pattern ({v} variant, {town}) | variants
_EXTRA_ORG_TABLE = """
Bildung | {v}-Grundschule {town} | St.-Ludgerus, St.-Josef, St.-Marien, Overberg, Astrid-Lindgren, Diesterweg, Eichendorff
Bildung | Kita {v} {town} | Regenbogen, Sonnenschein, Pusteblume, Arche Noah, Kunterbunt, Wirbelwind, Löwenzahn
Bildung | Familienzentrum {v} {town} | St. Remigius, Am Park, Kleine Strolche, Abenteuerland
Sonstige | {v} {town} e. V. | SV, TuS, DJK, SuS, FC Eintracht, Blau-Weiß, Tafel, Bürgerstiftung, Heimatverein
Sonstige | Pfarrei St. {v} {town} | Georg, Remigius, Ludgerus, Marien, Josef, Pankratius
Freier Träger | {v} {town} | Flüchtlingshilfe, Netzwerk Willkommen, Integrationslotsen, Sprachcafé
Migrantenselbstorganisation | {v} Kulturverein {town} e. V. | Türkisch-Deutscher, Syrischer, Afghanischer, Irakischer, Polnischer, Kosovarischer, Eritreischer, Ghanaischer, Ukrainischer, Griechischer, Italienischer, Marokkanischer
Migrantenselbstorganisation | {v} {town} e. V. | Moscheegemeinde, Jesidische Gemeinde, Russlanddeutscher Verein
"""


# --------------------------------------------------------------------------------------------------------
# names


@dataclass(frozen=True)
class _Community:
    weight: int
    female: tuple[str, ...]
    male: tuple[str, ...]
    last: tuple[str, ...]
    #: (particle, last name) pairs and their share among this community's last names
    prefixed: tuple[tuple[str, str], ...] = ()
    prefix_share: float = 0.0
    #: "ski" (Polish -ski → -ska), "ov" (Russian -ов → -ова) or ""
    feminine: str = ""
    #: names in a script without rule-based transliteration → Latin spelling (for e-mail addresses)
    latin: dict[str, str] = field(default_factory=dict)


_GERMAN = _Community(
    52,
    _split(
        "Anna, Maria, Ursula, Petra, Sabine, Claudia, Andrea, Monika, Birgit, Stefanie, Katharina, Julia, Lena, "
        "Sarah, Laura, Jutta, Gabriele, Hildegard, Elisabeth, Mechthild, Annette, Sophie, Miriam, Anja"
    ),
    _split(
        "Thomas, Michael, Andreas, Stefan, Christian, Markus, Klaus, Jürgen, Bernd, Hubert, Heinz, Ludger, "
        "Reinhard, Josef, Frank, Jan, Tobias, Lukas, Jonas, Matthias, Hendrik, Dirk, Bernhard"
    ),
    _split(
        "Müller, Schmidt, Schulte, Hoffmann, Wessels, Terhörst, Büning, Hüls, Elsing, Tenhagen, Schmitz, Hemsing, "
        "Bruns, Kemper, Weber, Wagner, Becker, Schäfer, Koch, Richter, Klein, Wolf, Schröder, Neumann, Krause, "
        "Lammers, Bußmann, Große-Venhaus, Tebroke, Niehues, Rademacher, Holtkamp, Brüning, Vennemann, Kösters, "
        "Ostendorf, Heßling, Sicking, Nienhaus, Wigger"
    ),
    prefixed=(("von", "Stein"), ("von der", "Heide"), ("von", "Hagen"), ("zur", "Mühlen"), ("ter", "Haar")),
    prefix_share=0.03,
)
_TURKISH = _Community(
    12,
    _split("Ayşe, Fatma, Elif, Zeynep, Emine, Hatice, Merve, Büşra, Özlem, Gülşen, Şeyma, Dilek"),
    _split("Mehmet, Mustafa, Ahmet, Ali, Hüseyin, Hasan, İbrahim, Murat, Emre, Yusuf, Oğuz, Barış"),
    _split(
        "Yılmaz, Kaya, Demir, Şahin, Çelik, Yıldız, Yıldırım, Öztürk, Aydın, Özdemir, Arslan, Doğan, Kılıç, "
        "Aslan, Çetin, Kara, Koç, Kurt, Özkan, Şimşek, Güneş, Akgül"
    ),
)
_ARABIC = _Community(
    7,
    _split("Rania, Lina, Huda, Amal, Nour, Rasha, Fatima, Yasmin, Hiba, Dima, Reem, Aya"),
    _split("Mohammed, Ahmad, Khaled, Omar, Yousef, Mahmoud, Samer, Tarek, Hussam, Anas, Rami"),
    _split(
        "Al-Hassan, Haddad, Al-Khatib, Hamdan, Al-Masri, Nasser, Saleh, Haj Ali, Al-Ahmad, Kassem, Darwish, "
        "Sabbagh, Mansour, Othman, Alshami"
    ),
)
_ARABIC_SCRIPT = _Community(
    1,
    _split("فاطمة, مريم, ليلى, نور, هبة"),
    _split("محمد, أحمد, عمر, يوسف, خالد"),
    _split("حداد, خليل, منصور, العلي, الأحمد, درويش"),
    latin=dict(
        zip(
            _split(
                "فاطمة, مريم, ليلى, نور, هبة, محمد, أحمد, عمر, يوسف, خالد, حداد, خليل, منصور, العلي, الأحمد, درويش"
            ),
            _split(
                "Fatima, Maryam, Laila, Nour, Hiba, Mohammed, Ahmad, Omar, Youssef, Khaled, Haddad, Khalil, "
                "Mansour, Al-Ali, Al-Ahmad, Darwish"
            ),
            strict=True,
        )
    ),
)
_KURDISH = _Community(
    4,
    _split("Rojda, Berfin, Zozan, Dilan, Rojin, Hêvî, Jiyan, Nesrin"),
    _split("Azad, Baran, Şêrko, Rêber, Serhat, Welat, Dilovan, Rojhat"),
    _split("Sido, Mirza, Xelîl, Berwari, Hesso, Murad, Ezdin, Temo, Bozkurt, Aydın"),
)
_POLISH = _Community(
    5,
    _split("Agnieszka, Katarzyna, Małgorzata, Joanna, Anna, Magdalena, Dorota, Ewa, Żaneta"),
    _split("Łukasz, Piotr, Krzysztof, Tomasz, Paweł, Marcin, Grzegorz, Michał, Wojciech"),
    _split(
        "Wiśniewski, Kowalski, Nowak, Wójcik, Kamiński, Lewandowski, Zieliński, Szymański, Woźniak, Dąbrowski, "
        "Kozłowski, Mazur, Krawczyk, Grabowski"
    ),
    feminine="ski",
)
_RUSSIAN = _Community(
    3,
    _split("Ольга, Наталья, Елена, Татьяна, Ирина, Светлана, Анна, Мария, Екатерина"),
    _split("Александр, Сергей, Дмитрий, Андрей, Алексей, Владимир, Николай, Михаил"),
    _split("Иванов, Петров, Смирнов, Кузнецов, Попов, Соколов, Лебедев, Новиков, Морозов, Волков"),
    feminine="ov",
)
_UKRAINIAN = _Community(
    4,
    _split("Олена, Оксана, Наталія, Ірина, Юлія, Тетяна, Софія, Марія"),
    _split("Олександр, Андрій, Сергій, Дмитро, Тарас, Богдан, Віктор, Юрій, Михайло"),
    _split("Шевченко, Коваленко, Бондаренко, Ткаченко, Кравченко, Мельник, Бойко, Ковальчук, Олійник"),
)
_AUSSIEDLER = _Community(
    3,
    _split("Lilli, Olga, Swetlana, Natalie, Irina, Valentina, Tatjana"),
    _split("Waldemar, Viktor, Eduard, Alexander, Johann, Artur, Witali"),
    _split("Dück, Friesen, Penner, Janzen, Klassen, Neufeld, Wiebe, Reimer, Schellenberg"),
)
_VIETNAMESE = _Community(
    2,
    _split("Thị Lan, Thị Hương, Thu Trang, Ngọc Anh, Thị Mai, Minh Thư"),
    _split("Văn Minh, Đức Anh, Quốc Bảo, Văn Hùng, Thanh Tùng, Minh Tuấn"),
    _split("Nguyễn, Trần, Lê, Phạm, Hoàng, Phan, Vũ, Đặng, Bùi, Đỗ"),
)
_DUTCH = _Community(
    4,
    _split("Anouk, Sanne, Femke, Marieke, Lotte, Ilse"),
    _split("Jeroen, Bram, Sander, Maarten, Joost, Ruud"),
    _split("Jansen, Bakker, Visser, Smit, Mulder, Hendriks"),
    prefixed=(("van der", "Berg"), ("van", "Dijk"), ("de", "Vries"), ("van den", "Bosch"), ("ter", "Horst")),
    prefix_share=0.55,
)
_OTHERS = _Community(
    3,
    _split("Amina, Arta, Jelena, Fatou, Senait, Mariam, Zahra, Ana, Grace"),
    _split("Arben, Dragan, Ermal, Kofi, Yonas, Abdullah, Haris, Milan, Emmanuel"),
    _split(
        "Berisha, Hoxha, Petrović, Jovanović, Mensah, Tesfaye, Haile, Ahmadi, Rahimi, Hadžić, Popescu, Okafor"
    ),
)
_COMMUNITIES = (
    _GERMAN,
    _TURKISH,
    _ARABIC,
    _ARABIC_SCRIPT,
    _KURDISH,
    _POLISH,
    _RUSSIAN,
    _UKRAINIAN,
    _AUSSIEDLER,
    _VIETNAMESE,
    _DUTCH,
    _OTHERS,
)
_COMMUNITY_WEIGHTS = [c.weight for c in _COMMUNITIES]


def _feminine(last: str, rule: str) -> str:
    if rule == "ski" and last.endswith(("ski", "cki")):
        return last[:-1] + "a"
    if rule == "ov" and last.endswith(("ов", "ев", "ин")):
        return last + "а"
    return last


# --------------------------------------------------------------------------------------------------------
# the named example persons (created first, so even small demos contain them)


@dataclass(frozen=True)
class _Showcase:
    key: str
    gender: Gender
    title: str
    first_name: str
    name_prefix: str
    last_name: str
    function: str
    #: (organisation key, function); the first role is the primary one
    roles: tuple[tuple[str, str], ...]
    custom_salutation: str
    email: str
    legal_basis: LegalBasis
    tags: tuple[str, ...]
    #: street, postal code, municipality of a private address
    home: tuple[str, ...]


# key | gender | title | first | prefix | last | function | roles (org=function; …) | salutation | e-mail | legal basis | tags | home
_SHOWCASE_TABLE = """
mueller | female | | Katrin | | Müller | Leiterin des Kommunalen Integrationszentrums | ki=Leiterin des Kommunalen Integrationszentrums | | k.mueller@kreis-borken.de | public_task | Vorbereitungsgruppe, Presse |
al_hassan | male | Prof. Dr. | Mohammed | | Al-Hassan | Professor für Migrationssoziologie | uni_ms=Professor für Migrationssoziologie; zfti=Mitglied des Wissenschaftlichen Beirats | | mohammed.al-hassan@uni-muenster.de | public_task | Referentin/Referent |
yilmaz | female | | Ayşe | | Yılmaz | Vorsitzende | ditib_bocholt=Vorsitzende; ir_bocholt=Mitglied des Integrationsrates | Liebe Ayşe, | ayse.yilmaz@gmx.de | public_task | Newsletter, Integrationsrat, Vorbereitungsgruppe |
haddad | female | Dr. | Rania | | Haddad | Vorsitzende | syrisch=Vorsitzende | | rania.haddad@syrischer-kulturverein.de | public_task | Referentin/Referent, Vorbereitungsgruppe |
wisniewski | male | | Łukasz | | Wiśniewski | Seelsorger | polnisch=Seelsorger | | lukasz.wisniewski@bistum-muenster.de | public_task | |
ivanova | female | | Ольга | | Иванова | Vorsitzende | raduga=Vorsitzende | | olga.ivanova@gmx.de | public_task | Newsletter |
shevchenko | male | | Олександр | | Шевченко | Vorsitzender | ukr=Vorsitzender | | oleksandr.shevchenko@gmail.com | public_task | |
nguyen | female | | Thị Lan | | Nguyễn | Vorsitzende | viet=Vorsitzende | | thilan.nguyen@gmx.de | public_task | |
mansour | male | | يوسف | | منصور | Ehrenamtlicher Sprachmittler | | | youssef.mansour@web.de | consent | Ehrenamt | Nordring 17, 46325, Borken
von_stein | male | | Dietrich | von | Stein | Fraktionsvorsitzender | cdu=Fraktionsvorsitzender | | d.vonstein@cdu-kreis-borken.de | public_task | |
van_der_berg | female | | Marieke | van der | Berg | Projektleiterin | euregio=Projektleiterin | | m.vanderberg@euregio.eu | public_task | |
schulte | diverse | Dipl.-Päd. | Kim | | Schulte | Fachkraft für Integration | kommune:Gronau (Westf.)=Fachkraft für Integration | | kim.schulte@gronau.de | public_task | |
berisha | unknown | | Alex | | Berisha | | | | | consent | | Gartenstraße 4, 48703, Stadtlohn
sido | male | | Azad | | Sido | Vorsitzender | kurd=Vorsitzender | Lieber Azad, | azad.sido@web.de | public_task | Vorbereitungsgruppe |
celik | female | Dr. | Şeyma | | Çelik | Integrationsbeauftragte | kommune:Bocholt=Integrationsbeauftragte; ir_bocholt=Geschäftsführung | | seyma.celik@bocholt.de | public_task | Integrationsrat, Referentin/Referent |
oeztuerk | male | | Mehmet | | Öztürk | Vorsitzender des Integrationsrates | ir_bocholt=Vorsitzender des Integrationsrates | | mehmet.oeztuerk@bocholt.de | public_task | Integrationsrat |
guenes | female | | Elif | | Güneş | Redakteurin | bz=Redakteurin | | e.guenes@borkenerzeitung.de | public_task | Presse |
khalil | female | | ليلى | | خليل | | | | laila.khalil@web.de | consent | | Eschstraße 8, 48683, Ahaus
"""
_SHOWCASE = tuple(
    _Showcase(
        key,
        Gender(gender),
        title,
        first,
        prefix,
        last,
        function,
        tuple(
            (role.partition("=")[0].strip(), role.partition("=")[2].strip()) for role in _split(roles, ";")
        ),
        salutation,
        email,
        LegalBasis(legal),
        _split(tags),
        _split(home),
    )
    for key, gender, title, first, prefix, last, function, roles, salutation, email, legal, tags, home in _rows(
        _SHOWCASE_TABLE, 13
    )
)


# --------------------------------------------------------------------------------------------------------
# the conferences


@dataclass(frozen=True)
class _ForumDef:
    title: str
    description: str
    room: str
    capacity: int
    moderation: str
    notes: str
    results: str


@dataclass(frozen=True)
class _RecDef:
    #: index of the forum, or None for a recommendation from the panel
    forum: int | None
    due: dt.date
    status: RecommendationStatus
    organisation: str | None
    responsible_text: str
    text: str
    updates: tuple[tuple[dt.date, RecommendationStatus, str], ...]


def _forums(text: str) -> tuple[_ForumDef, ...]:
    """title | description | room | capacity | moderation | minutes notes | minutes results"""
    return tuple(
        _ForumDef(title, description, room, int(capacity), moderation, notes, results)
        for title, description, room, capacity, moderation, notes, results in _rows(text, 7)
    )


def _recommendations(text: str) -> tuple[_RecDef, ...]:
    """forum no. (``-`` = panel) | due | status | organisation key | responsible (text) | recommendation,
    each followed by its history lines ``+ date | status | note``."""
    recs: list[_RecDef] = []
    for line in text.splitlines():
        if not line.strip():
            continue
        if line.lstrip().startswith("+"):
            date, status, note = (cell.strip() for cell in line.lstrip()[1:].split("|"))
            last = recs[-1]
            update = (dt.date.fromisoformat(date), RecommendationStatus(status), note)
            recs[-1] = dataclasses.replace(last, updates=(*last.updates, update))
            continue
        (forum, due, status, org, responsible, rec_text) = _rows(line, 6)[0]
        recs.append(
            _RecDef(
                None if forum == "-" else int(forum) - 1,
                dt.date.fromisoformat(due),
                RecommendationStatus(status),
                org or None,
                responsible,
                rec_text,
                (),
            )
        )
    return tuple(recs)


@dataclass(frozen=True)
class _ConferenceDef:
    year: int
    theme: str
    date: dt.date
    venue: tuple[str, str, str, str]  # name, street, postal code, city
    capacity: int
    reply_deadline: dt.date
    held: bool
    plenary_room: str
    keynote: tuple[str, str, tuple[str, ...]]  # title, speakers, showcase keys of registry speakers
    panel: tuple[str, str, tuple[str, ...]]
    forums: tuple[_ForumDef, ...]
    recommendations: tuple[_RecDef, ...]
    invite_target: int
    notes: str = ""


_KREISHAUS_VENUE = ("Kreishaus Borken", "Burloer Straße 93", "46325", "Borken")

_CONFERENCES: tuple[_ConferenceDef, ...] = (
    _ConferenceDef(
        year=2023,
        theme="Ankommen – Arbeiten – Teilhaben: Integration im Kreis Borken gemeinsam gestalten",
        date=dt.date(2023, 11, 8),
        venue=_KREISHAUS_VENUE,
        capacity=200,
        reply_deadline=dt.date(2023, 10, 20),
        held=True,
        plenary_room="Großer Sitzungssaal",
        keynote=(
            "Impulsvortrag: Einwanderungsgesellschaft im ländlichen Raum",
            "Prof. Dr. Mohammed Al-Hassan, Universität Münster",
            ("al_hassan",),
        ),
        panel=(
            "Podiumsgespräch: Was brauchen die Kommunen?",
            "Bürgermeisterinnen und Bürgermeister aus Bocholt, Gronau und Heek; Ayşe Yılmaz (DITIB Bocholt)",
            ("yilmaz",),
        ),
        forums=_forums("""
Forum 1: Sprache und Bildung | Integrationskurse, Sprachförderung, Elternarbeit | Sitzungssaal 1 | 50 | Dr. Şeyma Çelik, Stadt Bocholt | Lange Wartezeiten auf Integrationskurse, besonders für Mütter mit kleinen Kindern; in vielen Kursen fehlt eine Kinderbetreuung. | Kurse mit Kinderbetreuung ausbauen; Eltern mehrsprachig informieren.
Forum 2: Arbeit und Ausbildung | Anerkennung von Abschlüssen, Praktika, Ausbildung | Sitzungssaal 2 | 45 | Jobcenter Kreis Borken | Anerkennungsverfahren dauern zu lange; Betriebe wünschen feste Ansprechpersonen. | Anerkennungsberatung vor Ort; Praktikumsbörse prüfen.
Forum 3: Wohnen und Nachbarschaft | Wohnraum, Unterbringung, Nachbarschaftshilfe | Raum 1.05 | 40 | Caritasverband für das Dekanat Borken | Kaum bezahlbarer Wohnraum; Geflüchtete bleiben lange in Gemeinschaftsunterkünften. | Runde Tische zum Wohnraum in den Kommunen.
"""),
        recommendations=_recommendations("""
1 | 2024-08-31 | done | jobcenter | Jobcenter, Volkshochschulen | Integrationskurse mit Kinderbetreuung in allen Städten und Gemeinden anbieten
  + 2024-02-20 | in_progress | Gespräch mit den Volkshochschulen und dem BAMF-Regionalkoordinator geführt
  + 2024-09-15 | done | Seit dem Herbstsemester 2024 bieten alle drei Volkshochschulen Kurse mit Kinderbetreuung an
1 | 2024-06-30 | done | schulamt | Schulamt für den Kreis Borken | Mehrsprachige Elterninformation zum Übergang von der Kita in die Grundschule
  + 2024-01-16 | in_progress | Gespräch mit Schulamt geführt
  + 2024-05-28 | done | Flyer in acht Sprachen gedruckt und an alle Grundschulen verteilt
2 | 2024-12-31 | in_progress | agentur | Agentur für Arbeit, IQ Netzwerk NRW | Monatliche Sprechstunde zur Anerkennung ausländischer Berufsabschlüsse im Kreishaus
  + 2024-03-12 | in_progress | Abstimmung mit dem IQ Netzwerk läuft; Räume im Kreishaus angefragt
  + 2025-06-03 | in_progress | Sprechstunde bisher nur vierteljährlich; es fehlt Personal
2 | 2024-06-30 | rejected | khs | | Praktikumsbörse für Geflüchtete gemeinsam mit der Kreishandwerkerschaft
  + 2024-04-10 | in_progress | Gespräch mit der Kreishandwerkerschaft geführt
  + 2024-10-01 | rejected | Verworfen: wird in die bestehende Ausbildungsbörse des Kreises integriert
3 | 2024-06-30 | open | | Städte und Gemeinden im Kreis Borken | Runder Tisch „Wohnraum für Geflüchtete“ in jeder Kommune einrichten
- | 2024-03-31 | done | ki | Kommunales Integrationszentrum | Migrantenselbstorganisationen regelmäßig an der Vorbereitung der Integrationskonferenz beteiligen
  + 2024-03-05 | done | Vorbereitungsgruppe mit fünf Migrantenselbstorganisationen gebildet
"""),
        invite_target=280,
    ),
    _ConferenceDef(
        year=2024,
        theme="Sprache verbindet – Bildung von Anfang an",
        date=dt.date(2024, 11, 13),
        venue=("TextilWerk Bocholt", "Industriestraße 5", "46395", "Bocholt"),
        capacity=180,
        reply_deadline=dt.date(2024, 10, 25),
        held=True,
        plenary_room="Spinnerei-Saal",
        keynote=(
            "Impulsvortrag: Mehrsprachigkeit als Ressource",
            "Dr. Rania Haddad, Syrischer Kulturverein Münsterland",
            ("haddad",),
        ),
        panel=(
            "Podiumsgespräch: Bildungswege ohne Brüche",
            "Schulamt für den Kreis Borken; VHS Bocholt-Rhede-Isselburg; Ольга Иванова (Elternverein „Радуга“)",
            ("ivanova",),
        ),
        forums=_forums("""
Forum 1: Frühe Bildung und Kita | Sprachförderung in Kitas, Zusammenarbeit mit Eltern | Raum Weberei | 45 | Familienbildungsstätte Bocholt | Das Bundesprogramm „Sprach-Kitas“ ist ausgelaufen; Fachkräfte befürchten Lücken. | Sprachförderung in Kitas sichern.
Forum 2: Schule und Übergang in den Beruf | Seiteneinsteigende, Internationale Förderklassen, Elterngespräche | Raum Spinnerei | 45 | Berufskolleg am Wasserturm | Elterngespräche scheitern oft an der Sprache; der Übergang in eine Ausbildung ist schwierig. | Sprachmittlerpool aufbauen; Berufsorientierung stärken.
Forum 3: Gesundheit und Pflege | Zugang zum Gesundheitssystem, Pflege in Familien | Raum Kesselhaus | 35 | DRK-Kreisverband Borken | Viele Familien kennen die Angebote nicht; Vertrauen entsteht über die Vereine. | Gesundheitslotsinnen und -lotsen aus den Vereinen ausbilden.
Forum 4: Ehrenamt und Vereine | Sprachpatenschaften, Vereinsarbeit, Förderung | Foyer | 35 | Der Paritätische – Kreisgruppe Borken | Ehrenamtliche tragen viel; Vereine brauchen Hilfe bei Satzung und Förderanträgen. | Vereinsberatung; Anerkennung des Ehrenamts.
"""),
        recommendations=_recommendations("""
1 | 2025-12-31 | in_progress | ki | Jugendämter im Kreis Borken | Sprachförderung in Kitas nach dem Ende des Bundesprogramms „Sprach-Kitas“ sichern
  + 2025-02-11 | in_progress | Förderantrag beim Land NRW gestellt
  + 2025-09-30 | in_progress | Bewilligung für zwölf Kitas; weitere Standorte offen
2 | 2025-06-30 | done | ki | Kommunales Integrationszentrum | Pool von Sprachmittlerinnen und Sprachmittlern für Elterngespräche an Schulen
  + 2025-01-20 | in_progress | Ausschreibung für Honorarkräfte veröffentlicht
  + 2025-05-15 | done | 42 Sprachmittelnde in 19 Sprachen im Pool; Buchung über das KI
2 | 2025-07-31 | open | bk | Berufskollegs im Kreis Borken | Berufsorientierung in den Internationalen Förderklassen stärken
3 | 2026-03-31 | in_progress | drk | | Gesundheitslotsinnen und -lotsen aus den Migrantenselbstorganisationen ausbilden
  + 2025-04-08 | in_progress | Erste Schulung mit 14 Teilnehmenden aus sechs Vereinen
4 | 2025-06-30 | rejected | | Kreistag (Ausschuss für Soziales) | Ehrenamtspauschale für Sprachpatenschaften einführen
  + 2025-03-18 | rejected | Verworfen: im Haushalt 2025 nicht finanzierbar; erneute Prüfung 2027
4 | 2025-10-31 | done | paritaet | | Vereinsberatung für Migrantenselbstorganisationen zu Satzung und Fördermitteln
  + 2025-06-12 | done | Beratungsangebot „MSO-Werkstatt“ läuft monatlich
"""),
        invite_target=320,
    ),
    _ConferenceDef(
        year=2025,
        theme="Zusammenhalt vor Ort – gemeinsam gegen Rassismus und Diskriminierung",
        date=dt.date(2025, 11, 12),
        venue=("rock'n'popmuseum Gronau", "Udo-Lindenberg-Platz 1", "48599", "Gronau (Westf.)"),
        capacity=220,
        reply_deadline=dt.date(2025, 10, 24),
        held=True,
        plenary_room="Großer Saal",
        keynote=(
            "Impulsvortrag: Diskriminierung erkennen, Betroffene stärken",
            "Dr. Şeyma Çelik, Integrationsbeauftragte der Stadt Bocholt",
            ("celik",),
        ),
        panel=(
            "Podiumsgespräch: Teilhabe in Politik und Verwaltung",
            "Mehmet Öztürk (Integrationsrat Bocholt); Dietrich von Stein (CDU-Kreistagsfraktion); "
            "Thị Lan Nguyễn (Vietnamesischer Verein Gronau)",
            ("oeztuerk", "von_stein", "nguyen"),
        ),
        forums=_forums("""
Forum 1: Antidiskriminierung und Beschwerdestellen | Beratung für Betroffene, Meldestellen | Seminarraum A | 40 | Kommunales Integrationszentrum | Betroffene wissen nicht, wohin sie sich wenden können; in den Behörden fehlt Sensibilisierung. | Unabhängige Beratungsstelle; Fortbildung in den Ausländerbehörden.
Forum 2: Teilhabe in Politik und Verwaltung | Integrationsräte, Ehrenamt in Gremien | Seminarraum B | 40 | Integrationsrat der Stadt Gronau (Westf.) | Nur zwei Städte haben einen Integrationsrat; Eingewanderte sind in Gremien kaum vertreten. | Integrationsräte in allen größeren Städten.
Forum 3: Arbeitsmarkt und Fachkräftesicherung | Job-Turbo, Anerkennung, Betriebe | Studio | 30 | Jobcenter Kreis Borken | Betriebe suchen Fachkräfte; Geflüchtete finden den Weg in die Beratung oft über Vereine. | Gemeinsame Sprechstunde von Jobcenter und Vereinen.
Forum 4: Geflüchtete aus der Ukraine – Perspektiven | Bleiben, Arbeiten, Schule | Lounge | 30 | Ukrainische Gemeinde im Kreis Borken | Viele wollen bleiben; Sprache und Anerkennung sind die größten Hürden. | Beratung auf Ukrainisch ausbauen.
"""),
        recommendations=_recommendations("""
1 | 2026-12-31 | open | ki | Kommunales Integrationszentrum | Unabhängige Antidiskriminierungsberatung im Kreis Borken einrichten
1 | 2026-06-30 | in_progress | auslaenderbehoerde | Ausländerbehörden im Kreis Borken | Fortbildung zur interkulturellen Öffnung für alle Beschäftigten der Ausländerbehörden
  + 2026-02-10 | in_progress | Fortbildungsreihe mit der Bezirksregierung abgestimmt
  + 2026-05-05 | in_progress | Zwei von fünf Modulen durchgeführt
2 | 2026-09-30 | open | | Städte Ahaus, Borken, Rhede, Stadtlohn und Vreden | Integrationsräte in allen Städten mit mehr als 20.000 Einwohnerinnen und Einwohnern
3 | 2026-06-30 | done | jobcenter | | Gemeinsame Sprechstunde von Jobcenter und Migrantenselbstorganisationen („Job-Turbo vor Ort“)
  + 2026-01-14 | in_progress | Termine mit DITIB Bocholt und dem Syrischen Kulturverein vereinbart
  + 2026-04-22 | done | Sprechstunde findet zweimal im Monat statt
4 | 2026-03-31 | rejected | | Land NRW (MKJFGFI) | Wohnsitzzuweisung ukrainischer Geflüchteter stärker an Arbeitsplätzen ausrichten
  + 2026-03-02 | rejected | Verworfen: nicht in der Zuständigkeit des Kreises; Anliegen an das Land weitergegeben
4 | 2026-12-31 | in_progress | jobcenter | | Beratung auf Ukrainisch im Jobcenter ausbauen
  + 2026-03-20 | in_progress | Zwei Beraterinnen mit Ukrainisch- und Russischkenntnissen eingestellt
"""),
        invite_target=360,
    ),
    _ConferenceDef(
        year=2026,
        theme="Gut ankommen, gut zusammenleben – Wohnen, Arbeit und Nachbarschaft",
        date=dt.date(2026, 12, 10),
        venue=_KREISHAUS_VENUE,
        capacity=220,
        reply_deadline=dt.date(2026, 11, 20),
        held=False,
        plenary_room="Großer Sitzungssaal",
        keynote=(
            "Impulsvortrag: Wohnen als Schlüssel zur Integration",
            "N. N. (Universität Münster, angefragt)",
            (),
        ),
        panel=(
            "Podiumsgespräch: Nachbarschaft gestalten",
            "Bürgermeisterinnen und Bürgermeister; Vertretungen der Migrantenselbstorganisationen (angefragt)",
            (),
        ),
        forums=_forums("""
Forum 1: Wohnen und Quartier | Wohnraum, Quartiersarbeit | Sitzungssaal 1 | 50 | Caritasverband für das Dekanat Borken | |
Forum 2: Arbeit und Anerkennung | Anerkennung, Job-Turbo | Sitzungssaal 2 | 45 | Jobcenter Kreis Borken | |
Forum 3: Gesundheit und Pflege | Gesundheitslotsinnen und -lotsen, Pflege | Raum 1.05 | 35 | DRK-Kreisverband Borken | |
Forum 4: Junge Menschen und Ausbildung | Übergang Schule–Beruf | Raum 1.12 | 35 | Jugendmigrationsdienst (IB West) | |
"""),
        recommendations=(),
        invite_target=400,
        notes="Entwurf – Stand 1. November 2026. Referentin oder Referent für den Impulsvortrag noch offen.",
    ),
)

_HELD_WEIGHTS = {
    InvitationStatus.ATTENDED: 48,
    InvitationStatus.NO_SHOW: 5,
    InvitationStatus.DECLINED: 20,
    InvitationStatus.SUBSTITUTED: 5,
    InvitationStatus.NO_REPLY: 20,
    InvitationStatus.WAITLIST: 2,
}
_PLANNING_WEIGHTS = {
    InvitationStatus.PLANNED: 10,
    InvitationStatus.INVITED: 38,
    InvitationStatus.ACCEPTED: 27,
    InvitationStatus.DECLINED: 12,
    InvitationStatus.NO_REPLY: 5,
    InvitationStatus.SUBSTITUTED: 3,
    InvitationStatus.WAITLIST: 2,
}
#: every conference of that kind shows each of its statuses at least once, so every status is in the demo
_HELD_FORCED = tuple(_HELD_WEIGHTS)
_PLANNING_FORCED = tuple(_PLANNING_WEIGHTS)
_REPLIED = frozenset(
    {
        InvitationStatus.ACCEPTED,
        InvitationStatus.DECLINED,
        InvitationStatus.SUBSTITUTED,
        InvitationStatus.WAITLIST,
        InvitationStatus.ATTENDED,
        InvitationStatus.NO_SHOW,
    }
)
_TAKES_SEAT = frozenset(
    {
        InvitationStatus.ACCEPTED,
        InvitationStatus.SUBSTITUTED,
        InvitationStatus.ATTENDED,
        InvitationStatus.NO_SHOW,
    }
)
_ACCESSIBILITY = _split(
    "Rollstuhl, Rollstuhl – bitte Platz am Gang, Induktive Höranlage, Gebärdensprachdolmetschung, Assistenzperson"
)
_DIETS = _split("vegetarisch, vegan, halal, glutenfrei, laktosefrei, kein Schweinefleisch")
_DIET_WEIGHTS = (45, 12, 25, 5, 5, 8)
_INVITATION_NOTES = _split(
    "Kommt erst zur Forenphase; Muss um 13 Uhr gehen; Bittet um Teilnahmebescheinigung; "
    "Bringt Infomaterial des Vereins mit; Fragt nach Dolmetschung ins Arabische",
    ";",
)
_PERSON_NOTES = _split(
    "Bevorzugt Kontakt per E-Mail; Spricht Türkisch und Deutsch; Nur postalisch einladen; "
    "Hat 2023 bei der Sprachmittlung ausgeholfen; Neue Anschrift seit 2025",
    ";",
)


# --------------------------------------------------------------------------------------------------------
# the generator


def generate_demo(
    database: Database,
    *,
    persons: int = 300,
    seed: int = 1,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> DemoSummary:
    """Fill the empty ``database`` with demo data (see module docstring); all or nothing.

    Raises ``UserError`` when the database already holds persons, organisations or conferences, when
    ``persons`` is negative, and when ``cancelled()`` returns True (then nothing is stored).
    """
    if persons < 0:
        raise UserError(f"Die Anzahl der Demo-Personen muss 0 oder größer sein (angegeben: {persons}).")
    with database.session() as session:
        for model in (Person, Organisation, Conference):
            if session.scalar(sa.select(sa.func.count()).select_from(model)):
                raise UserError(
                    f"Die Datenbank „{database.display_name}“ enthält bereits Daten; "
                    "Demodaten werden nur in eine leere Datenbank geschrieben."
                )
        ensure_reference_data(session)
        session.flush()
        builder = _Builder(session, persons=persons, seed=seed, progress=progress, cancelled=cancelled)
        summary = builder.run()
        if database.backend == "postgresql":
            for table in builder.tables_with_ids:
                session.execute(
                    sa.text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT MAX(id) FROM {table}))"
                    )
                )
        builder.check_cancelled()
    if progress is not None:
        progress(builder.total_work, builder.total_work)
    return summary


def _template(table: sa.Table) -> dict[str, Any]:
    """One row of ``table`` with every column present: scalar defaults filled in, everything else None."""
    row: dict[str, Any] = {}
    for column in table.columns:
        default = column.default
        value: Any = None
        if isinstance(default, sa.ColumnDefault) and default.is_scalar:
            value = default.arg
        row[column.key] = value
    return row


@dataclass
class _Org:
    id: int
    name: str
    category: str
    municipality: str | None
    phone: str
    domain: str
    department: str


@dataclass
class _ConferenceIds:
    conference_id: int
    agenda: dict[AgendaItemType, int]
    forums: list[int]
    minutes_by_item: dict[int, int] = field(default_factory=dict)
    minutes_by_forum: dict[int, int] = field(default_factory=dict)


class _Builder:
    def __init__(
        self,
        session: Session,
        *,
        persons: int,
        seed: int,
        progress: Callable[[int, int], None] | None,
        cancelled: Callable[[], bool] | None,
    ) -> None:
        self.session = session
        self.n = persons
        self.seed = seed
        self.progress = progress
        self.cancelled = cancelled
        self.summary = DemoSummary()
        self.done = 0
        self.total_work = 100 + persons + 100 * len(_CONFERENCES)
        self.tables_with_ids: list[str] = []
        self._next_id: dict[str, int] = {}
        self.categories = {name: id_ for id_, name in session.execute(sa.select(Category.id, Category.name))}
        self.municipalities = {
            name: id_ for id_, name in session.execute(sa.select(Municipality.id, Municipality.name))
        }
        self.tags: dict[str, int] = {}
        self.orgs: list[_Org] = []
        self.org_by_key: dict[str, _Org] = {}
        self.primary_org: list[int | None] = []
        #: persons who withdrew their consent to be invited
        self.not_invitable: set[int] = set()
        self.showcase_ids: dict[str, int] = {}
        self.first_person_of_org: dict[int, int] = {}
        self.conference_ids: dict[int, _ConferenceIds] = {}
        self.first_person_id = 1

    # -- plumbing ------------------------------------------------------------------------------------

    def rng(self, part: str) -> random.Random:
        """An independent, seeded random stream per part, so the organisations do not depend on ``n``."""
        return random.Random(f"konferenz-demo:{self.seed}:{part}")

    def check_cancelled(self) -> None:
        if self.cancelled is not None and self.cancelled():
            raise UserError("Abgebrochen – es wurden keine Demodaten gespeichert.")

    def step(self, work: int) -> None:
        self.done += work
        self.check_cancelled()
        if self.progress is not None:
            self.progress(min(self.done, self.total_work), self.total_work)

    def peek_id(self, table: str) -> int:
        """The id the next row of ``table`` gets (one above the highest id in the database)."""
        if table not in self._next_id:
            highest = self.session.execute(sa.text(f"SELECT MAX(id) FROM {table}")).scalar()
            self._next_id[table] = int(highest or 0) + 1
            self.tables_with_ids.append(table)
        return self._next_id[table]

    def new_id(self, table: str) -> int:
        value = self.peek_id(table)
        self._next_id[table] = value + 1
        return value

    def insert(self, table_name: str, rows: Sequence[dict[str, Any]]) -> None:
        if not rows:
            return
        table = _TABLES[table_name]
        template = _template(table)
        full = [{**template, **row} for row in rows]
        for start in range(0, len(full), _CHUNK):
            self.session.execute(sa.insert(table), full[start : start + _CHUNK])

    # -- the whole run -------------------------------------------------------------------------------

    def run(self) -> DemoSummary:
        self.check_cancelled()
        self.build_tags()
        self.build_organisations()
        self.step(100)
        self.build_persons()
        for conf in _CONFERENCES:
            self.build_conference(conf)
            self.step(100)
        # after all conferences: follow-up notes link to the "Sachstand" minutes of later conferences
        for conf in _CONFERENCES:
            if conf.held:
                self.build_recommendations(self.rng(f"recommendations-{conf.year}"), conf)
        return self.summary

    # -- tags and organisations ----------------------------------------------------------------------

    def build_tags(self) -> None:
        existing = {name: id_ for id_, name in self.session.execute(sa.select(Tag.id, Tag.name))}
        rows = []
        for name in TAG_NAMES:
            if name in existing:
                self.tags[name] = existing[name]
            else:
                self.tags[name] = self.new_id("tag")
                rows.append({"id": self.tags[name], "name": name})
        self.insert("tag", rows)
        self.summary.tags = len(rows)

    def build_organisations(self) -> None:
        rng = self.rng("organisations")
        rows: list[dict[str, Any]] = []
        tag_rows: list[dict[str, Any]] = []
        base = dt.datetime(2019, 3, 4, 9, 0)

        def add(definition: _OrgDef, key: str) -> None:
            org_id = self.new_id("organisation")
            created = base + dt.timedelta(days=len(rows) * 3, minutes=rng.randrange(0, 480))
            updated = created + dt.timedelta(days=rng.randrange(0, 900), minutes=rng.randrange(0, 300))
            municipality_id = self.municipalities.get(definition.municipality or "")
            rows.append(
                {
                    "id": org_id,
                    "name": definition.name,
                    "department": definition.department,
                    "short_name": definition.short_name,
                    "category_id": self.categories.get(definition.category),
                    "municipality_id": municipality_id,
                    "website": definition.website,
                    "notes": definition.notes,
                    "search_text": organisation_search_text(
                        name=definition.name,
                        department=definition.department,
                        short_name=definition.short_name,
                        city=definition.city,
                        email=definition.email,
                        municipality_name=definition.municipality,
                    ),
                    "import_batch_id": None,
                    "version": 1,
                    "street": definition.street,
                    "po_box": definition.po_box,
                    "postal_code": definition.postal_code,
                    "city": definition.city,
                    "country": definition.country,
                    "email": definition.email,
                    "phone": definition.phone,
                    "created_at": created,
                    "updated_at": updated,
                }
            )
            for tag in definition.tags:
                tag_rows.append({"organisation_id": org_id, "tag_id": self.tags[tag]})
            org = _Org(
                org_id,
                definition.name,
                definition.category,
                definition.municipality,
                definition.phone,
                definition.email.partition("@")[2],
                definition.department,
            )
            self.orgs.append(org)
            self.org_by_key[key] = org

        for definition in _organisation_defs():
            add(definition, definition.key)
        for definition in self.extra_organisations(rng):
            add(definition, definition.key)
        self.insert("organisation", rows)
        self.insert("organisation_tag", tag_rows)
        self.summary.organisations = len(rows)
        self.summary.organisation_tags = len(tag_rows)

    def extra_organisations(self, rng: random.Random) -> list[_OrgDef]:
        wanted = max(0, (self.n - 1000) // 100)
        if not wanted:
            return []
        candidates: list[tuple[str, str, str]] = []
        for category, pattern, variants in _rows(_EXTRA_ORG_TABLE, 3):
            for variant in _split(variants):
                for mun in MUNICIPALITIES:
                    candidates.append((category, pattern.format(v=variant, town=mun.name), mun.name))
        rng.shuffle(candidates)
        result = []
        for index, (category, name, town) in enumerate(candidates[:wanted]):
            slug = ascii_name(name.replace(" e. V.", "")).replace("--", "-")[:40].strip("-.")
            postal_code = rng.choice(_POSTAL_CODES[town])
            phone = f"{_AREA_CODES[town]} {rng.randrange(1000, 99999)}"
            if rng.random() < 0.4:
                phone = f"{_AREA_CODES[town]} {rng.randrange(100, 999)}-0"
            result.append(
                _OrgDef(
                    key=f"extra:{index}",
                    category=category,
                    name=name,
                    department="",
                    short_name="",
                    street=f"{rng.choice(_STREETS)} {rng.randrange(1, 120)}",
                    po_box="",
                    postal_code=postal_code,
                    city=town,
                    country="",
                    municipality=town,
                    phone=phone,
                    email=f"info@{slug}.de",
                    website=f"www.{slug}.de" if rng.random() < 0.6 else "",
                )
            )
        return result

    # -- persons -------------------------------------------------------------------------------------

    def build_persons(self) -> None:
        rng = self.rng("persons")
        chunk = _PersonChunk()
        self.first_person_id = self.peek_id("person")
        showcase = _SHOWCASE[: self.n]
        mayors = list(MUNICIPALITIES)[: max(0, self.n - len(showcase))]
        for index in range(self.n):
            person_id = self.new_id("person")
            if index < len(showcase):
                self.showcase_person(rng, chunk, person_id, showcase[index])
            elif index - len(showcase) < len(mayors):
                self.mayor(rng, chunk, person_id, mayors[index - len(showcase)].name)
            else:
                self.random_person(rng, chunk, person_id)
            if len(chunk.persons) >= _CHUNK:
                self.flush_persons(chunk)
                chunk = _PersonChunk()
                self.step(_CHUNK)
        remaining = len(chunk.persons)
        self.flush_persons(chunk)
        self.step(remaining)

    def flush_persons(self, chunk: _PersonChunk) -> None:
        self.insert("person", chunk.persons)
        self.insert("role", chunk.roles)
        self.insert("person_tag", chunk.tags)
        self.insert("consent_record", chunk.consents)
        self.summary.persons += len(chunk.persons)
        self.summary.roles += len(chunk.roles)
        self.summary.person_tags += len(chunk.tags)
        self.summary.consent_records += len(chunk.consents)

    def person_row(
        self,
        rng: random.Random,
        chunk: _PersonChunk,
        person_id: int,
        *,
        gender: Gender,
        title: str,
        first_name: str,
        name_prefix: str,
        last_name: str,
        function: str,
        roles: list[tuple[_Org, str]],
        email: str,
        phone: str,
        mobile: str,
        address: tuple[str, str, str, str, str | None],
        custom_salutation: str = "",
        category: str | None = None,
        legal_basis: LegalBasis = LegalBasis.PUBLIC_TASK,
        tags: Iterable[str] = (),
        notes: str = "",
    ) -> None:
        street, postal_code, city, country, municipality = address
        if municipality is None and not city and roles:
            municipality = roles[0][0].municipality
        municipality_id = self.municipalities.get(municipality or "")
        created = dt.datetime(2019, 1, 7, 8, 0) + dt.timedelta(
            days=rng.randrange(0, 2380), minutes=rng.randrange(0, 600)
        )
        updated = min(
            created + dt.timedelta(days=rng.randrange(0, 450), minutes=rng.randrange(0, 600)),
            dt.datetime(2026, 10, 30, 16, 0),
        )
        chunk.persons.append(
            {
                "id": person_id,
                "gender": gender,
                "title": title,
                "first_name": first_name,
                "name_prefix": name_prefix,
                "last_name": last_name,
                "custom_salutation": custom_salutation,
                "function": function,
                "mobile": mobile,
                "category_id": self.categories.get(category) if category else None,
                "municipality_id": municipality_id,
                "notes": notes,
                "legal_basis": legal_basis,
                "search_text": person_search_text(
                    first_name=first_name,
                    name_prefix=name_prefix,
                    last_name=last_name,
                    title=title,
                    function=function,
                    email=email,
                    city=city,
                    organisation_names=[org.name for org, _ in roles],
                    municipality_name=municipality if municipality_id is not None else None,
                ),
                "anonymised_at": None,
                "import_batch_id": None,
                "version": 1,
                "street": street,
                "po_box": "",
                "postal_code": postal_code,
                "city": city,
                "country": country,
                "email": email,
                "phone": phone,
                "created_at": created,
                "updated_at": updated,
            }
        )
        for position, (org, role_function) in enumerate(roles):
            chunk.roles.append(
                {
                    "id": self.new_id("role"),
                    "person_id": person_id,
                    "organisation_id": org.id,
                    "function": role_function,
                    "department": org.department if position == 0 else "",
                    "is_primary": position == 0,
                }
            )
        self.primary_org.append(roles[0][0].id if roles else None)
        if roles:
            self.first_person_of_org.setdefault(roles[0][0].id, person_id)
        for tag in sorted(set(tags)):
            chunk.tags.append({"person_id": person_id, "tag_id": self.tags[tag]})
        self.consents(rng, chunk, person_id, created.date(), legal_basis)

    def consents(
        self,
        rng: random.Random,
        chunk: _PersonChunk,
        person_id: int,
        created: dt.date,
        legal_basis: LegalBasis,
    ) -> None:
        channels = (Channel.EMAIL, Channel.POST, Channel.IN_PERSON)
        if legal_basis is LegalBasis.CONSENT:
            withdrawn = None
            if rng.random() < 0.06:
                withdrawn = min(created + dt.timedelta(days=rng.randrange(100, 900)), dt.date(2026, 10, 30))
                self.not_invitable.add(person_id)
            chunk.consents.append(
                {
                    "id": self.new_id("consent_record"),
                    "person_id": person_id,
                    "purpose": ConsentPurpose.INVITATION,
                    "given_on": created,
                    "channel": rng.choice(channels),
                    "text_version": "Einwilligung Einladung Integrationskonferenz, Fassung 2019-01",
                    "withdrawn_on": withdrawn,
                    "note": "Widerruf per E-Mail" if withdrawn else "",
                }
            )
        if rng.random() < 0.2:
            given = rng.choice([c.date for c in _CONFERENCES if c.held])
            withdrawn = None
            if rng.random() < 0.05:
                withdrawn = given + dt.timedelta(days=rng.randrange(3, 300))
            chunk.consents.append(
                {
                    "id": self.new_id("consent_record"),
                    "person_id": person_id,
                    "purpose": ConsentPurpose.PARTICIPANT_LIST,
                    "given_on": given,
                    "channel": Channel.IN_PERSON,
                    "text_version": "Teilnehmerliste, Fassung 2023-09",
                    "withdrawn_on": withdrawn,
                    "note": "Unterschrift auf dem Anmeldeformular",
                }
            )
        if rng.random() < 0.08:
            given = rng.choice([c.date for c in _CONFERENCES if c.held])
            chunk.consents.append(
                {
                    "id": self.new_id("consent_record"),
                    "person_id": person_id,
                    "purpose": ConsentPurpose.PHOTOS,
                    "given_on": given,
                    "channel": Channel.IN_PERSON,
                    "text_version": "Fotoeinwilligung, Fassung 2023-09",
                    "withdrawn_on": given + dt.timedelta(days=40) if rng.random() < 0.03 else None,
                    "note": "",
                }
            )

    def showcase_person(self, rng: random.Random, chunk: _PersonChunk, person_id: int, sc: _Showcase) -> None:
        roles = [(self.org_by_key[key], function) for key, function in sc.roles]
        address: tuple[str, str, str, str, str | None] = ("", "", "", "", None)
        if sc.home:
            street, postal_code, city = sc.home
            address = (street, postal_code, city, "", city)
        phone = self.work_phone(rng, roles[0][0]) if roles else f"{_AREA_CODES['Borken']} 4471"
        self.person_row(
            rng,
            chunk,
            person_id,
            gender=sc.gender,
            title=sc.title,
            first_name=sc.first_name,
            name_prefix=sc.name_prefix,
            last_name=sc.last_name,
            function=sc.function,
            roles=roles,
            email=sc.email,
            phone=phone,
            mobile="",
            address=address,
            custom_salutation=sc.custom_salutation,
            legal_basis=sc.legal_basis,
            tags=sc.tags,
        )
        self.showcase_ids[sc.key] = person_id

    def mayor(self, rng: random.Random, chunk: _PersonChunk, person_id: int, town: str) -> None:
        org = self.org_by_key[f"kommune:{town}"]
        gender = Gender.FEMALE if rng.random() < 0.35 else Gender.MALE
        first = rng.choice(_GERMAN.female if gender is Gender.FEMALE else _GERMAN.male)
        last = rng.choice(_GERMAN.last)
        function = "Bürgermeisterin" if gender is Gender.FEMALE else "Bürgermeister"
        self.person_row(
            rng,
            chunk,
            person_id,
            gender=gender,
            title="Dr." if rng.random() < 0.15 else "",
            first_name=first,
            name_prefix="",
            last_name=last,
            function=function,
            roles=[(org, function)],
            email=f"buergermeister{'in' if gender is Gender.FEMALE else ''}@{org.domain}",
            phone=org.phone.rsplit("-", 1)[0] + "-100",
            mobile="",
            address=("", "", "", "", None),
            tags=("Newsletter",),
        )

    def work_phone(self, rng: random.Random, org: _Org) -> str:
        # an extension on the switchboard number when it has one ("02861 681-0" → "02861 681-412")
        phone = f"{org.phone.rsplit('-', 1)[0]}-{rng.randrange(100, 999)}" if "-" in org.phone else org.phone
        if phone.startswith("0") and rng.random() < 0.05:
            phone = "+49 " + phone[1:]
        return phone

    def random_person(
        self,
        rng: random.Random,
        chunk: _PersonChunk,
        person_id: int,
    ) -> None:
        community = rng.choices(_COMMUNITIES, _COMMUNITY_WEIGHTS)[0]
        r = rng.random()
        if r < 0.48:
            gender = Gender.FEMALE
        elif r < 0.95:
            gender = Gender.MALE
        elif r < 0.965:
            gender = Gender.DIVERSE
        else:
            gender = Gender.UNKNOWN
        if gender is Gender.FEMALE:
            first = rng.choice(community.female)
        elif gender is Gender.MALE:
            first = rng.choice(community.male)
        else:
            first = rng.choice(community.female + community.male)
        prefix = ""
        if community.prefixed and rng.random() < community.prefix_share:
            prefix, last = rng.choice(community.prefixed)
        else:
            last = rng.choice(community.last)
            if gender is Gender.FEMALE and community.feminine:
                last = _feminine(last, community.feminine)
        r = rng.random()
        title = ""
        if r < 0.06:
            title = "Dr."
        elif r < 0.075:
            title = "Prof. Dr."
        elif r < 0.085:
            title = "Dipl.-Päd."
        elif r < 0.09:
            title = "Dipl.-Soz.-Päd."

        # roles: most people act for an organisation, some for several, some are private persons
        roles: list[tuple[_Org, str]] = []
        r = rng.random()
        role_count = 0 if r < 0.18 else (3 if r < 0.20 else (2 if r < 0.30 else 1))
        function = ""
        for position in range(role_count):
            org = self.orgs[rng.randrange(len(self.orgs))]
            if any(org.id == other.id for other, _ in roles):
                continue
            pool = _FUNCTIONS[org.category] if position == 0 else _SECOND_ROLE_FUNCTIONS
            female, male, neutral = rng.choice(pool)
            role_function = female if gender is Gender.FEMALE else male if gender is Gender.MALE else neutral
            if position == 0:
                function = role_function
            roles.append((org, role_function))
        if title == "Prof. Dr." and roles:
            function = {"female": "Professorin", "male": "Professor"}.get(gender.value, "Professur")
            roles[0] = (roles[0][0], function)

        email_first = ascii_name(community.latin.get(first, first))
        email_last = ascii_name((prefix + " " if prefix else "") + community.latin.get(last, last))
        email_last = email_last.replace("-", "") if prefix else email_last
        email = ""
        if roles and rng.random() < 0.75 and roles[0][0].domain and roles[0][0].category != CAT_MSO:
            email = f"{email_first}.{email_last}@{roles[0][0].domain}"
        elif rng.random() < 0.85:
            number = str(rng.randrange(1, 99)) if rng.random() < 0.3 else ""
            domain = rng.choice(("web.de", "gmx.de", "t-online.de", "gmail.com", "outlook.de", "posteo.de"))
            email = f"{email_first}.{email_last}{number}@{domain}"

        # address: private persons always, others sometimes a home address
        address: tuple[str, str, str, str, str | None] = ("", "", "", "", None)
        area = _AREA_CODES["Borken"]
        if not roles or rng.random() < 0.3:
            r = rng.random()
            number = f"{rng.randrange(1, 140)}{rng.choice(('', '', '', '', 'a', 'b'))}"
            if r < 0.04:
                postal_code, city, country, area = rng.choice(_OUTSIDE)
                address = (f"{rng.choice(_STREETS)} {number}", postal_code, city, country, None)
            elif r < 0.05:
                postal_code, city, country, area = rng.choice(_ABROAD)
                street = rng.choice(_FOREIGN_STREETS)
                address = (f"{street} {number}", postal_code, city, country, None)
            else:
                town = rng.choices(_TOWN_NAMES, _TOWN_WEIGHTS)[0]
                area = _AREA_CODES[town]
                postal_code = rng.choice(_POSTAL_CODES[town])
                address = (f"{rng.choice(_STREETS)} {number}", postal_code, town, "", town)
        if roles and rng.random() < 0.9:
            phone = self.work_phone(rng, roles[0][0])
        elif rng.random() < 0.6 and not area.startswith("+"):
            phone = f"{area} {rng.randrange(10000, 9999999)}"
        else:
            phone = ""
        mobile = ""
        if rng.random() < 0.3:
            prefix_number = rng.choice(("0151", "0152", "0157", "0160", "0170", "0171", "0176"))
            mobile = f"{prefix_number} {rng.randrange(1000000, 99999999)}"
            if rng.random() < 0.1:
                mobile = "+49 " + mobile[1:]

        category: str | None = None
        if not roles and rng.random() < 0.4:
            category = rng.choice((CAT_EXPERTS, CAT_OTHER, CAT_POLITICS, CAT_OTHER))
        elif rng.random() < 0.05:
            category = rng.choice(_CATEGORY_NAMES)
        legal_basis = LegalBasis.PUBLIC_TASK
        if (not roles and rng.random() < 0.85) or rng.random() < 0.03:
            legal_basis = LegalBasis.CONSENT

        custom = ""
        if rng.random() < 0.012:
            if gender is Gender.FEMALE:
                custom = f"Liebe {first},"
            elif gender is Gender.MALE:
                custom = f"Lieber {first},"
            else:
                custom = f"Hallo {first} {(prefix + ' ' if prefix else '') + last},"
        tags: list[str] = []
        if rng.random() < 0.22:
            tags.append("Newsletter")
        if not roles and rng.random() < 0.3:
            tags.append("Ehrenamt")
        if any(org.name.startswith("Integrationsrat") for org, _ in roles) or rng.random() < 0.01:
            tags.append("Integrationsrat")
        if function.startswith("Redakt") or rng.random() < 0.004:
            tags.append("Presse")
        if rng.random() < 0.01:
            tags.append("Referentin/Referent")
        notes = ""
        if rng.random() < 0.03:
            notes = rng.choice(_PERSON_NOTES)
        self.person_row(
            rng,
            chunk,
            person_id,
            gender=gender,
            title=title,
            first_name=first,
            name_prefix=prefix,
            last_name=last,
            function=function,
            roles=roles,
            email=email,
            phone=phone,
            mobile=mobile,
            address=address,
            custom_salutation=custom,
            category=category,
            legal_basis=legal_basis,
            tags=tags,
            notes=notes,
        )

    # -- conferences ---------------------------------------------------------------------------------

    def build_conference(self, conf: _ConferenceDef) -> None:
        rng = self.rng(f"conference-{conf.year}")
        conference_id = self.new_id("conference")
        created = dt.datetime.combine(conf.date - dt.timedelta(days=200), dt.time(9, 30))
        updated = (
            dt.datetime.combine(conf.date + dt.timedelta(days=30), dt.time(11, 0))
            if conf.held
            else dt.datetime(2026, 10, 30, 15, 12)
        )

        # agenda
        items: list[tuple[AgendaItemType, int, str, str, str]] = [
            (
                AgendaItemType.WELCOME,
                20,
                "Begrüßung",
                "Landrat des Kreises Borken; Katrin Müller, Leiterin des KI",
                "",
            ),
        ]
        if conf.year > _CONFERENCES[0].year:
            items.append(
                (
                    AgendaItemType.STATUS_REPORT,
                    25,
                    f"Sachstand der Empfehlungen aus {conf.year - 1}",
                    "Katrin Müller, Kommunales Integrationszentrum",
                    "Was ist aus den Empfehlungen der letzten Konferenz geworden?",
                )
            )
        items += [
            (AgendaItemType.TALK, 45, conf.keynote[0], conf.keynote[1], ""),
            (AgendaItemType.BREAK, 15, "Kaffeepause", "", ""),
            (
                AgendaItemType.FORUM_PHASE,
                90,
                "Forenphase: Arbeit in parallelen Foren",
                "",
                f"{len(conf.forums)} Foren parallel, Räume siehe Aushang",
            ),
            (AgendaItemType.BREAK, 45, "Mittagspause mit Imbiss", "", ""),
            (AgendaItemType.RESULTS, 40, "Ergebnisse aus den Foren", "Moderationen der Foren", ""),
            (AgendaItemType.PANEL, 50, conf.panel[0], conf.panel[1], ""),
            (
                AgendaItemType.CLOSING,
                15,
                "Ausblick und Verabschiedung",
                "Katrin Müller, Kommunales Integrationszentrum",
                "",
            ),
        ]
        start = dt.datetime.combine(conf.date, dt.time(9, 0))
        clock = start
        agenda_rows: list[dict[str, Any]] = []
        agenda_ids: dict[AgendaItemType, int] = {}
        for position, (item_type, minutes, title, speakers, description) in enumerate(items, start=1):
            item_id = self.new_id("agenda_item")
            agenda_ids.setdefault(item_type, item_id)
            internal = ""
            if not conf.held and item_type is AgendaItemType.TALK:
                internal = "Referentin der Universität Münster angefragt, Zusage steht aus"
            agenda_rows.append(
                {
                    "id": item_id,
                    "conference_id": conference_id,
                    "position": position,
                    "start_time": clock.time(),
                    "duration_minutes": minutes,
                    "title": title,
                    "item_type": item_type,
                    "description": description,
                    "speakers": speakers,
                    "moderation": "Katrin Müller (KI)" if item_type is AgendaItemType.PANEL else "",
                    "room": "" if item_type is AgendaItemType.FORUM_PHASE else conf.plenary_room,
                    "responsible_staff": rng.choice(STAFF_USERS),
                    "internal_notes": internal,
                }
            )
            clock += dt.timedelta(minutes=minutes)
        end = clock
        self.insert(
            "conference",
            [
                {
                    "id": conference_id,
                    "year": conf.year,
                    "title": f"Integrationskonferenz {conf.year}",
                    "theme": conf.theme,
                    "date": conf.date,
                    "start_time": start.time(),
                    "end_time": end.time(),
                    "venue_name": conf.venue[0],
                    "venue_street": conf.venue[1],
                    "venue_postal_code": conf.venue[2],
                    "venue_city": conf.venue[3],
                    "capacity": conf.capacity,
                    "reply_deadline": conf.reply_deadline,
                    "notes": conf.notes,
                    "version": 1,
                    "created_at": created,
                    "updated_at": updated,
                }
            ],
        )
        self.insert("agenda_item", agenda_rows)
        self.summary.conferences += 1
        self.summary.agenda_items += len(agenda_rows)

        # forums during the Forenphase
        forum_rows = []
        forum_ids = []
        for order, forum in enumerate(conf.forums, start=1):
            forum_id = self.new_id("forum")
            forum_ids.append(forum_id)
            forum_rows.append(
                {
                    "id": forum_id,
                    "conference_id": conference_id,
                    "agenda_item_id": agenda_ids[AgendaItemType.FORUM_PHASE],
                    "sort_order": order,
                    "title": forum.title,
                    "description": forum.description,
                    "room": forum.room,
                    "capacity": forum.capacity,
                    "moderation": forum.moderation,
                }
            )
        self.insert("forum", forum_rows)
        self.summary.forums += len(forum_rows)

        # registry persons on the agenda
        agenda_person_rows = []
        links = [(AgendaItemType.TALK, key, "speaker") for key in conf.keynote[2]]
        links += [(AgendaItemType.PANEL, key, "speaker") for key in conf.panel[2]]
        links += [
            (AgendaItemType.WELCOME, "mueller", "speaker"),
            (AgendaItemType.PANEL, "mueller", "moderation"),
        ]
        for item_type, key, part in links:
            if key in self.showcase_ids:
                agenda_person_rows.append(
                    {
                        "id": self.new_id("agenda_person"),
                        "agenda_item_id": agenda_ids[item_type],
                        "person_id": self.showcase_ids[key],
                        "part": part,
                    }
                )
        self.insert("agenda_person", agenda_person_rows)
        self.summary.agenda_persons += len(agenda_person_rows)

        ids = _ConferenceIds(conference_id, agenda_ids, forum_ids)
        self.conference_ids[conf.year] = ids
        attendance = self.build_invitations(rng, conf, ids)
        if conf.held:
            self.build_minutes(rng, conf, ids, attendance)

    def choose_invitees(
        self, rng: random.Random, conf: _ConferenceDef
    ) -> list[tuple[int | None, int | None]]:
        """(person id, organisation id) of everyone invited; organisations without a person at the end."""
        n = self.n
        first_id = self.first_person_id
        # small demos: a growing share of the registry, large ones: a realistic number per conference
        share = 0.6 + 0.05 * (conf.year - _CONFERENCES[0].year)
        target = min(int(n * share), conf.invite_target)
        chosen: list[int] = []
        seen: set[int] = set()

        def ok(index: int) -> bool:
            person_id = first_id + index
            if index in seen:
                return False
            return conf.held or person_id not in self.not_invitable

        # the regulars (municipal contacts, named persons, early registry entries) come almost every year
        for index in range(min(n, 150)):
            if len(chosen) >= target:
                break
            if self.primary_org[index] is not None and rng.random() < 0.85 and ok(index):
                seen.add(index)
                chosen.append(index)
        attempts = 0
        while len(chosen) < target and attempts < target * 30:
            attempts += 1
            index = rng.randrange(n)
            if ok(index):
                seen.add(index)
                chosen.append(index)
        invitees: list[tuple[int | None, int | None]] = [
            (first_id + index, self.primary_org[index]) for index in chosen
        ]
        # some organisations are invited as such, without a contact person
        org_ids = [org.id for org in self.orgs]
        count = len(org_ids) if n == 0 else min(len(org_ids), 8)
        invitees += [(None, org_id) for org_id in sorted(rng.sample(org_ids, count))]
        return invitees

    def build_invitations(
        self, rng: random.Random, conf: _ConferenceDef, ids: _ConferenceIds
    ) -> dict[int | None, int]:
        """Write the invitations; returns the number of attendees per forum id (None: no forum chosen)."""
        invitees = self.choose_invitees(rng, conf)
        rng.shuffle(invitees)
        forced = list(_HELD_FORCED if conf.held else _PLANNING_FORCED)
        weights = _HELD_WEIGHTS if conf.held else _PLANNING_WEIGHTS
        statuses = list(weights)
        status_weights = list(weights.values())
        seats = conf.capacity
        forum_left = {
            forum_id: forum.capacity for forum_id, forum in zip(ids.forums, conf.forums, strict=True)
        }
        attendance: dict[int | None, int] = {}
        if conf.held:
            invite_date = conf.date - dt.timedelta(days=56)
            last_reply = conf.reply_deadline + dt.timedelta(days=6)
        else:
            invite_date = dt.date(2026, 10, 5)
            last_reply = DEMO_TODAY - dt.timedelta(days=1)
        reminder_date = conf.reply_deadline - dt.timedelta(days=7) if conf.held else dt.date(2026, 10, 26)
        rows: list[dict[str, Any]] = []
        waitlist: list[dict[str, Any]] = []
        for number, (person_id, org_id) in enumerate(invitees):
            status = forced[number] if number < len(forced) else rng.choices(statuses, status_weights)[0]
            companions = 0
            if status in _TAKES_SEAT or status is InvitationStatus.WAITLIST:
                r = rng.random()
                companions = 2 if r < 0.02 else (1 if r < 0.12 else 0)
            if status in _TAKES_SEAT and number >= len(forced):
                if seats < 1 + companions:
                    status = InvitationStatus.WAITLIST
                else:
                    seats -= 1 + companions
            invited = status is not InvitationStatus.PLANNED
            invited_on = None
            channel = None
            if invited:
                channel = rng.choices((Channel.EMAIL, Channel.POST, Channel.IN_PERSON), (55, 40, 5))[0]
                late = rng.random() < 0.1
                invited_on = invite_date + dt.timedelta(
                    days=rng.randrange(14, 22) if late else rng.randrange(0, 3)
                )
            replied_on = None
            reply_channel = None
            reminded_on = None
            if status in _REPLIED and invited_on is not None:
                span = max(1, (last_reply - invited_on).days - 1)
                replied_on = invited_on + dt.timedelta(days=1 + rng.randrange(span))
                reply_channel = rng.choices(
                    (Channel.EMAIL, Channel.PHONE, Channel.POST, Channel.IN_PERSON), (55, 25, 12, 8)
                )[0]
                if replied_on > reminder_date and invited_on < reminder_date and rng.random() < 0.5:
                    reminded_on = reminder_date
            elif (
                status is InvitationStatus.NO_REPLY and invited_on is not None and invited_on < reminder_date
            ):
                reminded_on = reminder_date
            substitute_name = ""
            substitute_person_id = None
            if status is InvitationStatus.SUBSTITUTED:
                community = rng.choice((_GERMAN, _GERMAN, _TURKISH, _ARABIC, _POLISH))
                female = rng.random() < 0.5
                first = rng.choice(community.female if female else community.male)
                last = rng.choice(community.last)
                if female and community.feminine:
                    last = _feminine(last, community.feminine)
                substitute_name = f"{first} {last}"
                if self.n > 1 and rng.random() < 0.25:
                    candidate = self.first_person_id + rng.randrange(self.n)
                    if candidate != person_id:
                        substitute_person_id = candidate
            forum_id = None
            coming = status in _TAKES_SEAT or status is InvitationStatus.WAITLIST
            if coming and status is not InvitationStatus.WAITLIST and ids.forums and rng.random() < 0.85:
                open_forums = [f for f in ids.forums if forum_left[f] > 0]
                if open_forums:
                    forum_id = rng.choice(open_forums)
                    forum_left[forum_id] -= 1
            needs_accessibility = rng.choice(_ACCESSIBILITY) if coming and rng.random() < 0.025 else ""
            needs_diet = rng.choices(_DIETS, _DIET_WEIGHTS)[0] if coming and rng.random() < 0.3 else ""
            checked_in_at = None
            if conf.held and status in (InvitationStatus.ATTENDED, InvitationStatus.SUBSTITUTED):
                checked_in_at = dt.datetime.combine(conf.date, dt.time(8, 30)) + dt.timedelta(
                    minutes=rng.randrange(0, 75), seconds=rng.randrange(0, 60)
                )
                attendance[forum_id] = attendance.get(forum_id, 0) + 1
            entered = dt.datetime.combine(
                conf.date - dt.timedelta(days=100 - rng.randrange(0, 30)), dt.time(8, 0)
            ) + dt.timedelta(minutes=rng.randrange(0, 480))
            if not conf.held and not invited:
                entered = dt.datetime.combine(dt.date(2026, 9, 15), dt.time(8, 0)) + dt.timedelta(
                    days=rng.randrange(0, 45), minutes=rng.randrange(0, 480)
                )
            template = ""
            if channel is Channel.POST:
                template = "einladung_brief"
            elif channel is Channel.EMAIL:
                template = "einladung_email"
            row = {
                "id": self.new_id("invitation"),
                "conference_id": ids.conference_id,
                "person_id": person_id,
                "organisation_id": org_id,
                "status": status,
                "invitation_channel": channel,
                "invited_on": invited_on,
                "reply_channel": reply_channel,
                "replied_on": replied_on,
                "reminded_on": reminded_on,
                "substitute_name": substitute_name,
                "substitute_person_id": substitute_person_id,
                "companions": companions,
                "forum_id": forum_id,
                "needs_accessibility": needs_accessibility,
                "needs_diet": needs_diet,
                "notes": rng.choice(_INVITATION_NOTES) if coming and rng.random() < 0.04 else "",
                "waitlist_position": None,
                "checked_in_at": checked_in_at,
                "letter_template": template,
                "entered_by": rng.choice(STAFF_USERS),
                "entered_at": entered,
                "version": 1,
            }
            rows.append(row)
            if status is InvitationStatus.WAITLIST:
                waitlist.append(row)
        waitlist.sort(key=lambda r: (r["replied_on"] or dt.date.max, r["id"]))
        for position, row in enumerate(waitlist, start=1):
            row["waitlist_position"] = position
        self.insert("invitation", rows)
        self.summary.invitations += len(rows)
        return attendance

    def build_minutes(
        self,
        rng: random.Random,
        conf: _ConferenceDef,
        ids: _ConferenceIds,
        attendance: dict[int | None, int],
    ) -> None:
        written = dt.datetime.combine(conf.date + dt.timedelta(days=3), dt.time(10, 0))
        total = sum(attendance.values())
        previous = [c for c in _CONFERENCES if c.year == conf.year - 1]
        texts: dict[AgendaItemType, tuple[str, str]] = {
            AgendaItemType.WELCOME: (
                f"Begrüßung von {total} Teilnehmenden; Hinweis auf Fotos und Teilnehmerliste.",
                "",
            ),
            AgendaItemType.TALK: (
                "Vortrag mit anschließender Diskussion; die Folien stehen in der Dokumentation.",
                "Die Thesen des Vortrags werden in den Foren aufgegriffen.",
            ),
            AgendaItemType.FORUM_PHASE: (f"Arbeit in {len(conf.forums)} parallelen Foren.", ""),
            AgendaItemType.RESULTS: (
                "Die Moderationen stellen die Ergebnisse der Foren vor.",
                "Die Empfehlungen werden vom KI dokumentiert und nachverfolgt.",
            ),
            AgendaItemType.PANEL: ("Lebhafte Diskussion mit Fragen aus dem Publikum.", ""),
            AgendaItemType.CLOSING: (f"Ausblick auf die Integrationskonferenz {conf.year + 1}.", ""),
        }
        if previous:
            count = len(previous[0].recommendations)
            texts[AgendaItemType.STATUS_REPORT] = (
                f"Bericht über den Stand der {count} Empfehlungen aus {conf.year - 1}.",
                "Offene Empfehlungen werden weiter verfolgt.",
            )
        rows = []
        for item_type, (notes, results) in sorted(texts.items(), key=lambda entry: ids.agenda[entry[0]]):
            minutes_id = self.new_id("minutes_entry")
            item_id = ids.agenda[item_type]
            ids.minutes_by_item[item_id] = minutes_id
            rows.append(
                {
                    "id": minutes_id,
                    "conference_id": ids.conference_id,
                    "agenda_item_id": item_id,
                    "forum_id": None,
                    "notes": notes,
                    "results": results,
                    "rapporteur": rng.choice(
                        ("Katrin Müller (KI)", "Birgit Schulte (KI)", "Jan Hoffmann (KI)")
                    ),
                    "created_at": written,
                    "updated_at": written + dt.timedelta(days=rng.randrange(0, 10)),
                }
            )
        for index, (forum_id, forum) in enumerate(zip(ids.forums, conf.forums, strict=True)):
            minutes_id = self.new_id("minutes_entry")
            ids.minutes_by_forum[forum_id] = minutes_id
            recs = [r.text for r in conf.recommendations if r.forum == index]
            results = forum.results
            if recs:
                results += "\nEmpfehlungen:\n" + "\n".join(f"• {text}" for text in recs)
            rows.append(
                {
                    "id": minutes_id,
                    "conference_id": ids.conference_id,
                    "agenda_item_id": None,
                    "forum_id": forum_id,
                    "notes": f"{attendance.get(forum_id, 0)} Teilnehmende. {forum.notes}",
                    "results": results,
                    "rapporteur": forum.moderation,
                    "created_at": written,
                    "updated_at": written + dt.timedelta(days=rng.randrange(0, 10)),
                }
            )
        self.insert("minutes_entry", rows)
        self.summary.minutes_entries += len(rows)

    def build_recommendations(self, rng: random.Random, conf: _ConferenceDef) -> None:
        ids = self.conference_ids[conf.year]
        rec_rows = []
        update_rows = []
        later = [c for c in _CONFERENCES if c.held and c.year > conf.year]
        for rec in conf.recommendations:
            rec_id = self.new_id("recommendation")
            forum_id = ids.forums[rec.forum] if rec.forum is not None else None
            agenda_item_id = ids.agenda[AgendaItemType.PANEL] if forum_id is None else None
            if forum_id is not None:
                minutes_id = ids.minutes_by_forum.get(forum_id)
            else:
                minutes_id = ids.minutes_by_item.get(ids.agenda[AgendaItemType.PANEL])
            org = self.org_by_key.get(rec.organisation) if rec.organisation else None
            person_id = self.first_person_of_org.get(org.id) if org is not None else None
            if person_id is not None and rng.random() < 0.4:
                person_id = None
            history: list[tuple[dt.date, RecommendationStatus, str, int | None]] = [
                (
                    conf.date + dt.timedelta(days=14),
                    RecommendationStatus.OPEN,
                    "Empfehlung in die Ergebnisdokumentation aufgenommen",
                    None,
                )
            ]
            history += [(date, status, note, None) for date, status, note in rec.updates]
            # reported on in the "Sachstand" item of each later conference while still open
            for other in later:
                before = [h for h in history if h[0] <= other.date]
                current = before[-1][1] if before else RecommendationStatus.OPEN
                if current in (RecommendationStatus.DONE, RecommendationStatus.REJECTED):
                    continue
                other_ids = self.conference_ids[other.year]
                report_minutes = other_ids.minutes_by_item.get(other_ids.agenda[AgendaItemType.STATUS_REPORT])
                history.append(
                    (
                        other.date,
                        current,
                        f"Sachstand auf der Integrationskonferenz {other.year} vorgestellt",
                        report_minutes,
                    )
                )
            history.sort(key=lambda h: h[0])
            for date, status, note, report_minutes in history:
                update_rows.append(
                    {
                        "id": self.new_id("recommendation_update"),
                        "recommendation_id": rec_id,
                        "date": date,
                        "status": status,
                        "note": note,
                        "minutes_entry_id": report_minutes,
                        "entered_by": rng.choice(STAFF_USERS),
                    }
                )
            rec_rows.append(
                {
                    "id": rec_id,
                    "conference_id": ids.conference_id,
                    "agenda_item_id": agenda_item_id,
                    "forum_id": forum_id,
                    "minutes_entry_id": minutes_id,
                    "text": rec.text,
                    "responsible_organisation_id": org.id if org is not None else None,
                    "responsible_person_id": person_id,
                    "responsible_text": rec.responsible_text,
                    "due_date": rec.due,
                    "status": rec.status,
                    "version": 1,
                    "created_at": dt.datetime.combine(conf.date + dt.timedelta(days=14), dt.time(9, 0)),
                    "updated_at": dt.datetime.combine(history[-1][0], dt.time(10, 0))
                    + dt.timedelta(minutes=rng.randrange(0, 300)),
                }
            )
        self.insert("recommendation", rec_rows)
        self.insert("recommendation_update", update_rows)
        self.summary.recommendations += len(rec_rows)
        self.summary.recommendation_updates += len(update_rows)


@dataclass
class _PersonChunk:
    persons: list[dict[str, Any]] = field(default_factory=list)
    roles: list[dict[str, Any]] = field(default_factory=list)
    tags: list[dict[str, Any]] = field(default_factory=list)
    consents: list[dict[str, Any]] = field(default_factory=list)
