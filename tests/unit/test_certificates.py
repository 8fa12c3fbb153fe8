"""Teilnahmebescheinigungen in the core (both backends): who gets one, the forums and the duration printed,
the file names, the template; and the signature block of the sender settings they share with the letters."""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
import sqlalchemy as sa

from konferenz.enums import Gender, InvitationStatus
from konferenz.errors import UserError
from konferenz.letters import certificates, templates
from konferenz.letters.certificates import (
    CERTIFICATE_TEMPLATE,
    certificate_contents,
    certificate_recipients,
    duration_text,
    hours_text,
)
from konferenz.letters.sender import (
    SIGNATURE_IMAGE_MAX_BYTES,
    SenderSettings,
    load_sender_settings,
    read_signature_file,
    save_sender_settings,
)
from konferenz.letters.templates import TemplateError
from konferenz.storage.db import Database
from konferenz.storage.models import (
    AgendaItem,
    Conference,
    Forum,
    Invitation,
    Organisation,
    Person,
    Role,
    Setting,
)

#: a 1 × 1 PNG: enough for the format check (the painting tests use real pictures)
TINY_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


@dataclass
class CertWorld:
    year: int
    invitations: dict[str, int]
    persons: dict[str, int]


def build_certificate_world(db: Database) -> CertWorld:
    """Conference 2026 (9:30–16:00, two forums) with invitees in every status that matters, and 2025 with
    times only in its agenda."""
    with db.session() as s:
        conf = Conference(
            year=2026,
            title="Integrationskonferenz 2026",
            theme="Teilhabe gemeinsam gestalten",
            date=dt.date(2026, 11, 12),
            start_time=dt.time(9, 30),
            end_time=dt.time(16, 0),
            venue_name="Kreishaus Borken",
            venue_street="Burloer Straße 93",
            venue_postal_code="46325",
            venue_city="Borken",
        )
        old = Conference(year=2025, title="Integrationskonferenz 2025", date=dt.date(2025, 11, 13))
        s.add_all([conf, old])
        s.flush()
        forums = [
            Forum(conference_id=conf.id, sort_order=0, title="Sprache und Bildung"),
            Forum(conference_id=conf.id, sort_order=1, title="Arbeit & Anerkennung"),
        ]
        s.add_all(forums)
        s.add_all(
            [
                AgendaItem(
                    conference_id=old.id, position=0, start_time=dt.time(9, 0), duration_minutes=60, title="A"
                ),
                AgendaItem(
                    conference_id=old.id,
                    position=1,
                    start_time=dt.time(13, 0),
                    duration_minutes=105,
                    title="B",
                ),
            ]
        )
        mso = Organisation(name="Türkisch-Deutscher Verein e. V.")
        s.add(mso)
        s.flush()
        people = {
            "oeztuerk": Person(gender=Gender.FEMALE, title="Dr.", first_name="Ayşe", last_name="Öztürk"),
            "arabic": Person(gender=Gender.MALE, first_name="محمد", last_name="الحسن"),
            "ivanova": Person(gender=Gender.FEMALE, first_name="Наталья", last_name="Иванова"),
            "nguyen": Person(gender=Gender.FEMALE, first_name="Thị Hương", last_name="Nguyễn"),
            "stein": Person(gender=Gender.MALE, first_name="Karl", name_prefix="von", last_name="Stein"),
            "yes": Person(gender=Gender.MALE, first_name="Zugesagt", last_name="Aber-Nicht-Da"),
            "gone": Person(
                gender=Gender.FEMALE, first_name="Ano", last_name="Nym", anonymised_at=dt.datetime(2026, 1, 1)
            ),
            "sub": Person(gender=Gender.FEMALE, first_name="Sara", last_name="Vertreterin"),
            "invited": Person(gender=Gender.MALE, first_name="Ulrich", last_name="Verhindert"),
            "absent": Person(gender=Gender.MALE, first_name="Otto", last_name="Abwesend"),
        }
        s.add_all(people.values())
        s.flush()
        s.add(Role(person_id=people["oeztuerk"].id, organisation_id=mso.id, is_primary=True))
        checked = dt.datetime(2026, 11, 12, 9, 12)
        attended = InvitationStatus.ATTENDED
        rows = {
            "oeztuerk": Invitation(
                conference_id=conf.id,
                person_id=people["oeztuerk"].id,
                organisation_id=mso.id,
                status=attended,
                forum_id=forums[1].id,
                checked_in_at=checked,
            ),
            "arabic": Invitation(
                conference_id=conf.id,
                person_id=people["arabic"].id,
                status=attended,
                forum_id=forums[0].id,
                checked_in_at=checked,
            ),
            "ivanova": Invitation(
                conference_id=conf.id, person_id=people["ivanova"].id, status=attended, checked_in_at=checked
            ),
            "nguyen": Invitation(conference_id=conf.id, person_id=people["nguyen"].id, status=attended),
            "stein": Invitation(
                conference_id=conf.id, person_id=people["stein"].id, status=InvitationStatus.NO_SHOW
            ),
            "yes": Invitation(
                conference_id=conf.id, person_id=people["yes"].id, status=InvitationStatus.ACCEPTED
            ),
            "gone": Invitation(
                conference_id=conf.id, person_id=people["gone"].id, status=attended, checked_in_at=checked
            ),
            "org": Invitation(
                conference_id=conf.id, organisation_id=mso.id, status=attended, checked_in_at=checked
            ),
            "substituted": Invitation(
                conference_id=conf.id,
                person_id=people["invited"].id,
                substitute_person_id=people["sub"].id,
                status=attended,
                checked_in_at=checked,
            ),
            "typed_substitute": Invitation(
                conference_id=conf.id,
                person_id=people["absent"].id,
                substitute_name="Jana  Vertretung",
                status=attended,
                checked_in_at=checked,
            ),
            "old_year": Invitation(conference_id=old.id, person_id=people["stein"].id, status=attended),
        }
        s.add_all(rows.values())
        s.flush()
        return CertWorld(2026, {k: v.id for k, v in rows.items()}, {k: v.id for k, v in people.items()})


