"""Contact exports as the programs write them, built from their published column lists: Outlook (German and
English CSV), Thunderbird (German and English CSV), Google Contacts (older and newer CSV layout) and vCards
from Apple/iCloud (3.0), Android (2.1, quoted-printable) and a 4.0 file. Every builder writes the file and
returns its path; the people in them are the same few (umlauts, Turkish, Arabic, Cyrillic names)."""

from __future__ import annotations

import csv
import io
import quopri
from pathlib import Path

from konferenz.spreadsheets import contacts

AYSE = ("Ayşe", "Öztürk")
MOHAMMED = ("محمد", "العلي")
OLGA = ("Ольга", "Иванова")
ORG_ONLY = "Flüchtlingshilfe Rhede e.V."
#: German Outlook writes the Windows code page (cp1252): names it can hold
HUELYA = ("Hülya", "Özdemir")
MOHAMMED_LATIN = ("Mohammed", "Al-Ali")


def _write_csv(
    path: Path, header: list[str], rows: list[dict[str, str]], *, encoding: str, delimiter: str
) -> Path:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n", quoting=csv.QUOTE_ALL)
    writer.writerow(header)
    for row in rows:
        unknown = set(row) - set(header)
        assert not unknown, unknown
        writer.writerow([row.get(h, "") for h in header])
    path.write_bytes(out.getvalue().encode(encoding))
    return path


def outlook_header(language: str) -> list[str]:
    export = contacts.EXPORTS[0 if language == "de" else 1]
    # the published order starts with the name; the rest in the list's order (only the "X geschäftlich" spelling)
    return [h for h in export.columns if not h.startswith(("Geschäftlich ", "Privat "))]


def outlook_de(tmp: Path) -> Path:
    """German Outlook: business block, a contact with only a private address, one with both, titles."""
    rows = [
        {
            "Anrede": "Frau Dr.",
            "Vorname": HUELYA[0],
            "Nachname": HUELYA[1],
            "Firma": "Caritasverband Bocholt e.V.",
            "Position": "Integrationsbeauftragte",
            "Straße geschäftlich": "Schwartzstraße 5",
            "Postleitzahl geschäftlich": "46397",
            "Ort geschäftlich": "Bocholt",
            "E-Mail-Adresse": "h.oezdemir@caritas-bocholt.example",
            "E-Mail 2: Adresse": "huelya@privat.example",
            "Telefon geschäftlich": "02871 2513-0",
            "Mobiltelefon": "0171 2345678",
            "Geburtstag": "1.1.1980",
            "Geschlecht": "Weiblich",
        },
        {
            "Anrede": "Herr",
            "Vorname": MOHAMMED_LATIN[0],
            "Nachname": MOHAMMED_LATIN[1],
            "Straße privat": "Marktplatz 3",
            "Postleitzahl privat": "46414",
            "Ort privat": "Rhede",
            "Telefon privat": "02872 1234",
            "E-Mail-Adresse": "m.alali@example.org",
            "Geschlecht": "Nicht angegeben",
        },
        {
            "Vorname": "Jürgen",
            "Nachname": "Weiß",
            "Firma": "Stadt Borken",
            "Straße geschäftlich": "Im Piepershagen 17",
            "Postleitzahl geschäftlich": "46325",
            "Ort geschäftlich": "Borken",
            "Straße privat": "Heidener Straße 8",
            "Postleitzahl privat": "46325",
            "Ort privat": "Borken",
            "E-Mail-Adresse": "j.weiss@borken.example",
            "Kategorien": "Politik;Verwaltung",
        },
        {"Firma": ORG_ONLY, "E-Mail-Adresse": "info@fh-rhede.example", "Telefon geschäftlich": "02872 999"},
    ]
    return _write_csv(tmp / "outlook_de.csv", outlook_header("de"), rows, encoding="cp1252", delimiter=";")


