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
    out = _by_character(name)
    if out is None:
        from pypinyin import Style, lazy_pinyin  # on first use, not at start-up

        letters = lazy_pinyin(name, style=Style.FIRST_LETTER, errors=_as_typed)
        out = [s[:1].lower() for s in letters if s]
    if name[0] in SURNAME_INITIALS and out:
        out[0] = SURNAME_INITIALS[name[0]]
    return "".join(out)


def _as_typed(chars: str) -> list[str]:
    """pypinyin's answer for characters without a reading: themselves, lower case."""
    return list(chars.lower())


def _by_character(name: str) -> list[str] | None:
    """The letters lazy_pinyin gives `name`, character by character, when that is provably
    the same (else None; a demo builds ten thousand names, and lazy_pinyin costs ~25 µs each).

    pypinyin reads a run of Chinese characters by cutting it into words: a word in its
    phrase dictionary gets the phrase's readings, any other word each character's first
    reading. So when the name is all Chinese characters, each with a reading, and no part of
    it is a phrase, every word is read character by character, exactly as each character
    alone is: the name's letters are its characters' letters in a row. Anything else
    (a phrase inside, 建国; a letter or a character without a reading) goes to lazy_pinyin.
    """
    from pypinyin.constants import PHRASES_DICT, PINYIN_DICT, RE_HANS

    if not RE_HANS.match(name):
        return None
    for i, char in enumerate(name):
        if ord(char) not in PINYIN_DICT:
            return None
        for j in range(i + 1, len(name) + 1):
            if name[i:j] in PHRASES_DICT:
                return None
    return [letter for char in name for letter in _character(char)]


@lru_cache(maxsize=8192)  # one entry per character: the common ones fit
def _character(char: str) -> tuple[str, ...]:
    from pypinyin import Style, lazy_pinyin

    letters = lazy_pinyin(char, style=Style.FIRST_LETTER, errors=_as_typed)
    return tuple(s[:1].lower() for s in letters if s)
