"""What a Chinese page's credit line calls a person, and what it calls an organisation.

A Chinese news page credits people with their employer and role in front
(``新华社记者 王小明``, ``本报实习生 李四``); the zh-handcrafted gold keeps the person alone
(``新京报记者 彭冲`` is 彭冲, ``总台记者 张倩`` is 张倩), so :func:`person_part` drops the
rest. A name that no label announces must look like a name: two or three characters after
a common one-character surname, or two after a two-character one (欧阳, 司马), none of
them a word that ends an organisation's or a picture's credit (``新华社``, ``组图``).
:func:`organisation` tells a meta author that is a site, a paper or an agency
(``人民网``) from a person, :func:`software` one that credits the forum's software
(``Discuz! Team``).
"""

from __future__ import annotations

import re

from digest.text.cjk import HAN

# Names no label announces, each of two to four characters: "王小明", "王小明、李四",
# "欧阳小明 李四"
NAMES = rf"[{HAN}]{{2,4}}(?:(?:、|[ 　]+)[{HAN}]{{2,4}}){{0,3}}"
# Common Chinese surnames of one character, which such a name must start with; not those
# that mostly start other words (原, 新, 时, 文, 来, 本, 全).
_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶"
    "程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎"
    "贺顾毛郝龚邵万钱严覃武戴莫孔向汤常温康施牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧"
    "耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙"
    "鲍华喻祁蒲房滕屈饶解牟艾尤阳穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米"
    "柏宗瞿桂佟臧闵苟邬边卞姬师仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩佘池查麻苑迟邝封谈匡鞠惠"
    "荆乐冀郁胥班储栗燕楚鄢劳谌奚皮粟冼蔺楼闻厉伊仝郜阚权帅屠朴练廉禹井祖漆巴丰支卿狄计索"
    "宣晋芮阙浦戈伏鹿薄邸雍辜裘亓修邰赫杭况宿鲜逯隆茹诸慕嵇亢湛戎茅揭尉冶檀展昝智幸奉衡尧"
    "风"
)
# Two-character surnames, the ones still borne by many: a name of three or four
# characters may start with one ("欧阳修", "司马小明").
_PAIRS = "欧阳司马诸葛上官东方慕容皇甫令狐夏侯公孙长孙宇文尉迟端木申屠司徒轩辕西门"
_COMPOUND_SURNAMES = frozenset(_PAIRS[i : i + 2] for i in range(0, len(_PAIRS), 2))
# A name's start, as a pattern: a two-character surname or a common one-character one
SURNAME = rf"(?:{'|'.join(sorted(_COMPOUND_SURNAMES))}|[{''.join(sorted(_SURNAMES))}])"
# The last character of an organisation, a place or a picture credit, not of a name.
_NOT_A_NAME = re.compile(r"[社网报台站刊部局院委会司厂校所处组图完续区县市省界道]$")
# Roles in a credit: "新华社记者 王小明" (the organisation before the first one too, a
# name of up to 12 characters without a space: 总台, 新京报, 顶端新闻·河南商报),
# "王小明 通讯员 李四"
_ROLES = r"(?:记者|通讯员|实习生|评论员|特约撰稿人|撰稿人)"
_FIRST_ROLE = re.compile(rf"^[^ 　]{{0,12}}?{_ROLES}[ 　]*(?=\S)")
_LATER_ROLE = re.compile(rf"(?:[ 　]+|、){_ROLES}[ 　]*(?=[{HAN}])")
# The next field's label, glued to the name when a page writes its fields on one line
# without spaces ("作者：王小明来源：某报", "作者：赵婕 出自…")
_NEXT_LABEL = re.compile(
    r"(?<=\S\S)[ 　]*(?:来源|出自|出处|时间|日期|发布|发表|点击|浏览|阅读|编辑|更新).*$"
)
# A meta author that names an organisation (人民网, 新华社, 某某日报, 某某公司)
_ORGANISATION = re.compile(r"(?:[社网报台站刊]|中心|集团|公司|杂志|频道|新闻|编辑部)$")
# The software a forum or a site runs on, which its template puts in the author meta
# ("Discuz! Team and Comsenz UI Team" on every Discuz! page, "DedeCMS", "PHPWind"), or
# names alone as a blog's markup shows it ("WordPress", "Blogger")
_SOFTWARE = re.compile(
    r"discuz|comsenz|phpwind|dedecms|phpcms|帝国cms|powered by"
    r"|^(?:wordpress|blogger|typepad|tumblr|joomla!?|drupal)(?:\.com)?$",
    re.I,
)


def person_part(credit: str) -> str:
    """The people of a credit without their organisation, roles and the next field's label
    (``新华社记者 王小明`` -> ``王小明``, ``王小明 通讯员 李四`` -> ``王小明 李四``,
    ``王小明来源`` -> ``王小明``); other credits as they are."""
    people = _LATER_ROLE.sub(" ", _FIRST_ROLE.sub("", credit, count=1))
    return _NEXT_LABEL.sub("", people) or credit


def unlabelled(text: str) -> bool:
    """Chinese names and nothing else, each with a common surname first and none a word
    for an agency, a place, a picture or the end (``新华社``, ``组图``, ``完``)."""
    if not re.fullmatch(NAMES, text.strip()):
        return False
    return all(_name_like(n) for n in re.split(r"[、 　]+", text.strip()))


def _name_like(name: str) -> bool:
    if _NOT_A_NAME.search(name):
        return False
    if name[:2] in _COMPOUND_SURNAMES:
        return len(name) in (3, 4)
    return name[0] in _SURNAMES and len(name) <= 3


def organisation(name: str) -> bool:
    """A site, a paper or an agency rather than a person (``人民网``, ``新华社``)."""
    return bool(_ORGANISATION.search(name.strip()))


def software(name: str) -> bool:
    """The software a page was made with, credited as its author (``Discuz! Team``,
    ``WordPress``)."""
    return bool(_SOFTWARE.search(name))
