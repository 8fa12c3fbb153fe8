"""Handing the messages of a run to the office's mail server (``smtplib``), one recipient per message,
with the states of ``konferenz.mail.outbox`` written before and after each.

The server: host, port, STARTTLS, SSL/TLS or none (an internal relay), and a user whose password lives in
the operating system's keyring (service ``KEYRING_SERVICE``, name "user@host"), never in the database or
a file. Throttled to ``per_minute`` messages; ``progress(done, total)`` and ``cancelled()`` callbacks.
Whatever goes wrong with the server becomes one German sentence (``UserError``): an untrusted certificate,
a refused login, an unreachable host, a server that requires encryption; a connection that drops mid-run
raises ``SendInterruptedError`` (the message in flight is *unknown*, the rest stay *queued*).
"""

from __future__ import annotations

import base64
import datetime as dt
import email.utils
import html
import smtplib
import socket
import ssl
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import NoReturn

from konferenz.enums import InvitationStatus
from konferenz.errors import UserError
from konferenz.mail import outbox
from konferenz.mail.mime import OutgoingMessage, mailbox
from konferenz.mail.settings import SECURITY_NONE, SECURITY_SSL, MailSettings, require_server
from konferenz.storage.db import Database
from konferenz.storage.models import MailMessage
from konferenz.text import file_size

KEYRING_SERVICE = "Konferenz SMTP"
TIMEOUT_SECONDS = 30
#: the accepted messages are recorded on their invitations in batches of this many (``outbox.record_delivered``)
RECORD_EVERY = 100

Compose = Callable[[MailMessage], OutgoingMessage]
Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


# --- the password in the keyring ------------------------------------------------------------------------


def _keyring_problem(exc: Exception) -> UserError:
    return UserError(
        "Der Kennwortspeicher des Betriebssystems ist nicht erreichbar "
        f"({type(exc).__name__}); das Kennwort des Mailservers kann nicht gelesen oder gespeichert werden."
    )


def store_password(settings: MailSettings, password: str) -> None:
    """Keep the password of ``settings.user`` at ``settings.host`` in the operating system's keyring."""
    import keyring
    import keyring.errors

    if not settings.user or not settings.host:
        raise UserError("Für das Kennwort bitte zuerst Mailserver und Benutzer eintragen.")
    try:
        keyring.set_password(KEYRING_SERVICE, settings.keyring_user, password)
    except keyring.errors.KeyringError as exc:
        raise _keyring_problem(exc) from exc


def load_password(settings: MailSettings) -> str | None:
    import keyring
    import keyring.errors

    try:
        return keyring.get_password(KEYRING_SERVICE, settings.keyring_user)
    except keyring.errors.KeyringError as exc:
        raise _keyring_problem(exc) from exc


# --- the connection -------------------------------------------------------------------------------------


def _reply_text(reply: bytes | str) -> str:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply
    return " ".join(text.split())


class SendInterruptedError(UserError):
    """The connection broke (or the server refused the sender) mid-run; ``report`` says what is where."""

    def __init__(self, message: str, report: outbox.RunReport) -> None:
        super().__init__(message)
        self.report = report


@dataclass
class Connection:
    """One open, logged-in SMTP connection (``connect``)."""

    smtp: smtplib.SMTP
    settings: MailSettings

    def close(self) -> None:
        try:
            self.smtp.quit()
        except (smtplib.SMTPException, OSError):
            self.smtp.close()


def _unreachable(settings: MailSettings, exc: BaseException) -> UserError:
    reason = "Zeitüberschreitung" if isinstance(exc, TimeoutError | socket.timeout) else type(exc).__name__
    if isinstance(exc, socket.gaierror):
        reason = "Name unbekannt"
    elif isinstance(exc, ConnectionRefusedError):
        reason = "Verbindung abgelehnt"
    return UserError(
        f"Der Mailserver „{settings.server_label}“ ist nicht erreichbar ({reason}). Bitte Name und Port "
        "prüfen oder die IT fragen."
    )