def outlook_en(tmp: Path) -> Path:
    rows = [
        {
            "Title": "Dr.",
            "First Name": "Dr. " + OLGA[0],
            "Last Name": OLGA[1],
            "Company": "Integrationsrat Gronau",
            "Job Title": "Vorsitzende",
            "Home Street": "Bahnhofstraße 1",
            "Home Postal Code": "48599",
            "Home City": "Gronau (Westf.)",
            "E-mail Address": "olga@example.org",
            "Mobile Phone": "+49 160 1112223",
            "Business Fax": "02562 12-99",
        }
    ]
    return _write_csv(tmp / "outlook_en.csv", outlook_header("en"), rows, encoding="utf-8-sig", delimiter=",")


def thunderbird(tmp: Path, language: str) -> Path:
    de = language == "de"
    header = [row[0] if de else row[1] for row in contacts._THUNDERBIRD]
    names = {en: (de_name if de else en) for de_name, en, _f in contacts._THUNDERBIRD}
    rows = [
        {
            names["First Name"]: AYSE[0],
            names["Last Name"]: AYSE[1],
            names["Display Name"]: f"{AYSE[0]} {AYSE[1]}",
            names["Primary Email"]: "ayse@example.org",
            names["Work Phone"]: "02861 681-0",
            names["Mobile Number"]: "0171 1234567",
            names["Work Address"]: "Burloer Straße 93",
            names["Work ZipCode"]: "46325",
            names["Work City"]: "Borken",
            names["Job Title"]: "Sachbearbeiterin",
            names["Organization"]: "Kreis Borken",
            names["Birth Year"]: "1985",
        },
        {
            names["First Name"]: OLGA[0],
            names["Last Name"]: OLGA[1],
            names["Display Name"]: f"{OLGA[0]} {OLGA[1]}",
            names["Secondary Email"]: "olga@example.org",
            names["Home Address"]: "Lindenweg 2",
            names["Home ZipCode"]: "1067",
            names["Home City"]: "Dresden",
        },
    ]
    return _write_csv(tmp / f"thunderbird_{language}.csv", header, rows, encoding="utf-8", delimiter=",")


GOOGLE_OLD_HEADER = [
    *("Name", "Given Name", "Additional Name", "Family Name", "Yomi Name", "Given Name Yomi"),
    *("Additional Name Yomi", "Family Name Yomi", "Name Prefix", "Name Suffix", "Initials", "Nickname"),
    *("Short Name", "Maiden Name", "Birthday", "Gender", "Location", "Billing Information"),
    *("Directory Server", "Mileage", "Occupation", "Hobby", "Sensitivity", "Priority", "Subject", "Notes"),
    *("Language", "Photo", "Group Membership", "E-mail 1 - Type", "E-mail 1 - Value", "E-mail 2 - Type"),
    *("E-mail 2 - Value", "Phone 1 - Type", "Phone 1 - Value", "Phone 2 - Type", "Phone 2 - Value"),
    *("Address 1 - Type", "Address 1 - Formatted", "Address 1 - Street", "Address 1 - City"),
    *("Address 1 - PO Box", "Address 1 - Region", "Address 1 - Postal Code", "Address 1 - Country"),
    *("Address 1 - Extended Address", "Organization 1 - Type", "Organization 1 - Name"),
    *("Organization 1 - Yomi Name", "Organization 1 - Title", "Organization 1 - Department"),
    *("Organization 1 - Symbol", "Organization 1 - Location", "Organization 1 - Job Description"),
    *("Website 1 - Type", "Website 1 - Value"),
]
GOOGLE_NEW_HEADER = [
    *("First Name", "Middle Name", "Last Name", "Phonetic First Name", "Phonetic Middle Name"),
    *("Phonetic Last Name", "Name Prefix", "Name Suffix", "Nickname", "File As", "Organization Name"),
    *("Organization Title", "Organization Department", "Birthday", "Notes", "Photo", "Labels"),
    *("E-mail 1 - Label", "E-mail 1 - Value", "E-mail 2 - Label", "E-mail 2 - Value", "Phone 1 - Label"),
    *("Phone 1 - Value", "Phone 2 - Label", "Phone 2 - Value", "Address 1 - Label", "Address 1 - Formatted"),
    *("Address 1 - Street", "Address 1 - City", "Address 1 - PO Box", "Address 1 - Region"),
    *("Address 1 - Postal Code", "Address 1 - Country", "Address 1 - Extended Address"),
    *("Address 2 - Label", "Address 2 - Formatted", "Address 2 - Street", "Address 2 - City"),
    *("Address 2 - PO Box", "Address 2 - Region", "Address 2 - Postal Code", "Address 2 - Country"),
    *("Address 2 - Extended Address", "Website 1 - Label", "Website 1 - Value"),
]


