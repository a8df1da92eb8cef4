"""``digest send`` against a real SMTP server on 127.0.0.1 (aiosmtpd)."""

from __future__ import annotations

import contextlib
import re
import shutil
import socket
import subprocess
import sys
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
from tests.terminal import on_a_terminal

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


@contextlib.contextmanager
def smtp_server(box: Mailbox, **options: Any) -> Iterator[int]:
    """An SMTP server on a free port of 127.0.0.1 delivering to ``box``; its port."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    controller = Controller(
        box,
        hostname="127.0.0.1",
        port=port,
        authenticator=authenticate,
        auth_require_tls=False,
        auth_required=True,
        **options,
    )
    controller.start()
    try:
        yield port
    finally:
        controller.stop()


@pytest.fixture
def smtp() -> Iterator[tuple[Mailbox, int]]:
    box = Mailbox()
    with smtp_server(box) as port:
        yield box, port


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
    assert msg["List-Unsubscribe-Post"] is None  # the URL is not declared to take the POST
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


def test_test_copies_go_every_time_and_never_count(
    project: Path, smtp: tuple[Mailbox, int]
) -> None:
    box, _ = smtp
    for _ in range(3):  # edit, send a test copy, look, edit again...
        result = send("--to", "editor@example.org")
        assert result.exit_code == 0, result.output
        assert "test copy of issue 1: 1 sent, 0 already done" in result.stdout
    assert box.delivered() == ["editor@example.org"] * 3
    real = send("--yes")
    assert "issue 1: 5 sent, 0 already done" in real.stdout
    assert sorted(box.delivered()) == sorted([*RECIPIENTS, *["editor@example.org"] * 3])
    # a recipient gets a test copy even after the real thing, and the log is not touched
    assert send("--to", "ada@example.org").exit_code == 0
    assert box.delivered().count("ada@example.org") == 2
    assert "0 sent, 5 already done" in send("--yes").stdout


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


def unsubscribe(*addresses: str) -> Any:
    return CliRunner().invoke(main, ["unsubscribe", *addresses])


def test_repeats_in_the_recipients_file_are_merged_and_said(
    project: Path, smtp: tuple[Mailbox, int]
) -> None:
    result = send()
    assert (
        "merged: subscribers.txt:8: 'ADA@example.org' is ada@example.org (line 2) again: "
        "one copy is sent" in result.stdout
    )
    assert "to 5 of 5 recipients" in result.stdout


def test_an_address_that_asked_to_leave_is_never_sent_to_again(
    project: Path, smtp: tuple[Mailbox, int]
) -> None:
    box, _ = smtp
    added = unsubscribe("BO@example.org")
    assert added.exit_code == 0, added.output
    assert "BO@example.org: added (unsubscribed.txt:4)" in added.stdout
    assert "BO@example.org is still in subscribers.txt:3: it is never sent to" in added.stdout
    lines = (project / "unsubscribed.txt").read_text(encoding="utf-8").splitlines()
    assert lines[:3] == [line for line in lines[:3] if line.startswith("#")]
    assert lines[3].startswith("BO@example.org  # digest unsubscribe, 20")

    dry = send()
    assert "left out: 1 of the recipients asked to leave" in dry.stdout
    assert "to 4 of 4 recipients" in dry.stdout
    result = send("--yes")
    assert result.exit_code == 0 and "4 sent" in result.stdout
    assert "bo@example.org" not in box.delivered()
    refused = send("--to", "bo@example.org")
    assert refused.exit_code == 1
    assert "--to: bo@example.org asked to leave (unsubscribed.txt:4)" in refused.stderr
    assert "bo@example.org" not in box.delivered()

    again = unsubscribe("bo@example.org", "cy@example.org")
    assert "bo@example.org: already there (unsubscribed.txt:4)" in again.stdout
    assert "cy@example.org: added (unsubscribed.txt:5)" in again.stdout
    before = (project / "unsubscribed.txt").read_bytes()
    bad = unsubscribe("di@example.org", "not-an-address")
    assert bad.exit_code == 1 and "invalid address 'not-an-address'" in bad.stderr
    assert (project / "unsubscribed.txt").read_bytes() == before  # nothing written


def test_a_list_of_leavers_that_cannot_be_read_whole_sends_nothing(
    project: Path, smtp: tuple[Mailbox, int]
) -> None:
    box, _ = smtp
    (project / "unsubscribed.txt").write_text("# 退订\nbo@example.org\nbo at example\n", "utf-8")
    result = send("--yes")
    assert result.exit_code == 1
    assert "unsubscribed.txt:3: invalid address 'bo at example'" in result.stderr
    assert box.messages == []
    added = unsubscribe("cy@example.org")  # the command still adds, and warns
    assert added.exit_code == 0
    assert "unsubscribed.txt:3: invalid address 'bo at example'" in added.stderr


def test_the_dry_run_names_recipients_a_crash_left_unknown(
    project: Path, smtp: tuple[Mailbox, int]
) -> None:
    log = SendLog(project / ".digest" / "send-log.sqlite")
    log.mark(1, "bo@example.org", "sending")
    log.mark(1, "ada@example.org", "sent")
    log.close()
    result = send()
    assert "to 3 of 5 recipients" in result.stdout
    assert (
        "1 left unknown by a stopped run, not sent again unless --resend-unknown "
        "(check the server's log first): bo@example.org" in result.stdout
    )


def use_server(project: Path, port: int) -> None:
    """Point the project's ``[email] smtp_port`` at ``port``."""
    site = project / "content" / "site.toml"
    text = site.read_text(encoding="utf-8")
    site.write_text(re.sub(r"smtp_port = \d+", f"smtp_port = {port}", text), "utf-8")


