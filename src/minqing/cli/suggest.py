"""`minqing suggest TEXT` — the likely windows for a request and how similar ones ended;
`minqing keywords [WINDOW] [--set WORDS]` — each window's keyword list."""

from __future__ import annotations

import argparse

from minqing.cli import actor, emit, open_db
from minqing.core.cases import keywords, suggest
from minqing.core.community import find_window
from minqing.core.models import Window


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("suggest", help="按民情内容推荐服务窗口，并列出类似民情的办理结果")
    parser.add_argument("text", nargs="+", help="民情内容（居民的原话）")
    parser.add_argument("--similar", type=int, default=5, help="列出几件类似民情（默认 5）")
    parser.set_defaults(func=_suggest)
    words = sub.add_parser("keywords", help="查看或修改服务窗口的关键词（用于推荐窗口）")
    words.add_argument("window", nargs="?", help="窗口名称；不写则列出全部窗口")
    words.add_argument("--set", dest="words", help="新的关键词，用顿号、逗号或空格分隔")
    words.set_defaults(func=_keywords)


def _suggest(args: argparse.Namespace) -> int:
    open_db(args)
    result = suggest.suggest(
        " ".join(args.text), viewer=actor(args), similar=max(0, min(args.similar, 20))
    )
    lines = ["推荐窗口：" + ("  ".join(f"{r.name} {r.score:.0%}" for r in result.windows) or "—")]
    if result.disposition:
        lines.append(f"常见定件：{result.disposition.label}")
    if result.owner:
        lines.append(f"常见责任人：{result.owner}")
    if result.similar:
        lines.append("类似民情：")
        for s in result.similar:
            days = f"{s.days}个工作日" if s.days is not None else "—"
            lines.append(
                f"  {s.number}  {s.window}  {s.disposition}  {s.owner}  {days}  {s.outcome}"
            )
    emit(args, result.as_dict(), "\n".join(lines))
    return 0


def _keywords(args: argparse.Namespace) -> int:
    open_db(args)
    if args.window is None:
        rows = list(Window.select().order_by(Window.sort, Window.id))
        emit(
            args,
            [{"window": w.name, "keywords": keywords.parse(w.keywords)} for w in rows],
            "\n".join(f"{w.name}：{w.keywords or '（无）'}" for w in rows),
        )
        return 0
    window = find_window(args.window)
    if args.words is not None:
        keywords.set_keywords(actor(args), window, args.words)
    words = keywords.parse(window.keywords)
    emit(
        args,
        {"window": window.name, "keywords": words},
        f"{window.name}：{'、'.join(words) or '（无）'}",
    )
    return 0
