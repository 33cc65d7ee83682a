"""The command line: same rules as the window, one clear line on error, JSON on request."""

from __future__ import annotations

import json

import pytest

from minqing.cli import main
from minqing.core.storage.db import close_database


@pytest.fixture
def office_file(db_path, office):
    close_database()
    return str(db_path)


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_case_add_show_move_and_list(office_file, capsys):
    code, out, _ = run(
        capsys,
        "--db",
        office_file,
        "case",
        "add",
        "--channel",
        "民情热线",
        "--text",
        "楼道灯不亮",
        "--window",
        "城建城管",
        "--responder",
        "张敏",
        "--contact",
        "王先生",
        "--phone",
        "138 1234 5678",
        "--disposition",
        "即办件",
    )
    assert code == 0 and "已受理：" in out
    number = out.split("：")[1].split("，")[0]
    code, out, _ = run(
        capsys, "--db", office_file, "case", "move", number, "办理", "--owner", "李红"
    )
    assert code == 0 and "办理" in out
    code, out, _ = run(capsys, "--db", office_file, "--json", "case", "show", number)
    data = json.loads(out)
    assert data["stage"] == "办理" and data["owner"] == "李红" and data["phone"] == "13812345678"
    assert any(e["field"] == "stage" and e["new"] == "办理" for e in data["events"])
    code, out, _ = run(capsys, "--db", office_file, "--json", "case", "list", "--stage", "办理")
    assert json.loads(out)["total"] == 1


def test_refusals_exit_2_with_one_line(office_file, capsys):
    code, _, err = run(
        capsys,
        "--db",
        office_file,
        "case",
        "add",
        "--channel",
        "来访",
        "--text",
        "办低保",
        "--window",
        "民政低保",
        "--responder",
        "张敏",
        "--contact",
        "李",
        "--disposition",
        "补办件",
    )
    assert code == 2
    assert err.strip().count("\n") == 0 and "材料" in err and "Traceback" not in err
    code, _, err = run(capsys, "--db", office_file, "case", "show", "2026-99999")
    assert code == 2 and "找不到" in err
    code, _, err = run(
        capsys,
        "--db",
        office_file,
        "case",
        "add",
        "--channel",
        "来访",
        "--text",
        "x",
        "--window",
        "不存在的窗口",
        "--responder",
        "张敏",
        "--contact",
        "李",
    )
    assert code == 2 and "城建城管" in err  # lists the windows to choose from


def test_search_and_check(office_file, capsys):
    run(
        capsys,
        "--db",
        office_file,
        "case",
        "add",
        "--channel",
        "民情信箱",
        "--text",
        "暖气不热",
        "--window",
        "城建城管",
        "--responder",
        "张敏",
        "--contact",
        "匿名",
    )
    code, out, _ = run(capsys, "--db", office_file, "search", "暖气")
    assert code == 0 and "暖气不热" in out
    code, out, _ = run(capsys, "--db", office_file, "--json", "check")
    assert code == 0
    assert {i["name"]: i["ok"] for i in json.loads(out)}["民情编号"] is True


def test_not_a_database(tmp_path, capsys):
    junk = tmp_path / "junk.txt"
    junk.write_text("hello")
    code, _, err = run(capsys, "--db", str(junk), "check")
    assert code == 2 and "不是民情流水线的数据库文件" in err


@pytest.mark.sqlite_only
def test_backup_and_restore(office_file, capsys, tmp_path):
    code, out, _ = run(capsys, "--db", office_file, "--json", "backup")
    copy = json.loads(out)["backup"]
    run(
        capsys,
        "--db",
        office_file,
        "case",
        "add",
        "--channel",
        "来访",
        "--text",
        "后来加的",
        "--window",
        "城建城管",
        "--responder",
        "张敏",
        "--contact",
        "李",
    )
    code, out, _ = run(capsys, "--db", office_file, "restore", copy)
    assert code == 0 and "已从" in out
    code, out, _ = run(capsys, "--db", office_file, "--json", "case", "list")
    assert json.loads(out)["total"] == 0


def test_unexpected_error_is_logged_not_shown(office_file, capsys, monkeypatch, data_home):
    from minqing.core.cases import search

    def boom(*a, **k):
        raise RuntimeError("internal detail")

    monkeypatch.setattr(search, "search", boom)
    code, _, err = run(capsys, "--db", office_file, "search", "x")
    assert code == 1 and "日志" in err and "internal detail" not in err
    assert "internal detail" in (data_home / "minqing.log").read_text(encoding="utf-8")