def test_an_internationalised_domain_goes_out_in_a_labels(project: Path) -> None:
    (project / "subscribers.txt").write_text(
        "carol@例子.中国\nCarol@XN--FSQU00A.xn--fiqs8s\ndan@straße.de\n", encoding="utf-8"
    )
    box = Mailbox()
    with smtp_server(box, enable_SMTPUTF8=False) as port:  # any server takes A-labels
        use_server(project, port)
        result = send("--yes")
        again = send("--yes")
    assert result.exit_code == 0, result.output
    assert "merged: subscribers.txt:2: 'Carol@XN--FSQU00A.xn--fiqs8s' is carol@例子.中国" in (
        result.stdout
    )
    # IDNA 2008: ß stays a letter of its own (IDNA 2003 made the domain strasse.de)
    assert box.delivered() == ["carol@xn--fsqu00a.xn--fiqs8s", "dan@xn--strae-oqa.de"]
    msg = BytesParser(policy=policy.default).parsebytes(box.messages[0][1])
    assert msg["To"] == "carol@xn--fsqu00a.xn--fiqs8s"
    assert "0 sent, 2 already done" in again.stdout  # one log entry per mailbox
    assert unsubscribe("carol@xn--fsqu00a.xn--fiqs8s").exit_code == 0
    assert "left out: 1 of the recipients asked to leave" in send().stdout


def test_a_name_that_is_not_ascii_goes_by_smtputf8(
    project: Path, smtp: tuple[Mailbox, int]
) -> None:
    box, _ = smtp  # aiosmtpd's Controller offers SMTPUTF8
    result = send("--to", "张三@例子.中国")
    assert result.exit_code == 0, result.output
    assert box.delivered() == ["张三@例子.中国"]
    msg = BytesParser(policy=policy.default).parsebytes(box.messages[0][1])
    assert msg["To"] == "张三@例子.中国" and str(msg["Subject"]) == "小周刊[第1期]：第一期"
    plain = Mailbox()
    with smtp_server(plain, enable_SMTPUTF8=False) as port:
        use_server(project, port)
        refused = send("--to", "张三@例子.中国")
    assert (
        "failed (permanent): 张三@例子.中国: the server does not take SMTPUTF8, which a "
        "non-ASCII name needs" in refused.stdout
    )
    assert plain.messages == []


def test_send_shows_progress_on_a_terminal_only(project: Path, smtp: tuple[Mailbox, int]) -> None:
    """On a terminal, ``digest send`` draws how far it is on stderr (then clears it); into
    a pipe, or with ``-q``, it writes nothing there."""
    box, _ = smtp
    command = [sys.executable, "-m", "digest.cli", "send", "1", "--yes"]
    piped = subprocess.run(command, capture_output=True, text=True, check=True, cwd=project)
    assert piped.stderr == "" and "issue 1: 5 sent" in piped.stdout

    def sent_on_a_terminal(*options: str) -> str:
        shutil.rmtree(project / ".digest")  # no send log: it sends again
        return on_a_terminal([*command[:3], *options, *command[3:]], cwd=project)

    shown = sent_on_a_terminal()
    assert "sending" in shown and "5/5" in shown and "issue 1: 5 sent" in shown
    assert "\x1b[" in shown  # drawn, then cleared: the bar is transient
    quiet = sent_on_a_terminal("-q")
    assert "sending" not in quiet and "\x1b[" not in quiet
    assert len(box.messages) == 15


def test_an_address_with_a_control_character_is_invalid(
    project: Path, smtp: tuple[Mailbox, int]
) -> None:
    """A NUL or an ESC in the local part passed as an address, for the envelope and the
    To header of a real send."""
    with (project / "subscribers.txt").open("a", encoding="utf-8") as file:
        file.write("nul\x00@example.org\nesc\x1b[2J@example.org\n")
    result = send()
    assert result.exit_code == 0, result.output
    assert "subscribers.txt:9: invalid address 'nul\\x00@example.org'" in result.stdout
    assert "subscribers.txt:10: invalid address 'esc\\x1b[2J@example.org'" in result.stdout
    assert "to 5 of 5 recipients" in result.stdout


