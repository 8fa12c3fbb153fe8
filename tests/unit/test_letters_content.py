"""Letter content: templates (sandbox, autoescape, errors with line numbers), letters per invitation,
recording the sending, and the people on badges and lists – the database tests on both backends."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
import sqlalchemy as sa

from konferenz.enums import Channel, ConsentPurpose, Gender, InvitationStatus
from konferenz.errors import ConflictError, UserError
from konferenz.letters import content, sending, sheets, templates
from konferenz.letters.dates import german_date, german_date_weekday, german_time, numeric_date
from konferenz.letters.sender import (
    LOGO_MAX_BYTES,
    SenderSettings,
    adopt_logo_file,
    load_sender_settings,
    logo_format,
    read_logo_file,
    save_sender_settings,
    sender_conflicts,
)
from konferenz.storage.db import Database
from konferenz.storage.models import (
    AgendaItem,
    ArchivedDocument,
    Conference,
    ConsentRecord,
    Forum,
    Invitation,
    MinutesEntry,
    Organisation,
    Person,
    Recommendation,
    Role,
    Setting,
)

TODAY = dt.date(2026, 11, 25)

# --- dates and settings ----------------------------------------------------------------------------------


def test_german_dates() -> None:
    assert german_date(dt.date(2026, 11, 25)) == "25. November 2026"
    assert german_date(dt.date(2026, 3, 1)) == "1. März 2026"
    assert german_date_weekday(dt.date(2026, 12, 10)) == "Donnerstag, 10. Dezember 2026"
    assert numeric_date(dt.date(2026, 1, 5)) == "05.01.2026"
    assert german_time(dt.time(9, 5)) == "9:05"
    assert german_date(None) == ""


def test_default_sender() -> None:
    sender = SenderSettings()
    assert sender.sender_line == "Kreis Borken · Burloer Straße 93 · 46325 Borken"
    assert sender.phone == "02861 681-0"
    assert sender.return_address == [
        "Kreis Borken",
        "Kommunales Integrationszentrum",
        "Burloer Straße 93",
        "46325 Borken",
    ]


# --- templates -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "subject", "phrases"),
    [
        (
            "einladung",
            "Einladung zur Integrationskonferenz 2026",
            ["lädt Sie herzlich", "23. Oktober 2026", "Forum 2: Arbeit und Ausbildung", "Kreishaus Borken"],
        ),
        ("erinnerung", "Erinnerung: Einladung zur Integrationskonferenz 2026", ["noch nicht vor"]),
        ("dank", "Dank für Ihre Teilnahme an der Integrationskonferenz 2026", ["herzlichen Dank"]),
    ],
)
def test_builtin_templates_render(name: str, subject: str, phrases: list[str]) -> None:
    rendered = templates.render_template(name, content.sample_context())
    assert rendered.subject == subject
    for phrase in phrases:
        assert phrase in rendered.body
    assert templates.render_body(name + ".html.j2", content.sample_context()) == rendered.body


def test_available_templates() -> None:
    assert {"einladung.html.j2", "erinnerung.html.j2", "dank.html.j2"} <= set(templates.available_templates())
    assert templates.template_name("Einladung".lower()) == "einladung.html.j2"
    with pytest.raises(templates.TemplateError, match="gibt es nicht"):
        templates.template_name("gibtsnicht")


def test_autoescape_special_characters() -> None:
    ctx = content.sample_context()
    ctx["conference"]["title"] = 'Konferenz "Vielfalt" <Borken> & Co'
    body = templates.render_body("<p>{{ conference.title }}</p>", ctx)
    assert body == "<p>Konferenz &#34;Vielfalt&#34; &lt;Borken&gt; &amp; Co</p>"
    # filters escape too
    text = templates.render_body("{{ x | absaetze }}", {"x": "a < b\nzweite & Zeile\n\nneuer Absatz"})
    assert text == "<p>a &lt; b<br>zweite &amp; Zeile</p><p>neuer Absatz</p>"


def test_syntax_error_names_the_line() -> None:
    with pytest.raises(templates.TemplateError) as info:
        templates.render_body("<p>Zeile 1</p>\n<p>Zeile 2</p>\n{% if %}\n", content.sample_context())
    assert info.value.lineno == 3
    assert "Zeile 3" in str(info.value)
    assert "Syntaxfehler" in str(info.value)
    assert isinstance(info.value, UserError)


def test_unknown_variable_names_line_and_variable() -> None:
    source = "<p>{{ person.first_name }}</p>\n\n<p>{{ person.vorname }}</p>"
    with pytest.raises(templates.TemplateError) as info:
        templates.render_body(source, content.sample_context())
    assert info.value.lineno == 3
    assert "„vorname“ ist kein bekannter Platzhalter" in str(info.value)


def test_unknown_top_level_variable() -> None:
    with pytest.raises(templates.TemplateError, match=r"Zeile 2: „anrede“ ist kein bekannter Platzhalter"):
        templates.render_body("a\n{{ anrede }}", content.sample_context())


def test_sandbox_blocks_unsafe_access() -> None:
    with pytest.raises(templates.TemplateError, match="nicht erlaubt"):
        templates.render_body("{{ person.__class__.__mro__ }}", content.sample_context())
    with pytest.raises(templates.TemplateError):
        templates.render_body("{{ ''.__class__.__subclasses__() }}", {})


def test_a_filter_assertion_is_a_template_error_with_its_line() -> None:
    """Jinja's filters check arguments with assert; a half-typed template must not become a traceback."""
    with pytest.raises(templates.TemplateError) as info:
        templates.render_body("<p>Hallo</p>\n{{ conference.title|truncate(-5) }}", content.sample_context())
    assert info.value.lineno == 2
    assert "Zeile 2: ein Filter wurde mit einem ungültigen Wert aufgerufen" in str(info.value)
    assert not isinstance(info.value.__cause__, templates.TemplateError)


