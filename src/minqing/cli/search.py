"""`minqing search TEXT` — cases and residents by number, name, initials, phone, address or
words; or the whole text of a scanned QR code: a receipt finds its case, a contact card its
household with the household's open cases."""

from __future__ import annotations

import argparse

from minqing.cli import actor, emit, open_db
from minqing.core.accounts import permissions
from minqing.core.cases import scan, search
from minqing.core.models import Resident


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("search", help="查找民情和居民（也可粘贴回执或连心卡二维码的内容）")
    parser.add_argument("text", nargs="+")
    parser.add_argument("--limit", type=int, default=50)
    parser.set_defaults(func=_search)


def _search(args: argparse.Namespace) -> int:
    open_db(args)
    text = " ".join(args.text)
    found = scan.resolve(text if len(args.text) == 1 else "\n".join(args.text))
    if found is not None and found.household is not None:
        return _household(args, found)
    hits = search.search(text, limit=args.limit, viewer=actor(args))
    kinds = {"case": "民情", "resident": "居民"}
    emit(
        args,
        [h.__dict__ for h in hits],
        "\n".join(f"{kinds[h.kind]}  {h.title}  {h.detail}" for h in hits) or "没有找到。",
    )
    return 0


def _household(args: argparse.Namespace, found: scan.Found) -> int:
    household = found.household
    assert household is not None
    viewer = actor(args)
    residents = list(
        Resident.select()
        .where((Resident.household == household.id) & (Resident.status == "active"))
        .order_by(Resident.id)
    )
    hits = [
        search.SearchHit(
            "household", household.id, household.address, f"住户编号 {found.scan.value}"
        )
    ]
    hits += [
        search.SearchHit("resident", r.id, r.name, permissions.shown_phone(viewer, r.phone))
        for r in residents
    ]
    hits += [search.SearchHit("case", c.id, c.number, c.text[:40]) for c in found.open_cases]
    kinds = {"household": "住户", "case": "未办结民情", "resident": "居民"}
    emit(
        args,
        [h.__dict__ for h in hits],
        "\n".join(f"{kinds[h.kind]}  {h.title}  {h.detail}" for h in hits),
    )
    return 0
