"""`minqing search TEXT` — cases and residents by number, name, initials, phone, address or words."""

from __future__ import annotations

import argparse

from minqing.cli import actor, emit, open_db
from minqing.core.cases import search


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("search", help="查找民情和居民")
    parser.add_argument("text", nargs="+")
    parser.add_argument("--limit", type=int, default=50)
    parser.set_defaults(func=_search)


def _search(args: argparse.Namespace) -> int:
    open_db(args)
    hits = search.search(" ".join(args.text), limit=args.limit, viewer=actor(args))
    kinds = {"case": "民情", "resident": "居民"}
    emit(
        args,
        [h.__dict__ for h in hits],
        "\n".join(f"{kinds[h.kind]}  {h.title}  {h.detail}" for h in hits) or "没有找到。",
    )
    return 0
