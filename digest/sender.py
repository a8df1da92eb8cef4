"""``digest send``: the email issue over SMTP, to every recipient once and only once.

A send log (SQLite, ``[email] send_log``, kept apart from the scrape cache, which CI may
throw away) holds each recipient's state for each issue:

    pending ── sending ──▶ sent
                  ├──────▶ failed     (5xx: permanent, reported, never retried)
                  ├──────▶ deferred   (4xx, dropped connection: retried, now or next run)
                  └── (crash) stays "sending": delivery unknown, so never resent silently

A recipient is marked ``sending`` in its own transaction before the message is handed
to the server and ``sent`` right after, so a rerun after any interruption sends only to
those not yet done, and never twice. Test copies go through a ledger that records
nothing (:class:`Unrecorded`), so they are sent every time they are asked for. The SMTP
password comes only from the environment variable named in ``[email] password_env`` and
is never printed or stored.

Addresses come from plain files, one a line: the recipients (``[email] recipients``) and
the addresses that asked to leave (``[email] unsubscribed``), which are never sent to,
whatever the recipients file says. Two spellings of one mailbox are one address
(:mod:`digest.text.addresses`).
"""

from __future__ import annotations

import contextlib
import os
import smtplib
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from digest.config import EmailSettings
from digest.errors import DigestError, Location, Problem
from digest.store import Schema, Store
from digest.text.addresses import address_key, invisible, parse_address
from digest.text.encoding import read_bytes

_LEAVERS = "the addresses that asked to leave"
UNSUBSCRIBED_HEADER = """\
# Addresses that asked to leave: digest send never sends to them, whatever the
# recipients file says. One a line; `digest unsubscribe ADDRESS` adds one. Delete a
# line only when that reader asks to come back.
"""


@dataclass(frozen=True)
class SendResult:
    """How a run ended, per state."""

    sent: int
    failed: list[tuple[str, str]]
    deferred: list[tuple[str, str]]
    unknown: list[str]
    skipped: int


def valid_address(address: str) -> bool:
    """A plain ``name@host.tld`` address, in any script."""
    return parse_address(address) is not None


@dataclass(frozen=True)
class AddressFile:
    """The addresses of a file, one a line (``#`` comments and blanks ignored), each once
    in the order first written; lines that are not an address, and lines that name an
    address again (``Ada@example.org`` after ``ada@example.org``), as problems."""

    path: Path
    lines: dict[str, tuple[str, int]] = field(default_factory=dict)  # key -> (as written, line)
    invalid: list[Problem] = field(default_factory=list)
    repeats: list[Problem] = field(default_factory=list)

    @property
    def addresses(self) -> list[str]:
        """Each address once, as first written."""
        return [address for address, _ in self.lines.values()]

    def line_of(self, address: str) -> int | None:
        """The line that names ``address`` (in any spelling), or None."""
        found = self.lines.get(address_key(address))
        return found[1] if found else None


