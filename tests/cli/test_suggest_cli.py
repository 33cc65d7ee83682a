"""`minqing suggest`, `minqing keywords` and `minqing search` with a scanned QR's text."""

from __future__ import annotations

import json

import pytest

from minqing.cli import main
from minqing.core.models import Household, Resident
from minqing.core.storage.db import close_database


@pytest.fixture
def office_file(db_path, office):
    home = Household.create(
        community=office, courtyard="中和小区", building="3", unit="2", door="501"
    )
    Resident.create(household=home, name="王英华", phone="13644595341")
    close_database()
    return str(db_path), home.id


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_suggest_prints_windows_disposition_and_similar(office_file, capsys):
    path, _ = office_file
    code, out, _ = run(capsys, "--db", path, "--json", "suggest", "暖器一点都不热，老人冻感冒了")
    assert code == 0
    data = json.loads(out)
    assert [w["name"] for w in data["windows"]][0] == "城建城管"
    assert len(data["windows"]) == 3 and 0 < data["windows"][0]["score"] <= 1
    assert data["disposition"] is None and data["similar"] == []
    code, out, _ = run(capsys, "--db", path, "suggest", "想办个残疾证")
    assert code == 0 and out.startswith("推荐窗口：残疾人")


def test_keywords_listed_and_set(office_file, capsys):
    path, _ = office_file
    code, out, _ = run(capsys, "--db", path, "keywords")
    assert code == 0 and "城建城管：" in out and "暖气" in out
    code, out, _ = run(capsys, "--db", path, "keywords", "城建城管", "--set", "地暖，暖气")
    assert code == 0 and out.strip() == "城建城管：地暖、暖气"
    code, _, err = run(capsys, "--db", path, "keywords", "没有的窗口")
    assert code == 2 and "找不到服务窗口" in err


def test_search_accepts_a_card_qr(office_file, capsys):
    path, household_id = office_file
    vcard = f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:中和社区民情热线\r\nUID:minqing:hh:01-01-{household_id:05d}\r\nEND:VCARD"
    code, out, _ = run(capsys, "--db", path, "--json", "search", vcard)
    assert code == 0
    hits = json.loads(out)
    assert hits[0]["kind"] == "household" and hits[0]["title"] == "中和小区3号楼2单元501室"
    assert hits[1]["title"] == "王英华"
    # the same text split by a shell into words
    code, out, _ = run(capsys, "--db", path, "search", *vcard.split())
    assert code == 0 and out.startswith("住户  中和小区3号楼2单元501室")
    code, _, err = run(capsys, "--db", path, "search", "BEGIN:VCARD\nEND:VCARD")
    assert code == 2 and "没有住户编号" in err


def test_a_demo_cards_qr_finds_its_household(db, db_path, capsys, monkeypatch):
    """The exact text the printed card's QR holds (printing.cards.contact_payload), as a
    scanner would paste it, finds the household with `minqing search`."""
    import datetime as dt

    from minqing.core import demo
    from minqing.core.community import the_community
    from minqing.core.models import Household
    from minqing.printing.cards import contact_payload
    from minqing.printing.data import load_cards, load_office

    demo.build(60, seed=3, reference=dt.date(2026, 6, 30))
    community = the_community()
    card = load_cards(community)[7]
    payload = contact_payload(load_office(community), card)
    household = Household.get_by_id(int(card.household.rsplit("-", 1)[1]))
    close_database()
    monkeypatch.setenv("MINQING_PASSWORD", "demo123")
    code, out, err = run(
        capsys, "--db", str(db_path), "--user", "管理员", "--json", "search", payload
    )
    assert code == 0, err
    hits = json.loads(out)
    assert hits[0] == {
        "kind": "household",
        "id": household.id,
        "title": household.address,
        "detail": f"住户编号 {card.household}",
    }
