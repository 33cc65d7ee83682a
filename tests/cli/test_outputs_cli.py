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
