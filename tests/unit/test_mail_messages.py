"""E-mail messages built from the letters' content: salutation, subject and body from the templates, the
plain-text and HTML parts alike, names in any script in the headers, one recipient, the calendar entry and
the letter as a PDF attachment – read back from the bytes a server would receive, on both backends."""

from __future__ import annotations

import dataclasses
import datetime as dt
import email.parser
import email.policy
import io
import re
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import icalendar
import pytest

from konferenz.enums import Channel, Gender, InvitationStatus
from konferenz.errors import UserError
from konferenz.mail import calendar, drafts, messages
from konferenz.mail.mime import Attachment
from konferenz.mail.settings import MailSettings, load_mail_settings, save_mail_settings
from konferenz.storage.db import Database
from konferenz.storage.models import Conference, Forum, Invitation, Organisation, Person

SETTINGS = MailSettings(
    from_address="integration@kreis-borken.de",
    from_name="Kreis Borken – Kommunales Integrationszentrum",
    reply_to="ki-antwort@kreis-borken.de",
)
PEOPLE = {
    "oeztuerk": ("Ayşe", "Öztürk", Gender.FEMALE, "ayse.oeztuerk@example.de"),
    "ali": ("محمد", "العلي", Gender.MALE, "m.alali@example.org"),
    "ivanova": ("Ольга", "Иванова", Gender.UNKNOWN, "olga.ivanova@example.com"),
    "ohne": ("Paul", "Brief", Gender.MALE, ""),
}


def build(db: Database) -> dict[str, int]:
    """Conference 2026 and an invitation per person above, plus one to an organisation with an address."""
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
        s.add(Forum(conference_id=conf.id, sort_order=0, title="Wohnen und Quartier"))
        ids: dict[str, int] = {}
        for key, (first, last, gender, mail) in PEOPLE.items():
            person = Person(
                gender=gender,
                first_name=first,
                last_name=last,
                email=mail,
                postal_code="46325",
                city="Borken",
            )
            s.add(person)
            s.flush()
            inv = Invitation(conference_id=conf.id, person_id=person.id, status=InvitationStatus.PLANNED)
            s.add(inv)
            s.flush()
            ids[key] = inv.id
        org = Organisation(name="Verein Ümit e. V.", email="info@uemit.example", city="Borken")
        s.add(org)
        s.flush()
        inv = Invitation(conference_id=conf.id, organisation_id=org.id, status=InvitationStatus.PLANNED)
        s.add(inv)
        s.flush()
        ids["verein"] = inv.id
    save_mail_settings(db, SETTINGS)
    return ids


def _items(db: Database, **kw: bool) -> dict[int, messages.MailContent]:
    items = messages.mail_contents(db, 2026, template="einladung", **kw)
    return {item.recipient.invitation_id: item for item in items}


def _parse(msg: EmailMessage) -> EmailMessage:
    parsed = BytesParser(policy=email.policy.default).parsebytes(messages.message_bytes(msg))
    assert isinstance(parsed, EmailMessage)
    return parsed


def _text(part: EmailMessage | None) -> str:
    assert part is not None
    content = part.get_content()
    assert isinstance(content, str)
    return content.replace("\r\n", "\n")


def test_settings_round_trip_and_checks(db: Database) -> None:
    with db.read_session() as s:
        assert load_mail_settings(s).from_address == ""  # nothing stored, no contact e-mail
        assert load_mail_settings(s).from_name == "Kreis Borken – Kommunales Integrationszentrum"
    save_mail_settings(db, SETTINGS)
    with db.read_session() as s:
        assert load_mail_settings(s) == SETTINGS
    with pytest.raises(UserError, match=r"Antwortadresse .*„kein-at“ ist keine gültige E-Mail-Adresse"):
        save_mail_settings(db, MailSettings(from_address="a@b.de", reply_to="kein-at"))
    with db.read_session() as s:
        assert load_mail_settings(s) == SETTINGS  # nothing written