def test_a_macro_calling_itself_is_a_template_error_with_its_line() -> None:
    source = "<p>Hallo</p>\n{% macro m(x) %}\n{{ m(x) }}\n{% endmacro %}\n{{ m(1) }}"
    with pytest.raises(templates.TemplateError) as info:
        templates.render_body(source, content.sample_context())
    assert info.value.lineno == 3
    assert "Zeile 3: zu tief verschachtelt" in str(info.value)
    # other failures of a user's template are German too, with their line
    with pytest.raises(templates.TemplateError, match=r"Zeile 2: Division durch null"):
        templates.render_body("a\n{{ 1 / 0 }}", content.sample_context())
    with pytest.raises(templates.TemplateError, match=r"Zeile 2: die Vorlage „fehlt.html.j2“ gibt es nicht"):
        templates.render_body("a\n{% include 'fehlt.html.j2' %}", content.sample_context())


def test_user_template_folder_overrides_and_reports_its_own_lines() -> None:
    folder = templates.user_template_dir()
    folder.mkdir(parents=True, exist_ok=True)
    own = folder / "kurz.html.j2"
    override = folder / "dank.html.j2"
    try:
        own.write_text('{% set subject = "Kurz" %}\n<p>Hallo {{ person.first_name }}</p>\n', encoding="utf-8")
        rendered = templates.render_template("kurz", content.sample_context())
        assert (rendered.subject, rendered.body) == ("Kurz", "<p>Hallo Ayşe</p>")
        assert "kurz.html.j2" in templates.available_templates()
        override.write_text("<p>eigener Dank</p>", encoding="utf-8")
        assert templates.render_body("dank", content.sample_context()) == "<p>eigener Dank</p>"
        own.write_text("eins\nzwei\n{{ gibtsnicht }}\n", encoding="utf-8")
        with pytest.raises(templates.TemplateError, match=r"„kurz.html.j2“, Zeile 3"):
            templates.render_body("kurz", content.sample_context())
    finally:
        own.unlink(missing_ok=True)
        override.unlink(missing_ok=True)


# --- a small conference ----------------------------------------------------------------------------------


@dataclass
class World:
    conference_id: int
    forums: list[int]
    inv: dict[str, int]
    persons: dict[str, int]


