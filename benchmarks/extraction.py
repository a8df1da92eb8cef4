"""Extraction on public, human-annotated pages: ours, readability-lxml, trafilatura.

    make bench-extract                                   # both halves, every set it can get
    .venv/bin/python benchmarks/extraction.py --half dev --pages   # per page, dev half only
    .venv/bin/python benchmarks/extraction.py --half dev --only digest --dump /tmp/a.json
                                    # what was found on each dev page: diff two commits' dumps
    .venv/bin/python benchmarks/extraction.py --sets mercury readability --half dev
    .venv/bin/python benchmarks/extraction.py --from ~/mirrors     # where the git copies are

Where the pages come from (``benchmarks/extraction_sets.py`` reads each set). Nothing is
committed: each set is brought out of a local git copy of its public repository into
``benchmarks/data/<set>/`` (git-ignored) with ``git archive``, on the first run or with
``--refresh``. ``--from DIR`` names the folder holding the copies (default
``$DIGEST_BENCH_MIRROR``, else ``/work/.mirror``); a copy of ``owner/name`` is looked for
as ``DIR/owner+name/repo``, ``DIR/owner+name``, ``DIR/name`` or ``DIR/name.git``, bare or
not. To make one by hand:

    git clone --bare https://github.com/scrapinghub/article-extraction-benchmark \
        ~/mirrors/article-extraction-benchmark.git

The sets (repository: what a person gave for each page):

- ``scrapinghub`` (scrapinghub/article-extraction-benchmark): 181 English news and blog
  pages, the article body.
- ``htmltotext`` (leogao2/htmltotext-benchmark): Chinese, English, German and Croatian
  pages, the text a person copied out.
- ``readability`` (mozilla/readability, ``test/test-pages``): 130 pages in many languages
  (four Chinese), the text, title, byline and date readability.js gives, checked by its
  maintainers: it leans toward readability-lxml, a port of readability.js, and its titles
  keep the site's name (score them loosely).
- ``mercury`` (postlight/parser): a saved page per site with the title, author and date a
  person wrote into the site's test; no main text.
- ``zh-handcrafted`` (immortal-autumn/Chinese-Web-Content-Extraction-Dataset): 69 Chinese
  pages, mostly GB2312/GBK, the text, author and date a person copied out.
- ``dragnet``, ``cleaneval``, ``cleanportaleval``, ``l3s-google-news``
  (j-szulc/html-cleaning-dataset-merged: plain copies of the Dragnet data, the CleanEval
  final set, CleanPortalEval and, from geodrome/page-signal's copy, L3S-GN1's Google News
  pages (most likely: its 621 pages and its classes), which the repositories the issue
  names keep in Git LFS): the main text; for the L3S pages the title too, the first
  element its annotators marked as the headline (from 2026-12-06: 603 pages, no other set
  here has human-marked headlines). CleanEval's gold is every
  non-boilerplate line of the page (lists of posts too), not one article. Dragnet's gold
  files hold the article, a mark, then the readers' comments: the article part is the
  gold (no extractor here is asked for comments). L3S's marked elements are read once
  each, not again inside another marked one. CleanPortalEval's gold keeps the page's
  character references (``&#8217;``): read as the page shows them. (Before 2026-12-06 the
  comments counted, nested L3S text twice, five UTF-16 Dragnet files were read as
  Windows-1252, and a ``URL:`` line after a blank line stayed in CleanPortalEval's gold.)
- ``wceb`` (chatnoir-eu/web-content-extraction-benchmark) and ``gne``
  (GeneralNewsExtractor/GneTestPage) are listed as unavailable, with the reason.

The split. Each page goes to the development half or the test half by the first byte of
``sha256("digest-19/<set>/<page id>")``: fixed, the same on every machine, independent of
the extractors. Look at the dev half (``--pages`` lists its pages) while improving an
extractor; report the test half. ``--pages`` refuses the test half. The second byte of
the digest splits each half into folds A and B (``--folds`` reports each set's folds): a
rule made looking at fold A's pages is kept only when fold B's do not lose by it.

The scoring, the same for every extractor, on the pages whose set gives the answer. Main
text: F1 of the token multisets of the extracted text against the gold text, with Latin
words (lower-cased) as tokens and every run of CJK characters as its character bigrams.
Title: exactly right, or loosely (one contained in the other, with only letters and digits
compared, case ignored: the L3S gold lost its typographic quotes to ``?``, ``hiker?s`` for
``hiker’s``; before 2026-12-07 spaces only were ignored).
Author: right when, with case, spaces and punctuation ignored, one holds the other and the
shorter is at least half the longer (``By Jane Doe`` for ``Jane Doe``); several names (split
at commas, ``and``, ``、``) in any order count, in an answer at most twice as long. Date: the
same day; a gold instant with an offset (``…Z``) takes a day-only answer that is its date
somewhere on Earth (UTC−12 to UTC+14), and an answer with an offset compared in UTC. A
missing answer is wrong. readability-lxml gives no author or date (``–``). Seconds a page:
the extractor's own time, decoding included. Mojibake: pages whose extracted title or text
holds U+FFFD or a run of three or more Latin-1 letters that the gold text does not (GBK or
UTF-8 read as Latin-1). Summary (ours alone, on pages with a gold text): our extractive
summary of the extracted text, with the default ``[summary]`` budget, is there, within the
budget and ends on a sentence end.

When all three extractors run, one more row, ``best of the three, each page``, takes each
page's best main-text F1 among them: what a perfect per-page choice between the three would
score, the ceiling of any ensemble of them (it has no other column).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from anywhere

from benchmarks.extraction_sets import CJK_RANGE, CJK_RUN, DATA, SOURCES, Page, bring_out
from digest.config import SummarySettings
from digest.scraper.decode import decode_body
from digest.scraper.extract import extract
from digest.summarizer.extractive import text_length
from digest.summarizer.summaries import text_summary

BEST = "best of the three, each page"  # a ceiling, not an extractor
TOKEN = re.compile(rf"[{CJK_RANGE}]+|[^\W_]+")


@dataclass(frozen=True)
class Found:
    title: str
    text: str
    author: str | None = None
    date: str | None = None
    lang: str | None = None


# --- the extractors -----------------------------------------------------------------------


def ours(page: Page) -> Found:
    record = extract(page.body, url=page.url, content_type="text/html")
    return Found(record.title or "", record.text, record.author, record.published, record.lang)


def readability(page: Page) -> Found:
    from lxml import html as lhtml
    from readability import Document

    doc = Document(decode_body(page.body, None).text, url=page.url)
    return Found(doc.short_title(), lhtml.fromstring(doc.summary()).text_content())


def trafilatura(page: Page) -> Found:
    import trafilatura as t

    html = decode_body(page.body, None).text
    text = t.extract(html, url=page.url, include_comments=False, include_tables=True) or ""
    meta = t.extract_metadata(html, default_url=page.url)
    if meta is None:
        return Found("", text)
    return Found(meta.title or "", text, meta.author, meta.date)


EXTRACTORS: dict[str, Callable[[Page], Found]] = {
    "digest": ours,
    "readability-lxml": readability,
    "trafilatura": trafilatura,
}
NO_METADATA = {"readability-lxml"}


# --- scoring ------------------------------------------------------------------------------


def tokens(text: str) -> Counter[str]:
    # The same tokens as scraper/ensemble.tokens, written again on purpose: the scorer must
    # not change when the code it scores does.
    out: Counter[str] = Counter()
    for tok in TOKEN.findall(text):
        if CJK_RUN.fullmatch(tok):
            out.update(tok[i : i + 2] for i in range(max(1, len(tok) - 1)))
        else:
            out[tok.lower()] += 1
    return out


def f1(found: str, gold: str) -> float:
    a, b = tokens(found), tokens(gold)
    overlap = sum((a & b).values())
    if not overlap:
        return 1.0 if not a and not b else 0.0
    precision, recall = overlap / sum(a.values()), overlap / sum(b.values())
    return 2 * precision * recall / (precision + recall)


def title_scores(found: str, gold: str) -> tuple[bool, bool]:
    a, b = " ".join(found.split()), " ".join(gold.split())
    la, lb = _letters(a), _letters(b)
    return a == b, bool(la and lb) and (la in lb or lb in la)


def _letters(name: str) -> str:
    return "".join(re.findall(r"[^\W_]", name.lower()))


def author_right(found: str | None, gold: str) -> bool:
    a, b = _letters(found or ""), _letters(gold)
    if not a or not b:
        return False
    short, long = sorted((a, b), key=len)
    if short in long and len(short) * 2 >= len(long):
        return True
    # Several names, in any order: split at commas, "and", 、 (and at spaces between Chinese
    # names, the way zh-handcrafted lists them), and all found in an answer not much longer.
    spaces = r"|\s+" if CJK_RUN.search(gold) else ""
    parts = re.split(rf",|;|/|\band\b|&|和|、{spaces}", gold)
    names = [n for n in (_letters(part) for part in parts) if n]
    size = sum(len(n) for n in names)
    return len(names) > 1 and all(n in a for n in names) and len(a) <= 2 * size


def _moment(value: str) -> date | datetime | None:
    value = value.strip()
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        m = re.match(r"(\d{4})-(\d{2})-(\d{2})", value)
        return date(int(m[1]), int(m[2]), int(m[3])) if m else None
    if moment.tzinfo is None:
        return moment.date()
    return moment


def date_right(found: str | None, gold: str) -> bool:
    want, got = _moment(gold), _moment(found or "")
    if want is None or got is None:
        return False
    if isinstance(want, datetime):
        if isinstance(got, datetime):
            return got.astimezone(UTC).date() == want.astimezone(UTC).date()
        earliest = (want - timedelta(hours=12)).astimezone(UTC).date()
        latest = (want + timedelta(hours=14)).astimezone(UTC).date()
        return earliest <= got <= latest
    return (got.date() if isinstance(got, datetime) else got) == want


SENTENCE_END = re.compile(r"[。！？!?.…][\"'”’」』）)]*\Z")


def summary_right(found: Found) -> bool:
    """Our extractive summary of the text: there, within the default budget, and ending on
    a sentence end (checked here by its last characters, not by the summariser's rules)."""
    settings = SummarySettings()
    summary = text_summary(found.text, settings, lang=found.lang, title=found.title or None)
    cjk = (found.lang or "").startswith(("zh", "ja")) or (
        found.lang is None and len(CJK_RUN.findall(found.text)) > 0
    )
    budget = settings.budget_cjk if cjk else settings.budget_words
    return bool(summary) and text_length(summary) <= budget and bool(SENTENCE_END.search(summary))


MOJIBAKE = re.compile("\ufffd|[\u00c0-\u00ff]{3,}")


def mojibake(found: Found, gold: str) -> bool:
    runs = set(MOJIBAKE.findall(found.title + "\n" + found.text)) - set(MOJIBAKE.findall(gold))
    return bool(runs)


@dataclass
class Score:
    seconds: float | None  # None: not an extractor's run (the best-per-page row)
    f1: float | None
    exact: bool | None
    loose: bool | None
    author: bool | None
    date: bool | None
    mojibake: bool | None
    summary: bool | None = None


def score(page: Page, found: Found, seconds: float, meta: bool) -> Score:
    exact, loose = title_scores(found.title, page.title) if page.title else (None, None)
    gold = (page.gold or "") + "\n" + (page.title or "")
    return Score(
        seconds,
        f1(found.text, page.gold) if page.gold is not None else None,
        exact,
        loose,
        author_right(found.author, page.author) if page.author and meta else None,
        date_right(found.date, page.date) if page.date and meta else None,
        mojibake(found, gold),
    )


def run(page: Page, name: str) -> tuple[Score, Found]:
    start = time.perf_counter()
    try:
        found = EXTRACTORS[name](page)
    except Exception as exc:  # a crash is a result too: an empty extraction
        print(f"{name} failed on {page.set}/{page.id}: {exc}", file=sys.stderr)
        found = Found("", "")
    result = score(page, found, time.perf_counter() - start, name not in NO_METADATA)
    if name == "digest" and page.gold is not None:  # the summariser is ours alone
        result.summary = summary_right(found)
    return result, found


# --- reporting ----------------------------------------------------------------------------


def _share(values: list[bool | None]) -> str:
    given = [v for v in values if v is not None]
    return f"{sum(given) / len(given):.0%} of {len(given)}" if given else "–"


def _count(values: list[bool | None]) -> str:
    given = [v for v in values if v is not None]
    return str(sum(given)) if given else "–"


@dataclass
class Tally:
    scores: list[tuple[Page, Score]] = field(default_factory=list)

    def cells(self, pick: Callable[[Page], bool]) -> list[str] | None:
        chosen = [s for p, s in self.scores if pick(p)]
        if not chosen:
            return None
        texts = [s.f1 for s in chosen if s.f1 is not None]
        seconds = [s.seconds for s in chosen if s.seconds is not None]
        return [
            str(len(chosen)),
            f"{sum(texts) / len(texts):.3f} ({len(texts)})" if texts else "–",
            _share([s.exact for s in chosen]),
            _share([s.loose for s in chosen]),
            _share([s.author for s in chosen]),
            _share([s.date for s in chosen]),
            f"{sum(seconds) / len(seconds) * 1000:.1f}" if seconds else "–",
            _count([s.mojibake for s in chosen]),
            _share([s.summary for s in chosen]),
        ]


def best_per_page(tallies: dict[str, Tally]) -> Tally:
    """Each page's best main-text F1 among the extractors run: the ceiling of any rule that
    picks one extractor's text per page (an ensemble of these three can do no better)."""
    best = Tally()
    for rows in zip(*(tally.scores for tally in tallies.values()), strict=True):
        texts = [score.f1 for _, score in rows if score.f1 is not None]
        top = max(texts) if texts else None
        best.scores.append((rows[0][0], Score(None, top, None, None, None, None, None)))
    return best


def report(half: str, pages: list[Page], tallies: dict[str, Tally], folds: bool = False) -> None:
    sets = sorted({p.set for p in pages})
    print(f"\n### {half} half: {len(pages)} pages ({', '.join(sets)})\n")
    print(
        "| extractor | set | pages | main-text F1 (pages) | title exact | title loose "
        "| author | date | ms a page | mojibake | summary |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    groups: list[tuple[str, Callable[[Page], bool]]] = [("all", lambda p: True)]
    groups.append(("Chinese pages", lambda p: p.zh))
    groups.append(("other pages", lambda p: not p.zh))
    groups += [(s, lambda p, s=s: p.set == s) for s in sets]  # type: ignore[misc]
    if folds:
        groups += [
            (f"{s}, fold {f}", lambda p, s=s, f=f: p.set == s and p.fold == f)  # type: ignore[misc]
            for s in sets
            for f in "AB"
        ]
    for label, pick in groups:
        for name, tally in tallies.items():
            cells = tally.cells(pick)
            if cells and not (name == BEST and cells[1] == "–"):  # a ceiling of no text
                print("| " + " | ".join([name, label, *cells]) + " |")


def load(mirrors: Path, refresh: bool, wanted: list[str] | None) -> list[Page]:
    pages: list[Page] = []
    for source in SOURCES:
        if wanted and source.name not in wanted:
            continue
        why = bring_out(source, mirrors, refresh)
        if why:
            print(f"{source.name} ({source.repo}): unavailable: {why}")
            continue
        assert source.load is not None
        loaded = list(source.load(DATA / source.name))
        dev = sum(p.half == "dev" for p in loaded)
        print(
            f"{source.name} ({source.repo}; {source.gives}): {len(loaded)} pages, "
            f"dev {dev}, test {len(loaded) - dev}"
        )
        pages += loaded
    return pages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--from", dest="mirrors", type=Path, default=None)
    parser.add_argument("--half", choices=("dev", "test", "both"), default="both")
    parser.add_argument("--pages", action="store_true", help="per-page scores (dev half only)")
    parser.add_argument("--folds", action="store_true", help="each set's folds A and B too")
    parser.add_argument(
        "--dump", type=Path, default=None, help="write what each extractor found (dev half only)"
    )
    parser.add_argument("--refresh", action="store_true", help="unpack the sets again")
    parser.add_argument("--sets", nargs="*", choices=[s.name for s in SOURCES], default=None)
    parser.add_argument("--only", nargs="*", choices=list(EXTRACTORS), default=list(EXTRACTORS))
    args = parser.parse_args(argv)
    if (args.pages or args.dump) and args.half != "dev":
        parser.error("--pages and --dump show the dev half only: use --half dev")
    mirrors = args.mirrors or Path(os.environ.get("DIGEST_BENCH_MIRROR", "/work/.mirror"))
    pages = load(mirrors, args.refresh, args.sets)
    halves = ("dev", "test") if args.half == "both" else (args.half,)
    for half in halves:
        chosen = [p for p in pages if p.half == half]
        tallies = {name: Tally() for name in args.only}
        found: dict[str, dict[str, dict[str, str | None]]] = {name: {} for name in args.only}
        for page in chosen:
            for name, tally in tallies.items():
                result, what = run(page, name)
                tally.scores.append((page, result))
                found[name][f"{page.set}/{page.id}"] = asdict(what)
            if args.pages:
                zh = "zh" if page.zh else "  "
                print(f"{page.set}/{page.id} {page.fold} {zh} " + per_page(tallies))
        if len(tallies) == len(EXTRACTORS):
            tallies[BEST] = best_per_page(tallies)
        report(half, chosen, tallies, args.folds)
        if args.dump:
            args.dump.write_text(json.dumps(found, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


def per_page(tallies: dict[str, Tally]) -> str:
    def one(s: Score) -> str:
        marks = {True: "+", False: "-", None: "."}
        text = f"{s.f1:.3f}" if s.f1 is not None else "  -  "
        return f"{text}{marks[s.loose]}{marks[s.author]}{marks[s.date]}"

    return " ".join(one(t.scores[-1][1]) for t in tallies.values())


if __name__ == "__main__":
    sys.exit(main())
