"""Pinyin initials: read character by character where that is provably what pypinyin gives
the whole name, by pypinyin otherwise; either way the same letters as pypinyin's."""

from __future__ import annotations

from pypinyin import Style, lazy_pinyin

from minqing.core import names
from minqing.core.demo import people


def pypinyin_initials(name: str) -> str:
    """The letters as lazy_pinyin gives them for the whole name, with the surname rules."""
    name = "".join(name.split())
    if not name:
        return ""
    letters = lazy_pinyin(name, style=Style.FIRST_LETTER, errors=lambda chars: list(chars.lower()))
    out = [s[:1].lower() for s in letters if s]
    if name[0] in names.SURNAME_INITIALS and out:
        out[0] = names.SURNAME_INITIALS[name[0]]
    return "".join(out)


ODD = [
    "",
    " ",
    "王 秀英",
    "李长江",  # 长江 is a phrase: read as one word (cháng jiāng)
    "长江",
    "曾国藩",
    "单田芳",
    "乐嘉",
    "朴重",
    "重庆",
    "解放军",
    "阿卜杜·热合曼",
    "Tom李",
    "李Tom",
    "王〇明",
    "䶮",
    "ΣΑΣ李",
    "İ王",
]


def test_initials_are_pypinyins_for_every_demo_name_shape():
    chars = sorted(set(people.MALE_CHARS + people.FEMALE_CHARS + people.RARE_CHARS))
    surnames = [s for s, _ in people.SURNAMES] + sorted(names.SURNAME_INITIALS)
    every = [s + c for s in surnames for c in chars]
    every += [s + a + b for s in "王曾长" for a in "长东春" for b in chars]  # 长江, 东华, 长春
    names.initials.cache_clear()
    for name in [*ODD, *every]:
        assert names.initials(name) == pypinyin_initials(name), name
    assert names.initials("李长江") == "lcj" and names.initials("曾国藩") == "zgf"
    # most names take the short way; those holding a phrase (长江) do not
    assert names._by_character("王秀英") is not None and names._by_character("李长江") is None
