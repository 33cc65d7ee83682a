from __future__ import annotations

import json
from pathlib import Path

import pytest

from minqing.cli import main
from minqing.core.calendar.workdays import forget_calendar
from minqing.core.models import CalendarOverride
from minqing.core.storage.db import close_database, open_database

DATA = Path(__file__).parent.parent / "core" / "data"


@pytest.fixture(autouse=True)
def fresh_cache():
    forget_calendar()
    yield
    forget_calendar()


def run(capsys, db_path, *argv):
    code = main(["--db", str(db_path), *argv])
    out, err = capsys.readouterr()
    return code, out, err


def rows(db_path) -> list[tuple]:
    open_database(db_path)
    try:
        return [
            (r.date, r.workday, r.name, r.source)
            for r in CalendarOverride.select().order_by(CalendarOverride.date)
        ]
    finally:
        close_database()


def test_deadline_over_national_day(capsys, db_path):
    code, out, err = run(capsys, db_path, "deadline", "2026-09-30", "3")
    assert (code, out, err) == (0, "2026-10-10\n", "")


def test_deadline_zero_days_and_json(capsys, db_path):
    code, out, _ = run(capsys, db_path, "--json", "deadline", "2026-11-27", "0")
    assert code == 0
    assert json.loads(out) == {
        "intake": "2026-11-27",
        "days": 0,
        "due": "2026-11-27",
        "warning": None,
    }


def test_deadline_in_a_missing_year_warns_on_stderr(capsys, db_path):
    code, out, err = run(capsys, db_path, "deadline", "2027-09-30", "3")
    assert code == 0
    assert out == "2027-10-05\n"
    assert err.startswith("警告：2027年的节假日安排还没有录入")
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["2026-02-30", "3"], "不是有效日期"),
        (["明天", "3"], "不是有效日期"),
        (["2026-11-27", "-1"], "0 到 365"),
        (["2026-11-27", "三"], "工作日数"),
        (["2026-11-27", "9999"], "0 到 365"),
    ],
)
def test_deadline_bad_input(capsys, db_path, argv, words):
    code, out, err = run(capsys, db_path, "deadline", *argv)
    assert code == 2
    assert out == ""
    assert err.startswith("错误：") and words in err
    assert len(err.strip().splitlines()) == 1


def test_import_dry_run_shows_and_stores_nothing(capsys, db_path):
    code, out, err = run(
        capsys, db_path, "calendar", "import", str(DATA / "notice_2027.txt"), "--dry-run"
    )
    assert code == 0, err
    assert "国庆节：2027-10-01（周五） 至 2027-10-07（周四），共7天" in out
    assert "端午节：2027-06-09（周三），共1天" in out
    assert "劳动节：2027-04-25（周日） 调休上班" in out
    assert "试运行" in out
    assert rows(db_path) == []


def test_import_then_show(capsys, db_path):
    code, out, _ = run(capsys, db_path, "calendar", "import", str(DATA / "notice_2027.txt"))
    assert code == 0
    assert "已保存为“2027年通知”：新增 34 天" in out
    stored = rows(db_path)
    assert len(stored) == 34
    assert sum(1 for r in stored if r[1]) == 5
    assert {r[3] for r in stored} == {"2027年通知"}

    code, out, err = run(capsys, db_path, "calendar", "show", "2027")
    assert code == 0
    assert "春节：2027-02-05（周五） 至 2027-02-13（周六），共9天（来源：2027年通知）" in out
    assert "警告" not in out + err

    code, out, _ = run(capsys, db_path, "deadline", "2027-09-30", "2")
    assert out == "2027-10-09\n"

    # importing again changes nothing
    code, out, _ = run(capsys, db_path, "calendar", "import", str(DATA / "notice_2027.txt"))
    assert "新增 0 天，修改 0 天，删除 0 天" in out
    assert rows(db_path) == stored


