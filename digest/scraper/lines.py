"""The lines of an article's text that are not the article: what
:mod:`~digest.scraper.maintext` (and, for trafilatura's text, :mod:`~digest.scraper.ensemble`)
drops once the article is read back as lines, one block a line.

The rules (:func:`tidy`): a line is dropped when it is boilerplate (follow and QR-code
prompts, share bars, editor and photo credits ("Jane Doe/Getty Images"), a breadcrumb,
view counts and hit counters ("23,886 views", "You are visitor number 812"), a dateline),
a page's controls and labels (ad slots, gallery and player buttons, a photo's "Click to
enlarge", a paywall's "login to read this story", a pager, Movable Type's "« Previous |
Main | Next »" and its TrackBack label, a blog's links to its comments ("No Comments »",
"Post a comment", "Comments are closed"), a post's page links ("Pages: 1 2"), an "Article
continues below" mark, a link back to the page's top or to the text, a Chinese article's
toolbar), a line of an article's tools (print, PDF, e-mail, bookmark), labelled or not
("Post this story to: Digg | Reddit"), a link to another story with its date, a copyright
notice, or a paper's note on the story's printed edition ("A version of this article
appears in print on …"); from a "往期推荐"-like marker in the last part of the text on, every
line goes; then the label lines that close the text (:mod:`~digest.scraper.edges`).

Readers' comments left in the post's block, each signed under it as Movable Type and TypePad
sign them ("Posted by: A Reader | Mar 20, 2007 10:19 PM"; the post's own footer has no
colon), go when two or more are signed (:func:`_without_comments`): from the first comment
to the last signature (dev half, each fold: dragnet 0.9396 to 0.9414 and 0.9149 to 0.9211,
no other set moved). So is a copyright notice that names its holder before the mark and
ends with "All rights reserved" (:data:`_NOTICE`; dev half: dragnet's A 0.94141 to 0.94146,
cleaneval's A 0.91105 to 0.91108, no fold B page moved). So is a bar of the author's
profiles, each with its count ("Twitter (17,951 followers) • Facebook (3,507 likes)",
:data:`_COUNTER`; dev half: dragnet's A 0.94301 to 0.94315, no fold B page moved). A
"延伸阅读"-like marker with a headline after it on its line ("延伸阅读：另一篇报道的标题") goes
wherever it is (:data:`_MARKED_LINK`): a box of links inside the story (dev half:
zh-handcrafted's A 0.95211 to 0.95215, one page, no other page moved).

Tried on the dev half and left out (benchmarks/extraction.py, each rule alone, folds A and
B): a timestamp line, a "posted", "published" or "updated" label with a date or time and
nothing else ("POSTED: 5:09 pm EST January 10, 2008": l3s +0.0012 and +0.0006, but
Dragnet's gold keeps a blog's "Posted July 26th, 2011" under the headline, -0.0006, and
CleanEval's second fold lost, -0.0002; with "updated" labels only, still -0.00002 there),
WordPress's post footer ("This entry was posted on … and is filed under …", "You can
follow any responses to this entry…": Dragnet +0.0013, CleanEval's second fold -0.00006),
a call to subscribe opening a line ("Subscribe to …", "Click here to sign up":
readability's and scrapinghub's second folds lost), and a line telling how to reach the
reporter ("Write to … at …@…", "To contact the reporter on this story: …": l3s +0.0004,
three second folds lost, CleanEval keeping a page's "Email: …" contact lines).
"""

from __future__ import annotations

import math
import re

from digest.scraper.edges import trim_tail
from digest.text.cjk import has_cjk_letters

