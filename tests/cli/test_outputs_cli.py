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


@pytest.fixture
def secret_office(db_path, accounts, monkeypatch):
    """A case whose words carry a phone and an ID number, owned by 李红; a resident with a
    phone; then the database closed for the command line."""
    from minqing.core.cases import services as cases
    from minqing.core.models import Window
    from minqing.core.registry import services as registry

    home = registry.add_household(accounts["front_desk"].community, "中和街21号", "3", "2", "501")
    person = registry.add_resident(
        home, "刘建国", phone="13712345678", id_number="11010519491231002X", tags=["低保"]
    )
    case = cases.take_in(
        channel="walk_in",
        text="刘建国反映楼上漏水，回电 139 0000 1111，身份证11010519491231002X",
        window=Window.get(Window.name == "城建城管"),
        first_responder=accounts["front_desk"],
        resident=person,
        household=home,
        owner=accounts["owner"],
        disposition="immediate",
    ).case
    cases.move(case, "handling")
    cases.move(case, "feedback", outcome="已修好，已电话 13900001111 告知")
    close_database()
    monkeypatch.setenv("MINQING_PASSWORD", "secret-1")
    return str(db_path), case.number


NUMBERS = ("13900001111", "139 0000 1111", "11010519491231002X")


def test_case_show_and_list_mask_numbers_in_the_words_for_the_supervisor(secret_office, capsys):
    import json

    office, number = secret_office
    for argv in (["case", "show", number], ["case", "list"]):
        code, out, err = run(capsys, "--db", office, "--json", *argv, user="陈督查")
        assert code == 0, err
        for secret in NUMBERS:
            assert secret not in out, (argv, secret)
        assert "139****1111" in out
        code, out, _ = run(capsys, "--db", office, *argv, user="陈督查")
        assert not any(secret in out for secret in NUMBERS)
    code, out, _ = run(capsys, "--db", office, "--json", "case", "show", number, user="张敏")
    shown = json.loads(out)
    assert "139 0000 1111" in shown["text"] and "13900001111" in shown["outcome"]


def test_search_by_a_full_phone_finds_no_one_without_personal_view(secret_office, capsys):
    import json

    office, number = secret_office
    for phone in ("13712345678", "13900001111"):
        code, out, _ = run(capsys, "--db", office, "--json", "search", phone, user="陈督查")
        assert code == 0 and json.loads(out) == [], phone
    code, out, _ = run(capsys, "--db", office, "--json", "search", "13712345678", user="张敏")
    hits = json.loads(out)
    assert [h["title"] for h in hits if h["kind"] == "resident"] == ["刘建国"]
    assert number in [h["title"] for h in hits if h["kind"] == "case"]
    code, out, _ = run(capsys, "--db", office, "--json", "search", "漏水", user="陈督查")
    case_hits = [h for h in json.loads(out) if h["kind"] == "case"]
    assert case_hits and "1111" in case_hits[0]["detail"]
    assert "13900001111" not in out and "139 0000 1111" not in out


def test_receipt_and_register_mask_by_the_core_rule(secret_office, capsys, tmp_path):
    from tests.printing.pdf_helpers import all_text

    office, number = secret_office

    def flat(path):
        return "".join(all_text(path).split())

    receipts = {}
    for user in ("陈督查", "张敏"):
        receipts[user] = tmp_path / f"receipt-{user}.pdf"
        code, _, err = run(
            capsys,
            "--db",
            office,
            "print",
            "receipt",
            number,
            "--out",
            str(receipts[user]),
            user=user,
        )
        assert code == 0, err
    assert "13900001111" not in flat(receipts["陈督查"]) and "139****1111" in flat(
        receipts["陈督查"]
    )
    assert "13900001111" in flat(receipts["张敏"])
    # the register on paper and in Excel: the same rule (export.personal) for both
    for user, full in (("张敏", False), ("王书记", True)):
        pdf = tmp_path / f"register-{user}.pdf"
        code, _, err = run(
            capsys, "--db", office, "print", "register", "--out", str(pdf), user=user
        )
        assert code == 0, err
        assert ("13712345678" in flat(pdf)) is full, user
        assert ("137****5678" in flat(pdf)) is not full, user


def test_registry_export_leaves_sensitive_tags_to_export_personal(secret_office, capsys, tmp_path):
    office, _ = secret_office
    for user, full in (("张敏", False), ("王书记", True)):
        book = tmp_path / f"{user}.xlsx"
        code, _, err = run(
            capsys, "--db", office, "residents", "export", "--out", str(book), user=user
        )
        assert code == 0, err
        values = [c.value for row in load_workbook(book).active.iter_rows() for c in row]
        assert ("低保" in values) is full and ("13712345678" in values) is full, user
        assert ("137****5678" in values) is not full


def test_the_card_issuer_is_the_signed_in_person(secret_office, capsys):
    from minqing.core.registry.models import CardIssue
    from minqing.core.storage.db import open_database

    office, _ = secret_office
    code, _, err = run(capsys, "--db", office, "cards", "issue", "--staff", "王书记", user="张敏")
    assert code == 2 and "张敏" in err and "王书记" in err
    code, _, err = run(capsys, "--db", office, "cards", "issue", user="张敏")
    assert code == 0, err
    open_database(office)
    issuers = {c.issued_by.name for c in CardIssue.select()}
    close_database()
    assert issuers == {"张敏"}
