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
