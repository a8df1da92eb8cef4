"""One issue laid out as the build lays it out, for the commands that make or send its
email and WeChat files (``digest email``, ``digest wechat``, ``digest send``): the same
catalog, documents, environment and render functions as ``digest build``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from jinja2 import Environment

from digest.build.cache import BuildCache
from digest.build.catalog import Reading, load_catalog
from digest.build.documents import Documents
from digest.build.project import cached_pages, template_faults
from digest.build.session import Session
from digest.config import SiteConfig, load_config
from digest.errors import DigestError
from digest.model import Issue, Output
from digest.renderer import site as pages
from digest.renderer.documents import Doc

T = TypeVar("T")


@dataclass(frozen=True)
class OneIssue:
    """Issue ``doc`` (drafts included) with the site's settings and environment."""

    site: SiteConfig
    env: Environment
    doc: Doc

    @property
    def issue(self) -> Issue:
        """The issue as parsed and filled from the scrape cache."""
        entry = self.doc.entry
        assert isinstance(entry, Issue)
        return entry


def with_issue(root: Path, number: int, render: Callable[[OneIssue], T]) -> T:
    """``render`` applied to issue ``number`` of the project at ``root``, read through the
    build's cache; a template error as ``templates/<file>:<line>: message``."""
    site = load_config(root / "content" / "site.toml")
    templates = root / "templates"
    with BuildCache(root / ".cache" / "build.sqlite") as cache:
        pages_known = cached_pages(root / site.fetch.cache)
        catalog, _ = load_catalog(root, site, cache, pages_known, Reading(drafts=True), Session())
        issues = sorted(card.number for card in catalog.cards if card.kind == "issue")
        card = next((c for c in catalog.cards if c.kind == "issue" and c.number == number), None)
        if card is None:
            known = ", ".join(map(str, issues)) or "none"
            raise DigestError(f"there is no issue {number} (issues: {known})")
        with template_faults(templates):
            env = pages.site_env(site, templates)
            doc = Documents(site, env, cache.markdown, catalog.load)(card)
            return render(OneIssue(site, env, doc))


def email_files(one: OneIssue) -> list[Output]:
    """``email/<n>.html``, ``.txt`` and ``.eml``."""
    return pages.email_outputs(one.doc, one.site, one.env)


def wechat_files(one: OneIssue) -> list[Output]:
    """``wechat/<n>.html`` and ``wechat/<n>/index.html``."""
    return pages.wechat_outputs(one.doc, one.site, one.env)
