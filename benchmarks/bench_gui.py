"""GUI speed: start-up to a usable window, and one keystroke in the resident picker.

    python benchmarks/bench_gui.py [DB]     (default: a copy of the 100k-case demo if present)

The demo database is copied first, because opening a file may upgrade its schema and this
benchmark must not change someone else's file. Runs offscreen; numbers are wall-clock.
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

DEMO = Path("/tmp/minqing-bench/demo-100000-1.sqlite")
QUERIES = ["王", "王秀", "wxy", "wx", "1381", "13812", "中和街", "李", "zh", "刘建"]


def source_database(argv: list[str], work: Path) -> Path:
    if len(argv) > 1:
        src = Path(argv[1])
    elif DEMO.exists():
        src = DEMO
    else:
        from minqing.core import demo
        from minqing.core.storage.db import open_database

        target = work / "small-demo.sqlite"
        open_database(target, daily_backup=False)
        demo.build(cases=2000)
        return target
    target = work / "bench.sqlite"
    shutil.copy(src, target)
    return target


def main(argv: list[str]) -> int:
    work = Path(tempfile.mkdtemp(prefix="minqing-bench-gui-"))
    os.environ["MINQING_HOME"] = str(work / "home")
    db_path = source_database(argv, work)

    from PySide6.QtTest import QTest

    from minqing.app import build_window, create_application
    from minqing.core.models import Case, Resident
    from minqing.core.storage.db import open_database

    t0 = time.perf_counter()
    app = create_application()
    open_database(db_path, daily_backup=False)
    t_db = time.perf_counter()
    window = build_window(str(db_path))
    window.show()
    app.processEvents()
    intake = window.panel("intake")
    app.processEvents()
    t_ready = time.perf_counter()
    print(
        f"database: {db_path} — {Case.select().count()} cases,"
        f" {Resident.select().count()} residents"
    )
    print(
        f"start-up: open database {t_db - t0:.2f} s,"
        f" window with visible panels {t_ready - t_db:.2f} s,"
        f" total {t_ready - t0:.2f} s (panels built: {', '.join(window.panels)})"
    )

    picker = intake.picker
    intake.residentEdit.setFocus()
    timings: dict[str, float] = {}
    found: dict[str, int] = {}
    for query in QUERIES:
        picker.clear()
        QTest.keyClicks(
            intake.residentEdit, query
        ) if query.isascii() else intake.residentEdit.setText(query)
        started = time.perf_counter()
        picker.search_now()  # what the debounce timer runs after the last keystroke
        app.processEvents()
        timings[query] = (time.perf_counter() - started) * 1000
        found[query] = len(picker.results)
    for query, ms in timings.items():
        print(f"  picker search {query!r:>8}: {ms:6.1f} ms, {found[query]} suggestions")
    values = list(timings.values())
    print(
        f"picker per keystroke (search + fill popup): median {statistics.median(values):.1f} ms,"
        f" worst {max(values):.1f} ms over {len(values)} queries"
    )

    started = time.perf_counter()
    intake.dispositionCombo.setCurrentIndex(1)
    intake.windowCombo.setCurrentIndex(1)
    print(f"due-date preview: {(time.perf_counter() - started) * 1000:.1f} ms")
    intake.discard_draft()
    window.save_layout()
    window.hide()
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
