"""The shipped CJK fonts, per-character fallback, and a `Pen` that never drops a character.

reportlab draws a character the font lacks as an empty box or nothing at all, and the user
finds out only on paper. So every string is split into runs by the first font that has each
character (main, then fallback); characters no font has are drawn as □ and recorded in
`Pen.missing`, which the document returns to the caller to show the user.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.colors import black, toColor
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from minqing.paths import resources_dir

MAIN = "MinqingMicroHei"
FALLBACK = "MinqingZenHei"
SONG = "MinqingSong"  # AR PL UMing (宋体 style): titles and body of official sheets
PLACEHOLDER = "□"

FONT_FILES = [
    (MAIN, "wqy-microhei.ttc"),
    (FALLBACK, "wqy-zenhei.ttc"),
    (SONG, "uming-gb2312.ttf"),
]
# The fonts tried in turn for each character, by face.
FACES = {"sans": (MAIN, FALLBACK), "song": (SONG, MAIN, FALLBACK)}

# Characters that must not begin a line (避头) or end one (避尾) in Chinese typesetting.
NO_LINE_START = set("，。、；：？！）》」』】〕〉”’…—·,.;:?!)]}%")
NO_LINE_END = set("（《「『【〔〈“‘([{")


def fonts_dir() -> Path:
    return resources_dir() / "fonts"


@functools.cache
def register_fonts() -> tuple[str, ...]:
    """Register the shipped fonts once per process; returns their names, main first."""
    names = []
    for name, filename in FONT_FILES:
        path = fonts_dir() / filename
        if not path.exists():
            continue
        pdfmetrics.registerFont(TTFont(name, str(path), subfontIndex=0))
        names.append(name)
    if MAIN not in names:
        from minqing.core.errors import MinqingError

        raise MinqingError(
            f"找不到打印用的字体文件：{fonts_dir() / FONT_FILES[0][1]}。请重新安装本程序。"
        )
    return tuple(names)


@functools.cache
def _cmap(name: str) -> frozenset[int]:
    return frozenset(pdfmetrics.getFont(name).face.charToGlyph)


def _chain(face: str) -> tuple[str, ...]:
    registered = register_fonts()
    return tuple(n for n in FACES.get(face, FACES["sans"]) if n in registered)


def font_for(char: str, face: str = "sans") -> str | None:
    """The first shipped font of the face that has the character; None when none has it."""
    chain = _chain(face)
    code = ord(char)
    if code < 0x20 or char in "\u3000":
        return chain[0]
    for name in chain:
        if code in _cmap(name):
            return name
    return None


def missing_characters(text: str) -> str:
    """The distinct characters of `text` that no shipped font can draw, in order of appearance."""
    seen: dict[str, None] = {}
    for char in text:
        if not char.isspace() and font_for(char) is None:
            seen.setdefault(char, None)
    return "".join(seen)


@functools.lru_cache(maxsize=20000)
def runs(text: str, face: str = "sans") -> tuple[tuple[str, str], ...]:
    """Split text into (font name, substring) runs; unknown characters become □ in the main font."""
    out: list[tuple[str, str]] = []
    main = register_fonts()[0]
    for char in text:
        name = font_for(char, face)
        if name is None:
            name, char = main, PLACEHOLDER
        if out and out[-1][0] == name:
            out[-1] = (name, out[-1][1] + char)
        else:
            out.append((name, char))
    return tuple(out)


@functools.lru_cache(maxsize=50000)
def text_width(text: str, size: float, face: str = "sans") -> float:
    return sum(pdfmetrics.stringWidth(part, name, size) for name, part in runs(text, face))


# Units and suffixes that stay with the number before them (126号, 3号楼, 12345热线, 3个工作日),
# longest first so 号楼 wins over 号.
UNITS = sorted(
    (
        "号楼 号院 单元 热线 工作日 小时 分钟 平方米 万元 号 楼 室 层 栋 幢 户 人 件 个 次 天 年 月 日 "
        "时 分 元 米 岁 项 页 张 份 条 期 周 %"
    ).split(),
    key=len,
    reverse=True,
)
# Words the office keeps on one line; `set_no_break_words` adds its own.
NO_BREAK_WORDS = [
    "办理时限",
    "院落",
    "水电费",
    "开箱",
    "居委会",
    "社区",
    "片区",
    "网格员",
    "责任人",
    "五件制",
    "工作日",
    "公示期",
    "满意度",
    "承诺",
    "党支部",
]


def set_no_break_words(words: Iterable[str]) -> None:
    """The office's own unbreakable words, besides the built-in ones."""
    for word in words:
        word = word.strip()
        if len(word) >= 2 and word not in NO_BREAK_WORDS:
            NO_BREAK_WORDS.append(word)
    NO_BREAK_WORDS.sort(key=len, reverse=True)
    _tokens.cache_clear()


