"""PostgreSQL at 1,000,000 cases beside SQLite at 100,000: intake, board, every kind of search,
and clerks taking in cases at the same time.

    python benchmarks/bench_postgres.py [--url postgresql://…/minqing_bench] [--cases 1000000]
        [--sqlite-folder /tmp/minqing-bench] [--sqlite-cases 100000] [--rounds 200]
        [--clerks 8] [--seconds 60] [--no-sqlite]

--clerks N starts N processes that each take in cases one after another for --seconds on the
server (each its own connection, as N front desks would): per clerk the count, p50/p95 and
errors. Target: p95 <= 30 ms each, no errors. --clerks 1,2,4,8 runs each count in turn;
--clerks-only skips the other measures.

The server database is built once with `minqing.core.demo.build` (COPY; timed, in a child
process) and reused while it holds the cases; the intakes measured stay in it (a few hundred
against a million). The SQLite side is bench_core's cached demo file, measured on a copy.
Targets: intake <= 20 ms, board query <= 100 ms, search p95 <= 10 ms (bench_core's; the
server's own target is 50 ms at a million cases).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from bench_core import (  # noqa: E402
    Table,
    ensure_demo,
    intakes,
    percentiles,
    search_queries,
    timed,
)

DEFAULT_URL = "postgresql://postgres:postgres@localhost/minqing_bench"


def build(url: str, cases: int, seed: int) -> None:
    from minqing.core import demo
    from minqing.core.storage.db import close_database, open_database

    open_database(url, daily_backup=False)
    demo.build(cases, seed, progress=lambda d, t: print(f"\r  {d}/{t}", end="", flush=True))
    print()
    close_database()


def ensure_server_demo(url: str, cases: int, seed: int) -> float | None:
    """Build seconds, or None when the database already holds the demo."""
    from minqing.core.models import Case
    from minqing.core.storage.db import close_database, open_database

    open_database(url, daily_backup=False)
    have = Case.select().count()
    close_database()
    if have >= cases:
        return None
    print(f"building the demo ({cases} cases) on {url.rsplit('@', 1)[-1]} …")
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            __file__,
            "--url",
            url,
            "--cases",
            str(cases),
            "--seed",
            str(seed),
            "--build-only",
        ],
        check=True,
    )
    return time.perf_counter() - started


def measure(url: str, rounds: int, seed: int) -> Table:
    from minqing.core.cases.queries import CaseFilter, board_cards, board_counts
    from minqing.core.cases.search import search
    from minqing.core.enums import Stage
    from minqing.core.storage.db import close_database, open_database

    rng = random.Random(seed)
    table = Table()
    table.add("open", [timed(lambda: open_database(url, daily_backup=False)) for _ in range(3)])
    table.add("intake (cases.take_in)", intakes(rounds, rng), "intake")
    flt = CaseFilter()
    board_counts(flt)
    table.add("board_counts", [timed(lambda: board_counts(flt)) for _ in range(20)], "board")
    for stage in Stage:
        board_cards(stage, flt, 0, 50)
        table.add(
            f"board_cards {stage.value} first 50",
            [timed(lambda s=stage: board_cards(s, flt, 0, 50)) for _ in range(10)],
            "board",
        )
    for name, queries in search_queries(rng).items():
        search(queries[0])
        table.add(name, [timed(lambda q=q: search(q)) for q in queries], "search")
    close_database()
    return table


def clerk(url: str, seconds: float, seed: int, out: Any) -> None:
    """One front desk: intake after intake for `seconds`; sends (latencies ms, errors)."""
    from minqing.core.storage.db import open_database

    open_database(url, daily_backup=False)
    rng = random.Random(seed)
    samples: list[float] = []
    errors: list[str] = []
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        try:
            samples.extend(intakes(1, rng))
        except Exception as exc:  # counted and reported, the clerk goes on
            errors.append(f"{type(exc).__name__}: {exc}"[:200])
    out.put((seed, samples, errors))


def clerks(url: str, n: int, seconds: float) -> list[tuple[int, list[float], list[str]]]:
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    workers = [
        context.Process(target=clerk, args=(url, seconds, 1000 + i, queue)) for i in range(n)
    ]
    for w in workers:
        w.start()
    results = [queue.get(timeout=seconds + 120) for _ in workers]
    for w in workers:
        w.join()
    LOADS[n] = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return sorted(results)


LOADS: dict[int, str] = {}  # clerks -> the load average just after their run


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--url", default=DEFAULT_URL)
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--sqlite-folder", default="/tmp/minqing-bench")
    parser.add_argument("--sqlite-cases", type=int, default=100_000)
    parser.add_argument("--clerks", default="8", help="N, or N,M,… run in turn")
    parser.add_argument("--clerks-only", action="store_true")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--no-sqlite", action="store_true", help="the server only")
    parser.add_argument("--build-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build_only:
        build(args.url, args.cases, args.seed)
        return 0

    build_seconds = ensure_server_demo(args.url, args.cases, args.seed)
    counts = [int(c) for c in str(args.clerks).split(",") if int(c) > 0]
    if args.clerks_only:
        for n in counts:
            _print_clerks(clerks(args.url, n, args.seconds), args.seconds)
        return 0
    server = measure(args.url, args.rounds, args.seed)
    runs = [clerks(args.url, n, args.seconds) for n in counts]
    if args.no_sqlite:
        print()
        server.print()
        for desks in runs:
            _print_clerks(desks, args.seconds)
        return 0

    folder = Path(args.sqlite_folder)
    cached, _, _ = ensure_demo(folder, args.sqlite_cases, args.seed)
    work = folder / "work-pg-compare.sqlite"
    for old in folder.glob(work.name + "*"):
        old.unlink()
    shutil.copyfile(cached, work)
    local = measure(str(work), args.rounds, args.seed)

    print()
    print(
        f"{'measure':<34}{'SQLite ' + format(args.sqlite_cases, ','):>22}"
        f"{'PostgreSQL ' + format(args.cases, ','):>26}"
    )
    print(f"{'':<34}{'p50 ms':>11}{'p95 ms':>11}{'p50 ms':>13}{'p95 ms':>13}  target")
    for mine, theirs in zip(local.rows, server.rows, strict=True):
        name, _, p50, p95, _, _ = mine
        _, _, sp50, sp95, _, verdict = theirs
        print(f"{name:<34}{p50:>11.2f}{p95:>11.2f}{sp50:>13.2f}{sp95:>13.2f}  {verdict}")
    print()
    for desks in runs:
        _print_clerks(desks, args.seconds)
    if build_seconds is not None:
        print(f"building the {args.cases:,}-case demo on PostgreSQL took {build_seconds:.0f} s")
    else:
        print("PostgreSQL demo reused (drop the database to time a build)")
    print(f"measured {dt.datetime.now():%Y-%m-%d %H:%M}")
    return 0


def _print_clerks(desks: list[tuple[int, list[float], list[str]]], seconds: float) -> None:
    if not desks:
        return
    load = LOADS.get(len(desks), "?")
    print(
        f"{len(desks)} clerks taking in cases at once for {seconds:.0f} s (target p95 <= 30 ms),"
        f" load average just after {load}:"
    )
    for seed, samples, errors in desks:
        if samples:
            p50, p95, worst = percentiles(samples)
            print(
                f"  clerk {seed - 999}: {len(samples):5} intakes  p50 {p50:7.2f}  p95 {p95:7.2f}"
                f"  max {worst:8.2f} ms  errors {len(errors)}"
                + (f"  ({errors[0]})" if errors else "")
            )
        else:
            print(f"  clerk {seed - 999}: no intake finished, errors {len(errors)} {errors[:1]}")
    print()


if __name__ == "__main__":
    sys.exit(main())