def read_addresses(path: Path, what: str, *, missing_ok: bool = False) -> AddressFile:
    """The addresses in ``path``, ``what`` a message calls them (see :class:`AddressFile`);
    a missing file is an error, or no addresses at all when ``missing_ok``."""
    try:  # without the byte-order mark Notepad puts before the first address
        lines = read_bytes(path).decode("utf-8").removeprefix("\ufeff").splitlines()
    except FileNotFoundError:
        if missing_ok:
            return AddressFile(path)
        raise DigestError(f"{path}: cannot read {what} (no such file)") from None
    except (OSError, UnicodeDecodeError) as exc:
        why = exc.strerror if isinstance(exc, OSError) else "not UTF-8"
        raise DigestError(f"{path}: cannot read {what} ({why})") from None
    found = AddressFile(path)
    for number, line in enumerate(lines, 1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        where = Location(path, number)
        address = parse_address(text)
        if address is None:
            hidden = invisible(text)
            why = f" (an invisible character, U+{ord(hidden):04X}: delete it)" if hidden else ""
            found.invalid.append(Problem(where, f"invalid address '{text}'{why}"))
        elif address.key in found.lines:
            first, at = found.lines[address.key]
            found.repeats.append(Problem(where, f"'{text}' is {first} (line {at}) again"))
        else:
            found.lines[address.key] = (text, number)
    return found


def read_unsubscribed(path: Path) -> AddressFile:
    """The addresses that asked to leave (none when the file does not exist yet). A line
    that is not an address is an error: a list that cannot be read whole must not send."""
    found = read_addresses(path, _LEAVERS, missing_ok=True)
    if found.invalid:
        lines = [str(problem) for problem in found.invalid]
        raise DigestError(
            "\n".join(lines) + f"\n{_LEAVERS} must be read whole before anything is sent: "
            "correct these lines"
        )
    return found


def add_unsubscribed(path: Path, addresses: list[str], note: str) -> list[str]:
    """Append the ``addresses`` not in the list yet, each with ``# note``, in one atomic
    replace of the file (made, with a comment saying what it is, when missing); the
    addresses added."""
    known = read_addresses(path, _LEAVERS, missing_ok=True)
    added: dict[str, str] = {}
    for address in addresses:
        key = address_key(address)
        if key not in known.lines and key not in added:
            added[key] = address.strip()
    if not added:
        return []
    path = path.resolve()  # a link's file is the list (one kept out of the repository)
    try:
        text = path.read_text(encoding="utf-8") if path.exists() else UNSUBSCRIBED_HEADER
        if text and not text.endswith("\n"):
            text += "\n"
        text += "".join(f"{address}  # {note}\n" for address in added.values())
        path.parent.mkdir(parents=True, exist_ok=True)
        staged = path.with_name(f".{path.name}.new")
        staged.write_text(text, encoding="utf-8")
        staged.replace(path)
    except OSError as exc:
        raise DigestError(f"{path}: cannot write ({exc.strerror})") from None
    return list(added.values())


class Ledger(Protocol):
    """Where a run keeps each recipient's state: the send log, or nowhere."""

    def state(self, issue: int, address: str) -> str:
        """pending, sending, sent, failed or deferred."""
        ...

    def mark(self, issue: int, address: str, state: str, detail: str = "") -> None:
        """Record a state change."""
        ...

    def claim(self, issue: int, address: str, found: str) -> bool:
        """Mark the address ``sending`` if its state is still ``found``; False when another
        run changed it since (that run sends it)."""
        ...


class Unrecorded:
    """A ledger that keeps nothing: a test copy is sent every time it is asked for, and
    never counts as the issue's delivery."""

    def state(self, issue: int, address: str) -> str:
        """Always pending."""
        return "pending"

    def mark(self, issue: int, address: str, state: str, detail: str = "") -> None:
        """Forget it."""

    def claim(self, issue: int, address: str, found: str) -> bool:
        """Always granted."""
        return True


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
            "SELECT state FROM sends WHERE issue = ? AND address = ?", (issue, address_key(address))
        ).fetchone()
        return str(row[0]) if row else "pending"

    def mark(self, issue: int, address: str, state: str, detail: str = "") -> None:
        """Record a state change, durably, before anything else happens."""
        with self.db:
            self.db.execute(
                "INSERT INTO sends VALUES (?, ?, ?, ?, 1, ?) ON CONFLICT (issue, address) DO "
                "UPDATE SET state = excluded.state, detail = excluded.detail, "
                "attempts = attempts + (excluded.state = 'sending'), updated = excluded.updated",
                (issue, address_key(address), state, detail, time.time()),
            )

    def claim(self, issue: int, address: str, found: str) -> bool:
        """Mark ``sending`` in one statement, only if the state is still ``found``: two runs
        at once each read an address as pending, and each sent it."""
        key, now = address_key(address), time.time()
        with self.db:
            if found == "pending":
                done = self.db.execute(
                    "INSERT INTO sends VALUES (?, ?, 'sending', '', 1, ?) ON CONFLICT DO NOTHING",
                    (issue, key, now),
                )
            else:
                done = self.db.execute(
                    "UPDATE sends SET state = 'sending', detail = '', attempts = attempts + 1, "
                    "updated = ? WHERE issue = ? AND address = ? AND state = ?",
                    (now, issue, key, found),
                )
        return done.rowcount == 1


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

    def send(self, mailing: Mailing, address: str, log: Ledger, found: str) -> tuple[str, str]:
        """One attempt: ``sent``, or ``failed`` or ``deferred`` with the reason, or ``taken``
        when another run has changed the state ``found`` since; claimed as ``sending``
        before the message is handed over. The message is addressed to the
        address's wire form (an internationalised domain in A-labels); SMTPUTF8 is asked
        for only when the name before the ``@`` is not ASCII."""
        parsed = parse_address(address)
        wire = parsed.wire if parsed else address
        utf8 = ["SMTPUTF8"] if parsed and parsed.smtputf8 else []
        wait = self.last + self.interval - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        try:
            smtp = self.get()
            if not log.claim(mailing.issue, address, found):
                return "taken", "another run is sending it"
            self.last = time.monotonic()
            smtp.sendmail(mailing.sender, [wire], mailing.message_for(wire), mail_options=utf8)
        except smtplib.SMTPNotSupportedError:  # only asked when SMTPUTF8 is needed
            return "failed", "the server does not take SMTPUTF8, which a non-ASCII name needs"
        except smtplib.SMTPRecipientsRefused as exc:
            code, reason = next(iter(exc.recipients.values()))
            return _outcome(code, reason)
        except smtplib.SMTPResponseException as exc:
            outcome = _outcome(exc.smtp_code, exc.smtp_error)
            if isinstance(exc, smtplib.SMTPSenderRefused) and outcome[0] == "failed":
                log.mark(mailing.issue, address, "deferred", outcome[1])
                raise _refused(exc) from None
            if outcome[0] == "deferred":
                self.drop()
            return outcome
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            self.drop()
            return "deferred", f"connection lost: {exc}"
        return "sent", ""


