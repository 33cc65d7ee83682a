"""Run the test suite on SQLite, then — when MINQING_TEST_SERVER (or MINQING_TEST_DB) names a
PostgreSQL database — again on PostgreSQL. Stops at the first failing pass, so the last line
printed is always the summary of the pass that decided the exit code.

    python3 scripts/test_all.py [pytest arguments…]
    MINQING_TEST_SERVER=postgresql://user:pw@localhost/minqing_test python3 scripts/test_all.py

The database is emptied before each test: give the tests a database of their own. Both passes
run on two pytest-xdist workers; on PostgreSQL each worker makes a database of its own next to
the one named (`…_gw0`, `…_gw1`, dropped at the end), so the test role needs CREATEDB.
"""

from __future__ import annotations

import os
import subprocess
import sys


def run(label: str, server: str | None, args: list[str]) -> int:
    env = dict(os.environ)
    env.pop("MINQING_TEST_DB", None)
    if server:
        env["MINQING_TEST_DB"] = server
    print(f"=== tests on {label} ===", flush=True)
    return subprocess.call([sys.executable, "-m", "pytest", *args], env=env)


def parallel() -> list[str]:
    """Two workers (pytest-xdist, a test extra): each SQLite test has its own file, and each
    worker its own PostgreSQL database (tests/server_db.py), so they never meet."""
    workers = min(2, os.cpu_count() or 1)
    if workers < 2:
        return []
    # Whole files to a worker, in the collection's order: tests/conftest.py puts the longest
    # files first (xdist would otherwise start the files with most tests first, and the longest,
    # one test of 20 desk sessions, last).
    return ["-n", str(workers), "--dist", "loadfile", "--no-loadscope-reorder"]


def main() -> int:
    args = sys.argv[1:]
    server = os.environ.get("MINQING_TEST_SERVER") or os.environ.get("MINQING_TEST_DB", "")
    code = run("SQLite", None, [*parallel(), *args])
    if code != 0 or not server:
        return code
    shown = server.split("@")[-1]
    return run(f"PostgreSQL ({shown})", server, [*parallel(), *args])


if __name__ == "__main__":
    sys.exit(main())
