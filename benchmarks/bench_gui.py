"""GUI speed: start-up to a usable window, and one keystroke in the resident picker.

    python benchmarks/bench_gui.py [DB] [--user 张敏] [--password demo123] [--no-copy]
                                   [--rounds 3]

DB defaults to a copy of the 100k-case demo if present. The database is copied first,
because opening a file may upgrade its schema and this benchmark must not change someone
else's file (--no-copy: use it in place, for a big file that is already current and yours).
Runs offscreen. Measured:
- the sign-in dialog after start: a fresh interpreter from launch to the dialog painted
  (what `minqing` does before anyone types), median of --rounds;
- the window after sign-in, as --user (a front-desk clerk by default: intake, board and
  今日待办 are in view), until its first paint is done, with the CPU time beside the wall
  time (on a loaded machine the wall time includes waiting for a core), and the process's
  memory then and after the picker searches.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

DEMO = Path("/tmp/minqing-bench/demo-100000-1.sqlite")
QUERIES = ["王", "王秀", "wxy", "wx", "1381", "13812", "中和街", "李", "zh", "刘建"]


SIGN_IN_CHILD = """
import sys, time
from minqing.app import create_application
from minqing.core.models import Community
from minqing.core.storage.db import open_database
app = create_application()
open_database(sys.argv[1], daily_backup=False)
from minqing.gui.sign_in import SignInDialog
Community.select().order_by(Community.id).first()
dialog = SignInDialog(demo=True)
dialog.show()
app.processEvents()
print("shown", time.process_time(), flush=True)
"""


def sign_in_dialog(db_path: Path) -> tuple[float, float]:
    """Wall seconds from launching `python` to the sign-in dialog shown, and its CPU seconds."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", SIGN_IN_CHILD, str(db_path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
        text=True,
    )
    assert child.stdout is not None
    line = child.stdout.readline()
    wall = time.perf_counter() - started
    child.kill()
    child.wait()
    if not line.startswith("shown"):
        raise SystemExit(f"sign-in child failed: {line!r}")
    return wall, float(line.split()[1])


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def source_database(argv: list[str], work: Path, copy: bool = True) -> Path:
    if argv:
        src = Path(argv[0])
        if not copy:
            return src
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
    parser = argparse.ArgumentParser()
    parser.add_argument("db", nargs="?")
    parser.add_argument("--user", default="张敏")
    parser.add_argument("--password", default="demo123")
    parser.add_argument("--no-copy", action="store_true")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv[1:])
    work = Path(tempfile.mkdtemp(prefix="minqing-bench-gui-"))
    os.environ["MINQING_HOME"] = str(work / "home")
    db_path = source_database([args.db] if args.db else [], work, copy=not args.no_copy)

    from PySide6.QtTest import QTest

    from minqing.app import build_window, create_application
    from minqing.core.accounts import services as accounts
    from minqing.core.models import Case, Resident
    from minqing.core.storage.db import open_database

    open_database(db_path, daily_backup=False)  # an upgrade, if any, before the timings
    print(
        f"database: {db_path} — {Case.select().count()} cases,"
        f" {Resident.select().count()} residents; load average {os.getloadavg()[0]:.1f}"
    )
    dialogs = [sign_in_dialog(db_path) for _ in range(args.rounds)]
    walls = sorted(w for w, _ in dialogs)
    print(
        f"sign-in dialog after start: median {statistics.median(walls):.2f} s wall"
        f" (CPU {statistics.median(c for _, c in dialogs):.2f} s), all {walls}"
    )

    app = create_application()
    staff = accounts.sign_in(args.user, args.password)
    t_db, c_db = time.perf_counter(), time.process_time()
    window = build_window(str(db_path), staff)
    window.show()
    app.processEvents()
    app.processEvents()
    t_ready, c_ready = time.perf_counter(), time.process_time()
    print(
        f"window after sign-in ({args.user}): {t_ready - t_db:.2f} s wall,"
        f" CPU {c_ready - c_db:.2f} s (panels built: {', '.join(window.panels)});"
        f" memory {rss_mb():.0f} MB"
    )
    intake = window.panel("intake")
    app.processEvents()

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
    print(
        f"memory: {rss_mb():.0f} MB now,"
        f" peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB"
    )
    intake.discard_draft()
    window.save_layout()
    window.hide()
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
