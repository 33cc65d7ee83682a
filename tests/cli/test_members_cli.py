"""`minqing members …` through the three steps and a commitment, and `print commitments`."""

from __future__ import annotations

import datetime as dt
import json

from minqing.cli import main
from minqing.core.members import commitments
from minqing.core.models import Staff
from tests.printing.pdf_helpers import all_text, page_size_mm, reader

Q = commitments.quarter_of(dt.date.today() - dt.timedelta(days=100))
START = Q.start - dt.timedelta(days=40)


def run(db_path, *args):
    return main(["--db", str(db_path), *args])


def test_a_member_from_register_to_review(office, db_path, tmp_path, capsys):
    Staff.create(community=office, name="徐道荣", role="leader")
    assert run(db_path, "members", "add", "刘建国", "--kind", "退休", "--informant") == 0
    assert run(db_path, "members", "apply", "刘建国", "帮扶助困", "--on", START.isoformat()) == 0
    day = (START + dt.timedelta(days=1)).isoformat()
    assert run(db_path, "members", "recommend", "刘建国", "--by", "王毓吉", "--on", day) == 0
    assert run(db_path, "members", "confirm", "刘建国", "--on", day) == 0
    capsys.readouterr()
    assert run(db_path, "--json", "members", "list") == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed[0]["post"] == "帮扶助困" and listed[0]["informant"] is True
    on = Q.start.isoformat()
    assert (
        run(
            db_path,
            "members",
            "pledge",
            "刘建国",
            "--quarter",
            Q.code,
            "--text",
            "每月走访困难户",
            "--on",
            on,
        )
        == 0
    )
    assert (
        run(
            db_path,
            "members",
            "review",
            "刘建国",
            "--quarter",
            Q.code,
            "--text",
            "好",
            "--by",
            "徐道荣",
            "--on",
            on,
        )
        == 2
    )
    assert "还没有履诺记录" in capsys.readouterr().err
    assert (
        run(
            db_path,
            "members",
            "fulfil",
            "刘建国",
            "--quarter",
            Q.code,
            "--what",
            "走访两户",
            "--on",
            on,
        )
        == 0
    )
    assert (
        run(
            db_path,
            "members",
            "review",
            "刘建国",
            "--quarter",
            Q.code,
            "--text",
            "履诺认真",
            "--by",
            "徐道荣",
            "--on",
            on,
        )
        == 0
    )
    capsys.readouterr()
    assert run(db_path, "members", "quarter", Q.code) == 0
    assert "未点评（0）" in capsys.readouterr().out
    out = tmp_path / "q.pdf"
    assert run(db_path, "print", "commitments", "--quarter", Q.code, "--out", str(out)) == 0
    text = all_text(out)
    assert "党组织公开承诺书" in text and "党员公开承诺书" in text and "履诺认真" in text
    assert len(reader(out).pages) == 2
    wall = tmp_path / "wall.pdf"
    args = ["--quarter", Q.code, "--member", "刘建国", "--a3", "--out", str(wall)]
    assert run(db_path, "print", "commitments", *args) == 0
    assert page_size_mm(wall) == (297.0, 420.0) and len(reader(wall).pages) == 1


def test_bad_input_exits_2(office, db_path, tmp_path, capsys):
    assert run(db_path, "members", "add", "王", "--kind", "干部") == 2
    assert "党员类别" in capsys.readouterr().err
    out = str(tmp_path / "x.pdf")
    assert run(db_path, "print", "commitments", "--quarter", "2026Q5", "--out", out) == 2
    assert "不存在" in capsys.readouterr().err
    assert run(db_path, "members", "confirm", "没这人") == 2
    assert run(db_path, "members", "posts") == 0
    assert "未定岗" in capsys.readouterr().out
