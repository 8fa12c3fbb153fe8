"""A real SMTP server for the e-mail tests (aiosmtpd in a thread on 127.0.0.1), with AUTH, STARTTLS over a
self-signed certificate made here with ``cryptography``, and handlers that refuse recipients, drop the
connection or stop the sending process; it counts what it received. Also an in-memory keyring."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import ipaddress
import os
import socket
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import keyring.backend
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

USER = "kiz@kreis-borken.de"
PASSWORD = "Geheim-Ä1"


class MemoryKeyring(keyring.backend.KeyringBackend):
    """The tests' keyring: never the real one of the machine."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for localhost/127.0.0.1: (cert.pem, key.pem)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


@dataclass
class Received:
    recipients: list[str]
    message: EmailMessage
    raw: bytes


@dataclass
class Handler:
    """Counts what it received; ``refuse``: addresses refused with 550; ``drop_after``: the connection is
    dropped (before the reply) on the message after that many; ``on_data``: called with the count."""

    refuse: set[str] = field(default_factory=set)
    drop_after: int | None = None
    on_data: Callable[[int], None] | None = None
    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, rcpt_options: list[str]
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 Empfänger unbekannt / user unknown"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        with self.lock:
            if self.drop_after is not None and len(self.received) >= self.drop_after:
                assert server.transport is not None
                server.transport.abort()
                return "421 closing"
            raw = bytes(envelope.original_content or envelope.content or b"")
            message = email.message_from_bytes(raw, policy=email.policy.default)
            self.received.append(Received(list(envelope.rcpt_tos), message, raw))  # type: ignore[arg-type]
            count = len(self.received)
        if self.on_data is not None:
            self.on_data(count)
        return "250 2.0.0 Ok: queued"

    def count_by_address(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        with self.lock:
            for item in self.received:
                for rcpt in item.recipients:
                    counts[rcpt] = counts.get(rcpt, 0) + 1
        return counts


def _authenticator(
    server: SMTP, session: Session, envelope: Envelope, mechanism: str, auth_data: Any
) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
        USER.encode(),
        PASSWORD.encode(),
    )
    return AuthResult(success=ok, handled=False)


def start_server(
    handler: Handler,
    *,
    tls: tuple[Path, Path] | None = None,
    auth: bool = False,
    require_starttls: bool = False,
) -> Controller:
    """A running server on 127.0.0.1 (``controller.port``); stop it with ``controller.stop()``."""
    kwargs: dict[str, Any] = {"enable_SMTPUTF8": True}
    if tls is not None:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(str(tls[0]), str(tls[1]))
        kwargs["tls_context"] = context
        kwargs["require_starttls"] = require_starttls
    if auth:
        kwargs["authenticator"] = _authenticator
        kwargs["auth_required"] = True
    controller = Controller(handler, hostname="127.0.0.1", port=free_port(), **kwargs)
    controller.start()
    return controller


def client_context(cert: Path) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=os.fspath(cert))
