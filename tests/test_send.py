"""``digest send`` against a real SMTP server on 127.0.0.1 (aiosmtpd)."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from email import policy
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from click.testing import CliRunner

from digest.cli import main
from digest.commands.send import SendOptions
from digest.commands.send import send as send_issue
from digest.sender import SendLog

PASSWORD = "s3cret-Pa55w0rd-never-shown"
RECIPIENTS = ["ada@example.org", "bo@example.org", "cy@example.org", "di@example.org",
              "ed@example.org"]  # fmt: skip


class Mailbox:
    """Collects messages; can refuse an address for good, or answer 451/421 a few times."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []
        self.refuse: set[str] = set()
        self.fail_data: list[str] = []  # replies for the next DATA commands, in order

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.fail_data:
            return self.fail_data.pop(0)
        self.messages.append((list(envelope.rcpt_tos), bytes(envelope.content)))
        return "250 OK"

    def delivered(self) -> list[str]:
        return [to for tos, _ in self.messages for to in tos]


def authenticate(server: Any, session: Any, envelope: Any, mechanism: str,
                 data: Any) -> AuthResult:  # fmt: skip
    ok = isinstance(data, LoginPassword) and data.password == PASSWORD.encode()
    return AuthResult(success=ok, handled=False)


@pytest.fixture
def smtp() -> Iterator[tuple[Mailbox, int]]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=port, authenticator=authenticate,
                            auth_require_tls=False, auth_required=True)  # fmt: skip
    controller.start()
    try:
        yield box, port
    finally:
        controller.stop()


@pytest.fixture
def project(minimal: Path, smtp: tuple[Mailbox, int], monkeypatch: pytest.MonkeyPatch) -> Path:
    _, port = smtp
    site = minimal / "content" / "site.toml"
    site.write_text(site.read_text(encoding="utf-8") + f"""
[email]
from = "小周刊 <weekly@example.org>"
unsubscribe_url = "https://example.org/weekly/unsubscribe/"
smtp_host = "127.0.0.1"
smtp_port = {port}
smtp_user = "weekly"
smtp_security = "none"
password_env = "TEST_SMTP_PASSWORD"
rate_per_minute = 0
retries = 1
""", encoding="utf-8")  # fmt: skip
    (minimal / "subscribers.txt").write_text(
        "# subscribers\n" + "\n".join(RECIPIENTS[:3]) + "\nnot an address\n"
        + "\n".join(RECIPIENTS[3:]) + "\nADA@example.org\n",
        encoding="utf-8",
    )  # fmt: skip
    monkeypatch.setenv("TEST_SMTP_PASSWORD", PASSWORD)
    monkeypatch.chdir(minimal)
    return minimal


def send(*args: str) -> Any:
    return CliRunner().invoke(main, ["send", "1", *args])


def test_dry_run_sends_nothing(project: Path, smtp: tuple[Mailbox, int]) -> None:
    box, _ = smtp
    result = send()
    assert result.exit_code == 0, result.output
    assert "subscribers.txt:5: invalid address 'not an address'" in result.stdout
    assert "would send issue 1" in result.stdout and "to 5 of 5 recipients" in result.stdout
    assert box.messages == []


def test_send_delivers_whole_messages_once(project: Path, smtp: tuple[Mailbox, int]) -> None:
    box, _ = smtp
    result = send("--yes")
    assert result.exit_code == 0, result.output
    assert "5 sent, 0 already done" in result.stdout
    assert sorted(box.delivered()) == sorted(RECIPIENTS)
    tos, raw = box.messages[0]
    msg = BytesParser(policy=policy.default).parsebytes(raw)
    assert msg["To"] == tos[0]
    assert str(msg["Subject"]) == "小周刊[第1期]：第一期"
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    kinds = [p.get_content_type() for p in msg.iter_parts()]
    assert kinds == ["text/plain", "text/html"]
    ids = {BytesParser(policy=policy.default).parsebytes(r)["Message-ID"] for _, r in box.messages}
    assert len(ids) == 5  # one Message-ID per recipient

    again = send("--yes")
    assert again.exit_code == 0 and "0 sent, 5 already done" in again.stdout
    assert len(box.messages) == 5  # nobody twice