# Short lines that are never the article: follow/QR prompts, share bars, editor credits.
_BOILERPLATE = re.compile(
    r"点击上方.{0,8}(关注|蓝字)|关注(我们|公众号|本号)|长按(识别|扫码|二维码)|扫码关注|识别二维码|"
    r"^阅读原文$|点个?(赞|在看)|^分享到|^[【\[（(]?\s*(责任编辑|责编|编辑|来源|作者(单位)?|撰?文|摄影)\s*[:：]|"
    r"^原标题\s*[:：]|^(上一篇|下一篇)\s*[:：]|^[文图]\s*/|"
    r"^发送.{1,12}到\d{4,}|"  # a text-message service's advertisement: "发送GP到6666…"
    r"^(当前|您的|你的|您现在的|你现在的|所在)位置\s*[:：]|"  # a breadcrumb: "当前位置：首页 >"
    r"^本报(特派)?(记者|实习生|通讯员)[^，。,.]{0,20}$|"  # the paper's byline, not its lede
    r"已被(阅读|浏览|点击)\s*\d+\s*次|(阅读|浏览|点击)(次数|数|量)\s*[:：]\s*\d+|"  # view counts
    r"^(本文)?(通告)?引用\s*[(（]?trackback|^trackback\s*[:：]|"
    r"^(share|tweet|follow us|subscribe)\b",
    re.I,
)
# A dateline: a date and a source, author, editor or "published" label in one short line
# ("2005-04-28 11:13 来源：某报", "发布时间 2005/05/17 by 某人"), what the page says about the
# article; a label alone is _BOILERPLATE's.
_DATE = r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}"
_LABEL = r"((来源|作者|编辑|记者)\s*[:：]|(发布|发表|更新)(时间|日期|于))"
_DATELINE = re.compile(rf"{_DATE}.{{0,40}}{_LABEL}|{_LABEL}.{{0,40}}{_DATE}")
# A link to another story in a portal's list: a bullet, a headline, and its date and time
# in brackets ("·Another headline (2005-04-27 18:03PM)").
_DATED_LINK = re.compile(rf"[·•]\s*.{{2,60}}[(（]\s*{_DATE}[^)）]{{0,16}}[)）]")
# Whole lines that are a page's controls and labels, never its prose: ad slots and their
# headings ("Advertisement", "Sponsored Links:"), gallery and player buttons, a photo's
# zoom control ("Click here to enlarge image", "Enlarge This Image"), a news page's labels
# ("Video", "Save Print", "Full story"), a paywall's prompt ("Please create an account or
# login to read this story"), photo credits, a blog's pager ("« Previous post",
# "Next post: A title", "Older entries", "Next »": a noun or an arrow, so that "Next, we…"
# stays; Movable Type's and TypePad's "« An older post | Main | A newer post »"), a link
# back to the page's top ("Back to top", "[ Go to Top ]", "* * * Back to the top * * *"),
# from a note to the text ("Return to citation in text: [1]") or from a printable page to
# the article ("Return to article"), the toolbars of Chinese articles ("【字号：大 中
# 小】【打印】【关闭】", "返回目录 | 下一页").
_UI_LINE = re.compile(
    r"(video|gallery|photos|save|print|save print|email|full story|related articles|comments|"
    r"advertisement|advert|ad|sponsored( links?| ads?| content)?\s*:?|iklan|anzeige|publicité|"
    r"广告|caption|close|"
    r"(click|tap)( here| on)?( the)?( (photo|image|picture|thumbnail))? to (enlarge|zoom)"
    r"( (the )?(photo|image|picture))?|enlarge( this)? (photo|image|picture)|"
    r"back to gallery|view all( \(\d+\))?|\d+ of \d+|topics|展开全文|返回.{1,6}[，,]\s*查看更多|"
    r"media playback is (unsupported|not supported) on your device|"
    r"(please )?(log ?in|sign ?in|register|create an account)( or (log ?in|sign ?in|register))?"
    r" to (read|continue reading|view|access) (this|the|the full|the rest of this) "
    r"(story|article|post|content)\.?|"
    r"[*\s]*[\[(]?\s*((back|return|go|jump|skip)( back)? to (the )?(top( of (the )?page)?|"
    r"(citation|footnote|note|reference)( in (the )?text)?(\s*:?\s*\[\d+\])?|text|article)|"
    r"top of (the )?page)\s*[\])]?\s*[.↑^]?[*\s]*|[\[(]\s*top\s*[\])]|[↑^]\s*top|top\s*[↑^]|"
    r"(photo|image|picture)s?( credit)?\s*[:：].{1,60}|©\s?[^.。]{1,60}|"
    r"«[^|]{1,120}\|\s*main(\s*\|[^|]{1,120}»)?|main\s*\|[^|]{1,120}»|"  # Movable Type's pager
    r"trackbacks?( url( for this (entry|post))?)?\s*:?|"  # its TrackBack label (the URL stays)
    r"[•·]?\s*(post|leave|add|write) (a|your) (comment|reply)s?\s*:?|(no|\d+) comments?\s*»?|"
    r"(the )?comments (to this (entry|post) )?are (now )?closed\.?|"  # a blog's comment links
    r"pages?\s*:\s*\d+(\s+\d+)+(\s*(next|»|›))?|"  # a post split in pages: "Pages: 1 2 3"
    r"article continues( below| after (this )?(advertisement|ad))?|"  # a mark above an ad
    r"\(?[\w.'’ -]{2,40}\s*/\s*(getty images|associated press|ap( photo)?|reuters|afp|epa)"
    r"( file)?\)?|"  # a photo's credit: "Jane Doe/Getty Images"
    r"([«‹<←]\s*)?(previous|next|older|newer) (posts?|entry|entries|articles?|stor(y|ies)|pages?)"
    r"(\s*[:：]\s*.{1,80})?(\s*[»›>→])?|[«‹<←]+\s*(previous|older|newer)|(next|older|newer)\s*[»›>→]+|"
    r"(([\[【]\s*)?(返回(页首|顶部|目录|首页|列表)|返目录|关闭(本)?窗口|打印(本文|本页)?|关闭|"
    r"发表评论|我要评论|收藏(本文)?|[上下]一[页篇]|(字号|字体)\s*[:：]?\s*[大中小](\s*[大中小]){0,2})"
    r"(\s*[\]】])?\s*[|｜]?\s*)+|"
    r"(第\s*\d+\s*页\s*/\s*共\s*\d+\s*页)?\s*(<<\s*)?"  # a pager: "[上一篇] [下一篇]"
    r"([\[【]?[上下]一[页篇][\]】]?\s*[|｜]?\s*)+(>>)?)",
    re.I,
)
# A heading after which a page lists other articles: everything from it on is dropped.
_TAIL_MARKERS = frozenset(
    {
        "往期推荐",
        "推荐阅读",
        "相关阅读",
        "往期回顾",
        "延伸阅读",
        "相关文章",
        "热门推荐",
        "相关推荐",
        "相关报道",
        "相关新闻",
        "相关链接",
        "end",
        "-end-",
        "—end—",
        "the end",
    }
)

