"""Statistics at 100,000 cases: one month and one year, the monthly report PDF and Excel, and the
supervision panel's lists.

Target (issue 7): a month's statistics in under a second. Works on a copy of the demo file
made by bench_core.py (default /tmp/minqing-bench/demo-100000-1.sqlite); the copy is topped up
with the demo's supervision records (callbacks, faults, draws) when the file predates them.

    /work/venv/bin/python benchmarks/bench_statistics.py [FOLDER] [--cases 100000] [--seed 1]
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import shutil
import statistics as pystats
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def timed(work: Callable[[], Any], rounds: int) -> tuple[float, float, Any]:
    times, result = [], None
    for _ in range(rounds):
        start = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - start)
    return pystats.median(times), max(times), result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", nargs="?", default="/tmp/minqing-bench")
    parser.add_argument("--cases", type=int, default=100000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    source = Path(args.folder) / f"demo-{args.cases}-{args.seed}.sqlite"
    if not source.exists():
        raise SystemExit(f"{source} is missing: run benchmarks/bench_core.py first.")
    work = Path(args.folder) / "statistics.sqlite"
    shutil.copyfile(source, work)

    from minqing.core import demo
    from minqing.core.models import Case, Setting
    from minqing.core.storage.db import open_database
    from minqing.core.supervision import services as supervision
    from minqing.core.supervision import statistics
    from minqing.core.supervision.models import Callback
    from minqing.core.supervision.statistics_export import export_statistics
    from minqing.printing.report import load_report, print_report

    open_database(work)
    if not Callback.select().exists():
        start = time.perf_counter()
        demo.build(Case.select().count())
        print(f"supervision records added to the copy in {time.perf_counter() - start:.1f} s")
    stored = Setting.get(Setting.key == demo.REFERENCE_KEY).value
    reference = dt.date.fromisoformat(stored)
    month_end = reference.replace(day=1) - dt.timedelta(days=1)
    month = month_end.strftime("%Y-%m")
    start, end = statistics.month_range(month)
    rows = []

    def measure(name: str, work: Callable[[], Any], target: float | None = None) -> Any:
        p50, worst, result = timed(work, args.rounds)
        mark = "" if target is None else ("  ok" if worst <= target else "  OVER")
        rows.append(f"{name:<42} p50 {p50 * 1000:7.0f} ms   max {worst * 1000:7.0f} ms{mark}")
        return result

    month_stats = measure(
        f"statistics, month {month}",
        lambda: statistics.compute(statistics.StatsFilter(start, end)),
        1.0,
    )
    year = statistics.StatsFilter(reference.replace(year=reference.year - 1), reference)
    year_stats = measure("statistics, one year", lambda: statistics.compute(year), 0.2)
    measure(
        "statistics, month, one window",
        lambda: statistics.compute(statistics.StatsFilter(start, end, window_id=1)),
        1.0,
    )
    measure(
        "recurring matters (3 months)",
        lambda: statistics.recurring(statistics.StatsFilter(start, end)),
    )
    measure("monthly report: load (2 months + lists)", lambda: load_report(month))
    measure("monthly report: PDF", lambda: print_report(month, io.BytesIO()))
    excel = Path(args.folder) / "statistics.xlsx"
    measure("statistics Excel (month)", lambda: export_statistics(excel, month_stats))
    measure("supervision: due for check (500)", lambda: supervision.due_for_check())
    measure("supervision: awaiting callback (500)", lambda: supervision.awaiting_callback())
    measure("supervision: recent records (300)", lambda: supervision.recent_records())
    print(
        f"{args.cases} cases; month {month}: {month_stats.total} cases; "
        f"year: {year_stats.total} cases"
    )
    print("\n".join(rows))


if __name__ == "__main__":
    main()