def test_corrected_notice_replaces_the_year(capsys, db_path, tmp_path):
    run(capsys, db_path, "calendar", "import", str(DATA / "notice_2027.txt"))
    corrected = (
        (DATA / "notice_2027.txt")
        .read_text(encoding="utf-8")
        .replace(
            "10月1日（周五）至7日（周四）放假调休，共7天。9月26日（周日）、10月9日（周六）上班。",
            "10月1日（周五）至3日（周日）放假，共3天。",
        )
    )
    path = tmp_path / "corrected.txt"
    path.write_text(corrected, encoding="gb18030")  # offices often save in GBK
    code, out, err = run(capsys, db_path, "--json", "calendar", "import", str(path))
    assert code == 0, err
    data = json.loads(out)
    assert data["removed"] == 6  # Oct 4–7 and the two make-up days
    dates = {r[0].isoformat() for r in rows(db_path)}
    assert "2027-10-04" not in dates and "2027-10-09" not in dates
    assert "2027-10-03" in dates


def test_show_a_library_year_and_a_missing_year(capsys, db_path):
    code, out, _ = run(capsys, db_path, "calendar", "show", "2026")
    assert code == 0
    assert "国庆节：2026-10-01（周四） 至 2026-10-07（周三），共7天（来源：官方日历）" in out
    assert "国庆节：2026-10-10（周六）（来源：官方日历）" in out

    code, out, _ = run(capsys, db_path, "--json", "calendar", "show", "2028")
    data = json.loads(out)
    assert data["covered"] is False and data["holidays"] == []
    assert "2028年的节假日安排还没有录入" in data["warning"]

    code, out, _ = run(capsys, db_path, "calendar", "show", "2028")
    assert "警告：2028年" in out


def test_set_and_unset_a_single_date(capsys, db_path):
    code, out, _ = run(
        capsys, db_path, "calendar", "set", "2026-11-03", "--holiday", "--name", "换届选举"
    )
    assert code == 0 and "2026-11-03（周二）设为放假（换届选举）" in out
    assert run(capsys, db_path, "deadline", "2026-11-02", "1")[1] == "2026-11-04\n"
    code, out, _ = run(capsys, db_path, "calendar", "show", "2026")
    assert "换届选举：2026-11-03（周二），共1天（来源：本单位设置）" in out
    assert run(capsys, db_path, "calendar", "unset", "2026-11-03")[0] == 0
    assert run(capsys, db_path, "deadline", "2026-11-02", "1")[1] == "2026-11-03\n"
    code, _, err = run(capsys, db_path, "calendar", "unset", "2026-11-03")
    assert code == 2 and "无需删除" in err


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("今天社区组织了文艺演出，欢迎居民参加。", "没有认出节假日安排"),
        (
            "国务院办公厅关于2027年部分节假日安排的通知\n一、春节：2月5日至13日放假。2月30日上班。",
            "2月30日",
        ),
    ],
)
def test_import_bad_text_leaves_the_database_alone(capsys, db_path, tmp_path, content, words):
    run(capsys, db_path, "calendar", "import", str(DATA / "notice_2026.txt"))
    before = rows(db_path)
    path = tmp_path / "notice.txt"
    path.write_text(content, encoding="utf-8")
    code, out, err = run(capsys, db_path, "calendar", "import", str(path))
    assert code == 2
    assert out == ""
    assert err.startswith("错误：") and words in err
    assert len(err.strip().splitlines()) == 1
    assert rows(db_path) == before


def test_import_missing_file(capsys, db_path, tmp_path):
    code, out, err = run(capsys, db_path, "calendar", "import", str(tmp_path / "nope.txt"))
    assert code == 2 and out == ""
    assert err.startswith("错误：找不到文件")
    assert len(err.strip().splitlines()) == 1


def test_import_binary_file(capsys, db_path, tmp_path):
    path = tmp_path / "notice.docx"
    path.write_bytes(b"PK\x03\x04\xff\xfe\x00\x81\x30\x81\xff" * 10)
    code, _, err = run(capsys, db_path, "calendar", "import", str(path))
    assert code == 2 and "文本文件" in err


def test_show_bad_year(capsys, db_path):
    code, _, err = run(capsys, db_path, "calendar", "show", "二〇二七")
    assert code == 2 and "年份" in err