def _certificate(settings: MailSettings, exc: ssl.SSLCertVerificationError) -> UserError:
    detail = exc.verify_message or "Prüfung fehlgeschlagen"
    return UserError(
        f"Das Zertifikat des Mailservers „{settings.host}“ ist nicht vertrauenswürdig ({detail}). Es wurde "
        "nichts gesendet; bitte die IT fragen, ob der Name stimmt und das Zertifikat gültig ist."
    )


def _login(smtp: smtplib.SMTP, user: str, password: str) -> None:
    """Log in; a user name or password beyond ASCII (an umlaut) goes as AUTH PLAIN in UTF-8 (RFC 4616),
    which ``smtplib.login`` cannot send."""
    if user.isascii() and password.isascii():
        smtp.login(user, password)
        return
    token = base64.b64encode(b"\0" + user.encode() + b"\0" + password.encode()).decode("ascii")
    code, reply = smtp.docmd("AUTH", "PLAIN " + token)
    if code == 334:  # a server that wants the response on its own line
        code, reply = smtp.docmd(token)
    if code != 235:
        raise smtplib.SMTPAuthenticationError(code, reply)


def connect(settings: MailSettings, *, context: ssl.SSLContext | None = None) -> Connection:
    """Open and log in (German ``UserError`` for everything that can go wrong)."""
    require_server(settings)
    if context is None and settings.security != SECURITY_NONE:
        context = ssl.create_default_context()  # reads the system's certificates: 20 ms, only for TLS
    smtp: smtplib.SMTP | None = None
    try:
        if settings.security == SECURITY_SSL:
            smtp = smtplib.SMTP_SSL(settings.host, settings.port, timeout=TIMEOUT_SECONDS, context=context)
        else:
            smtp = smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT_SECONDS)
        smtp.ehlo()
        if settings.security not in (SECURITY_SSL, SECURITY_NONE):
            if not smtp.has_extn("starttls"):
                raise UserError(
                    f"Der Mailserver „{settings.server_label}“ bietet kein STARTTLS an. Bitte in den "
                    "E-Mail-Einstellungen die Verschlüsselung SSL/TLS (meist Port 465) wählen oder die IT "
                    "fragen."
                )
            smtp.starttls(context=context)
            smtp.ehlo()
        if settings.user:
            password = load_password(settings)
            if password is None:
                raise UserError(
                    f"Für „{settings.keyring_user}“ ist kein Kennwort gespeichert; bitte mit "
                    "„konferenz mail-settings --passwort“ eintragen."
                )
            if not smtp.has_extn("auth"):
                hint = (
                    " ohne Verschlüsselung; bitte STARTTLS oder SSL/TLS einstellen"
                    if settings.security == SECURITY_NONE
                    else ""
                )
                raise UserError(f"Der Mailserver „{settings.server_label}“ bietet keine Anmeldung an{hint}.")
            _login(smtp, settings.user, password)
    except UserError:
        if smtp is not None:
            smtp.close()
        raise
    except ssl.SSLCertVerificationError as exc:
        raise _certificate(settings, exc) from exc
    except smtplib.SMTPAuthenticationError as exc:
        if smtp is not None:
            smtp.close()
        raise UserError(
            f"Der Mailserver „{settings.host}“ hat die Anmeldung als „{settings.user}“ abgelehnt "
            f"({exc.smtp_code} {_reply_text(exc.smtp_error)}). Bitte Benutzer und Kennwort prüfen "
            "(„konferenz mail-settings --passwort“)."
        ) from exc
    except ssl.SSLError as exc:
        raise UserError(
            f"Die verschlüsselte Verbindung zum Mailserver „{settings.server_label}“ kam nicht zustande "
            f"({exc.reason or 'TLS-Fehler'}). Passt die Verschlüsselung zum Port (STARTTLS meist 587, "
            "SSL/TLS meist 465)?"
        ) from exc
    except smtplib.SMTPServerDisconnected as exc:
        raise UserError(
            f"Der Mailserver „{settings.server_label}“ hat die Verbindung beendet, bevor gesendet werden "
            "konnte. Passt die Verschlüsselung zum Port?"
        ) from exc
    except smtplib.SMTPResponseException as exc:
        if smtp is not None:
            smtp.close()
        raise UserError(
            f"Der Mailserver „{settings.server_label}“ lehnt die Verbindung ab ({exc.smtp_code} "
            f"{_reply_text(exc.smtp_error)})."
        ) from exc
    except (OSError, smtplib.SMTPException) as exc:
        raise _unreachable(settings, exc) from exc
    return Connection(smtp, settings)