def build_world(db: Database) -> World:
    """Conference 2026 with two forums, an agenda and invitations in several statuses."""
    with db.session() as s:
        conf = Conference(
            year=2026,
            title="Integrationskonferenz 2026",
            theme="Gut ankommen",
            date=dt.date(2026, 12, 10),
            start_time=dt.time(9, 0),
            end_time=dt.time(15, 30),
            venue_name="Kreishaus Borken",
            venue_street="Burloer Straße 93",
            venue_postal_code="46325",
            venue_city="Borken",
            reply_deadline=dt.date(2026, 11, 20),
        )
        s.add(conf)
        s.flush()
        forums = [
            Forum(conference_id=conf.id, sort_order=0, title="Wohnen und Quartier"),
            Forum(conference_id=conf.id, sort_order=1, title="Arbeit & Anerkennung"),
        ]
        s.add_all(forums)
        s.add_all(
            [
                AgendaItem(conference_id=conf.id, position=0, start_time=dt.time(9, 0), title="Begrüßung"),
                AgendaItem(conference_id=conf.id, position=1, start_time=dt.time(10, 0), title="Foren"),
            ]
        )
        caritas = Organisation(
            name="Caritas & Partner <Borken>",
            department="Migrationsdienst",
            street="Heidener Straße 4",
            postal_code="46325",
            city="Borken",
        )
        stadt = Organisation(name="Stadt Vreden", street="Burgstraße 14", postal_code="48691", city="Vreden")
        s.add_all([caritas, stadt])
        s.flush()
        people = {
            "mueller": Person(gender=Gender.FEMALE, title="Dr.", first_name="Anna", last_name="Müller"),
            "hassan": Person(
                gender=Gender.MALE, title="Prof. Dr.", first_name="Mohammed", last_name="Al-Hassan"
            ),
            "stein": Person(
                gender=Gender.MALE,
                first_name="Karl",
                name_prefix="von",
                last_name="Stein",
                street="Markt 1",
                postal_code="46325",
                city="Borken",
            ),
            "alex": Person(
                gender=Gender.DIVERSE,
                first_name="Alex",
                last_name="Ivanova",
                street="Weg 2",
                postal_code="48683",
                city="Ahaus",
            ),
            "ivanova": Person(
                gender=Gender.FEMALE,
                first_name="Наталья",
                last_name="Иванова",
                street="Ring 3",
                postal_code="48683",
                city="Ahaus",
            ),
            "gone": Person(
                gender=Gender.FEMALE,
                first_name="Ano",
                last_name="Nym",
                anonymised_at=dt.datetime(2026, 1, 1),
            ),
            "sub": Person(gender=Gender.FEMALE, first_name="Sara", last_name="Vertretung"),
        }
        s.add_all(people.values())
        s.flush()
        s.add(Role(person_id=people["mueller"].id, organisation_id=caritas.id, is_primary=True))
        s.add(Role(person_id=people["hassan"].id, organisation_id=stadt.id, is_primary=True))
        s.add(Role(person_id=people["sub"].id, organisation_id=caritas.id, is_primary=True))
        s.add_all(
            [
                ConsentRecord(
                    person_id=people["mueller"].id,
                    purpose=ConsentPurpose.PARTICIPANT_LIST,
                    given_on=dt.date(2026, 1, 1),
                ),
                ConsentRecord(
                    person_id=people["hassan"].id,
                    purpose=ConsentPurpose.PARTICIPANT_LIST,
                    given_on=dt.date(2026, 1, 1),
                    withdrawn_on=dt.date(2026, 6, 1),
                ),
                ConsentRecord(
                    person_id=people["stein"].id, purpose=ConsentPurpose.PHOTOS, given_on=dt.date(2026, 1, 1)
                ),
                ConsentRecord(
                    person_id=people["sub"].id,
                    purpose=ConsentPurpose.PARTICIPANT_LIST,
                    given_on=dt.date(2026, 2, 1),
                ),
            ]
        )
        invitations = {
            "mueller": Invitation(
                conference_id=conf.id,
                person_id=people["mueller"].id,
                organisation_id=caritas.id,
                forum_id=forums[0].id,
            ),
            "hassan": Invitation(
                conference_id=conf.id,
                person_id=people["hassan"].id,
                organisation_id=stadt.id,
                status=InvitationStatus.ACCEPTED,
                forum_id=forums[1].id,
                invited_on=dt.date(2026, 10, 1),
                invitation_channel=Channel.EMAIL,
            ),
            "stein": Invitation(
                conference_id=conf.id,
                person_id=people["stein"].id,
                status=InvitationStatus.ACCEPTED,
                forum_id=forums[1].id,
            ),
            "alex": Invitation(
                conference_id=conf.id,
                person_id=people["alex"].id,
                status=InvitationStatus.INVITED,
                invited_on=dt.date(2026, 10, 1),
                invitation_channel=Channel.POST,
            ),
            "ivanova": Invitation(
                conference_id=conf.id, person_id=people["ivanova"].id, status=InvitationStatus.DECLINED
            ),
            "gone": Invitation(
                conference_id=conf.id, person_id=people["gone"].id, status=InvitationStatus.ACCEPTED
            ),
            "stadt": Invitation(conference_id=conf.id, organisation_id=stadt.id),
            "substituted": Invitation(
                conference_id=conf.id,
                organisation_id=caritas.id,
                status=InvitationStatus.SUBSTITUTED,
                substitute_person_id=people["sub"].id,
            ),
        }
        # the substituted invitation needs a person of its own (one org-only invitation per organisation)
        extra = Person(gender=Gender.MALE, first_name="Jonas", last_name="Lammers")
        s.add(extra)
        s.flush()
        invitations["substituted"].person_id = extra.id
        s.add_all(invitations.values())
        s.flush()
        s.add(MinutesEntry(conference_id=conf.id, forum_id=forums[0].id, results="Mehr Wohnraum\nfür alle"))
        s.add(
            Recommendation(
                conference_id=conf.id, text="Wohnraumbörse aufbauen", responsible_text="Kreis Borken"
            )
        )
        return World(
            conference_id=conf.id,
            forums=[f.id for f in forums],
            inv={k: v.id for k, v in invitations.items()},
            persons={k: v.id for k, v in people.items()},
        )