def test_channel_per_invitation(db: Database) -> None:
    ids = build(db)
    items = _items(db)
    assert {key: items[i].recipient.channel for key, i in ids.items()} == {
        "oeztuerk": Channel.EMAIL,
        "ali": Channel.EMAIL,
        "ivanova": Channel.EMAIL,
        "ohne": Channel.POST,
        "verein": Channel.EMAIL,  # a letter to an organisation goes to the organisation's address
    }
    with db.read_session() as s:
        inv = s.get(Invitation, ids["verein"])
        assert inv is not None
        assert messages.channel_for(inv) is Channel.EMAIL
        assert messages.recipient_address(inv) == "info@uemit.example"


@pytest.mark.parametrize(
    ("key", "salutation", "display"),
    [
        ("oeztuerk", "Sehr geehrte Frau Öztürk,", "Ayşe Öztürk"),
        ("ali", "Sehr geehrter Herr العلي,", "محمد العلي"),
        ("ivanova", "Guten Tag Ольга Иванова,", "Ольга Иванова"),
    ],
)
def test_message_per_recipient(db: Database, key: str, salutation: str, display: str) -> None:
    ids = build(db)
    item = _items(db)[ids[key]]
    msg = _parse(messages.compose(item.letter, item.recipient, SETTINGS))
    raw = messages.message_bytes(messages.compose(item.letter, item.recipient, SETTINGS))
    assert raw.isascii()  # RFC 2047 encoded words: the names are not sent as raw UTF-8
    assert msg["To"].addresses[0].display_name == display
    assert msg["To"].addresses[0].addr_spec == PEOPLE[key][3]
    assert len(msg["To"].addresses) == 1
    assert msg["Cc"] is None and msg["Bcc"] is None
    assert msg["From"].addresses[0].display_name == SETTINGS.from_name
    assert msg["From"].addresses[0].addr_spec == SETTINGS.from_address
    assert msg["Reply-To"].addresses[0].addr_spec == SETTINGS.reply_to
    assert msg["Subject"] == "Einladung zur Integrationskonferenz 2026"
    assert re.fullmatch(r"<[^@<>]+@kreis-borken\.de>", msg["Message-ID"])
    assert msg["Date"].datetime.tzinfo is not None
    assert msg.get_content_type() == "multipart/alternative"
    plain, html = _text(msg.get_body(("plain",))), _text(msg.get_body(("html",)))
    assert plain.startswith(salutation + "\n\n")
    assert f"<p>{salutation}</p>" in html
    assert plain == messages.html_to_text(html)  # the two parts say the same
    for phrase in ("lädt Sie herzlich", "Kreishaus Borken", "Wohnen und Quartier", "Mit freundlichen Grüßen"):
        assert phrase in plain and phrase in html
    assert "<img" not in html and "http" not in html.replace("https://", "http")  # no pixel, no remote


def test_a_given_message_id_and_date_are_used(db: Database) -> None:
    ids = build(db)
    item = _items(db)[ids["oeztuerk"]]
    when = dt.datetime(2026, 11, 2, 10, 30, tzinfo=messages.OFFICE_TIME_ZONE)
    msg = _parse(messages.compose(item.letter, item.recipient, SETTINGS, message_id="<abc@x.de>", date=when))
    assert msg["Message-ID"] == "<abc@x.de>"
    assert msg["Date"].datetime == when


def test_non_ascii_address_makes_an_smtputf8_message(db: Database) -> None:
    ids = build(db)
    item = _items(db)[ids["oeztuerk"]]
    recipient = messages.Recipient(item.recipient.invitation_id, "Ayşe Öztürk", "ayşe@öztürk.de", "x")
    msg = messages.compose(item.letter, recipient, SETTINGS)
    assert msg.smtputf8
    raw = messages.message_bytes(msg)
    assert "ayşe@öztürk.de".encode() in raw  # RFC 6532: the address as UTF-8, not as encoded words
    # (Python's BytesParser reads raw UTF-8 headers as surrogates; a receiving program decodes UTF-8 first)
    parsed = email.parser.Parser(policy=email.policy.default).parsestr(raw.decode("utf-8"))
    assert parsed["To"].addresses[0].addr_spec == "ayşe@öztürk.de"
    # only the domain not ASCII: IDNA, the message stays ASCII
    recipient = messages.Recipient(item.recipient.invitation_id, "Ayşe Öztürk", "ayse@öztürk.de", "x")
    msg = messages.compose(item.letter, recipient, SETTINGS)
    assert not msg.smtputf8
    assert _parse(msg)["To"].addresses[0].domain == "xn--ztrk-4qa2b.de"


