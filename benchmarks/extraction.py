"""Main-text extraction on public, human-annotated pages: ours, readability-lxml, trafilatura.

    make bench-extract                                   # both halves, every set it can get
    .venv/bin/python benchmarks/extraction.py --half dev --pages   # per page, dev half only
    .venv/bin/python benchmarks/extraction.py --from ~/mirrors     # where the git copies are

Where the pages come from. Nothing is committed: each set is brought out of a local git
copy of its public repository into ``benchmarks/data/<set>/`` (git-ignored) with
``git archive``, on the first run or with ``--refresh``. ``--from DIR`` names the folder
holding the copies (default ``$DIGEST_BENCH_MIRROR``, else ``/work/.mirror``); a copy of
``owner/name`` is looked for as ``DIR/owner+name/repo``, ``DIR/owner+name``, ``DIR/name``
or ``DIR/name.git``, bare or not. To make one by hand:

    git clone --bare https://github.com/scrapinghub/article-extraction-benchmark \
        ~/mirrors/article-extraction-benchmark.git

The sets, and whether they can be used (a set whose data is a Git LFS pointer, or absent
from the repository, is listed as unavailable with the reason, and skipped):

- ``scrapinghub``: scrapinghub/article-extraction-benchmark, 181 English news and blog
  pages (``html/*.html.gz``) with the article body a person marked (``ground-truth.json``).
- ``htmltotext``: leogao2/htmltotext-benchmark, pages in Chinese, English, German and
  Croatian, each with the text a person copied out of it (``benchmarkdata/<lang>/``).
- ``dragnet``: dragnet-org/dragnet_data (``data/html.tar.gz``, a Git LFS object).
- ``wceb``: chatnoir-eu/web-content-extraction-benchmark, only its CleanEval, L3S-GN1,
  Google-Trends-2017, CETD and CleanPortalEval subsets (``datasets/combined.tar.xz``, a
  Git LFS object).
- ``gne``: GeneralNewsExtractor/GneTestPage (the repository holds the test page's web app,
  no pages or expected texts).

The split. Each page goes to the development half or the test half by the first byte of
``sha256("digest-19/<set>/<page id>")``: fixed, the same on every machine, independent of
the extractors. Look at the dev half (``--pages`` lists its pages) while improving an
extractor; report the test half. ``--pages`` refuses the test half.

The scoring, the same for every extractor. Main text: F1 of the token multisets of the
extracted text against the gold text, with Latin words (lower-cased) as tokens and every
run of CJK characters as its character bigrams. Title: exactly right, or loosely (the gold
title contained in the extracted one, or the other way round, ignoring case and spaces),
on sets that give titles. Seconds a page: the extractor's own time, decoding included.
Mojibake: pages whose extracted title or text holds U+FFFD or a run of three or more Latin-1
letters that the gold text does not (GBK or UTF-8 read as Latin-1). Author and date are not
scored: none of the usable sets gives them.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
import os
import re
import subprocess
import sys
import tarfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from digest.scraper.decode import decode_body
from digest.scraper.extract import extract

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "data"
SEED = "digest-19"
CJK_RANGE = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
TOKEN = re.compile(rf"[{CJK_RANGE}]+|[^\W_]+")
CJK_RUN = re.compile(rf"[{CJK_RANGE}]+")
LFS = b"version https://git-lfs.github.com/spec/"


@dataclass(frozen=True)
class Page:
    set: str
    id: str
    url: str
    body: bytes
    gold: str
    title: str | None = None

    @property
    def zh(self) -> bool:
        """A Chinese page: CJK characters are over 30% of the gold text's letters."""
        cjk = sum(len(run) for run in CJK_RUN.findall(self.gold))
        return cjk > 0.3 * max(1, len(re.findall(r"[^\W\d_]", self.gold)))

    @property
    def half(self) -> str:
        digest = hashlib.sha256(f"{SEED}/{self.set}/{self.id}".encode()).digest()
        return "dev" if digest[0] < 128 else "test"


@dataclass(frozen=True)
class Source:
    name: str
    repo: str
    paths: tuple[str, ...]  # what git archive brings out
    load: Callable[[Path], Iterator[Page]] | None  # None: nothing usable in the repository
    note: str = ""


# --- getting the data ---------------------------------------------------------------------


def git_dir(mirrors: Path, repo: str) -> Path | None:
    owner, name = repo.split("/")
    for candidate in (
        mirrors / f"{owner}+{name}" / "repo",
        mirrors / f"{owner}+{name}",
        mirrors / name,
        mirrors / f"{name}.git",
    ):
        if (candidate / "HEAD").is_file() or (candidate / ".git").exists():
            return candidate
    return None


