"""A synthetic archive for the build benchmark: N weekly issues and N/2 long-form posts.

    .venv/bin/python benchmarks/archive.py --issues 20 --out /tmp/archive [--seed 0]
        [--variant long]

The same seeded data is written three ways: a digest project (``digest/``: content/ as
the README documents it, plus the default theme copied into its templates/), a Pelican
site (``pelican/``: one article per issue, its items in the body, and a template override
to edit) and, when ``hugo`` is on PATH, a Hugo site (``hugo/``: tags taxonomy, minimal
layouts). Text mixes Chinese and English sentences drawn from word pools below; each
issue has 15 items, 30% of items carry a fenced code block, and 200 tags (half Chinese)
are spread over items, issues and posts. Issues are a week apart, the newest dated 2026-11-20.

That is the default :class:`Shape`; ``VARIANTS`` names others (longer or shorter
commentary, more or less code, more or fewer tags) for ``--variant`` here and in
``build.py``. The default draws exactly what it drew before shapes existed, so its
archives stay byte for byte the same for the same seed.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NEWEST = datetime(2026, 11, 20, 8, 30, tzinfo=timezone(timedelta(hours=8)))
# (key, heading, items an issue has in it): 15 items an issue
SECTIONS = (("articles", "一周文章精粹", 6), ("resources", "一周资料分享", 4),
            ("tools", "一周工具推荐", 3), ("books", "一周图书推荐", 2))  # fmt: skip


def _words(text: str, sep: str | None = None) -> tuple[str, ...]:
    return tuple(text.split(sep))


TERMS = _words(
    "Go Rust Python TypeScript JavaScript Kubernetes Docker Linux WebAssembly PostgreSQL "
    "SQLite Redis Kafka gRPC eBPF LLVM GCC Git Nginx React Vue Deno Bun Zig C++ Java Kotlin "
    "Swift Haskell OCaml Elixir Erlang Lua WASI QUIC TLS DNS TCP CRDT Raft Paxos LSM-tree "
    "B-tree JIT SIMD CUDA GPU ARM64 RISC-V Terraform Ansible Prometheus Grafana OpenTelemetry "
    "Envoy Istio etcd MySQL ClickHouse DuckDB Spark Flink Emacs Vim Neovim Bazel CMake Nix "
    "Homebrew systemd io_uring Tokio asyncio pprof perf fuzzing unikernel Wasmtime Cilium "
    "Helm Argo Jaeger Loki Vitess TiDB CockroachDB Cassandra MongoDB Elasticsearch Lucene "
    "Pandas NumPy PyTorch JAX Julia Scala Clojure Dart Flutter Svelte Vite esbuild webpack "
    "Ruby Rails Django FastAPI Spring"
)
# Chosen so that no two give the same tag slug (pinyin) in digest or Pelican.
ZH_TAGS = _words(
    "并发 容器 分布式 编译器 数据库 操作系统 网络 安全 性能优化 可观测性 云原生 微服务 机器学习 "
    "深度学习 大模型 前端 后端 架构 算法 数据结构 测试 重构 代码审查 开源 社区 工程效率 职业发展 "
    "读书 技术管理 团队协作 内存管理 垃圾回收 类型系统 函数式编程 泛型 错误处理 日志 监控 告警 "
    "缓存 消息队列 存储引擎 索引 事务 一致性 共识算法 负载均衡 服务网格 持续集成 持续交付 "
    "自动化运维 基础设施即代码 命令行 编辑器 终端 文档 设计模式 领域驱动设计 系统设计 高可用 容灾 "
    "数据工程 流处理 批处理 搜索引擎 推荐系统 图数据库 时序数据库 嵌入式 物联网 移动开发 游戏开发 "
    "图形学 浏览器 编程语言 虚拟机 解释器 链接器 汇编 硬件 芯片 密码学 隐私 合规 开发者体验 "
    "产品思维 创业 开源许可 远程办公 效率工具 技术写作 演讲 面试 历史 人物 访谈 播客 论文解读 "
    "标准库 包管理 构建系统 跨平台"
)
TAGS = TERMS[:100] + ZH_TAGS[:100]
ZH_SUBJECTS = _words(
    "作者 这篇文章 文中 这份资料 官方博客 维护者 演讲者 编者 本书 这个项目 社区里的讨论"
)
ZH_VERBS = _words(
    "详细介绍了 深入分析了 用一个例子说明了 对比了 回顾了 总结了 重新审视了 演示了 讨论了 "
    "记录了 梳理了 量化了"
)
ZH_NOUNS = _words(
    "设计取舍 实现细节 性能瓶颈 内存布局 调度模型 错误处理方式 演进历史 测试策略 部署流程 "
    "边界情况 常见误区 基准测试 源码结构 配置项 迁移路径"
)
ZH_CLAUSES = _words(
    "读完之后收获很大 值得反复阅读 适合刚入门的读者 对日常工作很有启发 推荐收藏 "
    "其中有几处细节我之前从未注意过 文末附有完整的代码和基准测试 篇幅不长但信息量很大 "
    "作者的结论和我的经验并不完全一致 图示画得尤其清楚"
)
EN_ADJS = _words("subtle surprising practical hard interesting overlooked costly elegant")
EN_NOUNS = _words(
    "backpressure,scheduling,allocation,caching,retries,tail latency,memory safety,"
    "error handling,cancellation,compaction",
    ",",
)
HOSTS = _words(
    "go.dev blog.rust-lang.org lwn.net jvns.ca research.swtch.com github.com "
    "kubernetes.io infoq.cn juejin.cn zhuanlan.zhihu.com example.com"
)
CODE = {
    "python": "def {f}(items):\n    total = 0\n    for x in items:\n        total += x * {k}\n"
    "    return total\n\nprint({f}(range({n})))",
    "go": "func {f}(ctx context.Context, in <-chan int) int {{\n\tsum := 0\n\tfor v := range in {{"
    "\n\t\tsum += v * {k}\n\t}}\n\treturn sum + {n}\n}}",
    "js": "export async function {f}(urls) {{\n  const res = await Promise.all(urls.map(fetch));\n"
    "  return res.filter((r) => r.status === {n}).length * {k};\n}}",
    "rust": "fn {f}(xs: &[u64]) -> u64 {{\n    xs.iter().map(|x| x * {k}).sum::<u64>() + {n}\n}}",
}


@dataclass(frozen=True)
class Shape:
    """What a generated archive looks like: the ranges are inclusive (``randint``)."""

    sentences: tuple[int, int] = (2, 4)  # in a paragraph of an item's commentary
    paragraphs: tuple[int, int] = (1, 2)  # of an item's commentary
    code: float = 0.3  # share of items and post chapters with a fenced code block
    item_tags: tuple[int, int] = (1, 3)  # an item's tags (0: the item has no tag line)
    issue_tags: tuple[int, int] = (1, 3)  # an issue's own tags, besides its items'

    def describe(self) -> str:
        """One line naming how this shape differs from the default ("as default" if not)."""
        default = Shape()
        changed = [
            f"{name} {value}"
            for name, value in vars(self).items()
            if value != getattr(default, name)
        ]
        return ", ".join(changed) or "as default"


# Named shapes for --variant (archive.py and build.py). An issue's Markdown is 8.6 KB by
# default, 4.8 KB "short" (an item one paragraph of one or two sentences), 27 KB "long"
# (three to five paragraphs of four to six). An issue's tags are its own and its items':
# 30 distinct by default, 9 "few-tags" (half the items untagged), 54 "many-tags".
VARIANTS = {
    "default": Shape(),
    "short": Shape(sentences=(1, 2), paragraphs=(1, 1)),
    "long": Shape(sentences=(4, 6), paragraphs=(3, 5)),
    "no-code": Shape(code=0.0),
    "code-heavy": Shape(code=0.6),
    "few-tags": Shape(item_tags=(0, 1)),
    "many-tags": Shape(item_tags=(3, 5)),
}


@dataclass(frozen=True)
class Item:
    """One curated link: its section key, title, URL, commentary (Markdown) and tags."""

    section: str
    title: str
    url: str
    body: str
    tags: tuple[str, ...]


@dataclass(frozen=True)
class Issue:
    """One weekly issue; ``intro`` is the Markdown before the first section."""

    number: int
    title: str
    date: datetime
    tags: tuple[str, ...]
    summary: str
    intro: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Post:
    """One long-form post; ``body`` is Markdown with ``##`` sections."""

    slug: str
    title: str
    date: datetime
    tags: tuple[str, ...]
    summary: str
    body: str