def _by_invitation(letters: list[content.LetterContent]) -> dict[int, content.LetterContent]:
    return {letter.invitation_id: letter for letter in letters if letter.invitation_id is not None}


def test_letter_contents_for_every_invitation(db: Database) -> None:
    world = build_world(db)
    letters = content.letter_contents(db, 2026, today=TODAY)
    by_id = _by_invitation(letters)
    # the anonymised person gets no letter; everybody else does
    assert world.inv["gone"] not in by_id
    assert len(letters) == len(world.inv) - 1
    mueller = by_id[world.inv["mueller"]]
    assert mueller.address_lines == [
        "Caritas & Partner <Borken>",
        "Migrationsdienst",
        "Frau Dr. Anna Müller",
        "Heidener Straße 4",
        "46325 Borken",
    ]
    assert mueller.salutation == "Sehr geehrte Frau Dr. Müller,"
    assert mueller.subject == "Einladung zur Integrationskonferenz 2026"
    assert mueller.date_line == "Borken, 25. November 2026"
    assert mueller.sender_line == "Kreis Borken · Burloer Straße 93 · 46325 Borken"
    assert ("Telefon", "02861 681-0") in mueller.info
    assert "20. November 2026" in mueller.body_html
    assert "Donnerstag, 10. Dezember 2026, 9:00 bis 15:30 Uhr" in mueller.body_html
    # special characters of the data arrive escaped in the HTML
    assert "Arbeit &amp; Anerkennung" in mueller.body_html
    assert "<Borken>" not in mueller.body_html
    assert by_id[world.inv["hassan"]].salutation == "Sehr geehrter Herr Professor Al-Hassan,"
    assert by_id[world.inv["stein"]].salutation == "Sehr geehrter Herr von Stein,"
    assert by_id[world.inv["alex"]].salutation == "Guten Tag Alex Ivanova,"
    assert by_id[world.inv["ivanova"]].address_lines[0] == "Frau Наталья Иванова"
    assert by_id[world.inv["stadt"]].salutation == "Sehr geehrte Damen und Herren,"
    assert by_id[world.inv["stadt"]].address_lines == ["Stadt Vreden", "Burgstraße 14", "48691 Vreden"]
    # sorted by last name (organisations by name)
    keys = [letter.recipient for letter in letters]
    assert keys.index("Prof. Dr. Mohammed Al-Hassan") < keys.index("Dr. Anna Müller")