@pytest.fixture
def world(db: Database) -> CertWorld:
    return build_certificate_world(db)


@pytest.fixture
def own_templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "Vorlagen"
    monkeypatch.setattr(templates, "user_template_dir", lambda: folder)
    return folder


# --- who ------------------------------------------------------------------------------------------------


def test_everyone_who_attended_gets_one_in_the_name_of_who_came(db: Database, world: CertWorld) -> None:
    certs = certificate_contents(db, 2026, today=dt.date(2026, 11, 20))
    names = [c.name for c in certs]
    # sorted by last name (DIN 5007), other scripts after Latin; the substitutes by their own names
    assert names == [
        "Thị Hương Nguyễn",
        "Dr. Ayşe Öztürk",
        "Sara Vertreterin",
        "Jana Vertretung",
        "Наталья Иванова",
        "محمد الحسن",
    ]
    ids = {c.invitation_id for c in certs}
    for left_out in ("stein", "yes", "gone", "org", "old_year"):
        assert world.invitations[left_out] not in ids
    recipients = certificate_recipients(db, 2026)
    assert [r.name for r in recipients] == names
    assert {r.invitation_id for r in recipients} == ids


def test_names_in_any_script_survive_unchanged(db: Database, world: CertWorld) -> None:
    certs = {c.invitation_id: c for c in certificate_contents(db, 2026)}
    assert "محمد الحسن" in certs[world.invitations["arabic"]].body_html
    assert "Наталья Иванова" in certs[world.invitations["ivanova"]].body_html
    assert "Thị Hương Nguyễn" in certs[world.invitations["nguyen"]].body_html


def test_forums_attended_and_organisation(db: Database, world: CertWorld) -> None:
    certs = {c.invitation_id: c for c in certificate_contents(db, 2026)}
    oeztuerk = certs[world.invitations["oeztuerk"]]
    assert oeztuerk.forums == ["Forum 2: Arbeit & Anerkennung"]
    assert "Forum 2: Arbeit &amp; Anerkennung" in oeztuerk.body_html  # escaped in the HTML
    assert oeztuerk.organisation == "Türkisch-Deutscher Verein e. V."
    assert certs[world.invitations["arabic"]].forums == ["Forum 1: Sprache und Bildung"]
    assert certs[world.invitations["ivanova"]].forums == []
    assert "Forum" not in certs[world.invitations["ivanova"]].body_html


def test_duration_from_the_conference_or_its_agenda(db: Database, world: CertWorld) -> None:
    cert = certificate_contents(db, 2026)[0]
    assert cert.duration == "9:30 bis 16:00 Uhr (6,5 Stunden)"
    assert "Donnerstag, 12. November 2026" in cert.body_html
    assert "6,5 Stunden" in cert.body_html and "9:30 bis 16:00 Uhr" in cert.body_html
    assert cert.title == "Teilnahmebescheinigung"
    assert cert.conference_title == "Integrationskonferenz 2026"
    # 2025 has no times of its own: 9:00 (first item) to 14:45 (13:00 + 105 minutes)
    old = certificate_contents(db, 2025)
    assert [c.name for c in old] == ["Karl von Stein"]
    assert old[0].duration == "9:00 bis 14:45 Uhr (5 Stunden 45 Minuten)"