def bring_out(source: Source, mirrors: Path, refresh: bool) -> str | None:
    """Unpack the set into DATA/<name>/; None when usable, else why not."""
    target = DATA / source.name
    if (target / ".complete").exists() and not refresh:
        return None
    if source.load is None:
        return source.note
    found = git_dir(mirrors, source.repo)
    if found is None:
        return f"no git copy of {source.repo} under {mirrors} (see --from)"
    args = ["git", "--git-dir", str(found / ".git" if (found / ".git").exists() else found)]
    archive = subprocess.run(
        [*args, "archive", "--format=tar", "HEAD", *source.paths], capture_output=True
    )
    if archive.returncode:
        return f"git archive failed in {found}: {archive.stderr.decode(errors='replace').strip()}"
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        members = [m for m in tar.getmembers() if m.isfile()]
        pointers = [m.name for m in members if tar.extractfile(m).read(len(LFS)) == LFS]  # type: ignore[union-attr]
        if pointers and len(pointers) == len(members):
            return f"{', '.join(pointers)}: Git LFS pointer, the data is not in the git copy"
        target.mkdir(parents=True, exist_ok=True)
        tar.extractall(target, filter="data")
    (target / ".complete").write_text(source.repo + "\n", encoding="utf-8")
    return None


# --- the sets -----------------------------------------------------------------------------


def load_scrapinghub(root: Path) -> Iterator[Page]:
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    for key, item in sorted(truth.items()):
        body = gzip.decompress((root / "html" / f"{key}.html.gz").read_bytes())
        yield Page("scrapinghub", key, item["url"], body, item.get("articleBody") or "")


def load_htmltotext(root: Path) -> Iterator[Page]:
    for html in sorted((root / "benchmarkdata").glob("*/html/*.html")):
        gold = html.parent.parent / "text" / f"{html.stem}.txt"
        if gold.is_file():
            lang, stem = html.parent.parent.name, html.stem
            url = f"https://htmltotext.invalid/{lang}/{stem}"
            yield Page("htmltotext", f"{lang}/{stem}", url, html.read_bytes(), gold.read_text())


SOURCES = (
    Source(
        "scrapinghub",
        "scrapinghub/article-extraction-benchmark",
        ("ground-truth.json", "html"),
        load_scrapinghub,
    ),
    Source("htmltotext", "leogao2/htmltotext-benchmark", ("benchmarkdata",), load_htmltotext),
    Source("dragnet", "dragnet-org/dragnet_data", ("data",), None, "data/*.tar.gz: Git LFS"),
    Source(
        "wceb",
        "chatnoir-eu/web-content-extraction-benchmark",
        ("datasets",),
        None,
        "datasets/combined.tar.xz and raw.tar.xz: Git LFS",
    ),
    Source("gne", "GeneralNewsExtractor/GneTestPage", (), None, "no pages in the repository"),
)


# --- the extractors -----------------------------------------------------------------------


def ours(page: Page) -> tuple[str, str]:
    record = extract(page.body, url=page.url, content_type="text/html")
    return record.title or "", record.text


def readability(page: Page) -> tuple[str, str]:
    from lxml import html as lhtml
    from readability import Document

    doc = Document(decode_body(page.body, None).text, url=page.url)
    return doc.short_title(), lhtml.fromstring(doc.summary()).text_content()


def trafilatura(page: Page) -> tuple[str, str]:
    import trafilatura as t

    html = decode_body(page.body, None).text
    text = t.extract(html, url=page.url, include_comments=False, include_tables=True) or ""
    meta = t.extract_metadata(html, default_url=page.url)
    return (meta.title if meta and meta.title else ""), text


EXTRACTORS: dict[str, Callable[[Page], tuple[str, str]]] = {
    "digest": ours,
    "readability-lxml": readability,
    "trafilatura": trafilatura,
}


# --- scoring ------------------------------------------------------------------------------


def tokens(text: str) -> Counter[str]:
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
    la, lb = a.lower().replace(" ", ""), b.lower().replace(" ", "")
    return a == b, bool(la and lb) and (la in lb or lb in la)


MOJIBAKE = re.compile("\ufffd|[\u00c0-\u00ff]{3,}")


def mojibake(title: str, text: str, gold: str) -> bool:
    runs = set(MOJIBAKE.findall(title + "\n" + text)) - set(MOJIBAKE.findall(gold))
    return bool(runs)


