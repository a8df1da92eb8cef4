"""Extraction quality on tests/pages/: ours against readability-lxml and trafilatura.

    .venv/bin/pip install -e '.[bench]'
    .venv/bin/python benchmarks/extraction.py

For each page: is the title exactly right, and the main text's F1 against the gold text
(tokens: CJK characters one by one, Latin words; multiset overlap). Prints a Markdown table
per page and the averages, overall and for Chinese and English pages.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from digest.scraper.decode import decode_body
from digest.scraper.extract import extract

PAGES = Path(__file__).resolve().parent.parent / "tests" / "pages"
TOKEN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]|[A-Za-z0-9]+")


def tokens(text: str) -> Counter[str]:
    return Counter(t.lower() for t in TOKEN.findall(text))


def f1(found: str, gold: str) -> float:
    a, b = tokens(found), tokens(gold)
    overlap = sum((a & b).values())
    if not overlap:
        return 0.0
    precision, recall = overlap / sum(a.values()), overlap / sum(b.values())
    return 2 * precision * recall / (precision + recall)


def ours(body: bytes, url: str, content_type: str) -> tuple[str, str]:
    record = extract(body, url=url, content_type=content_type)
    return record.title or "", record.text


def readability(body: bytes, url: str, content_type: str) -> tuple[str, str]:
    from lxml import html as lhtml
    from readability import Document

    charset = content_type.split("charset=")[-1] if "charset=" in content_type else None
    doc = Document(decode_body(body, charset).text, url=url)
    text = lhtml.fromstring(doc.summary()).text_content()
    return doc.short_title(), text


def trafilatura(body: bytes, url: str, content_type: str) -> tuple[str, str]:
    import trafilatura as t

    charset = content_type.split("charset=")[-1] if "charset=" in content_type else None
    html = decode_body(body, charset).text
    text = t.extract(html, url=url, include_comments=False, include_tables=True) or ""
    meta = t.extract_metadata(html, default_url=url)
    return (meta.title if meta and meta.title else ""), text


EXTRACTORS: dict[str, Callable[[bytes, str, str], tuple[str, str]]] = {
    "digest": ours,
    "readability-lxml": readability,
    "trafilatura": trafilatura,
}


def main() -> int:
    pages = sorted(PAGES.glob("*.json"))
    scores: dict[str, list[tuple[str, bool, float]]] = {name: [] for name in EXTRACTORS}
    print("| page | " + " | ".join(f"{n} title | {n} F1" for n in EXTRACTORS) + " |")
    print("|---" * (1 + 2 * len(EXTRACTORS)) + "|")
    for page in pages:
        expected = json.loads(page.read_text(encoding="utf-8"))
        body = page.with_suffix(".html").read_bytes()
        gold = page.with_suffix(".txt").read_text(encoding="utf-8")
        row = [page.stem]
        for name, run in EXTRACTORS.items():
            try:
                title, text = run(body, expected["url"], expected["content_type"])
            except Exception as exc:  # a reference extractor crashing is a result too
                title, text = "", ""
                print(f"{name} failed on {page.stem}: {exc}", file=sys.stderr)
            ok = " ".join(title.split()) == expected["title"]
            score = f1(text, gold)
            lang = "zh" if expected["lang"].startswith("zh") else "en"
            scores[name].append((lang, ok, score))
            row += ["✓" if ok else "✗", f"{score:.3f}"]
        print("| " + " | ".join(row) + " |")
    print()
    print("| extractor | title accuracy | mean F1 | mean F1 (zh) | mean F1 (en) |")
    print("|---|---|---|---|---|")
    for name, results in scores.items():

        def mean(xs: list[float]) -> float:
            return sum(xs) / len(xs) if xs else 0.0

        titles = mean([1.0 if ok else 0.0 for _, ok, _ in results])
        all_f1 = mean([s for _, _, s in results])
        zh = mean([s for lang, _, s in results if lang == "zh"])
        en = mean([s for lang, _, s in results if lang == "en"])
        print(f"| {name} | {titles:.0%} | {all_f1:.3f} | {zh:.3f} | {en:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
