"""Measure the registry on the demo community (3,690 households, 11,136 residents):

    python benchmarks/bench_registry.py [FOLDER] [--rounds 20]

- export: the whole registry to .xlsx (`ledger_export.export_registry`);
- import: that file into a fresh office with the same grids (read + plan + apply, each
  timed), then re-importing it (everything matched, nothing written);
- memory: Python allocation peak of the import (`tracemalloc`, a second run) and the
  process peak RSS;
- eligibility: `programmes.eligible` and `count_eligible` for each programme;
- visits: `visits.coverage` and `visits.unvisited` for the reference year;
- search: `find_residents` for a name, initials, 4 phone digits and an address.

FOLDER (default /tmp/minqing-bench) holds registry-demo.sqlite (built once, 200 cases).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

REFERENCE = "2026-10-15"


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = fn()
    return (time.perf_counter() - started) * 1000, result


def repeat(fn: Callable[[], Any], rounds: int) -> str:
    times = [timed(fn)[0] for _ in range(rounds)]
    return f"p50 {statistics.median(times):7.1f} ms   max {max(times):7.1f} ms"


def line(label: str, timing: str, count: int | None = None) -> None:
    print(f"{label:24}{timing}" + (f"   {count} rows" if count is not None else ""))


def main() -> None:
    import datetime as dt

    from minqing.core import community as community_service
    from minqing.core import demo
    from minqing.core.cases.search import find_residents
    from minqing.core.models import Grid, Resident
    from minqing.core.outreach import programmes, visits
    from minqing.core.registry import ledger_export, ledger_import
    from minqing.core.storage.db import close_database, open_database

    parser = argparse.ArgumentParser()
    parser.add_argument("folder", nargs="?", default="/tmp/minqing-bench")
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    folder = Path(args.folder)
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / "registry-demo.sqlite"
    reference = dt.date.fromisoformat(REFERENCE)
    if not source.exists():
        open_database(source, daily_backup=False)
        ms, _ = timed(lambda: demo.build(200, 1, reference))
        print(f"demo built in {ms / 1000:.1f} s")
    else:
        open_database(source, daily_backup=False)
    office = community_service.the_community()
    residents = Resident.select().count()
    grids = [
        community_service.GridSpec(g.name)
        for g in Grid.select().where(Grid.community == office).order_by(Grid.sort)
    ]

    print(f"\n== registry of {residents} residents ==")
    book = folder / "registry.xlsx"
    ms, rows = timed(lambda: ledger_export.export_registry(book, office))
    print(f"export to xlsx          {ms:8.0f} ms   {rows} rows, {book.stat().st_size // 1024} KiB")

    print("\n== eligibility, visits, search (demo) ==")
    for prog in programmes.programmes():
        if programmes.is_plain(prog):
            continue
        n = programmes.count_eligible(prog)
        line(
            f"eligible {prog.title}", repeat(lambda p=prog: programmes.eligible(p), args.rounds), n
        )

    def count_all() -> list[int]:
        return [programmes.count_eligible(p) for p in programmes.programmes()]

    line("count_eligible (all 5)", repeat(count_all, args.rounds))
    missing = programmes.count_households_without_plain_card(office)
    line(
        "households w/o card",
        repeat(lambda: programmes.count_households_without_plain_card(office), args.rounds),
        missing,
    )
    year = reference.year
    cov = visits.coverage(office, year)
    line(f"coverage {year}", repeat(lambda: visits.coverage(office, year), args.rounds), len(cov))
    todo = visits.unvisited(office, year)
    line(
        f"unvisited {year}", repeat(lambda: visits.unvisited(office, year), args.rounds), len(todo)
    )
    for text in ("王秀", "wxy", "1234", "中和小区1号楼"):
        print(f"find_residents {text:8} {repeat(lambda t=text: find_residents(t), args.rounds)}")
    close_database()

    print("\n== import into a fresh office ==")
    target = folder / "registry-import.sqlite"
    for leftover in folder.glob("registry-import.sqlite*"):
        leftover.unlink()
    open_database(target, daily_backup=False)
    fresh = community_service.create_community("中和社区", "", grids)
    ms_read, ledger = timed(lambda: ledger_import.read_ledger(book))
    ms_plan, plan = timed(lambda: ledger_import.make_plan(ledger, fresh))
    ms_apply, made = timed(lambda: ledger_import.apply_plan(plan))
    print(f"read xlsx               {ms_read:8.0f} ms   {len(ledger.rows)} rows")
    adds, errors = plan.count("add"), len(plan.errors)
    print(f"check + plan            {ms_plan:8.0f} ms   {adds} to add, {errors} errors")
    print(f"apply (one transaction) {ms_apply:8.0f} ms   {made}")
    print(f"import total            {ms_read + ms_plan + ms_apply:8.0f} ms")
    ms_again, again = timed(lambda: ledger_import.make_plan(ledger_import.read_ledger(book), fresh))
    counts = ", ".join(f"{k} {again.count(k)}" for k in ("add", "update", "skip"))
    print(f"re-import preview       {ms_again:8.0f} ms   {counts}")
    close_database()

    for leftover in folder.glob("registry-import.sqlite*"):
        leftover.unlink()
    open_database(target, daily_backup=False)
    fresh = community_service.create_community("中和社区", "", grids)
    tracemalloc.start()
    ledger_import.apply_plan(ledger_import.make_plan(ledger_import.read_ledger(book), fresh))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    close_database()
    print(f"import Python peak      {peak / 2**20:8.1f} MiB (tracemalloc)")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"process peak RSS        {rss:8.1f} MiB")


if __name__ == "__main__":
    main()
