"""The demo's registry: tags, organisations (the municipalities, the fixed list and, for large demos,
generated ones) and persons with their roles, tags and consent records.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa

from konferenz.demo.state import DemoRun, Org, PersonChunk
from konferenz.demo.world import (
    ABROAD,
    AREA_CODES,
    CAT_EXPERTS,
    CAT_MSO,
    CAT_OTHER,
    CAT_POLITICS,
    CATEGORY_NAMES,
    COMMUNITIES,
    COMMUNITY,
    COMMUNITY_WEIGHTS,
    CONFERENCES,
    FOREIGN_STREETS,
    FUNCTIONS,
    GENERATED_ORGANISATIONS,
    ORGANISATIONS,
    OUTSIDE,
    PERSON_NOTES,
    POSTAL_CODES,
    SECOND_ROLE_FUNCTIONS,
    SHOWCASE,
    STREETS,
    TAG_NAMES,
    TOWN_NAMES,
    TOWN_WEIGHTS,
    OrgDef,
    Showcase,
    feminine,
)
from konferenz.enums import Channel, ConsentPurpose, Gender, LegalBasis
from konferenz.registry.search_keys import organisation_search_text, person_search_text
from konferenz.storage.bulk import CHUNK
from konferenz.storage.models import Tag
from konferenz.storage.reference import MUNICIPALITIES
from konferenz.text import ascii_name


class RegistryParts(DemoRun):
    """Writes tags, organisations and persons; fills ``orgs``, ``showcase_ids`` and the other lookups."""

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

        def add(definition: OrgDef, key: str) -> None:
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
            org = Org(
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

        for definition in ORGANISATIONS:
            add(definition, definition.key)
        for definition in self.extra_organisations(rng):
            add(definition, definition.key)
        self.insert("organisation", rows)
        self.insert("organisation_tag", tag_rows)
        self.summary.organisations = len(rows)
        self.summary.organisation_tags = len(tag_rows)

    def extra_organisations(self, rng: random.Random) -> list[OrgDef]:
        wanted = max(0, (self.n - 1000) // 100)
        if not wanted:
            return []
        candidates: list[tuple[str, str, str]] = []
        for generated in GENERATED_ORGANISATIONS:
            for variant in generated.variants:
                for mun in MUNICIPALITIES:
                    name = generated.pattern.format(v=variant, town=mun.name)
                    candidates.append((generated.category, name, mun.name))
        rng.shuffle(candidates)
        result = []
        for index, (category, name, town) in enumerate(candidates[:wanted]):
            slug = ascii_name(name.replace(" e. V.", "")).replace("--", "-")[:40].strip("-.")
            postal_code = rng.choice(POSTAL_CODES[town])
            phone = f"{AREA_CODES[town]} {rng.randrange(1000, 99999)}"
            if rng.random() < 0.4:
                phone = f"{AREA_CODES[town]} {rng.randrange(100, 999)}-0"
            result.append(
                OrgDef(
                    key=f"extra:{index}",
                    category=category,
                    name=name,
                    department="",
                    short_name="",
                    street=f"{rng.choice(STREETS)} {rng.randrange(1, 120)}",
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
        chunk = PersonChunk()
        self.first_person_id = self.peek_id("person")
        showcase = SHOWCASE[: self.n]
        mayors = list(MUNICIPALITIES)[: max(0, self.n - len(showcase))]
        for index in range(self.n):
            person_id = self.new_id("person")
            if index < len(showcase):
                self.showcase_person(rng, chunk, person_id, showcase[index])
            elif index - len(showcase) < len(mayors):
                self.mayor(rng, chunk, person_id, mayors[index - len(showcase)].name)
            else:
                self.random_person(rng, chunk, person_id)
            if len(chunk.persons) >= CHUNK:
                self.flush_persons(chunk)
                chunk = PersonChunk()
                self.step(CHUNK)
        remaining = len(chunk.persons)
        self.flush_persons(chunk)
        self.step(remaining)

    def flush_persons(self, chunk: PersonChunk) -> None:
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
        chunk: PersonChunk,
        person_id: int,
        *,
        gender: Gender,
        title: str,
        first_name: str,
        name_prefix: str,
        last_name: str,
        function: str,
        roles: list[tuple[Org, str]],
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
        chunk: PersonChunk,
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
            given = rng.choice([c.date for c in CONFERENCES if c.held])
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
            given = rng.choice([c.date for c in CONFERENCES if c.held])
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

    def showcase_person(self, rng: random.Random, chunk: PersonChunk, person_id: int, sc: Showcase) -> None:
        roles = [(self.org_by_key[key], function) for key, function in sc.roles]
        address: tuple[str, str, str, str, str | None] = ("", "", "", "", None)
        if sc.home:
            street, postal_code, city = sc.home
            address = (street, postal_code, city, "", city)
        phone = self.work_phone(rng, roles[0][0]) if roles else f"{AREA_CODES['Borken']} 4471"
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

    def mayor(self, rng: random.Random, chunk: PersonChunk, person_id: int, town: str) -> None:
        org = self.org_by_key[f"kommune:{town}"]
        gender = Gender.FEMALE if rng.random() < 0.35 else Gender.MALE
        german = COMMUNITY["german"]
        first = rng.choice(german.female if gender is Gender.FEMALE else german.male)
        last = rng.choice(german.last)
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

    def work_phone(self, rng: random.Random, org: Org) -> str:
        # an extension on the switchboard number when it has one ("02861 681-0" → "02861 681-412")
        phone = f"{org.phone.rsplit('-', 1)[0]}-{rng.randrange(100, 999)}" if "-" in org.phone else org.phone
        if phone.startswith("0") and rng.random() < 0.05:
            phone = "+49 " + phone[1:]
        return phone

    def random_person(
        self,
        rng: random.Random,
        chunk: PersonChunk,
        person_id: int,
    ) -> None:
        community = rng.choices(COMMUNITIES, COMMUNITY_WEIGHTS)[0]
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
                last = feminine(last, community.feminine)
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
        roles: list[tuple[Org, str]] = []
        r = rng.random()
        role_count = 0 if r < 0.18 else (3 if r < 0.20 else (2 if r < 0.30 else 1))
        function = ""
        for position in range(role_count):
            org = self.orgs[rng.randrange(len(self.orgs))]
            if any(org.id == other.id for other, _ in roles):
                continue
            pool = FUNCTIONS[org.category] if position == 0 else SECOND_ROLE_FUNCTIONS
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
        area = AREA_CODES["Borken"]
        if not roles or rng.random() < 0.3:
            r = rng.random()
            number = f"{rng.randrange(1, 140)}{rng.choice(('', '', '', '', 'a', 'b'))}"
            if r < 0.04:
                postal_code, city, country, area = rng.choice(OUTSIDE)
                address = (f"{rng.choice(STREETS)} {number}", postal_code, city, country, None)
            elif r < 0.05:
                postal_code, city, country, area = rng.choice(ABROAD)
                street = rng.choice(FOREIGN_STREETS)
                address = (f"{street} {number}", postal_code, city, country, None)
            else:
                town = rng.choices(TOWN_NAMES, TOWN_WEIGHTS)[0]
                area = AREA_CODES[town]
                postal_code = rng.choice(POSTAL_CODES[town])
                address = (f"{rng.choice(STREETS)} {number}", postal_code, town, "", town)
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
            category = rng.choice(CATEGORY_NAMES)
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
            notes = rng.choice(PERSON_NOTES)
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
