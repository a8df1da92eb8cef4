"""Which automatic summary a link gets, and the optional external summariser.

The order, for an item the editor left without words: the page's description when it is
real prose (summarised within the budget when it is longer), else the external command's
summary when ``[summary] command`` is set and it succeeds, else our extractive summary of
the main text. The editor's own commentary and
notes always come first; that choice is made where items are built (``fill``, ``draft``).
"""

from __future__ import annotations

import shlex
import subprocess
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace

from digest.config import SummarySettings
from digest.model.pages import PageRecord
from digest.summarizer.extractive import (
    budget_for,
    is_prose_description,
    summarize,
    text_length,
)


def text_summary(
    text: str, settings: SummarySettings, *, lang: str | None = None, title: str | None = None
) -> str:
    """Our extractive summary of ``text`` within the configured budget ("" if none fits)."""
    return summarize(
        text,
        lang=lang,
        title=title,
        budget_cjk=settings.budget_cjk,
        budget_words=settings.budget_words,
    )


def page_summary(record: PageRecord, settings: SummarySettings) -> str:
    """The summary stored with a scraped page: its prose description, else extractive. A
    description longer than the budget (some sites put a whole article in it) is itself
    summarised within the budget; when no sentence of it fits, the text is."""
    if is_prose_description(record.description, title=record.title, site_name=record.site_name):
        description = " ".join((record.description or "").split())
        budget = budget_for(
            description,
            lang=record.lang,
            budget_cjk=settings.budget_cjk,
            budget_words=settings.budget_words,
        )
        if text_length(description) <= budget:
            return description
        if shorter := text_summary(description, settings, lang=record.lang, title=record.title):
            return shorter
    return text_summary(record.text, settings, lang=record.lang, title=record.title)


@dataclass(frozen=True)
class PageSummaries:
    """The summarizer as the scraper uses it while fetching (:class:`digest.model.Summarizer`)."""

    settings: SummarySettings

    def summarized(self, record: PageRecord) -> PageRecord:
        """``record`` with its :func:`page_summary`."""
        return replace(record, summary=page_summary(record, self.settings))

    def wants_command(self, record: PageRecord) -> bool:
        """See :func:`wants_command`."""
        return wants_command(record, self.settings)


def wants_command(record: PageRecord, settings: SummarySettings) -> bool:
    """Whether the external summariser should be asked about this page."""
    if not settings.command or not record.text.strip():
        return False
    return not is_prose_description(
        record.description, title=record.title, site_name=record.site_name
    )


class SummarizerFailed(Exception):
    """The external summariser did not give a usable summary; the message says why."""


def run_command(command: str, text: str, timeout: float) -> str:
    """Run the external summariser on ``text`` (stdin) and return what it printed."""
    try:
        done = subprocess.run(
            shlex.split(command),
            input=text.encode("utf-8"),
            capture_output=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise SummarizerFailed(f"timed out after {timeout:g} s") from None
    except OSError as exc:
        raise SummarizerFailed(f"cannot run it: {exc.strerror or exc}") from None
    except ValueError as exc:  # shlex: unbalanced quotes
        raise SummarizerFailed(f"cannot read the command: {exc}") from None
    if done.returncode != 0:
        last = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        raise SummarizerFailed(
            f"exit status {done.returncode}" + (f": {last[0]}" if last[0] else "")
        )
    try:
        summary = " ".join(done.stdout.decode("utf-8").split())
    except UnicodeDecodeError:
        raise SummarizerFailed("its output is not UTF-8") from None
    if not summary:
        raise SummarizerFailed("it printed nothing")
    return summary


@dataclass(frozen=True)
class Outcome:
    """What the external summariser made of one text: a summary or the failure."""

    key: str
    summary: str | None
    error: str | None


def run_many(
    texts: Iterable[tuple[str, str]],
    settings: SummarySettings,
    *,
    on_done: Callable[[Outcome], None] | None = None,
    workers: int = 4,
) -> list[Outcome]:
    """Ask the external summariser about each ``(key, text)``, a few at a time."""

    def one(pair: tuple[str, str]) -> Outcome:
        key, text = pair
        try:
            outcome = Outcome(key, run_command(settings.command, text, settings.timeout), None)
        except SummarizerFailed as exc:
            outcome = Outcome(key, None, str(exc))
        if on_done:
            on_done(outcome)
        return outcome

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(one, texts))
