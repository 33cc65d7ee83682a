"""The loaders and the document registry over a real database."""

from __future__ import annotations

import datetime as dt

import pytest

from minqing.core.cases import services as cases
from minqing.core.cases.queries import CaseFilter
from minqing.core.errors import MinqingError
from minqing.core.models import Grid, Household, Resident, ResidentTag, Staff, Window
from minqing.printing import data, documents
from tests.printing.pdf_helpers import all_text, page_text, qr_texts


@pytest.fixture
def homes(office):
    grids = list(Grid.select().order_by(Grid.sort))
    rows = []
    for i in range(12):
        h = Household.create(
            community=office,
            grid=grids[i % 2],
            courtyard="中和小区",
            building=str(i % 3 + 1),
            unit="2",
            door=str(100 + i),
        )
        rows.append(h)
    old = Resident.create(household=rows[0], name="刘䶮", phone="13812345678")
    ResidentTag.create(resident=old, tag="alone_elderly")
    return rows


def _case(office, **kw):
    clerk = Staff.get(Staff.name == "张敏")
    values = dict(
        channel="来访",
        text="3号楼楼道灯坏了，请尽快维修。",
        window=Window.get(Window.name == "城建城管"),
        first_responder=clerk,
        contact_name="王小吉",
        contact_phone="13812345678",
        address="中和小区3号楼2单元501室",
    )
    values.update(kw)
    return cases.take_in(**values).case


def test_cards_for_a_grid_and_for_a_programme(homes, tmp_path):
    out = tmp_path / "cards.pdf"
    result = documents.print_cards(out, grid="第一片区")
    assert result.items == 6 and result.pages == 2
    text = page_text(out, 0)
    assert "李红" in text and "13900001111" in text and "赵刚" not in text
    codes = qr_texts(out)
    assert all("TEL:13900001111" in c for c in codes)
    first = homes[0]
    uid = f"UID:minqing:hh:{data.household_code(first.community_id, 0, first.id)}\r\n"
    assert any(uid in c for c in codes)
    result = documents.print_cards(tmp_path / "sunset.pdf", programme="橙色夕阳卡")
    assert result.items == 1 and "橙色夕阳卡" in all_text(tmp_path / "sunset.pdf")
    with pytest.raises(MinqingError):
        documents.print_cards(tmp_path / "x.pdf", programme="蓝色关爱卡")  # nobody tagged
    with pytest.raises(MinqingError):
        documents.print_cards(tmp_path / "x.pdf", grid="第九片区")


def test_printing_records_the_cards_so_status_follows(homes, office, tmp_path):
    from minqing.core.outreach import programmes

    for home in homes[1:]:
        Resident.create(household=home, name="王五")
    assert programmes.summary("plain", office).cards == 0
    out = tmp_path / "cards.pdf"
    documents.print_cards(out, record=False)
    assert programmes.summary("plain", office).cards == 0
    assert "No." not in all_text(out)
    documents.print_cards(out)
    status = programmes.summary("plain", office)
    assert status.cards == 12 and status.without_card == 0
    cards = data.load_cards(office)
    serials = [c.serial for c in cards]
    assert len(set(serials)) == 12 and all(s.startswith("MQ") for s in serials)
    assert all(f"No.{s}" in all_text(out) for s in serials)
    documents.print_cards(out)  # printing again issues nothing new
    assert programmes.summary("plain", office).cards == 12
    assert data.load_cards(office) == cards


def test_a_cancelled_card_print_records_nothing(homes, office, tmp_path):
    from minqing.core.outreach import programmes

    for home in homes[1:]:
        Resident.create(household=home, name="王五")
    result = documents.print_cards(tmp_path / "c.pdf", progress=lambda done, total: done < 10)
    assert result.cancelled and not (tmp_path / "c.pdf").exists()
    assert programmes.summary("plain", office).cards == 0


def test_register_header_names_its_period_in_chinese_dates():
    f = CaseFilter(date_from=dt.date(2026, 11, 1), date_to=dt.date(2026, 11, 30))
    assert data.describe_filter(f) == "受理日期：2026年11月1日至30日"
    assert (
        data.describe_filter(CaseFilter(date_from=dt.date(2026, 11, 1)))
        == "受理日期：2026年11月1日起"
    )


def test_the_back_names_the_nearest_mailbox():
    places = data.mailbox_places(
        data.Office(
            "中和社区",
            mailbox_places=("比乐街25号门口", "中和小区2号楼门口｜每周一、四开箱", "中和小区门口"),
        )
    )
    assert data.nearest_mailbox(places, "中和小区", "2") == "中和小区2号楼门口（每周一、四开箱）"
    assert data.nearest_mailbox(places, "中和小区", "5") == "中和小区2号楼门口（每周一、四开箱）"
    assert data.nearest_mailbox(places, "永新街46号") == "比乐街25号门口（每天上午开箱）"
    assert data.nearest_mailbox([], "中和小区") == ""


def test_calibration_offsets_are_stored_and_applied(office, tmp_path):
    assert data.card_offsets() == ((0.0, 0.0), (0.0, 0.0))
    data.save_card_offsets((1.5, -0.5), (0.0, 2.0))
    assert data.card_offsets() == ((1.5, -0.5), (0.0, 2.0))
    with pytest.raises(MinqingError):
        data.save_card_offsets((15, 0), (0, 0))
    result = documents.print_card_calibration(tmp_path / "cal.pdf")
    assert result.pages == 2


def test_receipt_from_a_case(office, tmp_path):
    case = _case(office, disposition="补办件", materials_needed="身份证复印件")
    out = tmp_path / "r.pdf"
    documents.print_receipt(case.number, out)
    text = page_text(out)
    assert case.number in text and "身份证复印件" in text and "张敏" in text
    assert qr_texts(out, dpi=150) == [case.number]
    with pytest.raises(MinqingError):
        documents.print_receipt("2000-999999", out)


def test_notice_masks_and_register_does_not(office, tmp_path):
    posted = _case(office)
    cases.move(posted, "handling", owner=posted.first_responder, disposition="即办件")
    cases.record_outcome(posted, "已联系物业更换灯泡。")
    cases.post_publicly(posted)
    hidden = _case(office, contact_name="赵四", text="不公示的事项")
    out = tmp_path / "n.pdf"
    result = documents.print_notice(
        out, start=dt.date.today() - dt.timedelta(days=7), end=dt.date.today()
    )
    text = all_text(out)
    assert result.items == 1 and "王*吉" in text and "138****5678" in text
    assert "王小吉" not in text and "501室" not in text and hidden.number not in text
    reg = tmp_path / "g.pdf"
    window = Window.get(Window.name == "城建城管")
    result = documents.print_register(reg, CaseFilter(window_id=window.id))
    text = all_text(reg)
    assert result.items == 2 and "王小吉" in text and "赵四" in text and "窗口：城建城管" in text


def test_every_registered_document_is_named():
    assert set(documents.DOCUMENTS) == {
        "cards",
        "receipt",
        "notice",
        "register",
        "flowchart",
        "commitments",
        "report",
    }
    assert all(d.title for d in documents.DOCUMENTS.values())