def test_missing_addresses_are_german_user_errors(db: Database) -> None:
    ids = build(db)
    items = _items(db)
    item = items[ids["ohne"]]
    with pytest.raises(UserError, match="Paul Brief hat keine E-Mail-Adresse und bekommt einen Brief"):
        messages.compose(item.letter, item.recipient, SETTINGS)
    item = items[ids["oeztuerk"]]
    with pytest.raises(UserError, match="keine Absenderadresse"):
        messages.compose(item.letter, item.recipient, MailSettings())


def test_size_check_names_the_person(db: Database) -> None:
    ids = build(db)
    item = _items(db)[ids["oeztuerk"]]
    big = Attachment("Groß.pdf", "application/pdf", b"x" * (600 * 1024))
    small = MailSettings(**{**SETTINGS.__dict__, "max_megabytes": 1})
    messages.compose(item.letter, item.recipient, small, [big])  # 600 KB, about 0.8 MB in base64: fits
    with pytest.raises(
        UserError, match=r"Die E-Mail an Ayşe Öztürk wäre 1,\d MB groß; erlaubt sind höchstens 1,0 MB"
    ):
        messages.compose(item.letter, item.recipient, small, [big, big])


def test_html_to_text() -> None:
    markup = (
        "<p>Erste Zeile<br>zweite   Zeile</p><ul><li>eins</li><li>zwei</li></ul>"
        '<ol><li>a</li><li>b</li></ol><p>Mehr auf <a href="https://www.kreis-borken.de">unserer Seite</a> '
        'oder <a href="mailto:ki@kreis-borken.de">ki@kreis-borken.de</a>.</p><style>p{}</style>'
    )
    assert messages.html_to_text(markup) == (
        "Erste Zeile\nzweite Zeile\n\n- eins\n- zwei\n\n1. a\n2. b\n\n"
        "Mehr auf unserer Seite (https://www.kreis-borken.de) oder ki@kreis-borken.de.\n"
    )


@pytest.mark.parametrize(
    "body",
    [
        "<p>Ein Absatz.</p><ul><li>eins</li><li>zwei</li></ul>",
        "Text ohne Absatz am Ende",
        "<ul><li>eine Liste, nie geschlossen",
        '<p>Ein <a href="https://example.org">Link, nie geschlossen</p>',
        "<style>p { color: red }",
        "<ol><li>a</li></ol>Nachsatz<br>mit Umbruch",
        "",
    ],
)
def test_message_text_says_what_the_html_says(db: Database, body: str) -> None:
    """The plain-text part, built piece by piece with the template's body converted once, is the HTML
    part converted whole – also for a body that leaves a list, a link or a style open."""
    ids = build(db)
    letter = dataclasses.replace(_items(db)[ids["oeztuerk"]].letter, body_html=body)
    assert messages.message_text(letter) == messages.html_to_text(messages.message_html(letter))
    assert messages.message_text(letter) == messages.message_text(letter)  # the cached piece again


