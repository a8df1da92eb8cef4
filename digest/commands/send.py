"""``digest send``: issue N by SMTP, resumable, never twice; a dry run unless told."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from digest import sender
from digest.build.issue import OneIssue, with_issue
from digest.config import SiteConfig
from digest.errors import DigestError
from digest.model import Issue
from digest.renderer.email import EmailIssue, address_of, build_eml, clipped, from_header
from digest.renderer.site import email_of


@dataclass(frozen=True)
class SendOptions:
    """How ``digest send`` goes about it."""

    yes: bool = False  # really send (else a dry run), unless ``to`` is given
    to: str | None = None  # one test copy to this address, never recorded as sent
    resend_unknown: bool = False  # send again where a stopped run left the state unknown
    retry_wait: float = 2.0  # seconds before retrying a deferred address


def send(root: Path, number: int, options: SendOptions, echo: Callable[[str], None]) -> bool:
    """``digest send``: tell ``echo`` what happens; True when nothing is left to do
    (every recipient sent or permanently failed)."""
    site, mail, issue, note = with_issue(root, number, _prepared)
    if note:
        echo(f"warning: {note}")
    recipients = _recipients(root, site, options.to, echo)
    if not options.yes and options.to is None:
        _dry_run(root, site, number, mail, recipients, echo)
        return True
    settings = site.email
    if not settings.smtp_host:
        raise DigestError(f"{site.path}: set [email] smtp_host to send")
    connect = sender.connector(settings, sender.password_for(settings))
    log = sender.SendLog(root / settings.send_log)
    try:
        result = sender.send_all(
            sender.Mailing(
                -number if options.to is not None else number,  # test copies never count as sent
                address_of(from_header(site)),
                lambda address: build_eml(mail, site, issue, to=address),
            ),
            recipients,
            connect,
            log,
            sender.SendPolicy(
                settings.rate_per_minute,
                settings.retries,
                options.retry_wait,
                options.resend_unknown,
            ),
        )
    finally:
        log.close()
    _report(number, result, echo)
    return not (result.deferred or result.unknown)


def _prepared(one: OneIssue) -> tuple[SiteConfig, EmailIssue, Issue, str | None]:
    """The issue's email, rendered as the build renders it (refused over ``[email]
    max_kb``), and a warning when Gmail clips it."""
    mail = email_of(one.doc, one.site, one.env)
    note = clipped(len(mail.html.encode()), one.site, one.doc.source, number=one.issue.number)
    return one.site, mail, one.issue, note


def _recipients(
    root: Path, site: SiteConfig, to: str | None, echo: Callable[[str], None]
) -> list[str]:
    """The test copy's one address, or the recipients file's (skipping invalid lines)."""
    if to is not None:
        if not sender.valid_address(to):
            raise DigestError(f"--to: invalid address '{to}'")
        return [to]
    recipients, invalid = sender.read_recipients(root / site.email.recipients)
    for problem in invalid:
        echo(f"skipped: {problem}")
    return recipients


def _dry_run(
    root: Path,
    site: SiteConfig,
    number: int,
    mail: EmailIssue,
    recipients: list[str],
    echo: Callable[[str], None],
) -> None:
    """Say what ``--yes`` would do."""
    settings = site.email
    log = sender.SendLog(root / settings.send_log)
    done = sum(log.state(number, a) in ("sent", "failed") for a in recipients)
    log.close()
    echo(
        f"dry run: would send issue {number} “{mail.subject}” to "
        f"{len(recipients) - done} of {len(recipients)} recipients via "
        f"{settings.smtp_host}:{settings.smtp_port} "
        f"({len(mail.html.encode()) / 1024:.1f} KB HTML); add --yes to send"
    )


def _report(number: int, result: sender.SendResult, echo: Callable[[str], None]) -> None:
    echo(
        f"issue {number}: {result.sent} sent, {result.skipped} already done, "
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