# --- one message ----------------------------------------------------------------------------------------


def render(message: OutgoingMessage, row: MailMessage, settings: MailSettings) -> bytes:
    """The bytes handed to the server: the composer's message with the run's Message-ID, To the one
    recipient, never Cc or Bcc; RFC 2047 headers, or RFC 6532 (UTF-8) when the address needs it."""
    for header in ("Cc", "Bcc"):
        if header in message:
            raise ValueError(f"message {row.id} carries a {header} header")  # a bug of the composer
    message.set("Message-ID", row.message_id)
    if "From" not in message:
        message.set("From", mailbox(settings.from_name, settings.from_address))
    if "To" not in message:
        message.set("To", row.address)
    return message.as_bytes()


class _DroppedError(Exception):
    def __init__(self, after_data: bool) -> None:
        self.after_data = after_data


def _dot_stuffed(content: bytes) -> bytes:
    """The message as sent after DATA (RFC 5321 4.5.2): lines starting with "." doubled, ended by "."."""
    data = content.replace(b"\n.", b"\n..")  # as re.sub(rb"(?m)^\.", …), in a sixth of the time
    if data.startswith(b"."):
        data = b"." + data
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    return data + b".\r\n"


def _envelope_options(connection: Connection, address: str, eight_bit: bool) -> list[str]:
    """MAIL FROM's parameters: BODY=8BITMIME for content beyond ASCII, SMTPUTF8 for an address beyond it."""
    smtp = connection.smtp
    options: list[str] = []
    if eight_bit and smtp.has_extn("8bitmime"):
        options.append("BODY=8BITMIME")
    if not (address.isascii() and connection.settings.from_address.isascii()) and smtp.has_extn("smtputf8"):
        options.append("SMTPUTF8")
    return options


def _eight_bit(message: OutgoingMessage, row: MailMessage, settings: MailSettings) -> bool:
    """Whether ``render(message, row, settings)`` will have bytes beyond ASCII, known before it runs (so MAIL
    FROM can go first): only headers can (the parts are quoted-printable and base64)."""
    return not (
        row.address.isascii()
        and settings.from_address.isascii()
        and all(name.isascii() and value.isascii() for name, value in message.headers)
    )


def _put(connection: Connection, command: str, argument: str) -> None:
    """Send one command without waiting for its reply (``_reply`` reads it): the server answers while this
    side works. ``_DroppedError`` when the connection is gone."""
    try:
        connection.smtp.putcmd(command, argument)
    except (smtplib.SMTPServerDisconnected, OSError) as exc:
        raise _DroppedError(after_data=False) from exc


def _reply(connection: Connection) -> tuple[int, bytes]:
    """The reply to a command ``_put`` sent (before the message's data)."""
    try:
        return connection.smtp.getreply()
    except (smtplib.SMTPServerDisconnected, OSError) as exc:
        raise _DroppedError(after_data=False) from exc


def _send_mail_from(connection: Connection, address: str, eight_bit: bool) -> None:
    """Send MAIL FROM for a message to ``address`` without waiting for the reply (``_accept_sender`` reads
    it). As ``smtplib.mail`` writes it."""
    options = _envelope_options(connection, address, eight_bit)
    if "SMTPUTF8" in options:
        connection.smtp.command_encoding = "utf-8"
    listed = " " + " ".join(options) if options else ""
    _put(connection, "mail", f"FROM:{smtplib.quoteaddr(connection.settings.from_address)}{listed}")