class _Writer:
    """Seeded text generation in ``shape``; every method draws from the one
    ``random.Random``, in the same order whatever the shape."""

    def __init__(self, seed: int, shape: Shape) -> None:
        self.rnd = random.Random(seed)
        self.shape = shape

    def sentence(self) -> str:
        r = self.rnd
        if r.random() < 0.2:
            return (f"The {r.choice(EN_ADJS)} part is how {r.choice(TERMS)} handles "
                    f"{r.choice(EN_NOUNS)}, and why it matters in production. ")  # fmt: skip
        return (f"{r.choice(ZH_SUBJECTS)}{r.choice(ZH_VERBS)} {r.choice(TERMS)} 的"
                f"{r.choice(ZH_NOUNS)}，{r.choice(ZH_CLAUSES)}。")  # fmt: skip

    def paragraph(self, low: int = 2, high: int = 4) -> str:
        return "".join(self.sentence() for _ in range(self.rnd.randint(low, high))).strip()

    def code(self) -> str:
        lang = self.rnd.choice(sorted(CODE))
        f = f"{self.rnd.choice(['sum', 'scan', 'merge', 'drain'])}_{self.rnd.randint(1, 99)}"
        body = CODE[lang].format(f=f, k=self.rnd.randint(2, 9), n=self.rnd.randint(10, 999))
        return f"```{lang}\n{body}\n```"

    def tags(self, low: int, high: int) -> tuple[str, ...]:
        return tuple(self.rnd.sample(TAGS, self.rnd.randint(low, high)))

    def title(self) -> str:
        t, n = self.rnd.choice(TERMS), self.rnd.choice(ZH_NOUNS)
        return self.rnd.choice([f"深入理解 {t} 的{n}", f"{t} 的{n}，一次复盘", f"从零实现 {t}",
                                f"Notes on {t} {self.rnd.choice(EN_NOUNS)}"])  # fmt: skip

    def item(self, section: str, key: str) -> Item:
        shape = self.shape
        count = self.rnd.randint(*shape.paragraphs)
        parts = [self.paragraph(*shape.sentences) for _ in range(count)]
        if self.rnd.random() < shape.code:
            parts.insert(1, self.code())
        url = f"https://{self.rnd.choice(HOSTS)}/{key}"
        return Item(section, self.title(), url, "\n\n".join(parts), self.tags(*shape.item_tags))

    def issue(self, number: int, newest: int) -> Issue:
        items = tuple(self.item(key, f"{number}/{key}-{i}")
                      for key, _, count in SECTIONS for i in range(count))  # fmt: skip
        intro = "\n\n".join(self.paragraph(3, 5) for _ in range(self.rnd.randint(2, 3)))
        date = NEWEST - timedelta(weeks=newest - number)
        return Issue(number, self.title(), date, self.tags(*self.shape.issue_tags),
                     self.sentence().strip(), intro, items)  # fmt: skip

    def post(self, k: int) -> Post:
        chapters = []
        for c in range(self.rnd.randint(5, 8)):
            parts = [self.paragraph(3, 5) for _ in range(self.rnd.randint(2, 3))]
            if self.rnd.random() < self.shape.code:
                parts.insert(1, self.code())
            chapters.append(f"## {c + 1}. {self.title()}\n\n" + "\n\n".join(parts))
        date = NEWEST - timedelta(weeks=2 * k, days=3, hours=-12)
        slug = f"post-{k:05d}-{self.rnd.choice(EN_NOUNS).replace(' ', '-')}"
        return Post(slug, self.title(), date, self.tags(2, 4), self.sentence().strip(),
                    self.paragraph() + "\n\n" + "\n\n".join(chapters))  # fmt: skip