def test_a_byte_order_mark_or_an_invisible_character_makes_no_other_address(
    project: Path, smtp: tuple[Mailbox, int]
) -> None:
    """Notepad saves a file with a byte-order mark: the first address went out with it,
    and a reader who asked to leave was sent to; a zero-width space pasted from a web
    page made an address the list of leavers did not match either."""
    box, _ = smtp
    recipients = project / "subscribers.txt"
    recipients.write_bytes(
        b"\xef\xbb\xbfada@example.org\nbo\xe2\x80\x8b@example.org\ncy@example.org\n"
    )
    (project / "unsubscribed.txt").write_bytes(b"\xef\xbb\xbfada@example.org\n")
    added = unsubscribe("bo@example.org")
    assert "bo@example.org: added (unsubscribed.txt:2)" in added.stdout
    result = send("--yes")
    assert "subscribers.txt:2: invalid address 'bo\u200b@example.org'" in result.stdout
    assert "(an invisible character, U+200B: delete it)" in result.stdout
    assert box.delivered() == ["cy@example.org"]


def test_a_sender_the_server_refuses_fails_no_recipient(
    project: Path, smtp: tuple[Mailbox, int]
) -> None:
    """A server that wants a login answers MAIL FROM with 530: that refusal is the
    sender's, so the run stops there; it marked every recipient failed for good, and the
    run after the login was set sent nothing."""
    box, _ = smtp
    site = project / "content" / "site.toml"
    with_login = site.read_text(encoding="utf-8")
    site.write_text(with_login.replace('smtp_user = "weekly"\n', ""), encoding="utf-8")
    refused = send("--yes")
    assert refused.exit_code == 1
    assert "the SMTP server refused the sender weekly@example.org: 530" in refused.stderr
    assert "set [email] smtp_user" in refused.stderr
    site.write_text(with_login, encoding="utf-8")
    again = send("--yes")
    assert again.exit_code == 0, again.output
    assert "issue 1: 5 sent, 0 already done, 0 failed" in again.stdout
    assert len(box.delivered()) == 5


def test_two_runs_at_once_never_send_one_address_twice(
    project: Path, smtp: tuple[Mailbox, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two 'digest send --yes' at once (a second terminal, the workflow and the editor):
    each read an address as pending, then each sent it. Here the other run, with a
    connection of its own to the send log, takes bo@ and cy@ between this run's reading
    of their state and its sending."""
    box, _ = smtp
    path = project / ".digest" / "send-log.sqlite"
    other = SendLog(path)
    state = SendLog.state

    def racing(log: SendLog, issue: int, address: str) -> str:
        found = state(log, issue, address)
        if address in ("bo@example.org", "cy@example.org"):
            other.mark(issue, address, "sending")
        return found

    monkeypatch.setattr(SendLog, "state", racing)
    result = send("--yes")
    other.close()
    assert result.exit_code == 0, result.output
    assert sorted(box.delivered()) == ["ada@example.org", "di@example.org", "ed@example.org"]
    assert "issue 1: 3 sent, 2 already done" in result.stdout


def test_a_sender_whose_domain_is_chinese_goes_out_in_a_labels(
    project: Path, smtp: tuple[Mailbox, int]
) -> None:
    """'[email] from' at 例子.中国: MAIL FROM ended the run with UnicodeEncodeError after
    the first recipient was marked sending (left unknown, though nothing went), and the
    .eml's From and List-Unsubscribe carried the domain as an encoded word."""
    box, _ = smtp
    site = project / "content" / "site.toml"
    text = site.read_text(encoding="utf-8").replace("weekly@example.org", "weekly@例子.中国")
    site.write_text(text + 'unsubscribe_mailto = "leave@例子.中国"\n', encoding="utf-8")
    result = send("--yes")
    assert result.exit_code == 0, result.output
    assert "issue 1: 5 sent" in result.stdout
    message = BytesParser(policy=policy.default).parsebytes(box.messages[0][1])
    assert message["From"].addresses[0].addr_spec == "weekly@xn--fsqu00a.xn--fiqs8s"
    assert (
        "<mailto:leave@xn--fsqu00a.xn--fiqs8s?subject=unsubscribe>" in message["List-Unsubscribe"]
    )


def test_a_list_of_leavers_that_is_a_link_is_added_to_where_it_leads(
    project: Path, smtp: tuple[Mailbox, int]
) -> None:
    """unsubscribed.txt linked from a folder kept out of the repository: 'digest
    unsubscribe' replaced the link with a file of its own, and the list the link led to,
    which every other checkout reads, never had the address."""
    kept = project.parent / "private" / "unsubscribed.txt"
    kept.parent.mkdir()
    kept.write_text("ada@example.org\n", encoding="utf-8")
    (project / "unsubscribed.txt").symlink_to(kept)
    assert unsubscribe("bo@example.org").exit_code == 0
    assert (project / "unsubscribed.txt").is_symlink()
    assert kept.read_text(encoding="utf-8").splitlines()[1].startswith("bo@example.org  #")
