"""The public, human-annotated page sets of ``benchmarks/extraction.py``: where each comes
from, how it is unpacked, and how its pages and their gold answers are read.

Nothing is committed: each set is brought out of a local git copy of its public repository
into ``benchmarks/data/<set>/`` (git-ignored) with ``git archive``. A set whose data is a
Git LFS pointer, or absent from the repository, is listed as unavailable with the reason.
"""

from __future__ import annotations

import codecs
import gzip
import hashlib
import io
import json
import re
import subprocess
import tarfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from html import unescape
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "data"
SEED = "digest-19"
CJK_RANGE = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_RUN = re.compile(rf"[{CJK_RANGE}]+")
LFS = b"version https://git-lfs.github.com/spec/"


@dataclass(frozen=True)
class Page:
    """One page and what people said is in it. ``None``: the set does not say."""

    set: str
    id: str
    url: str
    body: bytes
    gold: str | None  # the main text
    title: str | None = None
    author: str | None = None
    date: str | None = None  # ISO: a day, or an instant with its offset

    @property
    def zh(self) -> bool:
        """A Chinese page: CJK characters are over 30% of the letters of its gold (text or
        title)."""
        text = self.gold or self.title or ""
        cjk = sum(len(run) for run in CJK_RUN.findall(text))
        return cjk > 0.3 * max(1, len(re.findall(r"[^\W\d_]", text)))

    @property
    def half(self) -> str:
        return "dev" if self._digest[0] < 128 else "test"

    @property
    def fold(self) -> str:
        """``A`` or ``B``: two halves of each half, by the digest's second byte. A rule made
        looking at fold A's pages is kept only if fold B's pages do not lose by it."""
        return "A" if self._digest[1] < 128 else "B"

    @property
    def _digest(self) -> bytes:
        return hashlib.sha256(f"{SEED}/{self.set}/{self.id}".encode()).digest()


@dataclass(frozen=True)
class Source:
    name: str
    repo: str
    paths: tuple[str, ...]  # what git archive brings out
    load: Callable[[Path], Iterator[Page]] | None  # None: nothing usable in the repository
    note: str = ""
    gives: str = "text"  # what it has gold for, for the listing


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


def read_text(path: Path) -> str:
    """A gold file: UTF-16 after its byte-order mark (five of Dragnet's), UTF-8, else
    Windows-1252 (the older English sets)."""
    data = path.read_bytes()
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def html_text(markup: str) -> str:
    from lxml import html as lhtml

    if not markup.strip():
        return ""
    return str(lhtml.fromstring(markup).text_content())


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


def load_readability(root: Path) -> Iterator[Page]:
    """Mozilla Readability's test pages: the text and metadata readability.js gives, checked
    by its maintainers (so it leans toward readability-lxml, a port of it)."""
    for folder in sorted((root / "test" / "test-pages").iterdir()):
        meta_file, expected = folder / "expected-metadata.json", folder / "expected.html"
        if not (meta_file.is_file() and expected.is_file()):
            continue
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
        url = f"http://fakehost/test/{folder.name}.html"  # the URL its tests use
        body = (folder / "source.html").read_bytes()
        gold = html_text(expected.read_text(encoding="utf-8"))
        date = meta.get("publishedTime") or None
        title, author = meta.get("title") or None, meta.get("byline") or None
        yield Page("readability", folder.name, url, body, gold, title, author, date)


JS_STRING = r"""(['"`])((?:\\.|(?!\1).)*)\1"""


def _js_value(test: str, name: str) -> str | None:
    m = re.search(rf"assert\.equal\(\s*{name}\s*,\s*(?:{JS_STRING}|null)\s*,?\s*\)", test, re.S)
    if not m or m.group(2) is None:
        return None
    return re.sub(r"\\(.)", r"\1", m.group(2)) or None


def load_mercury(root: Path) -> Iterator[Page]:
    """Postlight Parser's site tests: for each site, a saved page and the title, author and
    date a person wrote into its test (first case of each test file). No main text. The
    saved pages have ``<meta value=…>`` where the page had ``content=``: put back."""
    for test_file in sorted((root / "src" / "extractors" / "custom").glob("*/index.test.js")):
        test = test_file.read_text(encoding="utf-8")
        cases = test.split("readFileSync(")
        if len(cases) < 2:
            continue
        url = re.search(rf"url\s*=\s*{JS_STRING}", cases[0], re.S)  # values come after
        fixture = re.match(rf"\s*{JS_STRING}", cases[1])
        if not url or not fixture:
            continue
        path = root / fixture.group(2).removeprefix("./")
        if not path.is_file():
            continue
        title, author = _js_value(cases[1], "title"), _js_value(cases[1], "author")
        date = _js_value(cases[1], "date_published")
        page_id = test_file.parent.name
        body = _META_VALUE.sub(rb"\1content=", path.read_bytes())
        yield Page("mercury", page_id, url.group(2), body, None, title, author, date)


# Mercury saved its fixtures through its own DOM, which wrote <meta content=…> as value=…:
# put the pages back as served, for every extractor alike.
_META_VALUE = re.compile(rb"(<meta\b[^>]*?\s)value=", re.IGNORECASE)


