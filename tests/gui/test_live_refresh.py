"""Another PC registers a case: the board, the case list and Today show it within seconds,
without anyone pressing anything (SQLite data_version, or PostgreSQL LISTEN/NOTIFY)."""

from __future__ import annotations

import subprocess
import sys

from minqing.core.enums import Stage
from minqing.core.models import Case, database_proxy
from minqing.core.storage.changes import ChangeWatcher


def other_pc_takes_in(db_path, text: str) -> None:
    """Another program, with its own connection, as a second PC would be."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "minqing",
            "--db",
            str(db_path),
            "case",
            "add",
            "--channel",
            "民情热线",
            "--text",
            text,
            "--window",
            "城建城管",
            "--responder",
            "张敏",
            "--contact",
            "王先生",
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )


def test_board_and_list_pick_up_another_pcs_case(qtbot, window, db_path):
    board = window.panel("board")
    case_list = window.panel("case_list")
    case_list.table.selectRow(0)
    other_pc_takes_in(db_path, "别的电脑受理的民情")
    case = Case.get(Case.text == "别的电脑受理的民情")
    qtbot.waitUntil(
        lambda: case.id in [row.id for row in board.columns[Stage.INTAKE].model.rows],
        timeout=15000,
    )
    qtbot.waitUntil(lambda: case.id in case_list.model.ids, timeout=15000)


def test_own_writes_are_not_reported(db, office, db_path):
    from minqing.core import community
    from minqing.core.cases import services as cases
    from minqing.core.models import Staff

    watcher = ChangeWatcher(database_proxy.obj)
    try:
        assert not watcher.poll()
        cases.take_in(
            channel="walk_in",
            text="本机受理",
            window=community.find_window("综合治理"),
            first_responder=Staff.get(Staff.name == "张敏"),
            contact_name="匿名",
        )
        assert not watcher.poll()  # this program's own change: its panels already know
        other_pc_takes_in(db_path, "别处受理")
        import time

        deadline = time.monotonic() + 10
        while not watcher.poll():
            assert time.monotonic() < deadline, "another connection's change was not seen"
            time.sleep(0.1)
        assert not watcher.poll()
    finally:
        watcher.close()
