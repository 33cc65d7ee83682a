"""Pinyin initials of names, so the desk can type “wyj” for 王毓吉."""

from __future__ import annotations

from functools import lru_cache

# pypinyin reads these characters by their common reading; as surnames they read otherwise.
SURNAME_INITIALS = {
    "曾": "z",
    "单": "s",
    "仇": "q",
    "解": "x",
    "朴": "p",
    "区": "o",
    "查": "z",
    "盖": "g",
    "缪": "m",
    "覃": "q",
    "乐": "y",
    "翟": "z",
    "尉": "y",
    "员": "y",
    "折": "s",
    "召": "s",
    "种": "c",
    "秘": "b",
    "繁": "p",
    "藏": "z",
    "沈": "s",
    "长": "c",
    "重": "c",
    "宁": "n",
}


@lru_cache(maxsize=4096)
def initials(name: str) -> str:
    name = "".join(name.split())
    if not name:
        return ""
    from pypinyin import Style, lazy_pinyin  # on first use, not at start-up

    letters = lazy_pinyin(name, style=Style.FIRST_LETTER, errors=lambda chars: list(chars.lower()))
    out = [s[:1].lower() for s in letters if s]
    if name[0] in SURNAME_INITIALS and out:
        out[0] = SURNAME_INITIALS[name[0]]
    return "".join(out)