NO_BREAK_WORDS.sort(key=len, reverse=True)


def _latin(char: str) -> bool:
    return char.isascii() and (char.isalnum() or char in "-_@./:+#*")


@functools.lru_cache(maxsize=20000)
def _tokens(text: str) -> tuple[str, ...]:
    """Break opportunities: each CJK character alone, except the office's words; Latin words
    and numbers kept whole, with the unit after a number; no closing punctuation at a line's
    start, no opening one at its end."""
    tokens: list[str] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if _latin(char):
            j = i
            while j < n and _latin(text[j]):
                j += 1
            if text[j - 1].isdigit():
                for unit in UNITS:
                    if text.startswith(unit, j):
                        j += len(unit)
                        break
        else:
            j = i + 1
            if "\u4e00" <= char <= "\u9fff":
                for word in NO_BREAK_WORDS:
                    if text.startswith(word, i):
                        j = i + len(word)
                        break
        token = text[i:j]
        if tokens and (token[0] in NO_LINE_START or tokens[-1][-1] in NO_LINE_END):
            tokens[-1] += token
        else:
            tokens.append(token)
        i = j
    return tuple(tokens)


def wrap(text: str, width: float, size: float, face: str = "sans") -> list[str]:
    """Lines of at most `width` points; honours newlines and Chinese line-breaking rules."""
    lines: list[str] = []
    for paragraph in text.replace("\r\n", "\n").split("\n"):
        line = ""
        for token in _tokens(paragraph.strip()):
            if text_width(line + token, size, face) <= width or not line:
                if not line and text_width(token, size, face) > width:
                    # a token wider than the line (a long number): break it by characters
                    for char in token:
                        if line and text_width(line + char, size, face) > width:
                            lines.append(line)
                            line = ""
                        line += char
                    continue
                line += token
            else:
                lines.append(line)
                line = token.lstrip()
        lines.append(line)
    return lines


def clip_lines(
    lines: list[str], count: int, width: float, size: float, face: str = "sans"
) -> list[str]:
    """At most `count` lines; when text is cut the last line ends with … so the cut shows."""
    if len(lines) <= count:
        return lines
    kept = lines[:count]
    last = kept[-1]
    while last and text_width(last + "…", size, face) > width:
        last = last[:-1]
    kept[-1] = last + "…"
    return kept


def fit_lines(
    text: str, width: float, size: float, minimum: float, max_lines: int = 2, face: str = "sans"
) -> tuple[float, list[str]]:
    """Never cut: one line shrunk down to `minimum`; else wrapped at `minimum` and below
    (to 85% of it) until it takes at most `max_lines`; else all lines at the smallest size."""
    at = size
    while at > minimum and text_width(text, at, face) > width:
        at -= 0.25
    if text_width(text, at, face) <= width:
        return at, [text]
    at = minimum
    while True:
        lines = wrap(text, width, at, face)
        if len(lines) <= max_lines or at <= minimum * 0.85:
            return at, lines
        at -= 0.25