def test_letter_contents_filters_and_enclosures(db: Database) -> None:
    world = build_world(db)
    planned = content.letter_contents(db, 2026, InvitationStatus.PLANNED, today=TODAY)
    assert {letter.invitation_id for letter in planned} == {world.inv["mueller"], world.inv["stadt"]}
    some = content.letter_contents(
        db, 2026, invitation_ids=[world.inv["stein"]], programme=True, reply_form=True
    )
    assert len(some) == 1
    letter = some[0]
    assert letter.enclosures == ["Programm", "Rückmeldebogen"]
    assert letter.programme is not None
    assert [item.title for item in letter.programme.items] == ["Begrüßung", "Foren"]
    assert letter.reply_form is not None
    assert letter.reply_form.name == "Karl von Stein"
    assert letter.reply_form.forums == ["Forum 1: Wohnen und Quartier", "Forum 2: Arbeit & Anerkennung"]
    assert "Rückmeldebogen" in letter.body_html


def test_letter_contents_unknown_year(db: Database) -> None:
    build_world(db)
    with pytest.raises(UserError, match=r"Eine Konferenz 2031 gibt es nicht\. Vorhanden: 2026\."):
        content.letter_contents(db, 2031)


def test_sender_settings_from_the_setting_table(db: Database) -> None:
    build_world(db)
    with db.session() as s:
        s.add(Setting(key="letter.contact_name", value="Frau Beispiel"))
        s.add(Setting(key="letter.contact_email", value="integration@example.org"))
        s.add(Setting(key="letter.signature_name", value="Maria Beispiel"))
    letter = content.letter_contents(db, 2026, InvitationStatus.PLANNED, today=TODAY)[0]
    assert ("Auskunft", "Frau Beispiel") in letter.info
    assert ("E-Mail", "integration@example.org") in letter.info
    assert letter.signature == ["Im Auftrag", "Maria Beispiel"]
    assert "integration@example.org" in letter.body_html
    save_sender_settings(db, SenderSettings(city="Bocholt", contact_name="Herr Neu"))
    with db.read_session() as s:
        assert load_sender_settings(s).contact_name == "Herr Neu"


#: the smallest valid PNG (1 × 1 pixel)
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cf"
    "c0f01f0005000201a5f6bd6f0000000049454e44ae426082"
)
SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="20" height="8"/>'


def test_logo_bytes_make_a_round_trip_through_the_database(db: Database, tmp_path: Path) -> None:
    """The picture itself is stored (base64 in the setting), so a workplace without the file prints it."""
    build_world(db)
    file = tmp_path / "wappen.png"
    file.write_bytes(PNG)
    logo = read_logo_file(file)
    save_sender_settings(db, SenderSettings(logo=logo, logo_name=file.name))
    file.unlink()
    with db.read_session() as s:
        stored = load_sender_settings(s)
        raw = s.get(Setting, "letter.logo")
        assert raw is not None and isinstance(raw.value, str)
    assert stored.logo == PNG and stored.logo_name == "wappen.png" and stored.logo_path == ""
    letter = content.letter_contents(db, 2026, InvitationStatus.PLANNED, today=TODAY)[0]
    assert letter.logo == PNG
    assert "IHDR" not in repr(stored) + repr(letter)  # bytes stay out of reprs and logs
    assert "logo" not in content.sample_context(stored)["sender"]

    save_sender_settings(db, SenderSettings(logo=SVG, logo_name="wappen.svg"))
    with db.read_session() as s:
        assert load_sender_settings(s).logo == SVG
    save_sender_settings(db, SenderSettings())
    with db.read_session() as s:
        assert load_sender_settings(s).logo == b""