@pytest.mark.parametrize(
    ("minutes", "text"),
    [
        (30, "30 Minuten"),
        (60, "1 Stunde"),
        (90, "1,5 Stunden"),
        (75, "1 Stunde 15 Minuten"),
        (480, "8 Stunden"),
    ],
)
def test_hours_text(minutes: int, text: str) -> None:
    assert hours_text(minutes) == text


def test_duration_text_without_end_or_start() -> None:
    assert duration_text(dt.time(9, 30), None) == "ab 9:30 Uhr"
    assert duration_text(None, dt.time(12, 0)) == ""
    assert duration_text(dt.time(9, 0), dt.time(9, 0)) == "9:00 bis 9:00 Uhr"


def test_chosen_persons_and_the_window_selection(db: Database, world: CertWorld) -> None:
    p = world.persons
    certs = certificate_contents(db, 2026, person_ids=[p["ivanova"], p["oeztuerk"]])
    assert [c.person_id for c in certs] == [p["oeztuerk"], p["ivanova"]]
    # the substitute is found by her own number
    assert [c.name for c in certificate_contents(db, 2026, person_ids=[p["sub"]])] == ["Sara Vertreterin"]
    with pytest.raises(
        UserError, match=rf"Die Personen mit den Nummern {p['yes']}, 99999 haben laut Check-in"
    ):
        certificate_contents(db, 2026, person_ids=[p["oeztuerk"], p["yes"], 99999])
    with pytest.raises(UserError, match=rf"Die Person mit der Nummer {p['invited']} hat"):
        certificate_contents(db, 2026, person_ids=[p["invited"]])  # invited, but the substitute came
    # the window's selection narrows quietly to the attended ones
    chosen = [world.invitations["yes"], world.invitations["arabic"], world.invitations["org"]]
    assert [c.invitation_id for c in certificate_contents(db, 2026, invitation_ids=chosen)] == [
        world.invitations["arabic"]
    ]
    with pytest.raises(UserError, match="Eine Konferenz 1999 gibt es nicht"):
        certificate_contents(db, 1999)


def test_file_names_follow_the_letter_archive(db: Database, world: CertWorld) -> None:
    certs = {c.invitation_id: c for c in certificate_contents(db, 2026)}
    inv = world.invitations["oeztuerk"]
    assert certs[inv].file_name == f"2026-teilnahmebescheinigung-{inv:05d}-oeztuerk-ayse.pdf"
    names = [c.file_name for c in certs.values()]
    assert len(set(names)) == len(names)
    assert all(n.isascii() and n.endswith(".pdf") for n in names)


def test_place_date_and_signature_from_the_sender(db: Database, world: CertWorld) -> None:
    with db.read_session() as s:
        sender = load_sender_settings(s)
    save_sender_settings(
        db,
        replace(
            sender,
            signature_prefix="In Vertretung",
            signature_name="Gülşen Öztürk",
            signature_function="Leiterin des Kommunalen Integrationszentrums",
            signature_image=TINY_PNG,
            signature_image_name="unterschrift.png",
        ),
    )
    cert = certificate_contents(db, 2026, today=dt.date(2026, 11, 20))[0]
    assert cert.date_line == "Borken, 20. November 2026"
    assert cert.signature == [
        "In Vertretung",
        "Gülşen Öztürk",
        "Leiterin des Kommunalen Integrationszentrums",
    ]
    assert cert.signature_image == TINY_PNG
    assert cert.letterhead[0] == "Kreis Borken"


def test_the_users_template_replaces_the_shipped_one(
    db: Database, world: CertWorld, own_templates: Path
) -> None:
    own_templates.mkdir()
    (own_templates / CERTIFICATE_TEMPLATE).write_text(
        '{% set subject = "Bescheinigung" %}<p>{{ person.name }} war {{ conference.duration }} da.</p>\n',
        encoding="utf-8",
    )
    cert = certificate_contents(db, 2026)[0]
    assert cert.title == "Bescheinigung"
    assert cert.body_html == "<p>Thị Hương Nguyễn war 6,5 Stunden da.</p>"
    # the certificate template is no letter template
    assert CERTIFICATE_TEMPLATE not in templates.available_templates()


