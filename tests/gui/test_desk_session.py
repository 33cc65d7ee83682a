"""Never a crash: whole sessions in real processes, each ending with exit code 0.

Each run opens every panel and menu dialog, the hall display, floats, tabs and resets the
docks, switches user and quits (desk_session.py). Quitting with the hall display still open,
after 重置布局, or after docks were floated once crashed the program (exit 139).

Ten runs cover each of the five pairs of users (the first signs in, the second takes over)
with the hall display closed and left open, once. They go in two lanes side by side (runs 0-4
and 5-9): a session spends part of its time waiting for its timers. Each lane has its
own data folder and, on SQLite, its own copy of the office file, so its runs find what the
lane's earlier runs left, in order, as a single PC would; on PostgreSQL the lanes share the
server, as two PCs do.

A rare crash needs many more runs than a test can afford (each costs ~3 s of CPU): to hunt
one, `MINQING_DESK_RUNS=200 python3 -m pytest tests/gui/test_desk_session.py`."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from minqing.core.cases import services as cases
from minqing.core.models import Window
from minqing.core.storage.db import close_database

ROOT = Path(__file__).resolve().parents[2]
RUNS = int(os.environ.get("MINQING_DESK_RUNS", "10"))  # every (pair, hall) once
LANES = 2
ROLES = ["张敏", "管理员", "王书记", "李红", "陈督查"]


@pytest.mark.slow
def test_every_session_ends_with_exit_code_zero(db_path, accounts, tmp_path):
    clerk = accounts["front_desk"]
    for text in ("楼道灯坏了", "小区门口积水"):
        cases.take_in(
            channel="walk_in",
            text=text,
            window=Window.get(Window.name == "城建城管"),
            first_responder=clerk,
            contact_name="王秀英",
            contact_phone="13900001234",
            disposition="immediate",
            actor=clerk,
        )
    close_database()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), str(ROOT), env.get("PYTHONPATH", "")])

    def lane(number: int) -> list[tuple]:
        database = str(db_path)
        if not database.startswith("postgresql://"):
            database = str(tmp_path / f"lane{number}.sqlite")
            with sqlite3.connect(db_path) as source, sqlite3.connect(database) as copy:
                source.backup(copy)
            source.close()
            copy.close()
        home = dict(env, MINQING_HOME=str(tmp_path / f"desk{number}"))
        failures = []
        for run in range(number * RUNS // LANES, (number + 1) * RUNS // LANES):
            first, second = ROLES[run % len(ROLES)], ROLES[(run + 1) % len(ROLES)]
            done = subprocess.run(
                [
                    sys.executable,
                    str(ROOT / "tests" / "gui" / "desk_session.py"),
                    database,
                    first,
                    second,
                    "secret-1",
                    "1" if run % 2 else "0",
                ],
                env=home,
                capture_output=True,
                text=True,
                timeout=180,
            )
            if done.returncode != 0:
                lines = [x for x in done.stderr.splitlines() if "This plugin does not" not in x]
                failures.append((run, first, second, done.returncode, "\n".join(lines)[-4000:]))
        return failures

    with ThreadPoolExecutor(LANES) as pool:
        failures = [f for found in pool.map(lane, range(LANES)) for f in found]
    assert not failures, "\n\n".join(
        f"run {run} ({first} → {second}): exit {code}\n{tail}"
        for run, first, second, code, tail in failures
    )
