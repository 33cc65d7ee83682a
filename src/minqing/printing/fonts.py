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

from reportlab.lib.colors import black
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from minqing.paths import resources_dir

MAIN = "MinqingMicroHei"
FALLBACK = "MinqingZenHei"
PLACEHOLDER = "□"

FONT_FILES = [(MAIN, "wqy-microhei.ttc"), (FALLBACK, "wqy-zenhei.ttc")]

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


def font_for(char: str) -> str | None:
    """The first shipped font that has the character; None when none has it."""
    code = ord(char)
    if code < 0x20 or char in "\u3000":
        return register_fonts()[0]
    for name in register_fonts():
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
def runs(text: str) -> tuple[tuple[str, str], ...]:
    """Split text into (font name, substring) runs; unknown characters become □ in the main font."""
    out: list[tuple[str, str]] = []
    main = register_fonts()[0]
    for char in text:
        name = font_for(char)
        if name is None:
            name, char = main, PLACEHOLDER
        if out and out[-1][0] == name:
            out[-1] = (name, out[-1][1] + char)
        else:
            out.append((name, char))
    return tuple(out)


@functools.lru_cache(maxsize=50000)
def text_width(text: str, size: float) -> float:
    return sum(pdfmetrics.stringWidth(part, name, size) for name, part in runs(text))


def _tokens(text: str) -> list[str]:
    """Break opportunities: each CJK character alone, Latin words and numbers kept whole."""
    tokens: list[str] = []
    for char in text:
        latin = char.isascii() and (char.isalnum() or char in "-_@./:+#*")
        if (
            tokens
            and latin
            and tokens[-1][-1:].isascii()
            and (tokens[-1][-1].isalnum() or tokens[-1][-1] in "-_@./:+#*")
        ):
            tokens[-1] += char
        elif tokens and (char in NO_LINE_START or tokens[-1][-1] in NO_LINE_END):
            tokens[-1] += char
        else:
            tokens.append(char)
    return tokens


def wrap(text: str, width: float, size: float) -> list[str]:
    """Lines of at most `width` points; honours newlines and Chinese line-breaking rules."""
    lines: list[str] = []
    for paragraph in text.replace("\r\n", "\n").split("\n"):
        line = ""
        for token in _tokens(paragraph.strip()):
            if text_width(line + token, size) <= width or not line:
                if not line and text_width(token, size) > width:
                    # a token wider than the line (a long number): break it by characters
                    for char in token:
                        if line and text_width(line + char, size) > width:
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


def clip_lines(lines: list[str], count: int, width: float, size: float) -> list[str]:
    """At most `count` lines; when text is cut the last line ends with … so the cut shows."""
    if len(lines) <= count:
        return lines
    kept = lines[:count]
    last = kept[-1]
    while last and text_width(last + "…", size) > width:
        last = last[:-1]
    kept[-1] = last + "…"
    return kept


@dataclass
class Pen:
    """Draws text on a canvas through the fallback chain and remembers what it could not draw."""

    canvas: Canvas
    missing: dict[str, str] = field(default_factory=dict)  # character → first text it was in

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
        parts = runs(text)
        if any(part == PLACEHOLDER or PLACEHOLDER in part for _, part in parts):
            self.note(text)
        width = text_width(text, size)
        if align == "center":
            x -= width / 2
        elif align == "right":
            x -= width
        c = self.canvas
        c.saveState()
        c.setFillColor(color if color is not None else black)
        c.setStrokeColor(color if color is not None else black)
        obj = c.beginText(x, y)
        if bold:
            obj.setTextRenderMode(2)
            c.setLineWidth(size * 0.035)
        for name, part in parts:
            obj.setFont(name, size)
            obj.textOut(part)
        c.drawText(obj)
        c.restoreState()
        return width

    def fit_size(self, text: str, width: float, size: float, minimum: float) -> float:
        """The largest size ≤ `size` (not below `minimum`) at which the line fits `width`."""
        while size > minimum and text_width(text, size) > width:
            size -= 0.25
        return size

    def fitted(
        self, x: float, y: float, text: str, width: float, size: float, minimum: float, **kw: object
    ) -> float:
        """One line shrunk to fit; if even `minimum` is too wide, clipped with …."""
        size = self.fit_size(text, width, size, minimum)
        if text_width(text, size) > width:
            text = clip_lines([text, ""], 1, width, size)[0]
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
        lines = clip_lines(wrap(text, width, size), max_lines, width, size)
        for line in lines:
            self.text(x, y, line, size, **kw)  # type: ignore[arg-type]
            y -= leading
        return y


def check_text(texts: Iterable[str]) -> str:
    """All characters across `texts` that no shipped font has (for checks before a batch)."""
    return missing_characters("".join(texts))
