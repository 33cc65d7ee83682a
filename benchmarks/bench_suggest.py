"""The window suggestion and similar cases at scale, and their accuracy.

    python benchmarks/bench_suggest.py DB [--rounds 200]

DB: a demo file (`minqing demo --cases 100000`). Measures training on its closed cases
(target ≤ 20 s), one suggestion — windows, disposition, owner and five similar cases, the
work done per pause in typing — for requests of the held-out sets (target ≤ 30 ms, p95),
peak memory, and top-1 / top-3 accuracy on tests/core/data/suggest_eval.tsv and
suggest_blind.tsv with the trained model and with the keywords alone.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from pathlib import Path

from minqing.core.cases import keywords, suggest
from minqing.core.storage.db import open_database

DATA = Path(__file__).resolve().parent.parent / "tests" / "core" / "data"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("db")
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    open_database(args.db, daily_backup=False)
    started = time.perf_counter()
    model = suggest.train()
    took = time.perf_counter() - started
    print(f"train: {model.examples} closed cases in {took:.2f} s (target ≤ 20 s)")
    sets = {
        name: suggest.read_labelled((DATA / name).read_text("utf-8"))
        for name in ("suggest_eval.tsv", "suggest_blind.tsv")
    }
    texts = [t for rows in sets.values() for _, t in rows]
    times = []
    for i in range(args.rounds):
        t0 = time.perf_counter()
        suggest.suggest(texts[i % len(texts)], model=model)
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    p95 = times[int(len(times) * 0.95) - 1]
    print(
        f"suggest: p50 {statistics.median(times):.1f} ms, p95 {p95:.1f} ms, "
        f"max {times[-1]:.1f} ms (target ≤ 30 ms)"
    )
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    bare = suggest.Model(
        dict(zip(model.window_ids, model.names, strict=True)), keywords.window_keywords()
    )
    for name, rows in sets.items():
        for label, m in (("trained", model), ("keywords only", bare)):
            e = suggest.evaluate(m, rows)
            print(f"{name} ({e.total}), {label}: top-1 {e.top1_rate:.1%}, top-3 {e.top3_rate:.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