def test_sender_settings_keep_what_another_workplace_changed_meanwhile(db: Database) -> None:
    """Workplace A opened the sender dialog, B stored a new logo, A fixes only the phone number: B's logo
    stays. Both changing the same field to different values is a conflict; nothing is written then."""
    save_sender_settings(db, SenderSettings(logo=PNG, logo_name="alt.png", room="1.01"))
    with db.read_session() as s:
        loaded_a = load_sender_settings(s)
        loaded_b = load_sender_settings(s)

    save_sender_settings(db, replace(loaded_b, logo=SVG, logo_name="neu.svg"), before=loaded_b)
    save_sender_settings(db, replace(loaded_a, contact_phone="02861 681-1234"), before=loaded_a)
    with db.read_session() as s:
        stored = load_sender_settings(s)
    assert (stored.logo, stored.logo_name, stored.contact_phone) == (SVG, "neu.svg", "02861 681-1234")
    assert stored.room == "1.01"

    # A (still with the old state) also changes the phone – and the room – but B's phone came first
    with pytest.raises(
        ConflictError, match=r"\(Telefon \(Durchwahl\)\)\. Es wurde nichts gespeichert"
    ) as info:
        save_sender_settings(
            db, replace(loaded_a, contact_phone="02861 681-9999", room="2.14"), before=loaded_a
        )
    assert info.value.current == stored
    with db.read_session() as s:
        assert load_sender_settings(s) == stored  # the room was not written either
    assert sender_conflicts(loaded_a, replace(loaded_a, contact_phone="x", room="y"), stored) == [
        "contact_phone"
    ]
    # the same value on both sides is no conflict; the logo is one setting
    save_sender_settings(db, replace(loaded_a, contact_phone="02861 681-1234"), before=loaded_a)
    with pytest.raises(ConflictError, match=r"\(Logo\)") as info:
        save_sender_settings(db, replace(loaded_a, logo=b"", logo_name=""), before=loaded_a)
    assert isinstance(info.value.current, SenderSettings) and info.value.current.logo == SVG


def test_logo_size_limit_and_format_are_checked_with_the_file_name(db: Database, tmp_path: Path) -> None:
    big = tmp_path / "Riesenlogo.png"
    big.write_bytes(PNG + bytes(LOGO_MAX_BYTES))
    with pytest.raises(UserError, match=r"„Riesenlogo\.png“ ist 2,0 MB groß; erlaubt sind höchstens 2 MB"):
        read_logo_file(big)
    with pytest.raises(UserError, match=r"„Riesenlogo\.png“ ist 2,0 MB groß"):
        save_sender_settings(db, SenderSettings(logo=big.read_bytes(), logo_name=big.name))
    text = tmp_path / "brief.pdf"
    text.write_bytes(b"%PDF-1.4 no picture")
    with pytest.raises(UserError, match=r"„brief\.pdf“ ist kein Bild im Format PNG, JPEG oder SVG"):
        read_logo_file(text)
    with pytest.raises(UserError, match="gibt es an diesem Arbeitsplatz nicht"):
        read_logo_file(tmp_path / "fehlt.png")
    with db.read_session() as s:
        assert s.get(Setting, "letter.logo") is None  # nothing was written
    assert logo_format(PNG) == "PNG" and logo_format(b"\xff\xd8\xff\xe0JFIF") == "JPEG"
    assert logo_format(SVG) == "SVG" and logo_format(b"<html></html>") == ""


