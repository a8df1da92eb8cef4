"""Milliseconds per issue for its email (.html, .txt, .eml) and WeChat files.

    .venv/bin/python benchmarks/issue_files.py [--repeat 20]

Timed on each issue of the sample digest (content/) and on one large issue made from
them: every item of the four sample issues, three times over (with a fragment added to
each link, so that no link repeats). The issue's body is rendered from Markdown before
the clock starts, as the build has it from the issue page; what is timed is what the
build does per issue: the body adapted for mail once, then the email files and the WeChat
files from it. The email and WeChat files are also timed alone (each adapting its own
body, as ``digest email N`` and ``digest wechat N`` do). Prints medians of this process's
CPU time, in ms (CPU time, not the wall clock: the machine is often shared).
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from jinja2 import Environment

from digest.config import SiteConfig, load_config
from digest.content.loader import load_content
from digest.model import Issue
from digest.renderer.documents import Doc, render_doc
from digest.renderer.email import adapt_doc
from digest.renderer.site import email_outputs, site_env, wechat_outputs

ROOT = Path(__file__).resolve().parent.parent
COPIES = 3  # of every sample item, in the large issue
SAME = {"## tools": "## 一周工具推荐", "## resources": "## 一周资料分享"}  # one section each


def large_issue(issues: Path) -> str:
    """An issue 99 holding every item of the issues in ``issues``, COPIES times."""
    sections: dict[str, list[str]] = {}
    first = ""
    for path in sorted(issues.glob("*.md")):
        _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
        first = first or front
        for block in re.split(r"^(?=## )", body, flags=re.M)[1:]:
            heading, _, items = block.partition("\n")
            heading = SAME.get(heading, heading)
            sections.setdefault(heading, []).extend(re.split(r"^(?=### )", items, flags=re.M)[1:])
    front = re.sub(r"^number: \d+", "number: 99", first, flags=re.M)
    front = re.sub(r"^date: .*", "date: 2026-12-25 08:30", front, flags=re.M)
    out = [f"---\n{front}---\n\n一期很长的周刊。\n\n"]
    for heading, items in sections.items():
        out.append(heading + "\n\n")
        for copy in range(COPIES):
            out += [
                re.sub(r"^(### \[[^\]]*\]\([^)#]*)", rf"\1#copy-{copy}", item) for item in items
            ]
    return "".join(out)


def median_ms(work: Callable[[], object], repeat: int) -> float:
    """The median CPU time of ``repeat`` runs of ``work``, in ms (after one warm-up)."""
    work()
    times = []
    for _ in range(repeat):
        start = time.process_time()
        work()
        times.append(time.process_time() - start)
    return statistics.median(times) * 1000


def both(doc: Doc, site: SiteConfig, env: Environment) -> Callable[[], object]:
    """The issue's email and WeChat files as the build makes them, from one adapted body."""

    def work() -> object:
        sizes = {site.base_url + doc.url + a.target: a.size for a in doc.entry.assets if a.size}
        tree = adapt_doc(doc, env, sizes)
        return email_outputs(doc, site, env, tree) + wechat_outputs(doc, site, env, tree)

    return work


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        shutil.copytree(ROOT / "content", content)
        (content / "issues" / "0099.md").write_text(
            large_issue(ROOT / "content" / "issues"), encoding="utf-8"
        )
        site = load_config(content / "site.toml")
        env = site_env(site, ROOT / "templates")
        issues = [i for i in load_content(content, site).issues if isinstance(i, Issue)]
        print("| issue | items | body KB | email + WeChat, ms | email alone | WeChat alone |")
        print("|---|---|---|---|---|---|")
        for issue in sorted(issues, key=lambda i: i.number):
            doc = render_doc(issue, site, env)
            items = sum(len(s.items) for s in issue.sections)
            size = len(doc.body.encode()) / 1024  # rendered before the clock starts
            row = [
                median_ms(both(doc, site, env), args.repeat),
                median_ms(lambda d=doc: email_outputs(d, site, env), args.repeat),
                median_ms(lambda d=doc: wechat_outputs(d, site, env), args.repeat),
            ]
            cells = " | ".join(f"{ms:.1f}" for ms in row)
            print(f"| {issue.number} | {items} | {size:.0f} | {cells} |")


if __name__ == "__main__":
    main()
