"""`minqing demo`: builds once, then only tops up; refuses a real office's file."""

from __future__ import annotations

import json

from minqing.cli import main
from minqing.core.storage.db import close_database


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_demo_builds_then_tops_up(db_path, capsys, monkeypatch):
    path = str(db_path)  # a file, or the PostgreSQL server in the PostgreSQL pass
    code, out, _ = run(
        capsys, "--db", path, "demo", "--cases", "40", "--seed", "2", "--reference", "2026-05-20"
    )
    assert code == 0 and "已生成演示社区“中和社区”" in out and "新增民情 40 条" in out
    # The demo has the window's accounts (name / demo123), so later commands sign in.
    monkeypatch.setenv("MINQING_PASSWORD", "demo123")
    code, out, err = run(capsys, "--db", path, "--json", "demo", "--cases", "60")
    assert code == 2 and "--user" in err
    user = ("--user", "张敏")
    code, out, _ = run(capsys, "--db", path, *user, "--json", "demo", "--cases", "60")
    data = json.loads(out)
    assert code == 0 and not data["created"] and data["added"] == 20 and data["cases"] == 60
    assert data["seed"] == 2 and data["reference"] == "2026-05-20"
    code, out, _ = run(capsys, "--db", path, *user, "--json", "demo", "--cases", "60")
    assert json.loads(out)["added"] == 0


def test_demo_refuses_a_real_office(db_path, office, capsys):
    close_database()
    code, _, err = run(capsys, "--db", str(db_path), "demo", "--cases", "5")
    assert code == 2 and "不是演示社区" in err