def test_calendar_entry(db: Database) -> None:
    build(db)
    data = calendar.conference_calendar(db, 2026, stamp=dt.datetime(2026, 11, 1, tzinfo=dt.UTC))
    cal = icalendar.Calendar.from_ical(data)
    assert cal["METHOD"] == "PUBLISH"
    (tz,) = cal.walk("VTIMEZONE")
    assert tz["TZID"] == "Europe/Berlin"
    (event,) = cal.walk("VEVENT")
    assert event["UID"] == "konferenz-2026@kreis-borken.de"
    assert event["SUMMARY"] == "Integrationskonferenz 2026"
    assert event["LOCATION"] == "Kreishaus Borken, Burloer Straße 93, 46325 Borken"
    start = event.decoded("DTSTART")
    assert start.utcoffset() == dt.timedelta(hours=1)  # CET in December
    assert start.replace(tzinfo=None) == dt.datetime(2026, 12, 10, 9, 0)
    assert event.decoded("DTEND").replace(tzinfo=None) == dt.datetime(2026, 12, 10, 15, 30)
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert str(event["ORGANIZER"]) == "mailto:integration@kreis-borken.de"
    assert event["ORGANIZER"].params["CN"] == SETTINGS.from_name
    assert "20. November 2026" in str(event["DESCRIPTION"])
    # the same UID in every message about this conference
    assert calendar.conference_calendar(db, 2026).count(b"UID:konferenz-2026@kreis-borken.de") == 1


def test_calendar_attached_and_drafts(db: Database, tmp_path: Path) -> None:
    ids = build(db)
    items = _items(db)
    ics = calendar.conference_calendar(db, 2026)
    chosen = [items[ids["oeztuerk"]], items[ids["ivanova"]]]
    built = [
        (
            messages.draft_file_name(2026, "einladung", item.recipient),
            messages.compose(
                item.letter,
                item.recipient,
                SETTINGS,
                [Attachment("Termin.ics", calendar.MIME_TYPE, ics)],
            ),
        )
        for item in chosen
    ]
    assert built[0][0] == f"2026-einladung-{ids['oeztuerk']:05d}-oeztuerk-ayse.eml"
    written = drafts.write_drafts(tmp_path / "Entwürfe", built)
    assert [p.name for p in written] == [name for name, _ in built]
    parsed = BytesParser(policy=email.policy.default).parsebytes(written[1].read_bytes())
    assert parsed["X-Unsent"] == "1"
    assert parsed["To"].addresses[0].display_name == "Ольга Иванова"
    (attachment,) = parsed.iter_attachments()
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_param("method") == "PUBLISH"
    assert attachment.get_content_charset() == "utf-8"
    assert icalendar.Calendar.from_ical(attachment.get_content())["METHOD"] == "PUBLISH"
    # never overwritten: a second run refuses and writes nothing
    before = written[0].read_bytes()
    with pytest.raises(UserError, match="gibt es schon 2026-einladung-"):
        drafts.write_drafts(tmp_path / "Entwürfe", built)
    assert written[0].read_bytes() == before


def test_letter_pdf_attachment_reads_back(db: Database) -> None:
    pypdf = pytest.importorskip("pypdf")
    from ui.paper.canvas import ensure_application
    from ui.paper.mail_attachments import letter_pdf, reply_form_pdf

    ensure_application()
    ids = build(db)
    item = _items(db, reply_form=True)[ids["oeztuerk"]]
    files = [
        Attachment(messages.letter_attachment_name("einladung"), "application/pdf", letter_pdf(item.letter)),
    ]
    assert item.letter.reply_form is not None
    files.append(Attachment("Rückmeldebogen.pdf", "application/pdf", reply_form_pdf(item.letter.reply_form)))
    msg = _parse(messages.compose(item.letter, item.recipient, SETTINGS, files))
    assert msg.get_content_type() == "multipart/mixed"
    letter, form = msg.iter_attachments()
    assert letter.get_filename() == "Einladung.pdf"
    assert form.get_filename() == "Rückmeldebogen.pdf"
    for part, pages in ((letter, None), (form, 1)):
        reader = pypdf.PdfReader(io.BytesIO(part.get_content()))
        text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
        assert "Ayşe Öztürk" in text
        if pages is not None:
            assert len(reader.pages) == pages
    # the letter alone: the reply form is an attachment of its own, not pages behind the letter
    letter_text = " ".join(
        " ".join((p.extract_text() or "").split())
        for p in pypdf.PdfReader(io.BytesIO(letter.get_content())).pages
    )
    assert "Sehr geehrte Frau Öztürk" in letter_text
    assert "Rückmeldung – " not in letter_text
