"""``digest send``: the email issue over SMTP, to every recipient once and only once.

A send log (SQLite, ``[email] send_log``, kept apart from the scrape cache, which CI may
throw away) holds each recipient's state for each issue:

    pending ── sending ──▶ sent
                  ├──────▶ failed     (5xx: permanent, reported, never retried)
                  ├──────▶ deferred   (4xx, dropped connection: retried, now or next run)
                  └── (crash) stays "sending": delivery unknown, so never resent silently

A recipient is marked ``sending`` in its own transaction before the message is handed
to the server and ``sent`` right after, so a rerun after any interruption sends only to
those not yet done, and never twice. The SMTP password comes only from the environment
variable named in ``[email] password_env`` and is never printed or stored.
"""

from __future__ import annotations

import contextlib
import os
import re
import smtplib
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from digest.config import EmailSettings
from digest.errors import DigestError, Location, Problem
from digest.store import Schema, Store

_ADDRESS = re.compile(r"^[^@\s<>()\[\],;:\"]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$")


@dataclass(frozen=True)
class SendResult:
    """How a run ended, per state."""

    sent: int
    failed: list[tuple[str, str]]
    deferred: list[tuple[str, str]]
    unknown: list[str]
    skipped: int


def valid_address(address: str) -> bool:
    """A plain ``name@host.tld`` address."""
    return bool(_ADDRESS.match(address))


