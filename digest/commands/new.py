"""``digest new``: the next issue's draft, from the inbox and the feeds, never over a file."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from digest.build.project import template_faults
from digest.config import load_config
from digest.content import load_content
from digest.content.inbox import load_inbox, remove_entries
from digest.errors import DigestError
from digest.model import MOST_ISSUES, CachedPage, Candidate
from digest.renderer.draft import render_draft
from digest.scraper.cache import Cache
from digest.summarizer.draft import DraftDates, plan_draft


@dataclass(frozen=True)
class NewDraft:
    """What ``digest new`` wrote (or would write, on a dry run)."""

    path: Path
    text: str
    items: int
    from_inbox: int
    flags: tuple[str, ...]


def new(
    root: Path,
    *,
    today: date,
    since: datetime | None = None,
    day: date | None = None,
    dry_run: bool = False,
) -> NewDraft:
    """``digest new``: draft the next issue into ``content/issues/``; never overwrite a file.

    The inbox loses the entries the draft used only once the draft is on disk.
    """
    site = load_config(root / "content" / "site.toml")
    content = load_content(root / "content", site, drafts=True)
    inbox_path = root / "content" / "inbox.md"
    inbox = load_inbox(inbox_path, site)
    cache_path = root / site.fetch.cache
    candidates: list[Candidate] = []
    pages: dict[str, CachedPage] = {}
    if cache_path.exists():  # one read of the scrape cache for both
        with Cache(cache_path, readonly=True) as cache:
            candidates, pages = cache.candidates(), cache.records()
    draft = plan_draft(site, content, inbox, candidates, pages, DraftDates(today, since, day))
    if draft.number > MOST_ISSUES:  # the draft would not build
        raise DigestError(f"issue {MOST_ISSUES:,} is the last an issue number can reach")
    templates = root / "templates"
    with template_faults(templates):
        text = render_draft(draft, site, templates)
    path = root / "content" / "issues" / f"{draft.number:04d}.md"
    items = sum(len(s.items) for s in draft.sections)
    result = NewDraft(path, text, items, len(draft.used), draft.flags)
    if dry_run:
        return result
    try:
        path.parent.mkdir(exist_ok=True)  # the first issue of a project of posts only
        with path.open("x", encoding="utf-8") as out:
            out.write(text)
    except FileExistsError:
        why = "already exists; digest new never overwrites a file (move it away first)"
        raise DigestError(f"{path}: {why}") from None
    except OSError as exc:
        raise DigestError(f"{path}: cannot write the draft ({exc.strerror})") from exc
    if draft.used:
        remove_entries(inbox_path, draft.used)
    return result
