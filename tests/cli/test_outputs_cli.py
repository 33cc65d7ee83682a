"""Roles on outputs from the command line: statistics, the monthly report, exports."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import load_workbook

from minqing.cli import main
from minqing.core.storage.db import close_database


@pytest.fixture
def office_file(db_path, accounts, monkeypatch):
    close_database()
    monkeypatch.setenv("MINQING_PASSWORD", "secret-1")
    return str(db_path)


def run(capsys, *argv, user=None):
    code = main(list(argv[:2]) + (["--user", user] if user else []) + list(argv[2:]))
    out, err = capsys.readouterr()
    return code, out, err


def test_front_desk_cannot_export_statistics_or_print_the_monthly_report(
    office_file, capsys, tmp_path
):
    month = dt.date.today().strftime("%Y-%m")
    book, pdf = tmp_path / "s.xlsx", tmp_path / "m.pdf"
    code, _, err = run(
        capsys, "--db", office_file, "stats", "--month", month, "--excel", str(book), user="张敏"
    )
    assert code == 2 and "前台" in err and "查看统计" in err and "Traceback" not in err
    assert not book.exists()
    for out in (pdf, tmp_path / "m.xlsx"):
        code, _, err = run(
            capsys,
            "--db",
            office_file,
            "print",
            "report",
            "--month",
            month,
            "--out",
            str(out),
            user="张敏",
        )
        assert code == 2 and "查看统计" in err and not out.exists()
    code, _, _ = run(
        capsys, "--db", office_file, "stats", "--month", month, "--excel", str(book), user="王书记"
    )
    assert code == 0 and "指标" in load_workbook(book).sheetnames


def test_print_notice_shows_no_personal_number_or_name(
    db_path, accounts, monkeypatch, capsys, tmp_path
):
    from minqing.core.cases import services as cases
    from minqing.core.models import Window
    from minqing.core.registry import services as registry
    from tests.printing.pdf_helpers import all_text

    home = registry.add_household(accounts["front_desk"].community, "中和街21号", "3", "2", "501")
    person = registry.add_resident(home, "刘建国", id_number="11010519491231002X")
    case = cases.take_in(
        channel="walk_in",
        text="刘建国反映楼上漏水，身份证11010519491231002X，手机+86 138 1234 5678，座机0451-55501234",
        window=Window.get(Window.name == "城建城管"),
        first_responder=accounts["front_desk"],
        resident=person,
        household=home,
        owner=accounts["owner"],
        disposition="immediate",
    ).case
    cases.move(case, "handling")
    outcome = "已修好，电话 0451 8765 4321 告知刘建国，证件 1101 0519 4912 3100 2X 已核"
    cases.move(case, "feedback", outcome=outcome)
    cases.post_publicly(case.id)
    close_database()
    monkeypatch.setenv("MINQING_PASSWORD", "secret-1")
    pdf = tmp_path / "notice.pdf"
    code, _, err = run(
        capsys, "--db", str(db_path), "print", "notice", "--out", str(pdf), user="张敏"
    )
    assert code == 0, err
    text = "".join(all_text(pdf).split())
    assert case.number in text and "刘*国" in text and "138****5678" in text
    for secret in (
        "刘建国",
        "11010519491231002X",
        "110105194912",
        "13812345678",
        "55501234",
        "87654321",
        "2单元",
        "501",
    ):
        assert secret not in text, secret