def read_recipients(path: Path) -> tuple[list[str], list[Problem]]:
    """Addresses from a file, one a line (``#`` comments, blanks and repeats ignored);
    invalid ones come back as problems with their line, and are not sent to."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise DigestError(f"{path}: cannot read the recipients ({exc.strerror})") from exc
    addresses: dict[str, str] = {}
    problems = []
    for number, line in enumerate(lines, 1):
        address = line.split("#", 1)[0].strip()
        if not address:
            continue
        if not valid_address(address):
            problems.append(Problem(Location(path, number), f"invalid address '{address}'"))
            continue
        addresses.setdefault(address.lower(), address)
    return list(addresses.values()), problems


class SendLog(Store):
    """The per-issue, per-recipient state described in the module docstring. The editor's
    record of who was sent what: never reset; a log that cannot be read, or of another
    schema version, is an error naming the file, which is left as it is
    (:mod:`digest.store`)."""

    SCHEMA = Schema(
        "CREATE TABLE IF NOT EXISTS sends (issue INTEGER NOT NULL, address TEXT NOT NULL,"
        " state TEXT NOT NULL, detail TEXT, attempts INTEGER NOT NULL DEFAULT 0,"
        " updated REAL NOT NULL, PRIMARY KEY (issue, address))",
        1,
        "the send log",
        cache=False,
    )

    def __init__(self, path: Path) -> None:
        super().__init__(path, self.SCHEMA)

    def state(self, issue: int, address: str) -> str:
        """pending, sending, sent, failed or deferred."""
        row = self.db.execute(
            "SELECT state FROM sends WHERE issue = ? AND address = ?", (issue, address.lower())
        ).fetchone()
        return str(row[0]) if row else "pending"

    def mark(self, issue: int, address: str, state: str, detail: str = "") -> None:
        """Record a state change, durably, before anything else happens."""
        with self.db:
            self.db.execute(
                "INSERT INTO sends VALUES (?, ?, ?, ?, 1, ?) ON CONFLICT (issue, address) DO "
                "UPDATE SET state = excluded.state, detail = excluded.detail, "
                "attempts = attempts + (excluded.state = 'sending'), updated = excluded.updated",
                (issue, address.lower(), state, detail, time.time()),
            )


Connect = Callable[[], smtplib.SMTP]


def connector(settings: EmailSettings, password: str | None) -> Connect:
    """A function that opens an authenticated SMTP session as ``[email]`` says."""

    def connect() -> smtplib.SMTP:
        host, port = settings.smtp_host, settings.smtp_port
        try:
            if settings.smtp_security == "ssl":
                context = ssl.create_default_context()
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(host, port, timeout=30, context=context)
            else:
                smtp = smtplib.SMTP(host, port, timeout=30)
                if settings.smtp_security == "starttls":
                    smtp.starttls(context=ssl.create_default_context())
            if settings.smtp_user:
                smtp.login(settings.smtp_user, password or "")
        except smtplib.SMTPAuthenticationError as exc:
            raise DigestError(
                f"SMTP login as {settings.smtp_user} at {host}:{port} was refused ({exc.smtp_code})"
            ) from None
        except (OSError, smtplib.SMTPException) as exc:
            raise DigestError(f"cannot connect to SMTP server {host}:{port}: {exc}") from None
        return smtp

    return connect


def password_for(settings: EmailSettings) -> str | None:
    """The SMTP password from the environment; an error naming the variable if missing."""
    if not settings.smtp_user:
        return None
    password = os.environ.get(settings.password_env)
    if not password:
        raise DigestError(
            f"set the environment variable {settings.password_env} to the "
            f"SMTP password of {settings.smtp_user}"
        )
    return password


@dataclass(frozen=True)
class Mailing:
    """What one run sends: the issue number the send log files it under, the envelope
    sender, and the message for each address."""

    issue: int
    sender: str
    message_for: Callable[[str], bytes]


@dataclass(frozen=True)
class SendPolicy:
    """How a run sends: at most ``rate_per_minute`` messages (0: no limit), ``retries`` for a
    deferred recipient after waits doubling from ``retry_wait`` seconds, and whether to
    resend to recipients a stopped run left undecided (``resend_unknown``)."""

    rate_per_minute: int = 0
    retries: int = 0
    retry_wait: float = 2.0
    resend_unknown: bool = False


class _Session:
    """One SMTP session, opened on first use and reopened after the server drops it; it
    keeps the rate limit between messages."""

    def __init__(self, connect: Connect, rate_per_minute: int) -> None:
        self.connect = connect
        self.smtp: smtplib.SMTP | None = None
        self.interval = 60 / rate_per_minute if rate_per_minute else 0.0
        self.last = 0.0  # when the last message was handed over (time.monotonic)

    def get(self) -> smtplib.SMTP:
        if self.smtp is None:
            self.smtp = self.connect()
        return self.smtp

    def drop(self) -> None:
        if self.smtp is not None:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                self.smtp.quit()
        self.smtp = None

    def send(self, mailing: Mailing, address: str, log: SendLog) -> tuple[str, str]:
        """One attempt: ``sent``, or ``failed`` or ``deferred`` with the reason; logged as
        ``sending`` before the message is handed over."""
        wait = self.last + self.interval - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        try:
            smtp = self.get()
            log.mark(mailing.issue, address, "sending")
            self.last = time.monotonic()
            smtp.sendmail(mailing.sender, [address], mailing.message_for(address))
        except smtplib.SMTPRecipientsRefused as exc:
            code, reason = next(iter(exc.recipients.values()))
            return _outcome(code, reason)
        except smtplib.SMTPResponseException as exc:
            outcome = _outcome(exc.smtp_code, exc.smtp_error)
            if outcome[0] == "deferred":
                self.drop()
            return outcome
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            self.drop()
            return "deferred", f"connection lost: {exc}"
        return "sent", ""


def send_all(
    mailing: Mailing, recipients: list[str], connect: Connect, log: SendLog, policy: SendPolicy
) -> SendResult:
    """Send to every recipient the log does not already account for (see the docstring)."""
    sent, skipped = 0, 0
    failed: list[tuple[str, str]] = []
    deferred: list[tuple[str, str]] = []
    unknown: list[str] = []
    session = _Session(connect, policy.rate_per_minute)
    try:
        for address in recipients:
            state = log.state(mailing.issue, address)
            if state in ("sent", "failed"):
                skipped += 1
            elif state == "sending" and not policy.resend_unknown:
                unknown.append(address)
            else:
                state, detail = _deliver(mailing, address, session, log, policy)
                if state == "sent":
                    sent += 1
                else:
                    (failed if state == "failed" else deferred).append((address, detail))
    finally:
        session.drop()
    return SendResult(sent, failed, deferred, unknown, skipped)


def _deliver(
    mailing: Mailing, address: str, session: _Session, log: SendLog, policy: SendPolicy
) -> tuple[str, str]:
    """Send to one address, retrying while the server defers; its final state and why."""
    attempt = 0
    while True:
        state, detail = session.send(mailing, address, log)
        log.mark(mailing.issue, address, state, detail)
        if state != "deferred" or attempt == policy.retries:
            return state, detail
        time.sleep(min(60.0, policy.retry_wait * 2**attempt))
        attempt += 1


def _outcome(code: int, reason: bytes | str) -> tuple[str, str]:
    text = reason.decode("utf-8", "replace") if isinstance(reason, bytes) else reason
    return ("failed" if code >= 500 else "deferred"), f"{code} {text}"
