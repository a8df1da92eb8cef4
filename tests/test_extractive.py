"""Extractive summaries: sentence splitting traps, budgets, boilerplate, meta descriptions."""

from __future__ import annotations

import re
import unicodedata

import pytest

from digest.summarizer.extractive import (
    is_prose_description,
    split_sentences,
    summarize,
    text_length,
)

ZH_TITLE = "我们如何把构建时间从二十分钟降到三分钟"
ZH_ARTICLE = f"""{ZH_TITLE}
去年年底，我们团队的持续集成流水线每次构建都要花二十分钟左右，开发者提交代码后往往要等很久才能拿到反馈。
为了找到瓶颈，我们先给流水线的每个步骤加上了计时，并把数据汇总到一张看板上。结果显示，超过一半的时间花在重复下载依赖上，其次是串行执行的集成测试。
针对依赖下载，我们引入了按锁文件哈希命名的缓存，只有锁文件变化时才重新安装。这一项改动就让构建时间缩短了将近八分钟。
接下来我们处理测试。原来的集成测试共享一个数据库实例，因此只能一个接一个地运行。我们改为给每个测试进程创建独立的临时数据库，这样测试就可以安全地并行执行。
并行之后，测试阶段从九分钟降到了两分钟出头。当然，并行也暴露出一些隐藏的问题。有几个测试依赖全局状态，在并行环境下会随机失败，我们花了两周时间逐一修复。
另外，我们把 Docker 镜像的构建拆成了多阶段，基础层很少变化，可以长期复用缓存。\
镜像体积也因此从 1.2 GB 减少到 380 MB，推送和拉取都快了不少。
最后，我们给流水线加上了按路径过滤的规则，只改文档的提交不再触发完整的测试。
综合这些改动，平均构建时间稳定在三分钟左右，开发者的等待时间大幅减少。
我们的经验是：先测量，再优化，并且每次只改一处，才能确认每项改动的真实效果。如果你的团队也被缓慢的构建困扰，不妨从给每个步骤计时开始。
"""

EN_ARTICLE = """Why We Moved Our Public API to HTTP/2
Last spring our public API started to struggle under a new kind of traffic. Mobile clients were \
opening dozens of parallel connections, and each TLS handshake added latency on slow networks.
We measured a median of 320 ms spent on connection setup alone, which was more than the time \
our servers needed to answer. HTTP/2 lets a client send many requests over a single \
connection, so it looked like a natural fit.
The migration itself was mostly configuration work on our load balancers. The harder part was \
finding clients that still assumed one request per connection. Some old SDK versions, e.g. \
v1.4 and earlier, opened a new connection for every call.
We shipped version 2.0.1 of the SDK with connection reuse and asked users to upgrade. After \
the rollout, median latency for mobile clients dropped by 38 percent. Server CPU usage also \
fell, because fewer handshakes meant less cryptographic work.
We did see one regression: a proxy in front of a large customer did not speak HTTP/2 correctly. \
Falling back to HTTP/1.1 for that customer fixed the problem while their team upgraded the proxy.
Our advice is simple: measure connection setup before you blame your application code. The \
full benchmark notes are at https://example.com/notes/http2.html?ref=blog.
"""

MIXED_ARTICLE = """Rust 1.80 发布：LazyCell 与 LazyLock 正式稳定
Rust 团队本周发布了 Rust 1.80，这个版本把 LazyCell 和 LazyLock 两个类型正式加入了标准库。
过去，开发者通常要借助 once_cell 或 lazy_static 这样的第三方 crate 来实现延迟初始化。
现在只需要写 `static CONFIG: LazyLock<Config> = LazyLock::new(load);` \
就能在静态变量里安全地完成一次性初始化。
LazyLock 是线程安全的版本，适合全局配置；LazyCell 只能在单线程中使用，但开销更小。
The release notes call it "a long-awaited addition to std." 不少库的维护者也已经开始迁移。
除此之外，1.80 还稳定了排他范围模式，比如 `a..5` 这样的写法现在可以直接用在 match 里。
编译器也会对 cfg 中拼错的名字给出警告，这能帮助大家尽早发现条件编译的配置错误。
升级方法很简单，运行 rustup update stable 即可。
如果你的项目还依赖 once_cell，可以先在新代码里使用标准库的类型，再逐步替换旧的用法。
需要注意的是，最低支持版本低于 1.80 的库暂时还不能切换。
"""

