from __future__ import annotations

from minqing.cli import main
from minqing.core.models import Household
from tests.printing.pdf_helpers import all_text


def test_print_flowchart_and_cards(office, db_path, tmp_path, capsys):
    Household.create(community=office, grid=office.grids[0], courtyard="中和小区", building="1")
    out = tmp_path / "f.pdf"
    assert main(["--db", str(db_path), "print", "flowchart", "--out", str(out)]) == 0
    assert "民情流水线服务流程图" in all_text(out)
    cards = tmp_path / "cards.pdf"
    assert (
        main(["--db", str(db_path), "print", "cards", "--grid", "第一片区", "--out", str(cards)])
        == 0
    )
    assert "李红" in all_text(cards)
    assert "已生成" in capsys.readouterr().out


def test_errors_the_user_can_fix_exit_2(office, db_path, tmp_path, capsys):
    code = main(
        ["--db", str(db_path), "print", "receipt", "2000-000001", "--out", str(tmp_path / "r.pdf")]
    )
    assert code == 2 and "找不到" in capsys.readouterr().err
    code = main(
        [
            "--db",
            str(db_path),
            "print",
            "register",
            "--stage",
            "乱写",
            "--out",
            str(tmp_path / "g.pdf"),
        ]
    )
    assert code == 2
    code = main(["--db", str(db_path), "print", "flowchart", "--out", str(tmp_path / "f.txt")])
    assert code == 2


def test_paper_layout_calibration_and_recording(office, db_path, tmp_path, capsys):
    from minqing.core.models import Resident
    from minqing.core.outreach import programmes
    from tests.printing.pdf_helpers import page_size_mm, text_sizes

    home = Household.create(community=office, grid=office.grids[0], courtyard="中和小区")
    Resident.create(household=home, name="王五")
    db = ["--db", str(db_path)]
    poster = tmp_path / "poster.pdf"
    assert main([*db, "print", "flowchart", "--paper", "A3", "--out", str(poster)]) == 0
    assert page_size_mm(poster) == (297.0, 420.0)
    assert min(size for _, size in text_sizes(poster)) >= 14
    notice = tmp_path / "n.pdf"
    assert main([*db, "print", "notice", "--paper", "a3", "--out", str(notice)]) == 0
    assert page_size_mm(notice) == (420.0, 297.0) and "公示期：" in all_text(notice)
    code = main([*db, "print", "notice", "--paper", "B5", "--out", str(notice)])
    assert code == 2 and "A4 或 A3" in capsys.readouterr().err
    cards = tmp_path / "c.pdf"
    args = ["print", "cards", "--layout", "cn90", "--no-record", "--out", str(cards)]
    assert main([*db, *args]) == 0
    assert programmes.summary("plain", office).cards == 0
    assert main([*db, "print", "cards", "--out", str(cards)]) == 0
    assert programmes.summary("plain", office).cards == 1
    code = main([*db, "print", "cards", "--layout", "a5", "--out", str(cards)])
    assert code == 2 and "cn90" in capsys.readouterr().err
    cal = tmp_path / "cal.pdf"
    assert main([*db, "print", "calibration", "--out", str(cal)]) == 0
    assert "校准页" in all_text(cal)


def test_print_settings_issuers_pledges_words_and_offsets(office, db_path, tmp_path, capsys):
    from minqing.printing import data, fonts

    db = ["--db", str(db_path), "print", "settings"]
    assert main([*db, "--committee", "中和社区居委会", "--pledge", "件件有回音"]) == 0
    assert main([*db, "--no-break", "民情流水线、接待日", "--front-offset", "0.5,-1"]) == 0
    out = capsys.readouterr().out
    assert "中和社区居委会" in out and "向右 0.5 毫米" in out
    assert data.card_offsets() == ((0.5, -1.0), (0.0, 0.0))
    assert main([*db, "--front-offset", "右边一点"]) == 2
    assert main([*db, "--no-break", "长"]) == 2
    try:
        assert "民情流水线" in fonts.NO_BREAK_WORDS
        flow = tmp_path / "f.pdf"
        assert main(["--db", str(db_path), "print", "notice", "--out", str(flow)]) == 0
        assert "中和社区居委会" in all_text(flow)
    finally:
        for word in ("民情流水线", "接待日"):
            if word in fonts.NO_BREAK_WORDS:
                fonts.NO_BREAK_WORDS.remove(word)
        fonts._tokens.cache_clear()