def google_old(tmp: Path) -> Path:
    rows = [
        {
            "Name": f"{AYSE[0]} {AYSE[1]}",
            "Given Name": AYSE[0],
            "Family Name": AYSE[1],
            "Group Membership": "* myContacts",
            "E-mail 1 - Type": "* Work",
            "E-mail 1 - Value": "ayse@caritas.example",
            "Phone 1 - Type": "Mobile",
            "Phone 1 - Value": "0171 5556667",
            "Phone 2 - Type": "Work",
            "Phone 2 - Value": "02871 2513-0",
            "Address 1 - Type": "Work",
            "Address 1 - Street": "Schwartzstraße 5",
            "Address 1 - City": "Bocholt",
            "Address 1 - Postal Code": "46397",
            "Organization 1 - Name": "Caritasverband Bocholt e.V.",
            "Organization 1 - Title": "Beraterin",
        },
        {
            "Name": ORG_ONLY,
            "Group Membership": "* myContacts",
            "E-mail 1 - Type": "* Work",
            "E-mail 1 - Value": "info@fh-rhede.example",
            "Phone 1 - Type": "Work",
            "Phone 1 - Value": "02872 999",
            "Address 1 - Type": "Work",
            "Address 1 - Street": "Am Markt 1",
            "Address 1 - City": "Rhede",
            "Address 1 - Postal Code": "46414",
            "Organization 1 - Name": ORG_ONLY,
        },
    ]
    return _write_csv(tmp / "google_alt.csv", GOOGLE_OLD_HEADER, rows, encoding="utf-8", delimiter=",")


def google_new(tmp: Path) -> Path:
    rows = [
        {
            "First Name": OLGA[0],
            "Last Name": OLGA[1],
            "Name Prefix": "Prof. Dr.",
            "Organization Name": "Universität Münster",
            "Organization Title": "Professorin",
            "Labels": "* myContacts",
            "E-mail 1 - Label": "* Work",
            "E-mail 1 - Value": "olga.iwanowa@uni-muenster.example ::: o.i@example.org",
            "Phone 1 - Label": "Work",
            "Phone 1 - Value": "0251 83-0",
            "Address 1 - Label": "Home",
            "Address 1 - Street": "Lindenweg 2",
            "Address 1 - City": "Münster",
            "Address 1 - Postal Code": "48149",
            "Address 2 - Label": "Work",
            "Address 2 - Street": "Schlossplatz 2",
            "Address 2 - City": "Münster",
            "Address 2 - Postal Code": "48149",
        },
        {
            "File As": ORG_ONLY,
            "Organization Name": ORG_ONLY,
            "Labels": "* myContacts",
            "E-mail 1 - Value": "info@fh-rhede.example",
        },
    ]
    return _write_csv(tmp / "google_neu.csv", GOOGLE_NEW_HEADER, rows, encoding="utf-8", delimiter=",")


def _qp(text: str) -> str:
    return quopri.encodestring(text.encode("utf-8")).decode("ascii").replace("=\n", "")


def android_vcf(tmp: Path) -> Path:
    """vCard 2.1 as Android writes it: quoted-printable UTF-8, a soft line break, bare TYPE parameters."""
    n = _qp(f"{AYSE[1]};{AYSE[0]};;Dr.;")
    street = _qp("Burloer Straße 93")
    long_note = _qp("Kontakt aus der Integrationskonferenz 2024, Forum Sprache und Bildung, sehr engagiert")
    lines = [
        "BEGIN:VCARD",
        "VERSION:2.1",
        f"N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:{n}",
        f"FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:{_qp('Dr. ' + AYSE[0] + ' ' + AYSE[1])}",
        "TEL;CELL;PREF:+49 171 1234567",
        "TEL;WORK:02861 681-0",
        "EMAIL;WORK:a.oeztuerk@kreis-borken.example",
        f"ADR;WORK;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:;;{street};Borken;;46325;Deutschland",
        f"ORG;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:{_qp('Kreis Borken;Kommunales Integrationszentrum')}",
        # a soft line break in the middle of the value
        f"NOTE;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:{long_note[:40]}=",
        long_note[40:],
        "X-ANDROID-CUSTOM:vnd.android.cursor.item/nickname;Ayşe;1;;;;;;;;;;;;;",
        "END:VCARD",
        "BEGIN:VCARD",
        "VERSION:2.1",
        f"N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:{_qp(MOHAMMED[1] + ';' + MOHAMMED[0] + ';;;')}",
        "EMAIL;HOME:m.alali@example.org",
        "EMAIL;INTERNET:mohammed@example.net",
        "END:VCARD",
    ]
    path = tmp / "android.vcf"
    path.write_bytes("\r\n".join(lines).encode("utf-8") + b"\r\n")
    return path


