"""--user on the command line: the same accounts and role rules as the window."""

from __future__ import annotations

import pytest

from minqing.cli import main
from minqing.core.db import close_database, open_database
from minqing.core.models_accounts import ExportLog


@pytest.fixture
def office_file(db_path, accounts):
    close_database()
    return str(db_path)


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


ADD = [
    "case",
    "add",
    "--channel",
    "来访",
    "--text",
    "楼道灯不亮",
    "--window",
    "城建城管",
    "--contact",
    "王先生",
    "--phone",
    "13812345678",
    "--disposition",
    "即办件",
]


def test_without_user_the_command_is_refused(office_file, capsys, monkeypatch):
    monkeypatch.setenv("MINQING_PASSWORD", "secret-1")
    code, _, err = run(capsys, "--db", office_file, "case", "list")
    assert code == 2 and "--user" in err


def test_user_with_password_from_environment(office_file, capsys, monkeypatch):
    monkeypatch.setenv("MINQING_PASSWORD", "secret-1")
    code, out, _ = run(capsys, "--db", office_file, "--user", "张敏", *ADD, "--responder", "张敏")
    assert code == 0 and "已受理" in out
    number = out.split("：")[1].split("，")[0]
    code, out, err = run(
        capsys,
        "--db",
        office_file,
        "--user",
        "张敏",
        "case",
        "move",
        number,
        "办理",
        "--owner",
        "李红",
    )
    assert code == 0
    # the front desk may not record the outcome: exit 2 with the Chinese reason
    code, _, err = run(
        capsys,
        "--db",
        office_file,
        "--user",
        "张敏",
        "case",
        "move",
        number,
        "公示反馈",
        "--outcome",
        "已修好",
    )
    assert code == 2 and "前台人员不能办理民情" in err
    code, out, _ = run(
        capsys,
        "--db",
        office_file,
        "--user",
        "李红",
        "case",
        "move",
        number,
        "公示反馈",
        "--outcome",
        "已修好",
    )
    assert code == 0


def test_wrong_password_exits_2(office_file, capsys, monkeypatch):
    monkeypatch.setenv("MINQING_PASSWORD", "wrong-pass")
    code, _, err = run(capsys, "--db", office_file, "--user", "张敏", "case", "list")
    assert code == 2 and "还可以再试 4 次" in err


def test_calendar_only_for_admin_and_export_logged(office_file, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("MINQING_PASSWORD", "secret-1")
    code, _, err = run(
        capsys, "--db", office_file, "--user", "张敏", "calendar", "set", "2030-01-02", "--holiday"
    )
    assert code == 2 and "前台人员不能修改工作日历" in err
    code, _, err = run(
        capsys,
        "--db",
        office_file,
        "--user",
        "管理员",
        "calendar",
        "set",
        "2030-01-02",
        "--holiday",
    )
    assert code == 0, err
    out_file = tmp_path / "居民.xlsx"
    code, _, err = run(
        capsys, "--db", office_file, "--user", "张敏", "residents", "export", "--out", str(out_file)
    )
    assert code == 2 and "前台人员不能导出" in err
    code, _, err = run(
        capsys,
        "--db",
        office_file,
        "--user",
        "王书记",
        "residents",
        "export",
        "--out",
        str(out_file),
    )
    assert code == 0, err
    open_database(office_file)
    log = ExportLog.get()
    assert log.actor_name == "王书记" and log.what == "居民台账"