# One of those headings with the first of its articles after it on the line ("延伸阅读：另一篇
# 报道的标题", a headline: no sentence's end), anywhere in the text: a box of links set
# inside the story, not its end.
_MARKED_LINK = re.compile(
    r"\W*({})\s*[:：]\s*[^。！？]+".format(
        "|".join(sorted(m for m in _TAIL_MARKERS if has_cjk_letters(m)))
    )
)
MARKED_LINK_MAX = 60  # characters: a heading and one headline


_KEY_JUNK = re.compile(r"[\s\-—_·•]+|[:：]$")  # left out of a line matched to a marker


def tidy(lines: list[str]) -> list[str]:
    """Drop boilerplate lines; cut at a "往期推荐"-like marker in the last part of the text."""
    last_part = math.ceil(len(lines) * 0.4)
    for i, line in enumerate(lines[last_part:], last_part):
        key = _KEY_JUNK.sub("", line).lower()  # "相关报道：" too
        if key in _TAIL_MARKERS or line.strip().lower() in _TAIL_MARKERS:
            lines = lines[:i]
            break
    lines = _without_comments(lines)
    return trim_tail([line for line in lines if not _is_boilerplate(line)])


# A reader's comment signed under it, as Movable Type and TypePad sign them: "Posted by: A
# Reader | Mar 20, 2007 10:19 PM", "Posted by: A Reader at August 9, 2012 11:37 AM" (the
# post's own footer has no colon: "Posted by the author at …").
_SIGNATURE = re.compile(r"posted by\s*:\s*\S.{0,60}?\s(\||at|on)\s.{0,40}\d.{0,30}", re.I)
SIGNATURE_MAX = 140  # characters
SIGNED_MIN = 2  # signatures: one may be a post's footer, two are readers' comments
COMMENT_LINES = 10  # lines a comment may take before its signature
_DATED = re.compile(r"\b\d{1,2}:\d\d\b|\b(19|20)\d\d\b")  # a time, or a year


def _without_comments(lines: list[str]) -> list[str]:
    """``lines`` without the readers' comments, when two or more are signed
    (:data:`_SIGNATURE`): from the first comment, which begins after the last dated line
    before the first signature (the post's footer, a trackback's date), to the last
    signature. Without a dated line a few lines back, only the signatures' span goes."""
    signed = [
        i
        for i, line in enumerate(lines)
        if len(line) <= SIGNATURE_MAX and _SIGNATURE.fullmatch(line.strip())
    ]
    if len(signed) < SIGNED_MIN:
        return lines
    start = signed[0]
    for i in range(signed[0] - 1, max(-1, signed[0] - 1 - COMMENT_LINES), -1):
        if _DATED.search(lines[i]):
            start = i + 1
            break
    return lines[:start] + lines[signed[-1] + 1 :]


# A newspaper's note on the story's printed edition, at its end ("A version of this article
# appears in print on 11/06/2012, on page D6 of the New York edition", "This article was
# originally published on page 20 of The Daily News on …"): the paper's, not the story.
_IN_PRINT = re.compile(
    r"\W*(a version of this (article|story|review|op-ed|column|essay|interview)|"
    r"this (article|story) (was )?(originally |first )?(published|appeared|appears))\b.{0,60}"
    r"\b(in print|on page|print edition)\b",
    re.I,
)
IN_PRINT_MAX = 300  # characters: the note may quote the printed headline