@dataclass
class Score:
    f1: float
    seconds: float
    exact: bool | None
    loose: bool | None
    mojibake: bool


@dataclass
class Tally:
    scores: list[tuple[Page, Score]] = field(default_factory=list)

    def row(self, pick: Callable[[Page], bool]) -> tuple[int, float, float, str, str, int]:
        chosen = [s for p, s in self.scores if pick(p)]
        n = len(chosen) or 1
        titled = [s for s in chosen if s.exact is not None]
        exact = f"{sum(bool(s.exact) for s in titled) / len(titled):.0%}" if titled else "–"
        loose = f"{sum(bool(s.loose) for s in titled) / len(titled):.0%}" if titled else "–"
        return (
            len(chosen),
            sum(s.f1 for s in chosen) / n,
            sum(s.seconds for s in chosen) / n,
            exact,
            loose,
            sum(s.mojibake for s in chosen),
        )


def run(page: Page, name: str) -> Score:
    start = time.perf_counter()
    try:
        title, text = EXTRACTORS[name](page)
    except Exception as exc:  # a crash is a result too: an empty extraction
        print(f"{name} failed on {page.set}/{page.id}: {exc}", file=sys.stderr)
        title, text = "", ""
    seconds = time.perf_counter() - start
    exact, loose = title_scores(title, page.title) if page.title else (None, None)
    return Score(f1(text, page.gold), seconds, exact, loose, mojibake(title, text, page.gold))


# --- reporting ----------------------------------------------------------------------------


def report(half: str, pages: list[Page], tallies: dict[str, Tally]) -> None:
    sets = sorted({p.set for p in pages})
    print(f"\n### {half} half: {len(pages)} pages ({', '.join(sets)})\n")
    print(
        "| extractor | set | pages | main-text F1 | title exact | title loose "
        "| ms a page | mojibake |"
    )
    print("|---|---|---|---|---|---|---|---|")
    groups: list[tuple[str, Callable[[Page], bool]]] = [("all", lambda p: True)]
    groups.append(("Chinese pages", lambda p: p.zh))
    groups.append(("other pages", lambda p: not p.zh))
    groups += [(s, lambda p, s=s: p.set == s) for s in sets]  # type: ignore[misc]
    for label, pick in groups:
        for name, tally in tallies.items():
            n, mean_f1, secs, exact, loose, bad = tally.row(pick)
            if n:
                cells = [name, label, str(n), f"{mean_f1:.3f}", exact, loose]
                print("| " + " | ".join([*cells, f"{secs * 1000:.1f}", str(bad)]) + " |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--from", dest="mirrors", type=Path, default=None)
    parser.add_argument("--half", choices=("dev", "test", "both"), default="both")
    parser.add_argument("--pages", action="store_true", help="per-page F1 (dev half only)")
    parser.add_argument("--refresh", action="store_true", help="unpack the sets again")
    parser.add_argument("--only", nargs="*", choices=list(EXTRACTORS), default=list(EXTRACTORS))
    args = parser.parse_args(argv)
    if args.pages and args.half != "dev":
        parser.error("--pages lists the dev half only: use --half dev")
    mirrors = args.mirrors or Path(os.environ.get("DIGEST_BENCH_MIRROR", "/work/.mirror"))
    pages: list[Page] = []
    for source in SOURCES:
        why = bring_out(source, mirrors, args.refresh)
        if why:
            print(f"{source.name} ({source.repo}): unavailable: {why}")
            continue
        assert source.load is not None
        loaded = list(source.load(DATA / source.name))
        dev = sum(p.half == "dev" for p in loaded)
        test = len(loaded) - dev
        print(f"{source.name} ({source.repo}): {len(loaded)} pages, dev {dev}, test {test}")
        pages += loaded
    halves = ("dev", "test") if args.half == "both" else (args.half,)
    for half in halves:
        chosen = [p for p in pages if p.half == half]
        tallies = {name: Tally() for name in args.only}
        for page in chosen:
            for name, tally in tallies.items():
                tally.scores.append((page, run(page, name)))
            if args.pages:
                cells = [f"{s.f1:.3f}" for t in tallies.values() for p, s in t.scores[-1:]]
                print(f"{page.set}/{page.id} {'zh' if page.zh else '  '} " + " ".join(cells))
        report(half, chosen, tallies)
    return 0


if __name__ == "__main__":
    sys.exit(main())