def _accept_sender(connection: Connection, code: int, reply: bytes) -> None:
    """``UserError`` (after RSET) when the server refused MAIL FROM: then it refuses every message."""
    settings = connection.settings
    if code == 250:
        return
    try:
        connection.smtp.rset()
    except (smtplib.SMTPServerDisconnected, OSError) as exc:
        raise _DroppedError(after_data=False) from exc
    if code == 530 or (code >= 500 and b"tls" in reply.lower()):
        raise UserError(
            f"Der Mailserver „{settings.server_label}“ verlangt eine verschlüsselte Verbindung ({code} "
            f"{_reply_text(reply)}). Bitte in den E-Mail-Einstellungen STARTTLS oder SSL/TLS wählen."
        )
    raise UserError(
        f"Der Mailserver „{settings.server_label}“ lehnt den Absender „{settings.from_address}“ ab "
        f"({code} {_reply_text(reply)})."
    )


def _accept_recipient(connection: Connection, code: int, reply: bytes) -> tuple[int, str] | None:
    """None when the server took the recipient of RCPT TO; (code, reply) after RSET when it refused."""
    if code in (250, 251):
        return None
    try:
        connection.smtp.rset()
    except (smtplib.SMTPServerDisconnected, OSError) as exc:
        raise _DroppedError(after_data=False) from exc
    return code, _reply_text(reply)


def _drop_envelope(connection: Connection) -> None:
    """Take back an envelope whose last command's reply is unread (the message is not sent): that reply,
    RSET."""
    _reply(connection)
    try:
        connection.smtp.rset()
    except (smtplib.SMTPServerDisconnected, OSError) as exc:
        raise _DroppedError(after_data=False) from exc


def _send_data(connection: Connection, content: bytes) -> tuple[int, str] | None:
    """DATA and the message, without waiting for the server's final reply (``_final_reply`` reads it: the
    next message is composed meanwhile). None when the server has the message, (code, reply) when it
    refused DATA. ``_DroppedError(after_data=True)`` when the connection breaks: the server may have it."""
    smtp = connection.smtp
    try:
        code, reply = smtp.docmd("data")
        if code != 354:
            smtp.rset()
            return code, _reply_text(reply)
        smtp.send(_dot_stuffed(content))
    except (smtplib.SMTPServerDisconnected, OSError) as exc:
        raise _DroppedError(after_data=True) from exc
    return None


def _hand_over(connection: Connection, address: str, content: bytes) -> tuple[int, str] | None:
    """MAIL, RCPT and DATA with the message for one recipient, each reply awaited, but not the final one
    (``_send_data``). Returns (code, reply) when the server refused the recipient or the data, None when it
    has the message. Raises ``_DroppedError`` when the connection breaks, ``UserError`` when the server
    refuses the sender."""
    _send_mail_from(connection, address, not content.isascii())
    _accept_sender(connection, *_reply(connection))
    _put(connection, "rcpt", f"TO:{smtplib.quoteaddr(address)}")
    refused = _accept_recipient(connection, *_reply(connection))
    if refused is not None:
        return refused
    return _send_data(connection, content)


def _final_reply(connection: Connection) -> tuple[int, str]:
    """The server's reply to the data ``_hand_over`` sent; ``_DroppedError`` when the connection broke."""
    try:
        code, reply = connection.smtp.getreply()
    except (smtplib.SMTPServerDisconnected, OSError) as exc:
        raise _DroppedError(after_data=True) from exc
    return code, _reply_text(reply)


def _transmit(connection: Connection, address: str, content: bytes) -> tuple[bool, int, str]:
    """(accepted, code, reply) for one message to one recipient, waiting for the reply (``_hand_over``)."""
    refused = _hand_over(connection, address, content)
    if refused is not None:
        return False, *refused
    code, reply = _final_reply(connection)
    return code == 250, code, reply


def _wait(seconds: float, cancelled: Cancelled, sleep: Callable[[float], None]) -> None:
    end = time.monotonic() + seconds
    while not cancelled():
        left = end - time.monotonic()
        if left <= 0:
            return
        sleep(min(left, 0.2))


