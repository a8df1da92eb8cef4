"""Shared fixtures: the sample project built once, copies of projects to break, golden files."""

from __future__ import annotations

import email
import email.message
import email.policy
import ipaddress
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from digest.build.pipeline import BuildOptions, build
from digest.renderer.env import BUILTIN_TEMPLATES

ROOT = Path(__file__).resolve().parent.parent
THEME = BUILTIN_TEMPLATES  # the default theme, digest/theme/ in this checkout
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite the expected files (tests/golden, tests/invalid/*/expected.txt); "
        "review the diff before committing",
    )


@pytest.fixture(autouse=True, scope="session")
def _offline() -> Iterator[None]:
    """Every test runs as on a machine without the internet, even where CI has it: a
    name other than the loopback's does not resolve, so a link a fixture forgot to point
    at a loopback server fails the same way on every machine, never reaching a real site."""
    real = socket.getaddrinfo

    def loopback_only(host: Any, *args: Any, **kwargs: Any) -> Any:
        if not _loopback(host):
            raise socket.gaierror(socket.EAI_NONAME, f"{host!r}: no internet in the tests")
        return real(host, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket, "getaddrinfo", loopback_only)
        yield


def _loopback(host: Any) -> bool:
    if host is None:
        return True
    name = host.decode() if isinstance(host, bytes) else str(host)
    if name.lower().rstrip(".") == "localhost":
        return True
    try:
        return ipaddress.ip_address(name.strip("[]").partition("%")[0]).is_loopback
    except ValueError:
        return False


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def copy_project(source: Path, dest: Path) -> Path:
    """A copy of the project at ``source``'s content/ in ``dest``, with the whole default
    theme copied into its templates/ for tests to edit (a project's own file wins)."""
    shutil.copytree(source / "content", dest / "content")
    shutil.copytree(THEME, dest / "templates")
    return dest


@pytest.fixture
def minimal(tmp_path: Path) -> Path:
    """A copy of the small valid project in tests/fixtures/minimal."""
    return copy_project(FIXTURES / "minimal", tmp_path / "project")


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled sample digest, built once for all tests that only read it."""
    target = tmp_path_factory.mktemp("sample") / "site"
    build(ROOT, BuildOptions(target=target))
    return target


def snapshot(directory: Path) -> dict[str, bytes]:
    """Every file below ``directory`` and its bytes."""
    return {
        str(p.relative_to(directory)): p.read_bytes()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def sent_html_size(eml: Path) -> int:
    """The bytes of the HTML part of ``eml``: the email as sent, without the note that
    ``site/email/N.html`` carries for the editor."""
    message = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    assert isinstance(message, email.message.EmailMessage)
    part = message.get_body(("html",))
    assert part is not None
    html = part.get_content().replace("\r\n", "\n")  # the transfer encoding's line ends
    return len(html.encode())
