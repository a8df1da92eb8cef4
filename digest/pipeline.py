"""``build()``: load -> render -> write, top to bottom.

The build is a pure function of ``content/`` and ``templates/``: no clock, no network,
stable ordering everywhere, so the same inputs give byte-identical output.
"""

from __future__ import annotations

import traceback
from dataclasses import dataclass
from pathlib import Path

import jinja2

from digest.config import load_config
from digest.content import load_content
from digest.errors import DigestError
from digest.renderer import render_site
from digest.renderer.site import render_issue_email
from digest.scraper.cache import Cache, CachedPage
from digest.summarizer.fill import dead_links, fill_items
from digest.writer import write_files, write_site


@dataclass(frozen=True)
class BuildResult:
    """What a build produced, for the command's one-line report."""

    issues: int
    posts: int
    files: int
    target: Path
    base_path: str
    warnings: tuple[str, ...] = ()


def build(root: Path, target: Path | None = None, *, drafts: bool = False) -> BuildResult:
    """Build the site of the project at ``root`` into ``target`` (default ``root/site``)."""
    site = load_config(root / "content" / "site.toml")
    content = load_content(root / "content", site, drafts=drafts)
    pages = _cached_pages(root / site.fetch.cache)
    content = fill_items(content, pages)
    newest = content.issues[-1] if content.issues else None
    warnings = tuple(dead_links(newest, pages)) if newest else ()
    templates = root / "templates"
    try:
        outputs = render_site(site, content, templates)
    except jinja2.TemplateError as exc:
        raise template_error(exc, templates) from exc
    target = target or root / "site"
    files = write_site(outputs, target)
    return BuildResult(
        len(content.issues), len(content.posts), files, target, site.base_path, warnings
    )


def _cached_pages(path: Path) -> dict[str, CachedPage]:
    """What the scraper knows, read-only; an absent cache is simply empty."""
    if not path.exists():
        return {}
    with Cache(path, readonly=True) as cache:
        return cache.records()


def template_error(exc: jinja2.TemplateError, templates: Path) -> DigestError:
    """A template problem as ``templates/issue.html:12: message``."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        where = f"{templates / (exc.name or '?')}:{exc.lineno}"
    elif isinstance(exc, jinja2.TemplateNotFound):
        return DigestError(f"{templates / str(exc.name)}: template not found")
    else:  # the failing template line is the innermost frame inside templates/
        frames = [
            f
            for f in traceback.extract_tb(exc.__traceback__)
            if f.filename.startswith(str(templates))
        ]
        where = f"{frames[-1].filename}:{frames[-1].lineno}" if frames else str(templates)
    return DigestError(f"{where}: {exc.message or exc}")


def email(root: Path, number: int, target: Path | None = None) -> list[Path]:
    """Write ``email/<number>.html``, ``.txt`` and ``.eml`` into the site folder only."""
    site = load_config(root / "content" / "site.toml")
    content = fill_items(load_content(root / "content", site, drafts=True),
                         _cached_pages(root / site.fetch.cache))  # fmt: skip
    templates = root / "templates"
    try:
        outputs = render_issue_email(site, content, templates, number)
    except jinja2.TemplateError as exc:
        raise template_error(exc, templates) from exc
    return write_files(outputs, target or root / "site")
