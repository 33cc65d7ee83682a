"""Every case action the window has, from the command line, on a fresh database with accounts:
the same services, stages and roles; a user's mistake exits 2 with one Chinese line."""

from __future__ import annotations

import json

import pytest

from minqing.cli import case_actions, main
from minqing.core.cases import stage_actions
from minqing.core.storage.db import close_database

PASSWORD = "secret-1"


@pytest.fixture
def office_file(db_path, accounts, monkeypatch):
    monkeypatch.setenv("MINQING_PASSWORD", PASSWORD)
    close_database()
    return str(db_path)


@pytest.fixture
def cli(office_file, capsys):
    def run(user, *argv):
        code = main(["--db", office_file, "--user", user, *argv])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def ok(result):
    code, out, err = result
    assert code == 0, err
    return out


def refused(result, *words):
    code, out, err = result
    assert code == 2, (out, err)
    line = err.strip()
    assert "\n" not in line and "Traceback" not in line, err
    for word in words:
        assert word in line, line
    return line


def add(cli, *extra):
    out = ok(
        cli(
            "张敏",
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
            *extra,
        )
    )
    return out.split("：")[1].split("，")[0].strip()


def show(cli, number, user="王书记"):
    return json.loads(ok(cli(user, "--json", "case", "show", number)))


def test_every_window_action_has_a_verb():
    verbs = {k for v in case_actions.VERBS for k in v.keys}
    assert verbs == set(stage_actions.ACTIONS)


def test_a_case_from_intake_to_closed_and_back(cli):
    number = add(cli)
    out = ok(cli("张敏", "case", "assign", number, "--owner", "李红", "--disposition", "承诺件",
                 "--promised-date", "2099-12-31"))  # fmt: skip
    assert "已更换责任人" in out and "办理类型已更新" in out
    data = show(cli, number)
    assert (data["owner"], data["disposition"], data["stage"]) == ("李红", "承诺件", "受理")
    refused(cli("李红", "case", "outcome", number, "--outcome", "已修好"), "受理", "请先交办")
    ok(cli("张敏", "case", "move", number, "办理"))
    refused(cli("张敏", "case", "outcome", number, "--outcome", "已修好"), "前台人员不能")
    refused(cli("赵刚", "case", "outcome", number, "--outcome", "已修好"), "责任人是李红")
    ok(cli("李红", "case", "outcome", number, "--outcome", "已更换灯泡"))
    assert "已公示" in ok(cli("李红", "case", "post", number))
    assert show(cli, number)["posted_on"]
    ok(cli("李红", "case", "move", number, "公示反馈"))
    out = ok(cli("李红", "case", "reply", number, "--method", "电话答复", "--text", "已告知"))
    assert "答复已保存" in out
    ok(cli("李红", "case", "move", number, "跟踪监督"))
    refused(cli("李红", "case", "check", number, "--kind", "定期督促", "--finding", "好"), "责任人")
    ok(cli("陈督查", "case", "check", number, "--kind", "定期督促", "--finding", "灯已修好"))
    out = ok(
        cli("陈督查", "case", "callback", number, "--satisfaction", "满意", "--resolved", "已解决")
    )
    assert "回访已记录" in out
    assert show(cli, number)["stage"] == "办结"
    refused(cli("王书记", "case", "reply", number, "--method", "电话答复", "--text", "x"), "已办结")
    ok(cli("陈督查", "case", "reopen", number, "--reason", "复查发现又坏了"))
    data = show(cli, number)
    assert (data["stage"], data["reopen_count"], data["outcome"]) == ("办理", 1, "")


def test_materials_satisfaction_and_edit(cli):
    number = add(cli, "--disposition", "补办件", "--materials", "户口本")
    assert show(cli, number)["waiting_materials"] is True
    refused(cli("张敏", "case", "materials", number), "前台人员不能")
    assert "材料已补齐" in ok(cli("王书记", "case", "materials", number))
    assert show(cli, number)["waiting_materials"] is False
    ok(cli("张敏", "case", "edit", number, "--text", "三楼楼道灯不亮", "--urgent", "是"))
    data = show(cli, number)
    assert data["text"] == "三楼楼道灯不亮" and data["urgent"] is True
    refused(cli("张敏", "case", "satisfaction", number, "--satisfaction", "满意"), "前台人员不能")
    refused(cli("陈督查", "case", "satisfaction", number, "--satisfaction", "满意"), "还没有答复")


def test_user_mistakes_exit_2_with_one_chinese_line(cli):
    number = add(cli)
    refused(cli("张敏", "case", "assign", number), "--owner", "--disposition")
    refused(cli("张敏", "case", "assign", number, "--materials", "户口本"), "--disposition")
    refused(cli("张敏", "case", "assign", number, "--owner", "没有这个人"), "没有这个人")
    refused(cli("张敏", "case", "assign", "2026-99999", "--owner", "李红"), "2026-99999")
    refused(cli("张敏", "case", "assign", number, "--disposition", "快办件"), "快办件")
    refused(cli("陈督查", "case", "reopen", number, "--reason", "x"), "受理")
    refused(cli("张敏", "case", "post", number), "请先交办")
    code, _, err = cli("张敏", "case", "edit", number, "--urgent", "也许")
    assert code == 2 and err.strip()


def test_show_lists_what_the_user_may_do(cli):
    number = add(cli, "--disposition", "即办件")
    ok(cli("张敏", "case", "assign", number, "--owner", "李红"))
    clerk = ok(cli("张敏", "case", "show", number))
    assert f"case move {number} 办理" in clerk and f"case assign {number}" in clerk
    supervisor = ok(cli("陈督查", "case", "show", number))
    assert "case move" not in supervisor and f"case assign {number}" not in supervisor