def test_a_broken_or_hostile_template_gives_a_german_message(db: Database, world: CertWorld) -> None:
    with pytest.raises(
        TemplateError, match=r"„Teilnahmebescheinigung“, Zeile 2: „nobody“ ist kein bekannter"
    ):
        certificate_contents(db, 2026, source="<p>\n{{ nobody.name }}</p>")
    with pytest.raises(TemplateError, match="in Vorlagen nicht erlaubt"):
        certificate_contents(db, 2026, source="{{ person.name.__class__.__mro__ }}\n")
    assert "<script>" not in certificate_contents(db, 2026, source="<p>{{ '<script>' }}</p>\n")[0].body_html


# --- the signature block (shared with the letters) --------------------------------------------------------


def test_the_addition_is_printed_only_with_a_name() -> None:
    alone = SenderSettings(
        signature_prefix="Im Auftrag", signature_name="", signature_function="Sachbearbeitung"
    )
    assert alone.signature_lines == ["Sachbearbeitung"]
    assert "nur zusammen mit einem Namen" in alone.signature_warning
    signed = replace(alone, signature_name="Anna Beispiel")
    assert signed.signature_lines == ["Im Auftrag", "Anna Beispiel", "Sachbearbeitung"]
    assert signed.signature_warning == ""
    head = SenderSettings(signature_prefix="", signature_name="Dr. Kai Zwicky", signature_function="Landrat")
    assert head.signature_lines == ["Dr. Kai Zwicky", "Landrat"]
    assert SenderSettings(signature_prefix="").signature_warning == ""


def test_older_additions_stay_readable(db: Database) -> None:
    with db.session() as s:
        s.add(Setting(key="letter.signature_prefix", value="i. V."))
        s.add(Setting(key="letter.signature_name", value="Anna Beispiel"))
    with db.read_session() as s:
        sender = load_sender_settings(s)
    assert sender.signature_lines == ["In Vertretung", "Anna Beispiel"]
    with db.session() as s:
        row = s.get(Setting, "letter.signature_prefix")
        assert row is not None
        row.value = "Für den Landrat"
    with db.read_session() as s:
        assert load_sender_settings(s).signature_lines == ["Für den Landrat", "Anna Beispiel"]


def test_the_signature_image_is_stored_in_the_database(db: Database, tmp_path: Path) -> None:
    file = tmp_path / "unterschrift.png"
    file.write_bytes(TINY_PNG)
    data = read_signature_file(file)
    save_sender_settings(db, SenderSettings(signature_image=data, signature_image_name=file.name))
    file.unlink()  # the file is no longer needed
    with db.read_session() as s:
        stored = load_sender_settings(s)
        raw = s.scalar(sa.select(Setting.value).where(Setting.key == "letter.signature_image"))
    assert stored.signature_image == TINY_PNG and stored.signature_image_name == "unterschrift.png"
    assert raw == base64.b64encode(TINY_PNG).decode("ascii")
    # removed again
    save_sender_settings(db, replace(stored, signature_image=b"", signature_image_name=""), before=stored)
    with db.read_session() as s:
        assert load_sender_settings(s).signature_image == b""


def test_a_bad_signature_file_gets_a_german_message(db: Database, tmp_path: Path) -> None:
    svg = tmp_path / "unterschrift.svg"
    svg.write_text("<svg xmlns='http://www.w3.org/2000/svg'></svg>", encoding="utf-8")
    with pytest.raises(UserError, match=r"„unterschrift\.svg“ ist kein Bild im Format PNG oder JPEG"):
        read_signature_file(svg)
    big = tmp_path / "riesig.png"
    big.write_bytes(TINY_PNG + b"\0" * SIGNATURE_IMAGE_MAX_BYTES)
    with pytest.raises(
        UserError, match=r"Die Unterschrift-Datei „riesig.png“ ist 1,0 MB groß; erlaubt sind höchstens 1 MB"
    ):
        read_signature_file(big)
    with pytest.raises(UserError, match="gibt es an diesem Arbeitsplatz nicht"):
        read_signature_file(tmp_path / "fehlt.png")
    with pytest.raises(UserError, match="kein Bild"):
        save_sender_settings(db, SenderSettings(signature_image=b"kein Bild", signature_image_name="x.png"))
    with db.read_session() as s:
        assert load_sender_settings(s) == SenderSettings()


def test_sample_context_renders_the_shipped_template() -> None:
    title, body = certificates.render_certificate_sample(certificates.certificate_source())
    assert title == "Teilnahmebescheinigung"
    assert "Dr. Ayşe Yılmaz" in body and "6,5 Stunden" in body and "Forum 1: Sprache und Bildung" in body
