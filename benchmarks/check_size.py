"""``digest check`` on a site with one very large issue: seconds, and where they go.

    .venv/bin/python benchmarks/check_size.py [--mb 5] [--repeat 1]

Copies the sample digest (content/; the default theme) into a temporary folder and adds issue
99: about ``--mb`` megabytes of Markdown, many items with long commentary (Chinese mixed
with English and code), tagged with twenty tags, so that the issue is in every tag's
feeds. Then it times, in this process, the whole of ``digest check`` and, apart, its
checks of the built site (links and anchors, feeds, email sizes) on a site built
beforehand, and prints the size of the site, of its largest feed and of the issue's email.
Wall-clock seconds and this process's CPU seconds (the machine is often shared). Not a
test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a script from anywhere

from digest.build.pipeline import BuildOptions, build  # noqa: E402
from digest.commands.check import Finding, check, check_site  # noqa: E402
from digest.config import load_config  # noqa: E402
from digest.errors import DigestError  # noqa: E402

TAGS = (
    "Go", "Rust", "Python", "数据库", "性能", "Linux", "云原生", "安全", "前端", "编译器",
    "分布式", "网络", "工具", "测试", "架构", "开源", "AI", "存储", "可观测性", "并发",
)  # fmt: skip
SENTENCES = (
    "这篇文章从一个线上故障讲起，作者一步一步缩小范围，最后发现问题出在连接池的配置上。",
    "文中的基准测试做得很克制，每个数字都给出了机器配置和测量方法，值得照着重做一遍。",
    "作者对 `context` 的取消传播讲得很透，尤其是超时和截止时间之间那点容易混淆的区别。",
    "如果你也在用 SQLite 做嵌入式存储，WAL 模式和 checkpoint 的那一节一定要读。",
    "我最喜欢的是结尾的取舍清单：什么时候该加缓存，什么时候该先把查询改对。",
    "The author benchmarks three allocators under contention and explains every graph.",
    "A careful walk through the scheduler, with traces that anyone can reproduce locally.",
    "读完之后再回头看我们自己的服务，至少有两处超时设置是拍脑袋定的。",
)
CODE = "\n```go\nfunc main() {\n\tfor i := range 10 {\n\t\tfmt.Println(i)\n\t}\n}\n```\n"


def big_issue(megabytes: float, seed: int = 20) -> str:
    """Issue 99's Markdown: items of about 12 KB of commentary until ``megabytes``."""
    rng = random.Random(seed)
    out = [
        "---\nnumber: 99\ntitle: 一期特别长的周刊\ndate: 2026-12-25 08:30\ntags: [Go, 开源]\n"
        "summary: 一期用来测量的超长周刊：几百条链接，每条都附有很长的点评。\n---\n\n"
        "这一期故意写得很长，用来看看整个流程在大期刊上的表现。\n\n## 一周文章精粹\n\n"
    ]
    size, n = 0, 0
    while size < megabytes * 1_000_000:
        n += 1
        paragraphs = []
        for _ in range(12):
            paragraphs.append("".join(rng.choice(SENTENCES) for _ in range(8)))
        if n % 3 == 0:
            paragraphs.insert(4, CODE)
        tags = "、".join(rng.sample(TAGS, 2))
        item = (
            f"### [第 {n} 篇长文](https://example.com/long/{n})\n\n"
            + "\n\n".join(paragraphs)
            + f"\n\n标签：{tags}\n\n"
        )
        out.append(item)
        size += len(item.encode())
    return "".join(out)


def project(folder: Path, megabytes: float) -> Path:
    """The sample digest with issue 99 added, in ``folder``."""
    shutil.copytree(ROOT / "content", folder / "content")
    (folder / "content" / "issues" / "0099.md").write_text(big_issue(megabytes), "utf-8")
    return folder


def timed(what: Callable[[], object]) -> tuple[float, float]:
    """Wall-clock and CPU seconds of ``what()``."""
    wall, cpu = time.perf_counter(), time.process_time()
    what()
    return time.perf_counter() - wall, time.process_time() - cpu


def sizes(site: Path) -> str:
    """The site's size, its largest feed, issue 99's email."""
    files = [p for p in site.rglob("*") if p.is_file()]
    feeds = [p for p in files if p.suffix == ".xml" and p.name != "sitemap.xml"]
    largest = max(feeds, key=lambda p: p.stat().st_size)
    email = site / "email" / "99.html"
    mail = f"{email.stat().st_size / 1e6:.1f} MB" if email.exists() else "not written"
    return (
        f"site {sum(p.stat().st_size for p in files) / 1e6:.1f} MB in {len(files)} files; "
        f"largest feed {largest.relative_to(site)} {largest.stat().st_size / 1e6:.2f} MB; "
        f"email/99.html {mail}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=float, default=5.0, help="size of issue 99's Markdown")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="digest-check-size-") as tmp:
        root = project(Path(tmp) / "project", args.mb)
        issue = root / "content" / "issues" / "0099.md"
        print(f"issue 99: {issue.stat().st_size / 1e6:.1f} MB of Markdown", flush=True)
        try:
            wall, _ = timed(lambda: build(root, BuildOptions(parallel=True)))
            print(f"digest build: {wall:.1f} s, {sizes(root / 'site')}")
        except DigestError as exc:
            print(f"digest build refuses it: {exc}")
        # The site digest check sees: built as it builds it (without [email] max_kb).
        site = Path(tmp) / "checked"
        options = BuildOptions(target=site, parallel=True)
        if hasattr(options, "email_limit"):  # not in the code before the limit
            options = replace(options, email_limit=False)
        build(root, options)
        print(f"the site check sees: {sizes(site)}")
        config = load_config(root / "content" / "site.toml")
        for run in range(args.repeat):
            found: list[Finding] = []
            wall, cpu = timed(lambda: found.extend(check(root)))  # noqa: B023
            errors = sum(f.severity == "error" for f in found)
            print(f"digest check, run {run + 1}: {wall:.1f} s ({cpu:.1f} s CPU), {errors} errors")
            wall, cpu = timed(lambda: check_site(site, config))
            print(f"  the checks of the built site alone: {wall:.1f} s ({cpu:.1f} s CPU)")


if __name__ == "__main__":
    main()
