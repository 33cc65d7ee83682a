"""`minqing init`: a new office from the command line; a closed pipe ends quietly."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from minqing.cli import main
from minqing.core.models import Community, Staff


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_init_makes_the_community_and_its_administrator(db_path, capsys, monkeypatch):
    path = str(db_path)
    monkeypatch.setenv("MINQING_PASSWORD", "secret-12")
    code, out, err = run(
        capsys,
        "--db", path, "--json", "init", "--community", "新华社区", "--admin", "王芳",
        "--hotline", "0451-86123456", "--grid", "第一片区:李红:13900001111",
    )  # fmt: skip
    assert code == 0, err
    assert json.loads(out) == {"community": "新华社区", "admin": "王芳"}
    assert Community.get().name == "新华社区"
    assert {(s.name, s.role) for s in Staff.select()} >= {("王芳", "admin"), ("李红", "owner")}
    # From now on the office has accounts: a command needs --user, and the admin can sign in.
    code, _, err = run(capsys, "--db", path, "check")
    assert code == 2 and "--user" in err
    code, out, _ = run(capsys, "--db", path, "--user", "王芳", "check")
    assert code == 0 and "结构版本" in out
    code, _, err = run(capsys, "--db", path, "init", "--community", "另一社区", "--admin", "甲")
    assert code == 2 and "已经有社区" in err


def test_init_refuses_a_weak_password_and_writes_nothing(db_path, capsys, monkeypatch):
    monkeypatch.setenv("MINQING_PASSWORD", "123")
    code, _, err = run(
        capsys, "--db", str(db_path), "init", "--community", "新华社区", "--admin", "王芳"
    )
    assert code == 2 and "至少要 6 个字符" in err
    assert Community.select().count() == 0


def test_init_refuses_a_malformed_grid(db_path, capsys, monkeypatch):
    monkeypatch.setenv("MINQING_PASSWORD", "secret-12")
    code, _, err = run(
        capsys, "--db", str(db_path), "init", "--community", "新华社区", "--admin", "王芳",
        "--grid", "第一片区:李红:139:多余",
    )  # fmt: skip
    assert code == 2 and "片区:负责人:电话" in err


def test_a_closed_pipe_ends_quietly(db_path, tmp_path):
    """`minqing case list | head -1`: the reader leaves early; no apology, no traceback, exit 0."""
    env = dict(os.environ, MINQING_HOME=str(tmp_path / "home"))
    command = [sys.executable, "-m", "minqing", "--db", str(db_path), "deadline", "2026-09-30", "3"]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    proc.stdout.close()  # the reader is gone before the program writes
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0, err
    assert "意外错误" not in err and "Traceback" not in err
    log = tmp_path / "home" / "minqing.log"
    assert not log.exists() or "BrokenPipe" not in log.read_text(encoding="utf-8")
