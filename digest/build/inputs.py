"""What a build depends on, as digests: the code, the libraries, site.toml, the templates
and, for the whole build, every input (so that an unchanged project is recognised without
loading it)."""

from __future__ import annotations

import contextlib
import functools
import hashlib
from pathlib import Path

from digest.build.jobs import templates_digest
from digest.config import SiteConfig
from digest.text.encoding import read_bytes


def inputs_digest(root: Path, site: SiteConfig, templates: Path, options: str) -> str:
    """A digest of everything a build reads: content/ (every file's bytes), the scrape
    cache, the templates, the code and site.toml, and the options. When it matches the
    last build's and the site is as that build left it, there is nothing to do."""
    digest = hashlib.sha256(f"{build_salt(site, templates)}\0{options}".encode())
    content = root / "content"
    for file in sorted(content.rglob("*")):
        if file.is_dir():
            continue
        digest.update(f"\0{file.relative_to(content).as_posix()}\0".encode())
        try:
            digest.update(read_bytes(file))
        except OSError as exc:  # a link to nowhere, a pipe: the load says what is wrong
            digest.update(f"\0{exc.errno}".encode())
    scrape = root / site.fetch.cache
    for part in (scrape, Path(f"{scrape}-wal")):
        with contextlib.suppress(OSError):
            st = part.stat()
            digest.update(f"\0{part.name} {st.st_size} {st.st_mtime_ns}".encode())
    return digest.hexdigest()


def build_salt(site: SiteConfig, templates: Path) -> str:
    """What a build depends on besides content: the code and libraries, site.toml, the
    templates."""
    return hashlib.sha256(f"{job_salt(site)}\0{templates_digest(templates)}".encode()).hexdigest()


def job_salt(site: SiteConfig) -> str:
    """What every output depends on: the code and libraries, and site.toml (each job adds
    the templates it uses)."""
    return hashlib.sha256(code_version().encode() + repr(site).encode()).hexdigest()


@functools.lru_cache(maxsize=1)  # the code and libraries do not change while it runs
def code_version() -> str:
    """A digest of this package's source and the versions of the libraries that render."""
    from importlib.metadata import version

    digest = hashlib.sha256()
    package = Path(__file__).resolve().parents[1]  # digest/
    for file in sorted(package.rglob("*.py")):
        digest.update(file.read_bytes())
    for name in (
        "Jinja2",
        "Markdown",
        "Pygments",
        "css-inline",
        "nh3",
        "pypinyin",
        "PyYAML",
        "lxml",
    ):
        digest.update(version(name).encode())
    return digest.hexdigest()