BOILERPLATE = (
    "点击阅读原文",
    "关注公众号",
    "We use cookies",
    "Subscribe to our newsletter",
    "版权所有",
)
BOILERPLATE_ARTICLE = """点击阅读原文，查看完整的性能测试报告。
欢迎关注公众号「后端周刊」，每周一篇深度文章。
We use cookies to give you the best experience on our website.
Subscribe to our newsletter for weekly updates.
SQLite 的 WAL 模式让读操作不再阻塞写操作，非常适合读多写少的服务。
开启方法只需要执行一条 PRAGMA 语句，并且设置一次就会持久保存在数据库文件里。
版权所有，转载请注明出处。
"""

TERMINATOR_END = re.compile(r"[。！？；….!?][”’\"')）」』】》]*$")


def independent_length(text: str) -> int:
    """Budget length counted another way: Han/kana by Unicode name, words by whitespace."""
    cjk = sum(unicodedata.name(c, "").startswith(("CJK UNIFIED", "HIRAGANA", "KATAKANA"))
              for c in text)  # fmt: skip
    latin = re.sub(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’…]", " ", text)
    return cjk + sum(any(c.isalnum() for c in word) for word in latin.split())


def source_sentences(summary: str) -> list[str]:
    """The summary cut after every terminator by a plain regex, not the module's splitter."""
    parts = re.split(
        r"(?<=[。！？；])|(?<=[.!?][\"”])\s+|(?<=[.!?])\s+(?=[A-Z\u4e00-\u9fff])", summary
    )
    return [p for p in parts if p.strip()]


def check_summary(summary: str, source: str, budget: int) -> None:
    assert summary
    assert text_length(summary) <= budget
    assert independent_length(summary) <= budget
    assert TERMINATOR_END.search(summary), summary
    assert not any(phrase in summary for phrase in BOILERPLATE)
    for sentence in source_sentences(summary):
        assert sentence in source, sentence


# -- sentence splitting ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        (
            "Python 3.12 发布了。它更快！你试过吗？",
            ["Python 3.12 发布了。", "它更快！", "你试过吗？"],
        ),
        ("It costs 1.5 dollars. That is cheap.", ["It costs 1.5 dollars.", "That is cheap."]),
        ("请升级到 v1.10.2。旧版 v1.9 有漏洞。", ["请升级到 v1.10.2。", "旧版 v1.9 有漏洞。"]),
        ("Pi is 3.14 here. Use v2.0.1 Now.", ["Pi is 3.14 here.", "Use v2.0.1 Now."]),
        (
            "See https://example.com/a.b?c=d. Then try https://x.org/#!/why?not! Done.",
            ["See https://example.com/a.b?c=d.", "Then try https://x.org/#!/why?not!", "Done."],
        ),
        (
            "详见 https://example.com/a.b?c=d。下一句。",
            ["详见 https://example.com/a.b?c=d。", "下一句。"],
        ),
        ("他犹豫了……最后还是同意了。", ["他犹豫了……", "最后还是同意了。"]),
        (
            "Wait... what happened? I do not know... Then it worked.",
            ["Wait... what happened?", "I do not know...", "Then it worked."],
        ),
        ("Really?! Yes, really.", ["Really?!", "Yes, really."]),
        ("他说：“好。”然后离开了。", ["他说：“好。”", "然后离开了。"]),
        ("“你好！”他说。", ["“你好！”他说。"]),
        ('She said "Go." Then she left.', ['She said "Go."', "Then she left."]),
        ('"Hello!" she said.', ['"Hello!" she said.']),
        ("（详见附录。）正文继续。", ["（详见附录。）", "正文继续。"]),
        (
            "Call `obj.run(). Next()` to start. Then wait.",
            ["Call `obj.run(). Next()` to start.", "Then wait."],
        ),
        ("运行 `a。b！c` 即可。好的。", ["运行 `a。b！c` 即可。", "好的。"]),
        (
            "Use tools, e.g. Ruff. Mr. Smith met Dr. Lee in the U.S. Army. Rust vs. Go is old.",
            [
                "Use tools, e.g. Ruff.",
                "Mr. Smith met Dr. Lee in the U.S. Army.",
                "Rust vs. Go is old.",
            ],
        ),
        (
            "J. R. R. Tolkien wrote it, etc. and more.",
            ["J. R. R. Tolkien wrote it, etc. and more."],
        ),
        ("标题\n正文第一句。第二句。", ["标题", "正文第一句。", "第二句。"]),
        (
            "我们发布了 Digest 2.0。It is faster. 欢迎试用！",
            ["我们发布了 Digest 2.0。", "It is faster.", "欢迎试用！"],
        ),
        ("It is fast.中文紧随其后。", ["It is fast.", "中文紧随其后。"]),
    ],
)
def test_split_sentences(text: str, sentences: list[str]) -> None:
    assert split_sentences(text) == sentences