def make_archive(
    issues: int, seed: int = 0, shape: Shape = VARIANTS["default"]
) -> tuple[list[Issue], list[Post]]:
    """``issues`` issues numbered 1..N (N newest) and N/2 posts, the same for the same seed
    and shape."""
    w = _Writer(seed, shape)
    return [w.issue(n, issues) for n in range(1, issues + 1)], [
        w.post(k) for k in range(issues // 2)
    ]


def issue_body(issue: Issue) -> str:
    """The issue's Markdown after its front matter: intro, ``##`` sections, ``###`` items."""
    out = [issue.intro]
    for key, heading, _ in SECTIONS:
        out.append(f"## {heading}")
        for item in (i for i in issue.items if i.section == key):
            tags = f"\n\n标签：{', '.join(item.tags)}" if item.tags else ""
            out.append(f"### [{item.title}]({item.url})\n\n{item.body}{tags}")
    return "\n\n".join(out) + "\n"


def all_tags(issue: Issue) -> tuple[str, ...]:
    """The issue's own tags and its items', for tools that only tag whole pages."""
    return tuple(dict.fromkeys(issue.tags + tuple(t for it in issue.items for t in it.tags)))


def _write(path: Path, meta: Mapping[str, object], body: str, *, pelican: bool = False) -> None:
    """One Markdown file: YAML front matter (or Pelican's ``Key: value`` lines), the body."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if pelican:
        lines = [f"{k.capitalize()}: {', '.join(v) if isinstance(v, tuple) else v}\n"
                 for k, v in meta.items()]  # fmt: skip
    else:  # a JSON string or list is also YAML
        lines = ["---\n", *(f"{k}: {json.dumps(v, ensure_ascii=False)}\n" for k, v in meta.items())]
        lines.append("---\n")
    path.write_text("".join(lines) + "\n" + body, encoding="utf-8")


def heading(issue: Issue) -> str:
    """The issue's full title, as digest's ``issue_heading`` of the sample names it."""
    return f"TB一周萃选[第{issue.number}期]：{issue.title}"


def write_digest(issues: list[Issue], posts: list[Post], dest: Path) -> None:
    """A digest project: content/site.toml adapted from the sample, issues, posts, templates."""
    shutil.copytree(ROOT / "digest" / "theme", dest / "templates")  # the default theme
    toml = (ROOT / "content" / "site.toml").read_text(encoding="utf-8")
    (dest / "content").mkdir()
    (dest / "content" / "site.toml").write_text(
        toml.replace("per_page = 5", "per_page = 10"), "utf-8"
    )
    for i in issues:
        meta = {"number": i.number, "title": i.title, "date": f"{i.date:%Y-%m-%d %H:%M}",
                "tags": i.tags, "summary": i.summary}  # fmt: skip
        _write(dest / "content" / "issues" / f"{i.number:04d}.md", meta, issue_body(i))
    for p in posts:
        meta = {"title": p.title, "date": f"{p.date:%Y-%m-%d %H:%M}", "tags": p.tags,
                "summary": p.summary}  # fmt: skip
        _write(dest / "content" / "posts" / f"{p.slug}.md", meta, p.body + "\n")


PELICANCONF = """\
from pathlib import Path

HERE = Path(__file__).resolve().parent
AUTHOR = "编者"
SITENAME = "TB一周萃选"
SITEURL = "https://example.github.io/digest"
PATH = str(HERE / "content")
TIMEZONE = "Asia/Shanghai"
DEFAULT_LANG = "zh"
THEME = "notmyidea"
THEME_TEMPLATES_OVERRIDES = [str(HERE / "overrides")]
DEFAULT_PAGINATION = 10
FEED_DOMAIN = SITEURL
FEED_ALL_ATOM = "feeds/all.atom.xml"
FEED_ALL_RSS = "feeds/all.rss.xml"
CATEGORY_FEED_ATOM = "feeds/category/{slug}.atom.xml"
TAG_FEED_ATOM = "feeds/tag/{slug}.atom.xml"
TAG_FEED_RSS = "feeds/tag/{slug}.rss.xml"
FEED_MAX_ITEMS = 20
RSS_FEED_SUMMARY_ONLY = False
MARKDOWN = {"output_format": "html5", "extension_configs": {
    "markdown.extensions.codehilite": {"css_class": "highlight"},
    "markdown.extensions.fenced_code": {}, "markdown.extensions.extra": {},
    "markdown.extensions.meta": {}}}
# The content cache, at the layer that skips the most work on a rebuild (Content objects).
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
CONTENT_CACHING_LAYER = "generator"
CHECK_MODIFIED_METHOD = "mtime"
GZIP_CACHE = False
CACHE_PATH = str(HERE / "cache")
"""


def write_pelican(issues: list[Issue], posts: list[Post], dest: Path) -> None:
    """A Pelican site: pelicanconf.py, content/*.md, and overrides/article.html to edit."""
    (dest / "overrides").mkdir(parents=True)
    (dest / "pelicanconf.py").write_text(PELICANCONF, encoding="utf-8")
    (dest / "overrides" / "article.html").write_text(
        '{% extends "!theme/article.html" %}\n', encoding="utf-8"
    )
    for i in issues:
        meta = {"title": heading(i), "date": f"{i.date:%Y-%m-%d %H:%M}", "category": "周刊",
                "tags": all_tags(i), "slug": f"issue-{i.number}", "summary": i.summary}  # fmt: skip
        _write(dest / "content" / f"issue-{i.number:04d}.md", meta, issue_body(i), pelican=True)
    for p in posts:
        meta = {"title": p.title, "date": f"{p.date:%Y-%m-%d %H:%M}", "category": "文章",
                "tags": p.tags, "slug": p.slug, "summary": p.summary}  # fmt: skip
        _write(dest / "content" / f"{p.slug}.md", meta, p.body + "\n", pelican=True)


HUGO_LAYOUTS = {
    "baseof.html": '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">'
    "<title>{{ .Title }} - {{ site.Title }}</title>{{ range .AlternativeOutputFormats }}"
    '<link rel="{{ .Rel }}" type="{{ .MediaType.Type }}" href="{{ .Permalink }}">{{ end }}'
    '</head><body><header><a href="{{ "/" | relURL }}">{{ site.Title }}</a></header>'
    '<main>{{ block "main" . }}{{ end }}</main></body></html>\n',
    "single.html": '{{ define "main" }}<article><h1>{{ .Title }}</h1>'
    '<time>{{ .Date.Format "2006-01-02" }}</time><ul>{{ range .GetTerms "tags" }}'
    '<li><a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a></li>{{ end }}</ul>'
    "{{ .Content }}</article>{{ with .PrevInSection }}"
    '<a rel="next" href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}{{ end }}\n',
    "list.html": '{{ define "main" }}<h1>{{ .Title }}</h1>{{ range .Paginator.Pages }}'
    '<article><h2><a href="{{ .RelPermalink }}">{{ .Title }}</a></h2>{{ .Summary }}'
    '</article>{{ end }}{{ template "_internal/pagination.html" . }}{{ end }}\n',
    "terms.html": '{{ define "main" }}<h1>{{ .Title }}</h1><ul>{{ range .Data.Terms.ByCount }}'
    '<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> {{ .Count }}</li>'
    "{{ end }}</ul>{{ end }}\n",
}


def write_hugo(issues: list[Issue], posts: list[Post], dest: Path) -> None:
    """A Hugo site: config.toml (tags taxonomy, Chroma with classes) and minimal layouts."""
    (dest / "layouts" / "_default").mkdir(parents=True)
    for name, text in HUGO_LAYOUTS.items():
        (dest / "layouts" / "_default" / name).write_text(text, encoding="utf-8")
    (dest / "config.toml").write_text(
        'baseURL = "https://example.github.io/digest/"\nlanguageCode = "zh-CN"\n'
        f'title = "TB一周萃选"\nhasCJKLanguage = true\ncacheDir = "{dest / ".hugo_cache"}"\n'
        "paginate = 10\n[taxonomies]\ntag = \"tags\"\n[services.rss]\nlimit = 20\n"
        "[markup.highlight]\nnoClasses = false\ncodeFences = true\n",
        encoding="utf-8",
    )  # fmt: skip
    for i in issues:
        meta = {"title": heading(i), "date": i.date.isoformat(), "tags": all_tags(i),
                "summary": i.summary}  # fmt: skip
        _write(dest / "content" / "issues" / f"{i.number:04d}.md", meta, issue_body(i))
    for p in posts:
        meta = {"title": p.title, "date": p.date.isoformat(), "slug": p.slug, "tags": p.tags,
                "summary": p.summary}  # fmt: skip
        _write(dest / "content" / "posts" / f"{p.slug}.md", meta, p.body + "\n")


def generate(
    issues: int,
    dest: Path,
    *,
    seed: int = 0,
    hugo: bool = False,
    shape: Shape = VARIANTS["default"],
) -> None:
    """Write ``dest/digest``, ``dest/pelican`` and, with ``hugo``, ``dest/hugo``."""
    data = make_archive(issues, seed, shape)
    write_digest(*data, dest / "digest")
    write_pelican(*data, dest / "pelican")
    if hugo:
        write_hugo(*data, dest / "hugo")


def main() -> None:
    """Command line: generate one archive into an empty (or new) folder."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--issues", type=int, default=20)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--hugo", action="store_true", help="also write the Hugo site")
    parser.add_argument("--variant", choices=VARIANTS, default="default",
                        help="the archive's shape (default: %(default)s)")  # fmt: skip
    args = parser.parse_args()
    shape = VARIANTS[args.variant]
    generate(args.issues, args.out, seed=args.seed, hugo=args.hugo, shape=shape)
    print(f"wrote {args.issues} issues and {args.issues // 2} posts ({args.variant}: "
          f"{shape.describe()}) into {args.out}")  # fmt: skip


if __name__ == "__main__":
    main()
