"""Each service window's keyword list: what residents say when they mean that window.

Stored on the window (`Window.keywords`, one text), edited by the administrator, and read by
the suggestion model (suggest.py), which leans on it alone until the office has closed cases
of its own. The defaults are the words residents use at the desk — including the everyday
and the misspelt ones (暖器, 底保) — not the office's own vocabulary.
"""

from __future__ import annotations

import re

from peewee import Database

from minqing.core.accounts import audit, permissions
from minqing.core.errors import DomainError
from minqing.core.models import Staff, Window, database_proxy

MAX_KEYWORDS = 200
MAX_KEYWORD_LEN = 12

DEFAULT_KEYWORDS: dict[str, str] = {
    "城建城管": (
        "暖气、暖器、供暖、供热、取暖、采暖、热乎、不热、冰凉、冻得、下水、返水、反水、"
        "冒水、地漏、堵了、堵塞、疏通、化粪池、反味、漏水、渗水、滴水、漏雨、防水、顶棚、"
        "天棚、屋顶、房顶、屋面、自来水、停水、没水、水管、管子、水压、发黄、井盖、路面、"
        "坑洼、积水、马路、路牙、楼道灯、声控灯、灯坏、单元门、门禁、门锁、墙皮、外墙、"
        "掉皮、窗户、玻璃、垃圾、清运、环卫、苍蝇、臭、私搭、违建、乱建、棚子、"
        "占道、摆摊、小广告、树枝、大树、绿化、路灯、乱停、停车、地锁"
    ),
    "民政低保": (
        "低保、底保、低宝、最低生活保障、救助、救济、困难补助、补助、特困、五保、孤寡、"
        "揭不开锅、过不下去、生活困难、家庭困难、没钱、交不起、廉租房、公租房、租房补贴、"
        "住房补贴、低保金、年审、复审、低收入、贫困、困难户、"
        "高龄、高龄补贴、高龄津贴、长寿补贴、百岁、孤儿、火化、殡葬、结婚登记、婚姻登记"
    ),
    "司法调解": (
        "调解、纠纷、矛盾、吵架、吵起来、打起来、骂人、闹翻、评理、公道、邻居、邻里、"
        "对门、楼上、楼下、咚咚、噪音、装修、砸墙、狗、离婚、两口子、赡养、没人养、儿子、"
        "儿媳、兄妹、兄弟、遗产、继承、分家、房产、欠钱、借钱、不还、打官司、法律、律师、"
        "物业费、停车费"
    ),
    "社会保障": (
        "社保卡、退休金、退休工资、养老金、养老经、认证、生存认证、资格认证、"
        "丧葬费、抚恤金、工伤、少发、停发、激活、"
        "补办社保卡、失业金、提前退休"
    ),
    "再就业": (
        "就业、再就业、失业、下岗、失业证、找工作、工作、找活、活干、活儿、公益岗、"
        "公益性岗位、岗位、招聘、培训、技能、手艺、学个、创业、贷款、开店、小店、小买卖、"
        "扶持、辞了、厂子、毕业、育婴师、家政、保洁"
    ),
    "养老保险": (
        "养老保险、交养老、缴养老、缴费、交社保、补缴、补交、断交、断缴、续交、接着交、"
        "灵活就业、个体户、缴费年限、交够、十五年、缴费记录、转回、转移、城乡居民养老"
    ),
    "医疗保险": (
        "医保、一宝、医疗保险、报销、报多少、住院、门诊、看病、医药费、药费、慢病、"
        "慢性病、大病、二次报销、异地就医、备案、参保、医保卡、新生儿、新农合、合作医疗"
    ),
    "残疾人": (
        "残疾、残急、残疾证、残联、轮椅、拐杖、助听器、假肢、截肢、聋、哑、盲人、看不见、"
        "听不见、智力障碍、智障、瘫、腿不好、坡道、无障碍、护理补贴、代缴、代购"
    ),
    "精神文明": (
        "文明、志愿者、志愿、文艺、演出、联欢、活动、读书会、表扬、表彰、好人好事、评选、"
        "五好家庭、文明楼院、宣传、公约、大扫除、学雷锋、重阳节、随地吐痰、乱扔"
    ),
    "综合治理": (
        "治安、巡逻、小偷、被偷、偷、丢了、丢车、撬、盗、生人、陌生人、可疑、来路不明、"
        "出租屋、出租房、租户、群租、流动人口、监控、"
        "摄像头、骗子、诈骗、传销、赌、赌钱、吸毒、闹事、喝酒、派出所、报警、警务室、"
        "害怕"
    ),
    "计划生育": (
        "生育登记、生育、生孩子、二胎、三胎、准生证、计生、独生子女、光荣证、奖励金、"
        "失独、怀孕、孕妇、母子手册、产检、出生证、育儿补贴"
    ),
    "安全生产": (
        "煤气、燃气、天然气、液化气、漏气、煤气罐、气罐、电线、扯电线、私拉、飞线、充电、"
        "电动车、电瓶车、消防、灭火器、着火、火灾、隐患、工地、脚手架、作坊、油桶、易燃、"
        "锅炉、爆炸、烟花、安全生产、电梯、困人、汽油、消防通道"
    ),
}