def test_fenced_code_blocks_are_dropped() -> None:
    text = "Intro text.\n```python\nprint('a. B')\nx = 1\n```\nOutro text.\n~~~\nfoo. Bar.\n~~~"
    assert split_sentences(text) == ["Intro text.", "Outro text."]


def test_raw_code_lines_are_dropped() -> None:
    text = (
        "安装方法如下。\nimport os\ndef main():\n    return 0\n"
        "const x = require('y');\nif (ready) {\n}\ncount = 1\n<div class='main'>\n"
        "完成后运行即可。\nIt works. (Mostly.)"
    )
    assert split_sentences(text) == ["安装方法如下。", "完成后运行即可。", "It works.", "(Mostly.)"]


# -- summaries ---------------------------------------------------------------------------


def test_chinese_article() -> None:
    summary = summarize(ZH_ARTICLE, title=ZH_TITLE)
    check_summary(summary, ZH_ARTICLE, 120)
    assert summary.startswith("去年年底，")  # the lead
    assert ZH_TITLE not in summary
    assert " " not in summary.replace("Docker ", "")  # CJK sentences are joined without spaces


def test_english_article() -> None:
    summary = summarize(EN_ARTICLE, lang="en")
    check_summary(summary, EN_ARTICLE, 50)
    assert summary.startswith("Last spring our public API")
    assert "Why We Moved" not in summary  # a heading is not a sentence
    assert len(source_sentences(summary)) >= 2
    assert ".  " not in summary and not re.search(r"\.[A-Z]", summary)  # one space between


def test_mixed_article_uses_the_cjk_budget() -> None:
    summary = summarize(MIXED_ARTICLE, budget_words=1)
    check_summary(summary, MIXED_ARTICLE, 120)
    assert summary.startswith("Rust 团队本周发布了 Rust 1.80")
    assert summarize(MIXED_ARTICLE, lang="en", budget_words=1) == ""  # no sentence is one word


def test_smaller_budget_gives_shorter_summary() -> None:
    zh = summarize(ZH_ARTICLE, budget_cjk=60)
    check_summary(zh, ZH_ARTICLE, 60)
    assert text_length(zh) < text_length(summarize(ZH_ARTICLE))
    en = summarize(EN_ARTICLE, budget_words=20)
    check_summary(en, EN_ARTICLE, 20)
    assert text_length(en) < text_length(summarize(EN_ARTICLE))


def test_central_sentence_beats_an_earlier_aside() -> None:
    text = (
        "Our team rewrote the search indexer in Rust this year. "
        "The old indexer was written in Python and struggled badly with very large sites. "
        "The Rust indexer now builds the search index about four times faster than before. "
        "Memory use of the search index build dropped by half on our largest sites too. "
        "Lunch on Fridays is now catered by a local bakery. "
        "The new search indexer ships with the Rust release today."
    )
    summary = summarize(text, budget_words=20)
    assert summary == (
        "Our team rewrote the search indexer in Rust this year. "
        "The new search indexer ships with the Rust release today."
    )


def test_too_short_sentences_are_not_candidates() -> None:
    lead = "我们把日志系统从自建集群迁移到了托管服务，运维工作量明显下降。"
    text = f"{lead}是的。\n迁移过程中最大的挑战是历史数据的格式转换，我们为此写了一个专门的工具。"
    assert summarize(text, budget_cjk=text_length(lead) + 2) == lead