def test_a_failure_mid_list_is_completed_by_a_rerun(
    project: Path, smtp: tuple[Mailbox, int]
) -> None:
    box, _ = smtp
    box.fail_data = ["421 4.3.2 shutting down"] * 2  # fails ada twice: retries = 1
    first = send("--yes")
    assert first.exit_code == 1  # something is left to do
    assert "deferred (run again to retry): ada@example.org: 421" in first.stdout
    assert len(box.messages) == 4

    second = send("--yes")
    assert second.exit_code == 0, second.output
    assert "1 sent, 4 already done" in second.stdout
    assert sorted(box.delivered()) == sorted(RECIPIENTS)  # each exactly once


def test_temporary_errors_are_retried(project: Path, smtp: tuple[Mailbox, int]) -> None:
    box, _ = smtp
    box.fail_data = ["451 4.7.1 try again later"]
    result = send("--yes")
    assert result.exit_code == 0, result.output
    assert "5 sent" in result.stdout
    assert sorted(box.delivered()) == sorted(RECIPIENTS)


def test_permanent_failures_are_recorded_not_retried(
    project: Path, smtp: tuple[Mailbox, int]
) -> None:
    box, _ = smtp
    box.refuse = {"cy@example.org"}
    result = send("--yes")
    assert result.exit_code == 0
    assert "failed (permanent): cy@example.org: 550 5.1.1 no such user" in result.stdout
    box.refuse = set()
    again = send("--yes")
    assert "0 sent, 5 already done" in again.stdout
    assert "cy@example.org" not in box.delivered()


def test_an_interrupted_send_is_not_repeated_silently(
    project: Path, smtp: tuple[Mailbox, int]
) -> None:
    box, _ = smtp
    log = SendLog(project / ".digest" / "send-log.sqlite")
    log.mark(1, "bo@example.org", "sending")  # a crash after handing it to the server
    log.close()
    result = send("--yes")
    assert result.exit_code == 1
    assert "unknown (a previous run stopped while sending" in result.stdout
    assert "bo@example.org" not in box.delivered()
    resend = send("--yes", "--resend-unknown")
    assert resend.exit_code == 0 and box.delivered().count("bo@example.org") == 1


def test_test_copy_goes_to_one_address_and_does_not_count(
    project: Path, smtp: tuple[Mailbox, int]
) -> None:
    box, _ = smtp
    result = send("--to", "editor@example.org")
    assert result.exit_code == 0, result.output
    assert box.delivered() == ["editor@example.org"]
    send("--yes")
    assert sorted(box.delivered()) == sorted([*RECIPIENTS, "editor@example.org"])


def test_the_password_appears_nowhere(
    project: Path, smtp: tuple[Mailbox, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    result = send("--yes")
    assert PASSWORD not in result.output
    for path in (project / ".digest").rglob("*"):
        assert PASSWORD.encode() not in path.read_bytes()
    monkeypatch.setenv("TEST_SMTP_PASSWORD", "wrong-password-xyz")
    refused = send("--to", "editor@example.org")
    assert refused.exit_code == 1
    assert "SMTP login as weekly" in refused.stderr and "refused" in refused.stderr
    assert "wrong-password-xyz" not in refused.output
    monkeypatch.delenv("TEST_SMTP_PASSWORD")
    missing = send("--to", "editor@example.org")
    assert missing.exit_code == 1
    assert "set the environment variable TEST_SMTP_PASSWORD" in missing.stderr


def test_pipeline_send_needs_a_server_configured(minimal: Path) -> None:
    (minimal / "subscribers.txt").write_text("a@example.org\n", encoding="utf-8")
    with pytest.raises(Exception, match=r"set \[email\] smtp_host to send"):
        send_issue(minimal, 1, SendOptions(yes=True), echo=print)


def test_rate_limit_spaces_messages(project: Path, smtp: tuple[Mailbox, int]) -> None:
    box, _ = smtp
    site = project / "content" / "site.toml"
    site.write_text(site.read_text(encoding="utf-8").replace("rate_per_minute = 0",
                                                             "rate_per_minute = 120"))  # fmt: skip
    start = time.monotonic()
    result = send("--yes")
    assert result.exit_code == 0, result.output
    assert len(box.messages) == 5
    assert time.monotonic() - start >= 4 * 0.5  # 120 a minute: 0.5 s apart
