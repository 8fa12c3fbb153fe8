"""Enumerations of the domain with their German labels, declared in one place.

Values are stored in the database as the lower-case English value (``"accepted"``); the user sees the
German label (``"zugesagt"``). ``label()`` and ``parse_label()`` are the only translation points.

The groups of invitation statuses that the rules talk about ("counted against the capacity", "awaiting a
reply", "said yes" …) are declared here too, once each, as classmethods of ``InvitationStatus``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar


class Gender(StrEnum):
    FEMALE = "female"
    MALE = "male"
    DIVERSE = "diverse"
    UNKNOWN = "unknown"


class InvitationStatus(StrEnum):
    PLANNED = "planned"
    INVITED = "invited"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    NO_REPLY = "no_reply"
    SUBSTITUTED = "substituted"
    WAITLIST = "waitlist"
    ATTENDED = "attended"
    NO_SHOW = "no_show"

    # --- the status groups: each meaning declared once (the sets are below the class) -------------------

    @classmethod
    def sent(cls) -> frozenset[InvitationStatus]:
        """The letter went out: every status after *vorgemerkt* (the statistics' "eingeladen")."""
        return _SENT

    @classmethod
    def not_yet_invited(cls) -> frozenset[InvitationStatus]:
        """*vorgemerkt*: who an invitation goes to unless staff choose others."""
        return _NOT_YET_INVITED

    @classmethod
    def awaiting_reply(cls) -> frozenset[InvitationStatus]:
        """Still waiting for an answer: who gets a reminder (*eingeladen*, *keine Rückmeldung*)."""
        return _AWAITING_REPLY

    @classmethod
    def replied(cls) -> frozenset[InvitationStatus]:
        """The invitee answered (the statistics' "Rückmeldung"; the reply details may be edited)."""
        return _REPLIED

    @classmethod
    def reply_choices(cls) -> frozenset[InvitationStatus]:
        """The answers staff record as a reply, with channel, date, forum, companions and needs."""
        return _REPLY_CHOICES

    @classmethod
    def seated(cls) -> frozenset[InvitationStatus]:
        """Takes a seat (plus companions): counted against the capacity of venue and forum; also who is on
        the attendee list (*zugesagt*, *vertreten*, *teilgenommen*; a no-show is not)."""
        return _SEATED

    @classmethod
    def expected(cls) -> frozenset[InvitationStatus]:
        """Said yes and has not checked in yet: expected at the entrance (*zugesagt*, *vertreten*)."""
        return _EXPECTED

    @classmethod
    def said_yes(cls) -> frozenset[InvitationStatus]:
        """Said yes at some point, whatever happened at the event: the statistics' "zugesagt", the
        "zugesagt" facet of the address list, who gets a badge and a line on the sign-in sheet."""
        return _SAID_YES

    @classmethod
    def attended(cls) -> frozenset[InvitationStatus]:
        """Was there (*teilgenommen*): attendee export, thank-you letters, certificates."""
        return _ATTENDED


_S = InvitationStatus
_SENT = frozenset(InvitationStatus) - {_S.PLANNED}
_AWAITING_REPLY = frozenset({_S.INVITED, _S.NO_REPLY})
_NOT_YET_INVITED = frozenset({_S.PLANNED})
_REPLY_CHOICES = frozenset({_S.ACCEPTED, _S.DECLINED, _S.SUBSTITUTED, _S.WAITLIST})
_REPLIED = _REPLY_CHOICES | {_S.ATTENDED, _S.NO_SHOW}
_EXPECTED = frozenset({_S.ACCEPTED, _S.SUBSTITUTED})
_SEATED = _EXPECTED | {_S.ATTENDED}
_SAID_YES = _SEATED | {_S.NO_SHOW}
_ATTENDED = frozenset({_S.ATTENDED})


class Channel(StrEnum):
    POST = "post"
    EMAIL = "email"
    PHONE = "phone"
    IN_PERSON = "in_person"


class AgendaItemType(StrEnum):
    WELCOME = "welcome"
    TALK = "talk"
    PANEL = "panel"
    FORUM_PHASE = "forum_phase"
    BREAK = "break"
    RESULTS = "results"
    STATUS_REPORT = "status_report"
    CLOSING = "closing"
    OTHER = "other"


class RecommendationStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    REJECTED = "rejected"


class LegalBasis(StrEnum):
    PUBLIC_TASK = "public_task"
    CONSENT = "consent"


class ConsentPurpose(StrEnum):
    INVITATION = "invitation"
    PARTICIPANT_LIST = "participant_list"
    PHOTOS = "photos"


class MunicipalityKind(StrEnum):
    CITY = "city"
    MUNICIPALITY = "municipality"


class MailState(StrEnum):
    """Where one e-mail of a sending run is (``konferenz.mail.outbox``): recorded before it is handed to
    the server and updated after its reply."""

    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    #: written as an .eml draft (sending not allowed here); recorded as sent once staff confirm it
    DRAFT = "draft"
    #: the server accepted it (250); the invitation is recorded with the next batch
    #: (``outbox.record_delivered``), then it is *sent*. Reported as sent.
    DELIVERED = "delivered"
    FAILED = "failed"
    #: the program stopped (killed, connection lost) while the server had it: decided by staff, never
    #: resent blindly. (Stored values are unique across all enums: they are the keys of ``LABELS``, so
    #: "unknown" would take Gender.UNKNOWN's label)
    UNKNOWN = "in_doubt"


class MailPurpose(StrEnum):
    # not "invitation": ConsentPurpose.INVITATION has that value (see MailState.UNKNOWN)
    INVITATION = "invite"
    REMINDER = "remind"
    THANKS = "thank"


class AuditAction(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    MERGE = "merge"
    IMPORT = "import"
    ERASE = "erase"


LABELS: dict[StrEnum, str] = {
    Gender.FEMALE: "weiblich",
    Gender.MALE: "männlich",
    Gender.DIVERSE: "divers",
    Gender.UNKNOWN: "keine Angabe",
    InvitationStatus.PLANNED: "vorgemerkt",
    InvitationStatus.INVITED: "eingeladen",
    InvitationStatus.ACCEPTED: "zugesagt",
    InvitationStatus.DECLINED: "abgesagt",
    InvitationStatus.NO_REPLY: "keine Rückmeldung",
    InvitationStatus.SUBSTITUTED: "vertreten",
    InvitationStatus.WAITLIST: "Warteliste",
    InvitationStatus.ATTENDED: "teilgenommen",
    InvitationStatus.NO_SHOW: "nicht erschienen",
    Channel.POST: "Post",
    Channel.EMAIL: "E-Mail",
    Channel.PHONE: "Telefon",
    Channel.IN_PERSON: "persönlich",
    AgendaItemType.WELCOME: "Begrüßung",
    AgendaItemType.TALK: "Vortrag",
    AgendaItemType.PANEL: "Podium",
    AgendaItemType.FORUM_PHASE: "Forenphase",
    AgendaItemType.BREAK: "Pause",
    AgendaItemType.RESULTS: "Ergebnispräsentation",
    AgendaItemType.STATUS_REPORT: "Sachstand",
    AgendaItemType.CLOSING: "Abschluss",
    AgendaItemType.OTHER: "Sonstiges",
    RecommendationStatus.OPEN: "offen",
    RecommendationStatus.IN_PROGRESS: "in Arbeit",
    RecommendationStatus.DONE: "umgesetzt",
    RecommendationStatus.REJECTED: "verworfen",
    LegalBasis.PUBLIC_TASK: "öffentliche Aufgabe (Art. 6 Abs. 1 lit. e DSGVO)",
    LegalBasis.CONSENT: "Einwilligung (Art. 6 Abs. 1 lit. a DSGVO)",
    ConsentPurpose.INVITATION: "Einladung und Kontakt",
    ConsentPurpose.PARTICIPANT_LIST: "Nennung in der Teilnehmerliste",
    ConsentPurpose.PHOTOS: "Fotos",
    MunicipalityKind.CITY: "Stadt",
    MunicipalityKind.MUNICIPALITY: "Gemeinde",
    MailState.QUEUED: "wartet",
    MailState.SENDING: "wird gesendet",
    MailState.SENT: "gesendet",
    MailState.DELIVERED: "gesendet",
    MailState.FAILED: "abgelehnt",
    MailState.UNKNOWN: "unklar",
    MailState.DRAFT: "Entwurf",
    MailPurpose.INVITATION: "Einladung",
    MailPurpose.REMINDER: "Erinnerung",
    MailPurpose.THANKS: "Dank",
    AuditAction.CREATE: "angelegt",
    AuditAction.UPDATE: "geändert",
    AuditAction.DELETE: "gelöscht",
    AuditAction.MERGE: "zusammengeführt",
    AuditAction.IMPORT: "importiert",
    AuditAction.ERASE: "anonymisiert",
}

E = TypeVar("E", bound=StrEnum)


def label(value: StrEnum) -> str:
    """The German label of an enum member."""
    return LABELS[value]


def parse_label(enum_type: type[E], text: str) -> E:
    """The member whose German label (or stored value) is ``text``, ignoring case and outer spaces.

    Raises ``ValueError`` with a German message listing the allowed labels.
    """
    wanted = text.strip().casefold()
    for member in enum_type:
        if wanted in (LABELS[member].casefold(), member.value):
            return member
    allowed = ", ".join(LABELS[m] for m in enum_type)
    raise ValueError(f"„{text}“ ist kein gültiger Wert. Erlaubt: {allowed}")