# A page's counters, the English kin of _BOILERPLATE's "阅读次数：123": an item of a "most
# viewed" list with its count ("- Our best recipe - 23,886 views"), a hit counter ("1,234
# hits since May 1, 1998", "You are visitor number 53648", "This page has been viewed 812
# times"), a bar of the author's profiles with their counts ("Twitter (17,951 followers) •
# Facebook (3,507 likes)").
_COUNTER = re.compile(
    r".{1,80}?\s*[(|•·–—-]\s*[\d,.]+k?\s+(views|hits|reads|pageviews)\)?|"
    r"([\d,]+\s+)?(hits|visitors|visits|views) since [^.]{1,40}\.?|"
    r"you are (visitor|reader) (number |no\.? ?|#)?[\d,]+\.?|"
    r"this (page|site|article|post) has been (visited|viewed|accessed|read) [\d,]+ times"
    r"( since [^.]{1,40})?\.?|(get a )?(free )?\w* ?hit counter|"
    r"([\w.+' -]{1,30}\(\s*[\d,.]+k?\s+(followers|likes|fans|subscribers|contacts)\s*\)"
    r"[\s•·|,]*)+",
    re.I,
)
COUNTER_MAX = 100


def _is_boilerplate(line: str) -> bool:
    if len(line) <= 60 and (_BOILERPLATE.search(line) or _DATELINE.search(line)):
        return True
    if len(line) <= COPYRIGHT_MAX and _COPYRIGHT.fullmatch(line):
        return True
    if len(line) <= NOTICE_MAX and "reserved" in line.lower() and _NOTICE.fullmatch(line.strip()):
        return True
    if len(line) <= COUNTER_MAX and _COUNTER.fullmatch(line.strip(" ,|")):
        return True
    if len(line) <= MARKED_LINK_MAX and _MARKED_LINK.fullmatch(line):
        return True
    return bool(
        _UI_LINE.fullmatch(line)
        or _DATED_LINK.fullmatch(line)
        or _TOOLS_LINE.fullmatch(line)
        or (len(line) <= IN_PRINT_MAX and _IN_PRINT.match(line))
    )


# An article's toolbar, a line of its tools' labels and nothing else: print, e-mail to a
# friend, text size, social bookmarking and share buttons ("Printer-friendly version
# Email-a-friend Respond", "del.icio.us | Digg it | Reddit | Newsvine", "Buffer", "Pin It").
# One label alone is _UI_LINE's ("Print").
_TOOL = (
    r"(print(er)?[- ]?friendly( version| page| format)?|print( this)?( article| story| page)?|"
    r"e-?mail( this)?( article| story| page)?( to a friend)?|e-?mail[- ]a[- ]friend|"
    r"send (this )?(article |story )?to (a )?friends?( by e-?mail)?|text size|respond|"
    r"translate|digg( it| this( story)?)?|(add to )?del\.icio\.us|reddit|newsvine|now ?public|"
    r"technorati|tailrank|fark|furl|stumble ?upon|facebook|twitter|linkedin|bookmark( this)?|"
    r"delicious|pdf|printable version|e-?mail this post|(e-?mail|easy) (story|print)|"
    r"buffer|pinterest|pin it|tumblr|google\+|whatsapp|flipboard|instapaper)"
)
# The label that may open the toolbar, before its links ("Post this story to: Digg | Reddit",
# "Share this article: Facebook Twitter"): a label alone, or before words, stays.
_TOOLS_LABEL = (
    r"((share|post|save|bookmark|bookmark ?/ ?search)( this| the)?( story| article| post| page)?"
    r"( to| with| on)?\s*:\s*)?"
)
_TOOLS_LINE = re.compile(rf"[\s|•·]*{_TOOLS_LABEL}{_TOOL}([\s|•·,/]+{_TOOL})*[\s|•·]*", re.I)


# A line that is a copyright notice, the mark then a year or "all rights reserved"
# ("Copyright 2012 Some Paper, Inc. All Rights Reserved", "(c) 2008 Some Site"): the site's,
# not the article's. A longer line is a wire agency's terms of reuse, which some sets' gold
# keeps (scrapinghub's AP stories); "Copyright law says…" is a sentence. Not
# site_names._COPYRIGHT, which finds where a notice's holder starts inside the footer's
# text ("© Acme", "Copyright 2008 Acme"): this one judges a whole line, and wants a year
# or "All rights reserved" after the mark.
COPYRIGHT_MAX = 80
_COPYRIGHT = re.compile(
    r"\W{0,2}(copyright\b|©|\(c\))\s*(©|\(c\))?\s*"
    r"((19|20)\d\d\b.*|.*\ball rights reserved\W*)",
    re.I,
)
# The notice with the holder's name or a label before the mark, closed by "All rights
# reserved" ("Some Blog © 2005-2012 Copyright by A. Author. All Rights Reserved.", "Created
# in 1996 © by A. Author. All rights reserved."): the wire agency's terms of reuse go on
# after those words, and stay.
NOTICE_MAX = 120
_NOTICE = re.compile(r".{0,60}?(copyright\b|©|\(c\)).{0,80}\ball rights reserved\W*", re.I)
