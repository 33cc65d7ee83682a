"""Measure the board, the lazy case list and search-as-you-type on a 100,000-case database.

    python benchmarks/bench_board.py [--db PATH] [--cases 100000]

Uses /tmp/minqing-bench/*.sqlite when present (the demo generator's output); otherwise it
bulk-generates a database with realistic stage mix (mostly closed, some overdue) once and
reuses it. Prints milliseconds; targets: board first paint <= 300 ms, search <= 100 ms/key.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

TEXTS = [
    "楼道灯坏了三天，晚上上下楼很危险",
    "申请低保需要准备哪些材料",
    "小区门口垃圾堆放无人清理",
    "邻居装修噪音扰民，周末早上七点开始",
    "老人独居，希望社区定期探望",
    "下水道堵塞，污水外溢",
    "停车位被长期占用",
    "希望增设健身器材",
    "暖气不热，室温只有十四度",
    "流浪狗伤人，请求处理",
]
NAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ["秀英", "建国", "桂兰", "志强", "丽", "淑珍", "伟", "玉梅", "海峰", "国庆", "红梅", "德明"]


def generate(path: Path, total: int) -> None:
    from minqing.core import community as cs
    from minqing.core.cases.services import format_number
    from minqing.core.models import Case, CaseCounter, Resident, Staff, Window, database_proxy
    from minqing.core.storage.db import close_database, open_database

    open_database(path)
    community = cs.create_community(
        "中和社区", "0451-86123456", [cs.GridSpec(f"第{i}片区", f"网格员{i}") for i in range(1, 7)]
    )
    for i in range(10):
        Staff.create(community=community, name=f"{NAMES[i]}{GIVEN[i % 12]}")
    staff_ids = [s.id for s in Staff.select()]
    windows = [w.id for w in Window.select()]
    rng = random.Random(7)
    with database_proxy.atomic():
        Resident.insert_many(
            [
                {"name": rng.choice(NAMES) + rng.choice(GIVEN), "phone": f"139{i:08d}"}
                for i in range(3000)
            ]
        ).execute()
    residents = [r for (r,) in Resident.select(Resident.id).tuples()]
    today = dt.date.today()
    seq: dict[int, int] = {}
    rows = []
    for i in range(total):
        age = int(rng.random() ** 2 * 1400)  # more recent cases than old ones
        intake = today - dt.timedelta(days=age)
        year = intake.year
        seq[year] = seq.get(year, 0) + 1
        if age > 40:
            stage = rng.choices(["closed", "supervision", "handling"], [96, 3, 1])[0]
        else:
            stage = rng.choice(
                ["intake", "handling", "handling", "feedback", "supervision", "closed"]
            )
        disposition = (
            None if stage == "intake" else rng.choice(["immediate", "returned", "promised"])
        )
        rows.append(
            dict(
                community=community.id,
                year=year,
                seq=seq[year],
                number=format_number(year, seq[year]),
                channel=rng.choice(["hotline", "walk_in", "mailbox", "contact_card", "home_visit"]),
                resident=rng.choice(residents),
                window=rng.choice(windows),
                text=rng.choice(TEXTS) + f"（{i}）",
                urgent=rng.random() < 0.04,
                first_responder=rng.choice(staff_ids),
                owner=None if stage == "intake" else rng.choice(staff_ids),
                disposition=disposition,
                return_reason="不属于社区职责" if disposition == "returned" else "",
                promised_date=intake + dt.timedelta(days=7) if disposition == "promised" else None,
                stage=stage,
                taken_at=dt.datetime.combine(intake, dt.time(9, 30)),
                intake_date=intake,
                started_on=intake,
                due_date=None if stage == "intake" else intake + dt.timedelta(days=5),
                outcome="已处理" if stage in ("feedback", "supervision", "closed") else "",
                satisfaction="satisfied" if stage == "closed" else None,
                version=1,
                updated_at=dt.datetime.now().replace(microsecond=0),
            )
        )
    with database_proxy.atomic():
        for start in range(0, len(rows), 2000):
            Case.insert_many(rows[start : start + 2000]).execute()
        for year, last in seq.items():
            CaseCounter.create(community=community, year=year, last=last)
    database_proxy.execute_sql("ANALYZE")
    close_database()


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db")
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument(
        "--memo-calendar",
        action="store_true",
        help="cache WorkCalendar.is_workday per day (the change proposed for core)",
    )
    args = parser.parse_args()
    if args.memo_calendar:
        from functools import lru_cache

        from minqing.core.calendar.workdays import WorkCalendar

        original = WorkCalendar.is_workday
        cached = lru_cache(maxsize=None)(lambda cal, day: original(cal, day))
        WorkCalendar.__hash__ = object.__hash__  # type: ignore[method-assign]
        WorkCalendar.is_workday = lambda self, day: cached(self, day)  # type: ignore[method-assign]
    bench = (
        sorted(Path("/tmp/minqing-bench").glob("*.sqlite"))
        if Path("/tmp/minqing-bench").is_dir()
        else []
    )
    path = (
        Path(args.db)
        if args.db
        else bench[0]
        if bench
        else Path(f"/tmp/minqing-board-bench-{args.cases}.sqlite")
    )
    if not path.exists():
        started = time.perf_counter()
        generate(path, args.cases)
        print(f"generated {args.cases} cases in {time.perf_counter() - started:.1f} s: {path}")

    from PySide6.QtWidgets import QApplication

    from minqing.core.cases import queries
    from minqing.core.models import Case, Community, Staff
    from minqing.core.storage.db import open_database
    from minqing.gui.context import AppContext
    from minqing.gui.panels.board import BoardPanel
    from minqing.gui.panels.case_list import CaseListPanel

    app = QApplication.instance() or QApplication(sys.argv)
    open_database(path)
    print(f"database: {path} ({Case.select().count()} cases)")
    community = Community.select().first()
    ctx = AppContext(community, Staff.select().first(), str(path))

    times = []
    for _ in range(5):
        started = time.perf_counter()
        board = BoardPanel(ctx)
        board.resize(1400, 800)
        board.show()
        app.processEvents()
        times.append(time.perf_counter() - started)
        board.close()
    print(
        f"board first paint (create → populated, 5 runs): median {ms(statistics.median(times))}, "
        f"max {ms(max(times))}  [target 300 ms]"
    )
    counts = {s.label: n for s, n in queries.board_counts().items()}
    print(f"  column counts: {counts}")

    board = BoardPanel(ctx)
    board.resize(1400, 800)
    board.show()
    app.processEvents()
    for stage, column in board.columns.items():
        model = column.model
        pages = []
        for _ in range(10):
            if not model.canFetchMore():
                break
            started = time.perf_counter()
            model.fetchMore()
            pages.append(time.perf_counter() - started)
        if pages:
            print(
                f"  scroll {stage.label}: fetchMore (50 cards) "
                f"median {ms(statistics.median(pages))}, "
                f"max {ms(max(pages))}"
            )
    started = time.perf_counter()
    board.refresh()
    print(f"board refresh after a change: {ms(time.perf_counter() - started)}")

    started = time.perf_counter()
    panel = CaseListPanel(ctx)
    panel.resize(1200, 700)
    panel.show()
    app.processEvents()
    print(
        f"case list first paint: {ms(time.perf_counter() - started)} "
        f"(ids {panel.model.rowCount()}, rows loaded {panel.model.loaded})"
    )
    for column, name in ((1, "受理日期"), (9, "办理时限")):
        started = time.perf_counter()
        panel.table.sortByColumn(column, panel.table.horizontalHeader().sortIndicatorOrder())
        app.processEvents()
        print(f"  sort by {name}: {ms(time.perf_counter() - started)}")
    for word in ("王秀英", "楼道灯", "2026-0", "13900001", "wxy"):
        per_key = []
        for end in range(1, len(word) + 1):
            started = time.perf_counter()
            panel.run_search(word[:end])
            app.processEvents()
            per_key.append(time.perf_counter() - started)
        print(
            f"  typing “{word}”: per keystroke "
            + ", ".join(ms(t).strip() for t in per_key)
            + f" → {panel.model.rowCount()} hits  [target 100 ms]"
        )
    from minqing.gui.panels.today import TodayPanel

    started = time.perf_counter()
    today = TodayPanel(ctx)
    today.show()
    app.processEvents()
    print(f"today panel first paint: {ms(time.perf_counter() - started)}")
    for widget in (board, panel, today):
        widget.close()
        widget.deleteLater()
    app.processEvents()


if __name__ == "__main__":
    main()
