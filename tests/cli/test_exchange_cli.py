"""`minqing import 12345` / `export 12345` / `export open311` from the command line."""

from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook

from minqing.cli import main
from minqing.core.storage.db import close_database
from tests.core.test_city_orders import good, sheet


@pytest.fixture
def office_file(db_path, office):
    close_database()
    return str(db_path)


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_dry_run_import_and_reimport(tmp_path, office_file, capsys):
    path = str(sheet(tmp_path / "orders.xlsx", [good(1), good(2)]))
    code, out, _ = run(capsys, "--db", office_file, "import", "12345", path, "--dry-run")
    assert code == 0 and "新工单 2 条" in out and "没有写入" in out
    code, out, _ = run(
        capsys, "--db", office_file, "--json", "import", "12345", path, "--by", "李红"
    )
    data = json.loads(out)
    assert code == 0 and len(data["created"]) == 2
    code, out, _ = run(capsys, "--db", office_file, "import", "12345", path)
    assert code == 0 and "已导入 0 条" in out and "跳过已导入的 2 条" in out


def test_bad_rows_listed_and_nothing_imported(tmp_path, office_file, capsys):
    path = str(sheet(tmp_path / "bad.xlsx", [good(1), good(2, 诉求内容="")]))
    code, out, err = run(capsys, "--db", office_file, "import", "12345", path)
    assert code == 2
    assert "第 4 行" in out and "诉求内容" in out
    assert "整个文件没有导入" in err
    code, out, _ = run(
        capsys,
        "--db",
        office_file,
        "--json",
        "export",
        "open311",
        "--out",
        str(tmp_path / "o.json"),
    )
    assert json.loads(out)["requests"] == 0


def test_exports(tmp_path, office_file, capsys):
    path = str(sheet(tmp_path / "orders.xlsx", [good(1)]))
    assert run(capsys, "--db", office_file, "import", "12345", path)[0] == 0
    out_xlsx = tmp_path / "replies.xlsx"
    code, out, _ = run(capsys, "--db", office_file, "export", "12345", "--out", str(out_xlsx))
    assert code == 0 and "1 条" in out
    assert load_workbook(out_xlsx).active["A2"].value == "GD202611200001"
    out_json = tmp_path / "requests.json"
    code, out, _ = run(
        capsys,
        "--db",
        office_file,
        "export",
        "open311",
        "--out",
        str(out_json),
        "--from",
        "2020-01-01",
    )
    assert code == 0
    items = json.loads(out_json.read_text(encoding="utf-8"))
    assert items[0]["service_notice"] == "12345热线" and "王秀英" not in out_json.read_text("utf-8")
    code, _, err = run(
        capsys,
        "--db",
        office_file,
        "export",
        "12345",
        "--out",
        str(out_xlsx),
        "--from",
        "2026-12-01",
        "--to",
        "2026-11-01",
    )
    assert code == 2 and "开始日期" in err