def test_a_logo_path_of_an_older_version_is_taken_into_the_database_once(
    db: Database, tmp_path: Path
) -> None:
    build_world(db)
    file = tmp_path / "logo.png"
    with db.session() as s:  # what an older version stored: only the path
        s.add(Setting(key="letter.logo_path", value=str(file)))
        s.add(Setting(key="letter.city", value="Bocholt"))

    # the file is missing at this workplace: no logo, no error, the path stays for the one that has it
    assert adopt_logo_file(db) is False
    with db.read_session() as s:
        missing = load_sender_settings(s)
    assert missing.logo == b"" and missing.logo_path == str(file) and missing.city == "Bocholt"
    assert content.letter_contents(db, 2026, InvitationStatus.PLANNED, today=TODAY)[0].logo == b""
    save_sender_settings(db, missing)  # saving other fields keeps the path
    with db.read_session() as s:
        assert load_sender_settings(s).logo_path == str(file)

    # at a workplace with the file the first letter run stores the picture; then the file may go
    file.write_bytes(PNG)
    assert content.letter_contents(db, 2026, InvitationStatus.PLANNED, today=TODAY)[0].logo == PNG
    file.unlink()
    with db.read_session() as s:
        adopted = load_sender_settings(s)
    assert adopted.logo == PNG and adopted.logo_name == "logo.png" and adopted.logo_path == ""
    assert adopted.city == "Bocholt"
    assert adopt_logo_file(db) is False  # nothing left to do
    assert content.letter_contents(db, 2026, InvitationStatus.PLANNED, today=TODAY)[0].logo == PNG


def test_thank_you_letter_with_minutes(db: Database) -> None:
    world = build_world(db)
    letter = content.letter_contents(db, 2026, invitation_ids=[world.inv["hassan"]], template="dank")[0]
    assert letter.subject == "Dank für Ihre Teilnahme an der Integrationskonferenz 2026"
    assert "<p>Mehr Wohnraum<br>für alle</p>" in letter.body_html
    assert "Wohnraumbörse aufbauen" in letter.body_html


def test_broken_template_in_letter_contents(db: Database) -> None:
    build_world(db)
    with pytest.raises(templates.TemplateError, match="Zeile 2"):
        content.letter_contents(db, 2026, template="<p>ok</p>\n{{ person.gibtsnicht }}")


# --- recording the sending -------------------------------------------------------------------------------


def _invitation(db: Database, inv_id: int) -> Invitation:
    with db.read_session() as s:
        inv = s.get(Invitation, inv_id)
        assert inv is not None
        s.expunge(inv)
        return inv


def test_record_sending(db: Database) -> None:
    world = build_world(db)
    ids = [world.inv["mueller"], world.inv["hassan"], world.inv["stadt"]]
    pdfs = {i: b"%PDF-1.4 brief " + str(i).encode() for i in ids}
    before = _invitation(db, world.inv["hassan"])
    assert sending.record_sending(db, ids, "einladung.html.j2", pdfs, today=TODAY) == 3
    mueller = _invitation(db, world.inv["mueller"])
    assert mueller.status is InvitationStatus.INVITED
    assert mueller.invited_on == TODAY
    assert mueller.invitation_channel is Channel.POST
    assert mueller.letter_template == "einladung.html.j2"
    hassan = _invitation(db, world.inv["hassan"])
    assert hassan.status is InvitationStatus.ACCEPTED  # other statuses stay
    # invited before: an invitation sent again keeps the first one's date and channel (the reminder quotes it)
    assert (hassan.invited_on, hassan.invitation_channel) == (before.invited_on, before.invitation_channel)
    assert hassan.invited_on is not None and hassan.invited_on != TODAY
    with db.read_session() as s:
        docs = s.scalars(sa.select(ArchivedDocument).order_by(ArchivedDocument.invitation_id)).all()
        assert [d.invitation_id for d in docs] == sorted(ids)
        assert all(d.conference_id == world.conference_id and d.kind == "Brief" for d in docs)
        assert docs[0].content == pdfs[docs[0].invitation_id]
        assert docs[0].file_name.startswith("2026-einladung-")
        assert docs[0].file_name.endswith(".pdf")


def test_record_reminder_keeps_the_first_invitation_date(db: Database) -> None:
    world = build_world(db)
    sending.record_sending(db, [world.inv["alex"]], "erinnerung.html.j2", {}, today=TODAY)
    alex = _invitation(db, world.inv["alex"])
    assert alex.status is InvitationStatus.INVITED
    assert alex.invited_on == dt.date(2026, 10, 1)
    assert alex.reminded_on == TODAY
    assert alex.letter_template == "erinnerung.html.j2"