def test_text_shorter_than_budget_is_returned_whole() -> None:
    text = "## 一周要闻\nPython 3.12 发布了。它更快。\n错误信息也更友好了！"
    assert summarize(text) == "Python 3.12 发布了。它更快。错误信息也更友好了！"
    english = "Release notes\nIt costs 1.5 dollars. It is fast.\nTry it."
    assert summarize(english) == "It costs 1.5 dollars. It is fast. Try it."


def test_best_single_sentence_that_fits_or_nothing() -> None:
    text = (
        "This opening sentence is deliberately far too long to fit in the tiny budget below. "
        "Short ones fit here. Another short one follows."
    )
    assert summarize(text, budget_words=6) in ("Short ones fit here.", "Another short one follows.")
    assert summarize(text, budget_words=3) == ""


def test_text_without_sentence_end() -> None:
    assert summarize("一个没有任何句号的简短说明") == "一个没有任何句号的简短说明"
    assert summarize("一段很长而且没有句号的说明文字" * 20) == ""
    assert summarize("A short note without any ending") == "A short note without any ending"


def test_boilerplate_never_in_summary() -> None:
    whole = summarize(BOILERPLATE_ARTICLE)
    check_summary(whole, BOILERPLATE_ARTICLE, 120)
    assert whole.startswith("SQLite 的 WAL 模式")
    tight = summarize(BOILERPLATE_ARTICLE, budget_cjk=40)
    check_summary(tight, BOILERPLATE_ARTICLE, 40)


def test_sentences_repeating_the_title_are_dropped() -> None:
    text = (
        "Python 3.13 正式发布。\n这个版本带来了实验性的自由线程模式。新的交互式解释器也更好用了。"
    )
    summary = summarize(text, title="Python 3.13 正式发布")
    assert summary == "这个版本带来了实验性的自由线程模式。新的交互式解释器也更好用了。"


def test_code_is_not_summarised() -> None:
    text = (
        "部署只需要三步。\nsudo = True\nserver.listen(8080);\n先安装依赖，再写配置，最后启动服务。"
    )
    assert summarize(text) == "部署只需要三步。先安装依赖，再写配置，最后启动服务。"


def test_text_length() -> None:
    assert text_length("Python 3.12 发布了。") == 5
    assert text_length("See https://example.com/a.b?c=d now — ok!") == 4
    assert text_length("“你好！”他说。") == 4


# -- meta descriptions -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("description", "title", "site_name"),
    [
        ("本文介绍我们如何用缓存和并行测试把构建时间从二十分钟降到三分钟。", ZH_TITLE, "后端周刊"),
        ("A practical account of moving a public API to HTTP/2, with numbers.", None, "Example"),
        ("一份关于在生产环境中运行 PostgreSQL 的实践指南，涵盖备份、监控与升级", None, None),
        (
            "GitHub is where over 100 million developers shape the future of software.",
            None,
            "GitHub",
        ),
    ],
)
def test_prose_descriptions(description: str, title: str | None, site_name: str | None) -> None:
    assert is_prose_description(description, title=title, site_name=site_name)


@pytest.mark.parametrize(
    ("description", "title", "site_name"),
    [
        (None, "标题", None),
        ("   ", "标题", None),
        ("Read more…", None, None),
        ("阅读更多", None, None),
        ("点击查看详情", None, None),
        ("阮一峰的网络日志", "标题", "阮一峰的网络日志"),
        ("The Example Engineering Blog", "Title", "Example Engineering blog"),
        (
            "Example Engineering: stories from the people who build Example",
            "Title",
            "Example Engineering – stories from the people building Example",
        ),
        ("记录技术与生活", "另一篇文章", None),
        ("Thoughts on software", "Another post", None),
        ("Why we moved to HTTP/2!", "Why We Moved to HTTP/2", "Example"),
        ("LazyCell 与 LazyLock 正式稳定", "Rust 1.80 发布：LazyCell 与 LazyLock 正式稳定", None),
        (
            "Why We Moved to HTTP/2 | Example Engineering",
            "Why We Moved to HTTP/2",
            "Example Engineering",
        ),
        ("Python, Rust, Go, 性能, 编译器", "编程语言", None),
        ("机器学习,深度学习,PyTorch,教程,入门指南", "深度学习入门", None),
    ],
)
def test_not_prose_descriptions(
    description: str | None, title: str | None, site_name: str | None
) -> None:
    assert not is_prose_description(description, title=title, site_name=site_name)
