"""Never a crash: twenty whole sessions in real processes, each ending with exit code 0.

Each run opens every panel and menu dialog, the hall display, floats, tabs and resets the
docks, switches user and quits (desk_session.py). Quitting with the hall display still open,
after 重置布局, or after docks were floated once crashed the program (exit 139)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from minqing.core.cases import services as cases
from minqing.core.models import Window
from minqing.core.storage.db import close_database

ROOT = Path(__file__).resolve().parents[2]
RUNS = 20
ROLES = ["张敏", "管理员", "王书记", "李红", "陈督查"]


@pytest.mark.slow
def test_twenty_sessions_end_with_exit_code_zero(db_path, accounts, tmp_path):
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
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", MINQING_HOME=str(tmp_path / "desk"))
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / "src"), str(ROOT), env.get("PYTHONPATH", "")])
    failures = []
    for run in range(RUNS):
        first, second = ROLES[run % len(ROLES)], ROLES[(run + 1) % len(ROLES)]
        done = subprocess.run(
            [
                sys.executable,
                str(ROOT / "tests" / "gui" / "desk_session.py"),
                str(db_path),
                first,
                second,
                "secret-1",
                "1" if run % 2 else "0",
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
        )
        if done.returncode != 0:
            failures.append((run, first, second, done.returncode, done.stderr[-1500:]))
    assert failures == []