_SPLIT = re.compile(r"[\s,，、;；/|]+")


def parse(text: str) -> list[str]:
    """“暖气，下水 井盖、暖气” → ['暖气', '下水', '井盖']: any separator, no repeats, in order."""
    seen: dict[str, None] = {}
    for word in _SPLIT.split(text or ""):
        word = word.strip()
        if word:
            seen.setdefault(word, None)
    return list(seen)


def join(words: list[str] | tuple[str, ...]) -> str:
    return "、".join(words)


def window_keywords() -> dict[int, list[str]]:
    """The active windows' keyword lists, by window id."""
    return {
        w.id: parse(w.keywords)
        for w in Window.select(Window.id, Window.keywords).where(Window.active == True)  # noqa: E712
    }


def set_keywords(actor: Staff | None, window: Window, text: str) -> list[str]:
    """Replace a window's keyword list; returns the list as stored."""
    permissions.require(actor, "windows.edit")
    words = parse(text)
    long = [w for w in words if len(w) > MAX_KEYWORD_LEN]
    if long:
        raise DomainError(
            "keywords", f"关键词“{long[0]}”太长：每个关键词最多{MAX_KEYWORD_LEN}个字，请拆短。"
        )
    if len(words) > MAX_KEYWORDS:
        raise DomainError("keywords", f"关键词最多{MAX_KEYWORDS}个，请删去一些。")
    stored = join(words)
    with database_proxy.atomic():
        old = Window.get_by_id(window.id).keywords
        if old != stored:
            Window.update(keywords=stored).where(Window.id == window.id).execute()
            audit.record(actor, "window", window.id, window.name, "update", "keywords", old, stored)
    window.keywords = stored
    return words


def seed_defaults() -> None:
    """Give the standard windows that have no keywords yet their default lists."""
    for name, words in DEFAULT_KEYWORDS.items():
        Window.update(keywords=join(parse(words))).where(
            (Window.name == name) & (Window.keywords == "")
        ).execute()


# Words the first default lists gave a window whose remit does not hold them (the office's
# division of work: street lights and parking are 城建城管, elderly allowances 民政低保, stuck
# elevators 安全生产): (word, the window it was in, the window it belongs to or None).
MOVED: tuple[tuple[str, str, str | None], ...] = (
    *((w, "社会保障", "民政低保") for w in ("高龄", "高龄补贴", "高龄津贴", "长寿补贴", "百岁")),
    *((w, "综合治理", "城建城管") for w in ("路灯", "乱停", "停车")),
    ("救护车", "综合治理", None),
    ("地下室", "综合治理", None),
    ("电梯", "城建城管", "安全生产"),
)


def move_to_remit(database: Database) -> None:
    """Schema 16: an office's list still holding a word of the first defaults that the window's
    remit does not hold gives it to the window it belongs to (unless another list has it)."""
    with database.bind_ctx([Window]):
        lists = {w.name: (w, parse(w.keywords)) for w in Window.select()}
        changed: set[str] = set()
        for word, old, new in MOVED:
            if old not in lists or word not in lists[old][1]:
                continue
            lists[old][1].remove(word)
            changed.add(old)
            elsewhere = any(word in words for words in (v[1] for v in lists.values()))
            if new in lists and not elsewhere and len(lists[new][1]) < MAX_KEYWORDS:
                lists[new][1].append(word)
                changed.add(new)
        for name in changed:
            window, words = lists[name]
            Window.update(keywords=join(words)).where(Window.id == window.id).execute()


def migrate(database: Database) -> None:
    """Schema 8: the keyword column on windows, seeded for the standard windows."""
    columns = {c.name for c in database.get_columns("window")}
    if "keywords" not in columns:
        # plain ALTER: peewee's migrator rebuilds the table on SQLite, which cases refer to
        database.execute_sql(
            """ALTER TABLE "window" ADD COLUMN keywords TEXT NOT NULL DEFAULT ''"""
        )
    seed_defaults()