@dataclass(frozen=True)
class SendResult:
    report: outbox.RunReport
    cancelled: bool


def send_run(  # noqa: PLR0917 (the signature the window and the command line call, agreed in issue 16)
    database: Database,
    run_id: int,
    compose: Compose,
    settings: MailSettings,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    *,
    context: ssl.SSLContext | None = None,
    today: dt.date | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> SendResult:
    """Send the queued messages of run ``run_id`` (a new run, or one to continue: nobody twice).

    First, messages a killed program left *sending* become *unknown* (listed in the report for a decision,
    never resent). Each queued message is composed (``compose(row)``), rendered, stored and marked
    *sending* (committed) before the server sees it, then *sent* or *failed* by the server's reply.
    ``progress(done, total)`` after each message; ``cancelled()`` stops before the next one (the rest stay
    queued). Raises ``UserError`` when no connection can be made (nothing changed), ``SendInterruptedError``
    when it breaks mid-run.
    """
    cancelled = cancelled or (lambda: False)
    outbox.recover_interrupted(database, run_id)
    todo = outbox.queued_messages(database, run_id)
    stopped = False
    if todo:
        sending = _Sending(database, run_id, connect(settings, context=context), today)
        try:
            stopped = sending.send_all(todo, compose, progress, cancelled, sleep)
        finally:
            sending.close()
    outbox.finish_if_done(database, run_id)
    return SendResult(outbox.run_report(database, run_id), stopped)


class _Sending:
    """One run on one connection. Two things wait to be written, so that one message costs one commit and
    the server's reply costs no time of its own:

    - ``in_flight``: the message whose data the server has (it is *sending*) and whose reply is read after
      the next message is composed (``finish``);
    - ``pending``: a message the server accepted, written as *delivered* together with the next claim
      (``Claims.claim(delivered=…)``) or by ``settle``.

    The claims go through one connection held for the run (``outbox.Claims``).
    """

    def __init__(
        self, database: Database, run_id: int, connection: Connection, today: dt.date | None
    ) -> None:
        self.database = database
        self.run_id = run_id
        self.connection = connection
        self.settings = connection.settings
        self.today = today
        self.claims = outbox.Claims(database)
        self.in_flight: int | None = None
        self.pending: tuple[int, int, str] | None = None
        self.sent = 0
        server_limit = 0
        if connection.smtp.has_extn("size"):
            server_limit = int(connection.smtp.esmtp_features.get("size", "0") or 0)
        limit = max(self.settings.max_bytes, 0)
        self.too_big = min(limit, server_limit) if server_limit else limit

    def send_all(
        self,
        todo: Sequence[MailMessage],
        compose: Compose,
        progress: Progress | None,
        cancelled: Cancelled,
        sleep: Callable[[float], None],
    ) -> bool:
        """Send ``todo`` in order; True when ``cancelled()`` stopped it (the rest stay queued)."""
        per_minute = self.settings.per_minute
        interval = 60.0 / per_minute if per_minute > 0 else 0.0
        last = 0.0
        for done, row in enumerate(todo, start=1):
            if cancelled():
                return True
            if interval and last:
                self.finish()
                self.settle()
                _wait(interval - (time.monotonic() - last), cancelled, sleep)
                if cancelled():
                    return True
            try:
                message = compose(row)
            except UserError as exc:  # this message cannot be made (too large, a broken template …)
                self.fail(row.id, None, f"Nicht gesendet: {exc.message}")
                continue
            self.finish()
            if cancelled():  # asked while the server answered the last message
                return True
            if self.send(row, message):
                last = time.monotonic()
            if done % RECORD_EVERY == 0:
                self.settle()
                outbox.record_delivered(self.database, self.run_id, today=self.today)
            if progress is not None:
                progress(done, len(todo))
        return False

    def send(self, row: MailMessage, message: OutgoingMessage) -> bool:
        """Hand one message to the server; True when its data went (it is in flight), False when it was
        failed or another workplace has it. The server answers each command while this side works:

        MAIL FROM ─ render ─ its reply ─ RCPT TO ─ claim (committed) ─ its reply ─ DATA and the message

        The claim records the message as *sending* before DATA hands it over; a recipient refused at RCPT
        is failed after its claim and gets nothing; a kill before DATA leaves it *sending* (then unknown)."""
        connection = self.connection
        try:
            eight_bit = _eight_bit(message, row, self.settings)
            _send_mail_from(connection, row.address, eight_bit)
            try:
                content = render(message, row, self.settings)
            except UserError as exc:
                _drop_envelope(connection)
                self.fail(row.id, None, f"Nicht gesendet: {exc.message}")
                return False
            if len(content) > self.too_big:
                _drop_envelope(connection)
                self.fail(
                    row.id,
                    None,
                    f"Nicht gesendet: Die Nachricht ist {file_size(len(content))} groß; erlaubt sind "
                    f"{file_size(self.too_big)}.",
                )
                return False
            if not eight_bit and not content.isascii():  # a header render added: MAIL FROM again
                _drop_envelope(connection)
                _send_mail_from(connection, row.address, not content.isascii())
            _accept_sender(connection, *_reply(connection))
            _put(connection, "rcpt", f"TO:{smtplib.quoteaddr(row.address)}")
        except _DroppedError:  # nothing claimed yet: the message stays queued
            self.interrupted(row.id, after_data=False)
        before, self.pending = self.pending, None
        if not self.claims.claim(row.id, content, message.get("Subject"), delivered=before):
            try:
                _drop_envelope(connection)
            except _DroppedError:
                self.interrupted(row.id, after_data=False)
            return False  # another workplace has it
        try:
            refused = _accept_recipient(connection, *_reply(connection))
            if refused is None:
                refused = _send_data(connection, content)
        except _DroppedError as exc:  # before DATA: queued again; after: unknown
            self.interrupted(row.id, exc.after_data)
        if refused is None:
            self.in_flight = row.id
        else:
            self.fail(row.id, *refused)
        return True

    def finish(self) -> None:
        """Read the server's reply to the message in flight."""
        pk, self.in_flight = self.in_flight, None
        if pk is None:
            return
        try:
            code, reply = _final_reply(self.connection)
        except _DroppedError:
            self.interrupted(pk, after_data=True)
        if code == 250:
            self.settle()
            self.pending = (pk, code, reply)
        else:
            self.fail(pk, code, reply)

    def settle(self) -> None:
        if self.pending is not None:
            self.claims.mark_delivered(*self.pending)
            self.pending = None

    def fail(self, pk: int, code: int | None, reply: str) -> None:
        self.settle()
        outbox.mark_failed(self.database, pk, code, reply)

    def interrupted(self, pk: int, after_data: bool) -> NoReturn:
        """The connection broke: the message ``pk`` is *unknown* (the server had its data) or queued again."""
        self.settle()
        if after_data:
            outbox.mark_unknown(
                self.database, pk, "Die Verbindung brach ab, während der Mailserver die Nachricht hatte."
            )
        else:
            outbox.release(self.database, pk)
        outbox.record_delivered(self.database, self.run_id, today=self.today)
        report = outbox.run_report(self.database, self.run_id)
        raise SendInterruptedError(
            f"Die Verbindung zum Mailserver „{self.settings.server_label}“ brach ab. "
            f"{report.summary()} Der Versand kann fortgesetzt werden; unklare Nachrichten "
            "werden nicht erneut gesendet, bis entschieden ist.",
            report,
        ) from None

    def close(self) -> None:
        """Read the last reply, write what waits, close the connection, record the delivered messages."""
        try:
            self.finish()
        finally:
            try:
                self.settle()
            finally:
                self.claims.close()
                self.connection.close()
            outbox.record_delivered(self.database, self.run_id, today=self.today)


def send_test(settings: MailSettings, *, context: ssl.SSLContext | None = None) -> str:
    """Send "Testnachricht an mich" to the From address; the server's reply. ``UserError`` otherwise."""
    require_server(settings)
    address = settings.from_address
    text = (
        "Diese Nachricht hat das Programm Konferenz gesendet, um die E-Mail-Einstellungen zu prüfen.\n\n"
        f"Mailserver: {settings.server_label}\nBenutzer: {settings.user or '(keine Anmeldung)'}\n"
    )
    message = OutgoingMessage(
        text=text, html=f"<pre>{html.escape(text)}</pre>", smtputf8=not address.isascii()
    )
    message.set("From", mailbox(settings.from_name, address, utf8=message.smtputf8))
    message.set("To", address)
    message.set("Subject", "Testnachricht an mich")
    message.set("Date", email.utils.format_datetime(email.utils.localtime()))
    message.set("Message-ID", f"<konferenz-test-{time.time_ns()}@{address.rpartition('@')[2]}>")
    content = message.as_bytes()
    connection = connect(settings, context=context)
    try:
        try:
            accepted, code, reply = _transmit(connection, address, content)
        except _DroppedError:
            raise UserError(
                f"Die Verbindung zum Mailserver „{settings.server_label}“ brach während der Testnachricht ab."
            ) from None
        if not accepted:
            raise UserError(
                f"Der Mailserver hat die Testnachricht an „{address}“ abgelehnt ({code} {reply})."
            )
        return f"{code} {reply}"
    finally:
        connection.close()


def _nothing_to_send(already: int, without: int) -> str:
    """Why a run would send nothing, in German with the right number of the verb."""
    if not already and not without:
        return "Keine E-Mail zu versenden: Zu dieser Auswahl gibt es keine Einladungen."
    reasons = []
    if already:
        verb = "hat" if already == 1 else "haben"
        reasons.append(
            f"{already} der gewählten Einladungen {verb} diese E-Mail schon (gesendet oder als Entwurf)"
        )
    if without:
        verb = "hat" if without == 1 else "haben"
        reasons.append(f"{without} {verb} keine (funktionierende) E-Mail-Adresse")
    again = " Mit --erneut wird sie noch einmal gesendet." if already else ""
    return f"Keine E-Mail zu versenden: {', '.join(reasons)}.{again}"


@dataclass(frozen=True)
class InvitationSending:
    """The outcome of ``send_invitations``: the run, its result, and who gets a letter instead."""

    run_id: int
    result: SendResult
    letters: list[int]
    #: left out: they have this e-mail already (``outbox.RecipientPlan.already``)
    already: list[int] = field(default_factory=list)


def send_invitations(  # noqa: PLR0917 (as send_run)
    database: Database,
    conference_year: int,
    template: str,
    statuses: Iterable[InvitationStatus] | None,
    compose: Compose,
    settings: MailSettings,
    *,
    attachments: Iterable[str] = (),
    invitation_ids: Iterable[int] | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    context: ssl.SSLContext | None = None,
    again: bool = False,
) -> InvitationSending:
    """The whole e-mail run for ``konferenz mail --send``: choose the recipients (``outbox.plan_recipients``),
    create the run (one queued message each) and send it (``send_run``). ``letters``: the invitations
    without a usable address (they get a letter). A run that breaks off is continued with ``send_run``
    on ``outbox.open_runs``."""
    require_server(settings)
    plan = outbox.plan_recipients(database, conference_year, template, statuses, invitation_ids, again=again)
    if not plan.email:
        raise UserError(_nothing_to_send(len(plan.already), len(plan.letter)))
    created = outbox.create_run(
        database,
        plan.conference_id,
        template,
        plan.email,
        from_address=settings.from_address,
        attachments=attachments,
    )
    try:
        result = send_run(database, created.run_id, compose, settings, progress, cancelled, context=context)
    except UserError:  # no connection (nothing sent: the run goes again), or broken mid-run (it stays)
        outbox.discard_if_untouched(database, created.run_id)
        raise
    return InvitationSending(created.run_id, result, plan.letter, plan.already)