def load_zh_handcrafted(root: Path) -> Iterator[Page]:
    """Chinese pages, mostly GB2312/GBK forums and news, with the text, author and date a
    person copied out (``UNKNOWN`` where the page does not say)."""
    for html in sorted((root / "original").glob("*.html")):
        key = html.stem
        fields = {}
        for name in ("cleaned", "author", "date"):
            value = read_text(root / name / f"{key}.txt").strip()
            fields[name] = None if value in ("", "UNKNOWN") else value
        date = fields["date"]
        m = date and re.match(r"(\d{4})-(\d{1,2})-(\d{1,2})", date)
        day = f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}" if m else None  # a year alone: unsaid
        url = f"https://zh-handcrafted.invalid/{key}.html"
        body, text, author = html.read_bytes(), fields["cleaned"] or "", fields["author"]
        yield Page("zh-handcrafted", key, url, body, text, None, author, day)


def _gold_loader(
    name: str,
    folder: str,
    gold: Callable[[str], str],
    title: Callable[[str], str | None] = lambda answer: None,
) -> Callable[[Path], Iterator[Page]]:
    def load(root: Path) -> Iterator[Page]:
        for html in sorted((root / folder / "input").glob("*.html")):
            answer = root / folder / "GoldStandard" / f"{html.stem}.txt"
            if answer.is_file():
                url = f"https://{name}.invalid/{html.stem}.html"
                text = read_text(answer)
                yield Page(name, html.stem, url, html.read_bytes(), gold(text), title(text))

    return load


def cleaneval_gold(text: str) -> str:
    """CleanEval's format: a ``URL:`` line (after a byte-order mark or a blank line), then
    text with ``<p>``, ``<h>``, ``<l>`` marks."""
    return re.sub(r"<[phl]>", " ", re.sub(r"\A[\s\ufeff]*URL:[^\n]*\n", "", text))


def cleanportaleval_gold(text: str) -> str:
    """CleanPortalEval's gold, in CleanEval's format, copied out of the HTML with its
    character references left in (``&#8217;``): read as the page shows them."""
    return unescape(cleaneval_gold(text))


# Dragnet's gold gives the article, then a line of this mark and "COMMENTS" (its spelling
# varies, and a few files lose the mark's first characters: "@#$%^&*()", "#$%^&*()"),
# then the readers' comments: the main text is what comes before it
_DRAGNET_COMMENTS = re.compile(r"^[^\S\n]*(!@|@)?#\$%\^&\*+\(\)", re.M)


def dragnet_gold(text: str) -> str:
    """The article part of a Dragnet gold file, without the comments after its mark."""
    mark = _DRAGNET_COMMENTS.search(text)
    return text[: mark.start()] if mark else text


def l3s_gold(markup: str) -> str:
    """The page as annotated for L3S-GN1 (Google News): ``x-nc-sel2`` marks the full text,
    an element at a time; a marked element inside another is read once, with it."""
    return "\n".join(n.text_content() for n in _l3s_marked(markup, "x-nc-sel2"))


def l3s_title(markup: str) -> str | None:
    """The headline the L3S-GN1 annotators marked (``x-nc-sel1``, the class they named
    "headline"): the first marked element, as a deck or subtitle after it is marked the
    same way. None on the pages (17 of 621) where nothing is marked."""
    for node in _l3s_marked(markup, "x-nc-sel1"):
        if headline := " ".join(node.text_content().split()):
            return headline
    return None


def _l3s_marked(markup: str, mark: str) -> list[Any]:
    from lxml import html as lhtml

    tree = lhtml.fromstring(markup)
    found: list[Any] = tree.xpath(f'//*[@class="{mark}"][not(ancestor::*[@class="{mark}"])]')
    return found


MERGED = "j-szulc/html-cleaning-dataset-merged"  # plain-file copies of sets kept in LFS elsewhere
SOURCES = (
    Source(
        "scrapinghub",
        "scrapinghub/article-extraction-benchmark",
        ("ground-truth.json", "html"),
        load_scrapinghub,
    ),
    Source("htmltotext", "leogao2/htmltotext-benchmark", ("benchmarkdata",), load_htmltotext),
    Source(
        "readability",
        "mozilla/readability",
        ("test/test-pages",),
        load_readability,
        gives="text, title, author, date",
    ),
    Source(
        "mercury",
        "postlight/parser",
        ("fixtures", "src/extractors/custom"),
        load_mercury,
        gives="title, author, date",
    ),
    Source(
        "zh-handcrafted",
        "immortal-autumn/Chinese-Web-Content-Extraction-Dataset",
        ("original", "cleaned", "author", "date"),
        load_zh_handcrafted,
        gives="text, author, date",
    ),
    Source(
        "dragnet", MERGED, ("dragnet_data",), _gold_loader("dragnet", "dragnet_data", dragnet_gold)
    ),
    Source(
        "cleaneval",
        MERGED,
        ("cleaneval-final",),
        _gold_loader("cleaneval", "cleaneval-final", cleaneval_gold),
    ),
    Source(
        "cleanportaleval",
        MERGED,
        ("CleanPortalEval-master",),
        _gold_loader("cleanportaleval", "CleanPortalEval-master", cleanportaleval_gold),
    ),
    Source(
        "l3s-google-news",
        MERGED,
        ("page-signal-master",),
        _gold_loader("l3s-google-news", "page-signal-master", l3s_gold, l3s_title),
        gives="text, title",
    ),
    Source(
        "wceb",
        "chatnoir-eu/web-content-extraction-benchmark",
        ("datasets",),
        None,
        "datasets/combined.tar.xz and raw.tar.xz: Git LFS (CleanEval, CleanPortalEval and "
        "Dragnet are read from their plain copies in j-szulc/html-cleaning-dataset-merged, "
        "L3S-GN1 most likely too (its 621 pages and classes, as l3s-google-news); "
        "Google-Trends-2017 and CETD are not there)",
    ),
    Source("gne", "GeneralNewsExtractor/GneTestPage", (), None, "no pages in the repository"),
)