@dataclass
class Pen:
    """Draws text on a canvas through the fallback chain and remembers what it could not draw."""

    canvas: Canvas
    missing: dict[str, str] = field(default_factory=dict)  # character → first text it was in
    face: str = "sans"  # "song" for the body of official sheets
    _encoded: dict[tuple[str, str], list[tuple[str, str]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        register_fonts()

    def note(self, text: str) -> None:
        for char in missing_characters(text):
            self.missing.setdefault(char, text)

    def text(
        self,
        x: float,
        y: float,
        text: str,
        size: float,
        *,
        align: str = "left",
        bold: bool = False,
        color: object = None,
    ) -> float:
        """Draw one line; returns its width. `bold` fakes a heavier stroke."""
        if not text:
            return 0.0
        parts = runs(text, self.face)
        if any(part == PLACEHOLDER or PLACEHOLDER in part for _, part in parts):
            self.note(text)
        width = text_width(text, size, self.face)
        if align == "center":
            x -= width / 2
        elif align == "right":
            x -= width
        self.canvas._code.append(self._operators(parts, x, y, size, bold, color))
        return width

    def _operators(
        self,
        parts: tuple[tuple[str, str], ...],
        x: float,
        y: float,
        size: float,
        bold: bool,
        color: object,
    ) -> str:
        """The text as PDF operators, written straight into the page: reportlab's text
        object costs ~5x more per call, which thousands of cards feel. Each (font, text)
        run's subset codes are assigned once per document and remembered."""
        rgb = _rgb(color)
        ops = [f"q BT {rgb} rg"]
        if bold:
            ops.append(f"{rgb} RG 2 Tr {size * 0.035:.3f} w")
        ops.append(f"1 0 0 1 {x:.2f} {y:.2f} Tm")
        doc = self.canvas._doc
        for name, part in parts:
            encoded = self._encoded.get((name, part))
            if encoded is None:
                font = pdfmetrics.getFont(name)
                encoded = [
                    (font.getSubsetInternalName(subset, doc), self.canvas._escape(chunk))
                    for subset, chunk in font.splitString(part, doc)
                ]
                self._encoded[name, part] = encoded
            for font_name, chunk in encoded:
                ops.append(f"{font_name} {size:g} Tf ({chunk}) Tj")
        ops.append("ET Q")
        return " ".join(ops)

    def fit_size(self, text: str, width: float, size: float, minimum: float) -> float:
        """The largest size ≤ `size` (not below `minimum`) at which the line fits `width`."""
        while size > minimum and text_width(text, size, self.face) > width:
            size -= 0.25
        return size

    def fitted(
        self, x: float, y: float, text: str, width: float, size: float, minimum: float, **kw: object
    ) -> float:
        """One line shrunk to fit; if even `minimum` is too wide, clipped with …."""
        size = self.fit_size(text, width, size, minimum)
        if text_width(text, size, self.face) > width:
            text = clip_lines([text, ""], 1, width, size, self.face)[0]
        self.text(x, y, text, size, **kw)  # type: ignore[arg-type]
        return size

    def paragraph(
        self,
        x: float,
        y: float,
        text: str,
        width: float,
        size: float,
        *,
        leading: float | None = None,
        max_lines: int = 1000,
        **kw: object,
    ) -> float:
        """Wrapped text from baseline `y` downwards; returns the baseline after the last line."""
        leading = leading or size * 1.35
        lines = clip_lines(wrap(text, width, size, self.face), max_lines, width, size, self.face)
        for line in lines:
            self.text(x, y, line, size, **kw)  # type: ignore[arg-type]
            y -= leading
        return y


@functools.lru_cache(maxsize=64)
def _rgb(color: object) -> str:
    r, g, b = toColor(color if color is not None else black).rgb()
    return f"{r:.3f} {g:.3f} {b:.3f}"


def check_text(texts: Iterable[str]) -> str:
    """All characters across `texts` that no shipped font has (for checks before a batch)."""
    return missing_characters("".join(texts))