def apple_vcf(tmp: Path) -> Path:
    """vCard 3.0 as iCloud/macOS writes it: item groups with X-ABLabel, a company card, folded lines."""
    text = (
        "BEGIN:VCARD\r\n"
        "VERSION:3.0\r\n"
        "PRODID:-//Apple Inc.//iPhone OS 17.4//EN\r\n"
        f"N:{OLGA[1]};{OLGA[0]};;;\r\n"
        f"FN:{OLGA[0]} {OLGA[1]}\r\n"
        "ORG:Integrationsrat Gronau;\r\n"
        "TITLE:Vorsitzende\r\n"
        "item1.EMAIL;type=INTERNET;type=pref:olga@example.org\r\n"
        "item1.X-ABLabel:_$!<Other>!$_\r\n"
        "item2.TEL:+49 2562 1234\r\n"
        "item2.X-ABLabel:Büro\r\n"
        "TEL;type=CELL;type=VOICE:+49 160 7654321\r\n"
        "item3.ADR;type=HOME;type=pref:;;Lindenweg 2;Gronau (Westf.);;48599;Deutschland\r\n"
        "NOTE:Sprecherin des Integrationsrats\\, gewählt 2020. Ein langer Text\\, der \r\n"
        " auf zwei Zeilen gefaltet ist.\r\n"
        "BDAY:1975-05-01\r\n"
        "END:VCARD\r\n"
        "BEGIN:VCARD\r\n"
        "VERSION:3.0\r\n"
        "N:;;;;\r\n"
        f"FN:{ORG_ONLY}\r\n"
        f"ORG:{ORG_ONLY};\r\n"
        "X-ABShowAs:COMPANY\r\n"
        "item1.EMAIL;type=INTERNET;type=pref:info@fh-rhede.example\r\n"
        "item2.ADR;type=WORK;type=pref:;;Am Markt 1;Rhede;;46414;Deutschland\r\n"
        "END:VCARD\r\n"
    )
    path = tmp / "icloud.vcf"
    path.write_text(text, encoding="utf-8")
    return path


def vcard4(tmp: Path) -> Path:
    text = (
        "BEGIN:VCARD\nVERSION:4.0\n"
        f"FN:{MOHAMMED[0]} {MOHAMMED[1]}\nN:{MOHAMMED[1]};{MOHAMMED[0]};;;\n"
        "TEL;TYPE=work,voice;VALUE=uri:tel:+49-2861-681-0\n"
        "EMAIL;TYPE=work:m.alali@kreis-borken.example\nEND:VCARD\n"
    )
    path = tmp / "v4.vcf"
    path.write_text(text, encoding="utf-8")
    return path


def damaged_vcf(tmp: Path) -> Path:
    """A good card, a card with a broken line, and a last card without END (a truncated file)."""
    text = (
        "BEGIN:VCARD\nVERSION:3.0\nN:Müller;Anna;;;\nFN:Anna Müller\nEMAIL:anna@example.org\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:3.0\nN:Kaputt;Karl;;;\nFN\nEND:VCARD\n"
        "BEGIN:VCARD\nVERSION:3.0\nN:Abgeschnitten;Berta;;;\nFN:Berta Abgeschni"
    )
    path = tmp / "kaputt.vcf"
    path.write_text(text, encoding="utf-8")
    return path
