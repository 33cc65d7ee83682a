"""`minqing stats`: the same numbers as the core, as JSON, text and Excel."""

from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook

from minqing.cli import main
from minqing.core.storage.db import close_database
from tests.core.test_statistics import built  # noqa: F401 - the hand-built March cases


@pytest.fixture
def office_file(db_path, built):  # noqa: F811
    close_database()
    return str(db_path)


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_stats_json(office_file, capsys):
    code, out, _ = run(
        capsys, "--db", office_file, "--json", "stats", "--from", "2026-03-01", "--to", "2026-03-31"
    )
    assert code == 0
    data = json.loads(out)
    assert data["total"] == 10
    assert data["rates"]["satisfaction"]["numerator"] == 2
    assert data["rates"]["satisfaction"]["formula"].startswith("满意率 = ")
    assert data["mediation"]["reported"] == 4


def test_stats_month_text_filters_and_excel(office_file, capsys, tmp_path):
    book = tmp_path / "march.xlsx"
    code, out, _ = run(
        capsys,
        "--db",
        office_file,
        "stats",
        "--month",
        "2026-03",
        "--window",
        "司法调解",
        "--excel",
        str(book),
    )
    assert code == 0 and "受理民情 4 件" in out and "调成率 50.0%" in out
    sheet = load_workbook(book)["指标"]
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert "满意率" in values and "调成率" in values


def test_stats_refusals(office_file, capsys):
    code, _, err = run(capsys, "--db", office_file, "stats", "--from", "2026-03-01")
    assert code == 2 and "--month" in err
    code, _, err = run(capsys, "--db", office_file, "stats", "--month", "2026-3x")
    assert code == 2 and "2026-11" in err
    code, _, err = run(
        capsys, "--db", office_file, "stats", "--month", "2026-03", "--staff", "无名"
    )
    assert code == 2
