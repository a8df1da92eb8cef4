"""``digest send``: issue N by SMTP, resumable, never twice, never to an address that asked
to leave; a dry run unless told. ``digest unsubscribe``: add addresses to that list."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from digest import sender
from digest.build.issue import OneIssue, with_issue
from digest.config import SiteConfig, load_config
from digest.errors import DigestError
from digest.model import Issue
from digest.renderer.email import EmailIssue, address_of, build_eml, clipped, from_header
from digest.renderer.site import email_of

Echo = Callable[[str], None]
ProgressBar = Callable[[], AbstractContextManager[sender.Progress | None]]
"""Opens what shows a run's progress (the command line's bar), or nothing."""


@dataclass(frozen=True)
class SendOptions:
    """How ``digest send`` goes about it."""

    yes: bool = False  # really send (else a dry run), unless ``to`` is given
    to: str | None = None  # one test copy to this address, never recorded as sent
    resend_unknown: bool = False  # send again where a stopped run left the state unknown
    retry_wait: float = 2.0  # seconds before retrying a deferred address


def send(
    root: Path,
    number: int,
    options: SendOptions,
    echo: Echo,
    progress_bar: ProgressBar = contextlib.nullcontext,
) -> bool:
    """``digest send``: tell ``echo`` what happens, and ``progress_bar``'s callback how far
    the sending is; True when nothing is left to do (every recipient sent or
    permanently failed)."""
    site, mail, issue, note = with_issue(root, number, _prepared)
    if note:
        echo(f"warning: {note}")
    settings = site.email
    unsubscribed = sender.read_unsubscribed(root / settings.unsubscribed)
    recipients = _recipients(root, site, options.to, unsubscribed, echo)
    if not options.yes and options.to is None:
        _dry_run(root, site, number, mail, recipients, echo)
        return True
    if not settings.smtp_host:
        raise DigestError(f"{site.path}: set [email] smtp_host to send")
    connect = sender.connector(settings, sender.password_for(settings))
    # test copies go through a ledger that keeps nothing: sent every time, never counted
    log = sender.SendLog(root / settings.send_log) if options.to is None else None
    try:
        with progress_bar() as progress:
            result = sender.send_all(
                sender.Mailing(
                    number,
                    address_of(from_header(site)),
                    lambda address: build_eml(mail, site, issue, to=address),
                ),
                recipients,
                connect,
                log or sender.Unrecorded(),
                sender.SendPolicy(
                    settings.rate_per_minute,
                    settings.retries,
                    options.retry_wait,
                    options.resend_unknown,
                ),
                progress,
            )
    finally:
        if log is not None:
            log.close()
    _report(number, result, options.to is not None, echo)
    return not (result.deferred or result.unknown)


def unsubscribe(root: Path, addresses: list[str], echo: Echo, warn: Echo) -> None:
    """``digest unsubscribe``: add ``addresses`` to ``[email] unsubscribed``, dated; every
    one is checked before anything is written. ``warn`` hears of lines of the list that
    are not addresses (which stop ``digest send`` until corrected)."""
    site = load_config(root / "content" / "site.toml")
    invalid = [a for a in addresses if not sender.valid_address(a)]
    if invalid:
        raise DigestError(
            "\n".join(f"invalid address '{a}'" for a in invalid) + "\nnothing was written."
        )
    path = root / site.email.unsubscribed
    today = datetime.now(site.tz).date().isoformat()
    added = sender.add_unsubscribed(path, addresses, f"digest unsubscribe, {today}")
    listed = sender.read_addresses(path, "the addresses that asked to leave")
    for problem in listed.invalid:
        warn(f"{problem}: digest send refuses to send until it is corrected")
    for address in addresses:
        state = "added" if address.strip() in added else "already there"
        echo(f"{address}: {state} ({path}:{listed.line_of(address)})")
    recipients = root / site.email.recipients
    if recipients.is_file():
        subscribed = sender.read_addresses(recipients, "the recipients")
        for address in addresses:
            if (line := subscribed.line_of(address)) is not None:
                echo(f"{address} is still in {recipients}:{line}: it is never sent to")


def _prepared(one: OneIssue) -> tuple[SiteConfig, EmailIssue, Issue, str | None]:
    """The issue's email, rendered as the build renders it (refused over ``[email]
    max_kb``), and a warning when Gmail clips it."""
    mail = email_of(one.doc, one.site, one.env)
    note = clipped(len(mail.html.encode()), one.site, one.doc.source, number=one.issue.number)
    return one.site, mail, one.issue, note


def _recipients(
    root: Path,
    site: SiteConfig,
    to: str | None,
    unsubscribed: sender.AddressFile,
    echo: Echo,
) -> list[str]:
    """The test copy's one address, or the recipients file's (skipping invalid lines and
    repeats, saying so); never an address that asked to leave."""
    if to is not None:
        if not sender.valid_address(to):
            raise DigestError(f"--to: invalid address '{to}'")
        if (line := unsubscribed.line_of(to)) is not None:
            raise DigestError(
                f"--to: {to} asked to leave ({unsubscribed.path}:{line}); it is never sent "
                "to again unless that line is removed"
            )
        return [to]
    listed = sender.read_addresses(root / site.email.recipients, "the recipients")
    for problem in listed.invalid:
        echo(f"skipped: {problem}")
    for problem in listed.repeats:
        echo(f"merged: {problem}: one copy is sent")
    left = [a for a in listed.addresses if unsubscribed.line_of(a) is None]
    if len(left) < len(listed.addresses):
        gone = len(listed.addresses) - len(left)
        echo(f"left out: {gone} of the recipients asked to leave ({unsubscribed.path})")
    return left


def _dry_run(
    root: Path,
    site: SiteConfig,
    number: int,
    mail: EmailIssue,
    recipients: list[str],
    echo: Echo,
) -> None:
    """Say what ``--yes`` would do."""
    settings = site.email
    log = sender.SendLog(root / settings.send_log)
    states = [log.state(number, a) for a in recipients]
    log.close()
    done = sum(state in ("sent", "failed") for state in states)
    unknown = [a for a, state in zip(recipients, states, strict=True) if state == "sending"]
    echo(
        f"dry run: would send issue {number} “{mail.subject}” to "
        f"{len(recipients) - done - len(unknown)} of {len(recipients)} recipients via "
        f"{settings.smtp_host}:{settings.smtp_port} "
        f"({len(mail.html.encode()) / 1024:.1f} KB HTML); add --yes to send"
    )
    if unknown:
        echo(
            f"{len(unknown)} left unknown by a stopped run, not sent again unless "
            f"--resend-unknown (check the server's log first): {', '.join(unknown)}"
        )


def _report(number: int, result: sender.SendResult, test_copy: bool, echo: Echo) -> None:
    what = "test copy of issue" if test_copy else "issue"
    echo(
        f"{what} {number}: {result.sent} sent, {result.skipped} already done, "
        f"{len(result.failed)} failed, {len(result.deferred)} deferred, "
        f"{len(result.unknown)} unknown"
    )
    for address, reason in result.failed:
        echo(f"failed (permanent): {address}: {reason}")
    for address, reason in result.deferred:
        echo(f"deferred (run again to retry): {address}: {reason}")
    for address in result.unknown:
        echo(
            f"unknown (a previous run stopped while sending; check the server log, then "
            f"use --resend-unknown): {address}"
        )
