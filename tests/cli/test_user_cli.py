"""--user on the command line: the same accounts and role rules as the window."""

from __future__ import annotations

import pytest

from minqing.cli import main
from minqing.core.accounts.models import ExportLog
from minqing.core.community import the_community
from minqing.core.privacy import mask_id_number
from minqing.core.registry import services as registry
from minqing.core.storage.db import close_database, open_database

ID_NUMBER = "11010519491231002X"


def _cells(path):
    from openpyxl import load_workbook

    sheet = load_workbook(path, read_only=True).active
    return {str(c) for row in sheet.iter_rows(values_only=True) for c in row if c}


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
    assert code == 2 and "用户名或密码不对" in err


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
    open_database(office_file)
    home = registry.add_household(the_community(), "中和街21号", "2", "1", "301")
    registry.add_resident(home, "刘建国", id_number=ID_NUMBER, phone="13700001111")
    close_database()
    masked, full = tmp_path / "前台.xlsx", tmp_path / "领导.xlsx"
    code, _, err = run(
        capsys, "--db", office_file, "--user", "张敏", "residents", "export", "--out", str(masked)
    )
    assert code == 0, err  # front desk may export, without full numbers (export.personal)
    code, _, err = run(
        capsys, "--db", office_file, "--user", "王书记", "residents", "export", "--out", str(full)
    )
    assert code == 0, err
    assert _cells(masked) >= {"137****1111", mask_id_number(ID_NUMBER)}
    assert not _cells(masked) & {"13700001111", ID_NUMBER}
    assert _cells(full) >= {"13700001111", ID_NUMBER}
    open_database(office_file)
    logs = list(ExportLog.select().order_by(ExportLog.id))
    assert [(log.actor_name, log.what, log.rows) for log in logs] == [
        ("张敏", "居民台账", 1),
        ("王书记", "居民台账", 1),
    ]


def _added(capsys, office_file):
    code, out, err = run(capsys, "--db", office_file, "--user", "张敏", *ADD, "--responder", "张敏")
    assert code == 0, err
    return out.split("：")[1].split("，")[0]


def test_case_show_masks_the_phone_for_a_supervisor(office_file, capsys, monkeypatch):
    monkeypatch.setenv("MINQING_PASSWORD", "secret-1")
    number = _added(capsys, office_file)
    shown = {}
    for user in ("陈督查", "王书记", "张敏"):
        code, out, err = run(capsys, "--db", office_file, "--user", user, "case", "show", number)
        assert code == 0, err
        shown[user] = out
    assert "138****5678" in shown["陈督查"] and "13812345678" not in shown["陈督查"]
    assert "13812345678" in shown["王书记"] and "13812345678" in shown["张敏"]


def test_search_masks_residents_phones_for_an_owner(office_file, capsys, monkeypatch):
    monkeypatch.setenv("MINQING_PASSWORD", "secret-1")
    open_database(office_file)
    home = registry.add_household(the_community(), "中和街21号", "2", "1", "301")
    registry.add_resident(home, "刘建国", phone="13700001111")
    close_database()
    code, out, _ = run(capsys, "--db", office_file, "--user", "李红", "search", "刘建国")
    assert code == 0 and "137****1111" in out and "13700001111" not in out
    code, out, _ = run(capsys, "--db", office_file, "--user", "王书记", "search", "刘建国")
    assert code == 0 and "13700001111" in out


def test_by_naming_someone_else_is_refused_under_user(office_file, capsys, monkeypatch):
    monkeypatch.setenv("MINQING_PASSWORD", "secret-1")
    number = _added(capsys, office_file)
    move = ["case", "move", number, "办理", "--owner", "李红"]
    code, _, err = run(capsys, "--db", office_file, "--user", "张敏", *move, "--by", "王书记")
    assert code == 2 and "--by" in err and "王书记" in err
    code, _, err = run(capsys, "--db", office_file, "--user", "张敏", *move, "--by", "张敏")
    assert code == 0, err


def test_responder_for_someone_else_only_for_leaders(office_file, capsys, monkeypatch):
    monkeypatch.setenv("MINQING_PASSWORD", "secret-1")
    code, _, err = run(capsys, "--db", office_file, "--user", "张敏", *ADD, "--responder", "李红")
    assert code == 2 and "首问责任人" in err
    code, out, err = run(
        capsys, "--db", office_file, "--user", "王书记", *ADD, "--responder", "张敏"
    )
    assert code == 0 and "已受理" in out, err


def test_register_print_is_logged_and_masked_by_role(office_file, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("MINQING_PASSWORD", "secret-1")
    _added(capsys, office_file)
    texts = {}
    for user in ("陈督查", "王书记"):
        out = tmp_path / f"{user}.pdf"
        code, _, err = run(
            capsys, "--db", office_file, "--user", user, "print", "register", "--out", str(out)
        )
        assert code == 0, err
        from pypdf import PdfReader

        texts[user] = "".join(page.extract_text() for page in PdfReader(out).pages)
    assert "138****5678" in texts["陈督查"] and "13812345678" not in texts["陈督查"]
    assert "13812345678" in texts["王书记"]
    open_database(office_file)
    logs = [(log.actor_name, log.what, log.rows) for log in ExportLog.select()]
    assert logs == [
        ("陈督查", "民情受理日志", 1),
        ("王书记", "民情受理日志（含完整电话）", 1),
    ]
