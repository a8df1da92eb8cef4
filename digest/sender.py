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


class _Session:
    """One SMTP session, opened on first use and reopened after the server drops it."""

    def __init__(self, connect: Connect) -> None:
        self.connect = connect
        self.smtp: smtplib.SMTP | None = None

    def get(self) -> smtplib.SMTP:
        if self.smtp is None:
            self.smtp = self.connect()
        return self.smtp

    def drop(self) -> None:
        if self.smtp is not None:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                self.smtp.quit()
        self.smtp = None


def send_all(
    issue: int,
    recipients: list[str],
    message_for: Callable[[str], bytes],
    sender: str,
    connect: Connect,
    log: SendLog,
    *,
    rate_per_minute: int,
    retries: int,
    resend_unknown: bool = False,
    retry_wait: float = 2.0,
) -> SendResult:
    """Send to every recipient the log does not already account for (see the docstring)."""
    interval = 60 / rate_per_minute if rate_per_minute else 0.0
    sent, skipped = 0, 0
    failed: list[tuple[str, str]] = []
    deferred: list[tuple[str, str]] = []
    unknown: list[str] = []
    last = 0.0
    session = _Session(connect)
    try:
        for address in recipients:
            state = log.state(issue, address)
            if state in ("sent", "failed"):
                skipped += 1
                continue
            if state == "sending" and not resend_unknown:
                unknown.append(address)
                continue
            for attempt in range(retries + 1):
                wait = last + interval - time.monotonic()
                if wait > 0:  # the rate limit
                    time.sleep(wait)
                try:
                    smtp = session.get()
                    log.mark(issue, address, "sending")
                    last = time.monotonic()
                    smtp.sendmail(sender, [address], message_for(address))
                except smtplib.SMTPRecipientsRefused as exc:
                    code, reason = next(iter(exc.recipients.values()))
                    outcome = _outcome(code, reason)
                except smtplib.SMTPResponseException as exc:
                    outcome = _outcome(exc.smtp_code, exc.smtp_error)
                    if outcome[0] == "deferred":
                        session.drop()
                except (smtplib.SMTPServerDisconnected, OSError) as exc:
                    outcome = ("deferred", f"connection lost: {exc}")
                    session.drop()
                else:
                    log.mark(issue, address, "sent")
                    sent += 1
                    break
                log.mark(issue, address, outcome[0], outcome[1])
                if outcome[0] == "failed":
                    failed.append((address, outcome[1]))
                    break
                if attempt == retries:
                    deferred.append((address, outcome[1]))
                else:
                    time.sleep(min(60.0, retry_wait * 2**attempt))
    finally:
        session.drop()
    return SendResult(sent, failed, deferred, unknown, skipped)


def _outcome(code: int, reason: bytes | str) -> tuple[str, str]:
    text = reason.decode("utf-8", "replace") if isinstance(reason, bytes) else reason
    return ("failed" if code >= 500 else "deferred"), f"{code} {text}"
