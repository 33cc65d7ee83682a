from __future__ import annotations

import pytest

from minqing.printing.cards import (
    DEFAULT_PROGRAMMES,
    PLAIN,
    CardData,
    contact_payload,
    find_programme,
    render_cards,
    slot_origin,
)
from minqing.printing.common import Office
from tests.printing.documents_data import OFFICE, RARE, cards
from tests.printing.pdf_helpers import (
    all_text,
    font_report,
    page_size_mm,
    page_text,
    qr_positions,
    qr_texts,
)


@pytest.fixture
def sheet(tmp_path):
    out = tmp_path / "cards.pdf"
    result = render_cards(OFFICE, cards(12), out)
    return out, result


def test_sheets_are_a4_with_fronts_and_backs(sheet):
    out, result = sheet
    assert result.pages == 4 and result.items == 12 and not result.cancelled
    assert page_size_mm(out) == (210.0, 297.0)


def test_every_font_is_embedded(sheet):
    fonts = font_report(sheet[0])
    assert fonts and all(fonts.values()), fonts


def test_card_text_reads_back(sheet):
    out, result = sheet
    front = page_text(out, 0)
    for expected in (
        "中和社区",
        "民情连心卡",
        "第一片区",
        f"李{RARE}",
        "13900001111",
        "0451-86123456",
        "No.01-01-00000",
        "No.01-01-00009",
    ):
        assert expected in front
    back = page_text(out, 1)
    for expected in ("中和街21号楼道", "每周二上午", "123456789", "No.01-01-00000"):
        assert expected in back
    assert "No.01-01-00011" in all_text(out)
    assert result.missing == {}  # 䶮 came from the fallback font


def test_qr_codes_decode_to_a_contact(sheet):
    texts = qr_texts(sheet[0], page=1)
    assert len(texts) == 10
    assert set(texts) == {contact_payload(OFFICE, cards(2)[1])} | {
        contact_payload(OFFICE, cards(1)[0])
    }
    vcard = texts[0]
    assert vcard.startswith("BEGIN:VCARD") and "TEL;TYPE=WORK,VOICE:0451-86123456" in vcard
    assert "FN:中和社区民情热线" in vcard and "TEL;TYPE=CELL:13900001111" in vcard


def test_backs_mirror_columns_for_long_edge_duplex():
    for i in range(10):
        fx, fy = slot_origin(i, back=False)
        bx, by = slot_origin(i, back=True)
        assert by == fy
        # flipping the sheet about its vertical axis brings the back under the front
        assert abs((595.2756 - bx - 85.6 * 72 / 25.4) - fx) < 0.01


def test_programme_cards_carry_colour_title_and_services(tmp_path):
    prog = find_programme("橙色夕阳卡")
    out = tmp_path / "sunset.pdf"
    render_cards(OFFICE, cards(3), out, programme=prog)
    text = all_text(out)
    assert "橙色夕阳卡" in text and "上门打扫卫生" in text and "空巢老人" in text
    assert len(DEFAULT_PROGRAMMES) == 5 and find_programme("plain") is PLAIN


def test_missing_characters_are_reported_not_dropped(tmp_path):
    out = tmp_path / "rare.pdf"
    card = CardData("01-01-00001", "第一片区", "𠮷田", "13900001111")
    result = render_cards(OFFICE, [card], out)
    assert "𠮷" in result.missing and "𠮷" in result.warning
    assert "□田" in page_text(out, 0)


def test_cancel_stops_and_writes_nothing(tmp_path):
    out = tmp_path / "cancel.pdf"
    seen = []

    def progress(done, total):
        seen.append(done)
        return done < 20

    result = render_cards(OFFICE, cards(50), out, progress=progress)
    assert result.cancelled and result.items == 20 and not out.exists()
    assert seen[:3] == [0, 10, 20]


def test_long_names_shrink_to_fit(tmp_path):
    office = Office("中和社区" * 6, "0451-86123456")
    out = tmp_path / "long.pdf"
    render_cards(office, [CardData("1", "第一片区" * 4, "欧阳小明" * 3, "13900001111")], out)
    assert "13900001111" in page_text(out, 0)
    positions = qr_positions(out)
    assert len(positions) == 1