def test_record_sending_is_all_or_nothing(db: Database) -> None:
    world = build_world(db)
    with pytest.raises(UserError, match="999999"):
        sending.record_sending(
            db, [world.inv["mueller"], 999999], "einladung.html.j2", {world.inv["mueller"]: b"%PDF"}
        )
    mueller = _invitation(db, world.inv["mueller"])
    assert mueller.status is InvitationStatus.PLANNED
    assert mueller.invited_on is None
    with db.read_session() as s:
        assert s.scalar(sa.select(sa.func.count(ArchivedDocument.id))) == 0


# --- badges and lists ------------------------------------------------------------------------------------


def test_attendees_and_consent(db: Database) -> None:
    build_world(db)
    sheet = sheets.signin_sheet(db, 2026)
    names = [row.name for row in sheet.rows]
    # accepted, substituted (by the substitute's name); not declined, not anonymised
    assert names == ["Prof. Dr. Mohammed Al-Hassan", "Karl von Stein", "Sara Vertretung"]
    sub = sheet.rows[2]
    assert sub.note == "in Vertretung für Jonas Lammers"
    assert sub.organisation == "Caritas & Partner <Borken>"
    assert sheet.title == "Integrationskonferenz 2026"
    assert "Donnerstag, 10. Dezember 2026" in sheet.subtitle
    # only consent for the participant list counts, and withdrawn consent does not
    listed = sheets.attendee_list(db, 2026, today=TODAY)
    assert [row.name for row in listed.rows] == ["Sara Vertretung"]
    assert listed.omitted == 2
    assert [b.name for b in sheets.badge_entries(db, 2026)] == names


def test_forum_lists(db: Database) -> None:
    build_world(db)
    sheet = sheets.signin_sheet(db, 2026, forum="2")
    assert sheet.forum == "Forum 2: Arbeit & Anerkennung"
    assert [row.name for row in sheet.rows] == ["Prof. Dr. Mohammed Al-Hassan", "Karl von Stein"]
    assert sheets.signin_sheet(db, 2026, forum="arbeit").forum == sheet.forum
    assert sheets.signin_sheet(db, 2026, forum="Wohnen und Quartier").rows == []
    with pytest.raises(UserError, match="Das Forum „Zauberei“ gibt es nicht"):
        sheets.signin_sheet(db, 2026, forum="Zauberei")


def test_label_addresses_match_letters(db: Database) -> None:
    build_world(db)
    letters = content.letter_contents(db, 2026)
    assert sheets.label_addresses(db, 2026) == [letter.address_lines for letter in letters]


def test_archive_file_name() -> None:
    assert (
        sending.archive_file_name(2026, "einladung.html.j2", 42, "Müller Anna")
        == "2026-einladung-00042-mueller-anna.pdf"
    )
    assert sending.archive_file_name(2026, "dank.html.j2", 1, "محمد") == "2026-dank-00001-empfaenger.pdf"


def test_user_dir_is_below_data_dir() -> None:
    from konferenz import paths

    assert templates.user_template_dir() == paths.data_dir() / "Vorlagen"
    assert isinstance(templates.builtin_template_dir(), Path)
    assert (templates.builtin_template_dir() / "einladung.html.j2").is_file()


def test_deadline_passed_warns_only_for_a_day_gone_by() -> None:
    import datetime as dt

    from konferenz.letters.dates import deadline_passed

    today = dt.date(2026, 12, 7)
    assert deadline_passed(None, today) == ""
    assert deadline_passed(today, today) == ""  # today is still in time
    assert deadline_passed(dt.date(2026, 12, 8), today) == ""
    warning = deadline_passed(dt.date(2026, 11, 20), today)
    assert warning.startswith(
        "Die Rückmeldefrist (20. November 2026) liegt vor dem Briefdatum (7. Dezember 2026)"
    )


def test_templates_are_named_as_staff_call_them() -> None:
    assert templates.template_title("einladung.html.j2") == "Einladung"
    assert templates.template_title("erinnerung-kurz.html.j2") == "Erinnerung kurz"
    assert templates.template_title("dank_2027") == "Dank 2027"