Progress = Callable[[int, int], None]
"""Told (recipients done, recipients in all) as a run goes."""


def send_all(
    mailing: Mailing,
    recipients: list[str],
    connect: Connect,
    log: Ledger,
    policy: SendPolicy,
    progress: Progress | None = None,
) -> SendResult:
    """Send to every recipient the log does not already account for (see the docstring)."""
    sent, skipped = 0, 0
    failed: list[tuple[str, str]] = []
    deferred: list[tuple[str, str]] = []
    unknown: list[str] = []
    session = _Session(connect, policy.rate_per_minute)
    try:
        for done, address in enumerate(recipients):
            if progress:
                progress(done, len(recipients))
            state = log.state(mailing.issue, address)
            if state in ("sent", "failed"):
                skipped += 1
            elif state == "sending" and not policy.resend_unknown:
                unknown.append(address)
            else:
                state, detail = _deliver(mailing, (address, state), session, log, policy)
                if state == "taken":
                    skipped += 1
                elif state == "sent":
                    sent += 1
                else:
                    (failed if state == "failed" else deferred).append((address, detail))
        if progress:
            progress(len(recipients), len(recipients))
    finally:
        session.drop()
    return SendResult(sent, failed, deferred, unknown, skipped)


def _deliver(
    mailing: Mailing,
    recipient: tuple[str, str],
    session: _Session,
    log: Ledger,
    policy: SendPolicy,
) -> tuple[str, str]:
    """Send to one address, found in the state it is in, retrying while the server
    defers; its final state and why."""
    (address, found), attempt = recipient, 0
    while True:
        state, detail = session.send(mailing, address, log, found)
        if state == "taken":
            return state, detail
        log.mark(mailing.issue, address, state, detail)
        if state != "deferred" or attempt == policy.retries:
            return state, detail
        found = state
        time.sleep(min(60.0, policy.retry_wait * 2**attempt))
        attempt += 1


def _refused(exc: smtplib.SMTPSenderRefused) -> DigestError:
    """The run's end when the server refuses the envelope sender (MAIL FROM): a refusal of
    the sender or of the session (530: log in first), which no recipient is to blame for,
    so none is marked failed; the one being sent to is left to the next run."""
    reason = _outcome(exc.smtp_code, exc.smtp_error)[1]
    hint = (
        "set [email] smtp_user (and the password variable) to log in"
        if exc.smtp_code == 530
        else "correct [email] from, or the server's settings"
    )
    return DigestError(
        f"the SMTP server refused the sender {exc.sender}: {reason}; nothing more was sent: "
        f"{hint}, then run again (the send log keeps who has had it)"
    )


def _outcome(code: int, reason: bytes | str) -> tuple[str, str]:
    text = reason.decode("utf-8", "replace") if isinstance(reason, bytes) else reason
    return ("failed" if code >= 500 else "deferred"), f"{code} {text}"
