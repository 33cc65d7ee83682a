"""`minqing residents import/export` and `minqing cards issue/status`."""

from __future__ import annotations

import json

import openpyxl

from minqing.cli import main
from minqing.core.storage.db import close_database
from tests.core.test_ledger_import import messy_workbook


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_import_refuses_bad_rows_unless_skipped(db_path, office, tmp_path, capsys):
    close_database()
    book = messy_workbook(tmp_path / "台账.xlsx")
    db = str(db_path)
    code, out, _ = run(capsys, "--db", db, "residents", "import", str(book), "--dry-run")
    assert code == 0 and "新增 3 人" in out and "第 8 行" in out and "未写入" in out
    code, out, err = run(capsys, "--db", db, "residents", "import", str(book))
    assert code == 2 and "未导入任何数据" in err
    code, out, _ = run(capsys, "--db", db, "--json", "residents", "import", str(book), "--skip-bad")
    data = json.loads(out)
    assert code == 0 and data["written"] and data["add"] == 3 and len(data["errors"]) == 4
    code, out, _ = run(capsys, "--db", db, "--json", "residents", "import", str(book), "--skip-bad")
    assert json.loads(out)["add"] == 0 and json.loads(out)["unchanged"] == 3


def test_export_and_issue_cards(db_path, office, tmp_path, capsys):
    close_database()
    db = str(db_path)
    run(
        capsys,
        "--db",
        db,
        "residents",
        "import",
        str(messy_workbook(tmp_path / "a.xlsx")),
        "--skip-bad",
    )
    out_file = tmp_path / "导出.xlsx"
    code, out, _ = run(capsys, "--db", db, "residents", "export", "--out", str(out_file))
    assert code == 0 and "已导出 3 位居民" in out
    assert openpyxl.load_workbook(out_file).active.max_row == 4
    pdf = tmp_path / "cards.pdf"
    code, out, _ = run(
        capsys, "--db", db, "--json", "cards", "issue", "--staff", "张敏", "--out", str(pdf)
    )
    data = json.loads(out)
    assert code == 0 and data["issued"] == 3 and pdf.exists()
    code, out, _ = run(capsys, "--db", db, "cards", "issue")
    assert "新发 0 张" in out
    code, out, err = run(capsys, "--db", db, "cards", "issue", "--programme", "夕阳")
    assert code == 0 and "新发 0 张" in out  # nobody enrolled yet
    code, out, _ = run(capsys, "--db", db, "cards", "status")
    assert "民情连心卡：登记 0 户，待登记 0 人，持卡 3 户，未发卡 0 户" in out
    assert "橙色夕阳卡：登记 0 户，待登记 1 人" in out
