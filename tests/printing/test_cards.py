from __future__ import annotations

import itertools

import pytest
from reportlab.lib.units import mm

from minqing.printing import cardface
from minqing.printing.cards import (
    DEFAULT_LAYOUT,
    DEFAULT_PROGRAMMES,
    INSTRUCTION,
    LAYOUTS,
    PLAIN,
    UID_PREFIX,
    CardData,
    contact_payload,
    current_colour,
    find_programme,
    render_calibration,
    render_cards,
    slot_origin,
)
from minqing.printing.colour import WHITE, contrast, delta_e2000, ink_for, text_on
from minqing.printing.common import Office
from minqing.printing.fonts import fit_lines, text_width
from tests.printing.documents_data import OFFICE, RARE, cards
from tests.printing.pdf_helpers import (
    all_text,
    font_report,
    ink_near_edges,
    page_size_mm,
    page_text,
    qr_positions,
    qr_texts,
    render,
    viewer_preferences,
    zbar_texts,
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
        "No.MQ26-00000",
        "No.MQ26-00009",
        INSTRUCTION,
    ):
        assert expected in front
    back = page_text(out, 1)
    for expected in ("中和街21号楼道（每天上午开箱）", "每周二上午", "123456789", "No.MQ26-00000"):
        assert expected in back
    assert "No.MQ26-00011" in all_text(out)
    assert INSTRUCTION in page_text(out, 2) and INSTRUCTION not in back
    assert "…" not in all_text(out)
    assert result.missing == {}  # 䶮 came from the fallback font


def test_the_pdf_asks_for_actual_size_and_long_edge_duplex(sheet):
    prefs = viewer_preferences(sheet[0])
    assert prefs["/PrintScaling"] == "/None" and prefs["/Duplex"] == "/DuplexFlipLongEdge"


def test_qr_codes_decode_to_a_short_contact_with_the_household_code(sheet):
    texts = qr_texts(sheet[0], page=1)
    assert sorted(texts) == sorted(contact_payload(OFFICE, c) for c in cards(10))
    vcard = contact_payload(OFFICE, cards(1)[0])
    lines = vcard.split("\r\n")
    assert "\n" not in vcard.replace("\r\n", "")
    assert lines[0] == "BEGIN:VCARD" and lines[-1] == "END:VCARD"
    assert {line.split(":")[0] for line in lines[1:-1]} == {
        "VERSION",
        "N",
        "FN",
        "ORG",
        "TEL",
        "UID",
    }
    assert "TEL:0451-86123456" in lines and "TEL:13900001111" in lines
    assert f"{UID_PREFIX}01-01-00000" in lines and UID_PREFIX == "UID:minqing:hh:"


def test_zbar_reads_the_codes_from_a_100_dpi_render(sheet):
    found = zbar_texts(sheet[0], page=1, dpi=100)
    assert len(found) >= 8
    assert all(UID_PREFIX + "01-01-0000" in text for text in found)


def test_qr_modules_are_half_a_millimetre_with_a_four_module_quiet_zone():
    payload = contact_payload(OFFICE, cards(1)[0]).encode()
    encoder, module = cardface.qr_geometry(payload)
    assert module >= 0.5 * mm - 1e-9 and cardface.QUIET == 4
    assert cardface.qr_box(payload) == pytest.approx((encoder.size + 8) * module)


def _white(image, box_mm, dpi):
    x0, y0, x1, y1 = (round(v / 25.4 * dpi) for v in box_mm)
    return image.convert("L").crop((x0, y0, x1, y1)).getextrema()[0] >= 250


def test_nothing_within_4_mm_of_the_edge_and_marks_stay_out_of_the_cards(sheet, tmp_path):
    out = sheet[0]
    for page in (1, 2):
        assert not ink_near_edges(render(out, page, 100), 4)
    blank = tmp_path / "marks.pdf"
    render_cards(OFFICE, [], blank)  # one sheet: marks and instruction only
    image = render(blank, 1, 150)
    lay = DEFAULT_LAYOUT
    for i in range(10):
        x, y = slot_origin(i, False)
        left, bottom = x / mm, y / mm
        top = 297 - bottom - lay.card_h
        # the card with its bleed, less a hair for anti-aliasing, holds no mark
        box = (left - 1.5, top - 1.5, left + lay.card_w + 1.5, top + lay.card_h + 0.2)
        assert _white(image, box, 150), i
    assert not _white(image, (5, 5, 16, 297 - 5), 150)  # the marks are there


def test_colour_bands_bleed_2_mm_past_the_cut(sheet):
    image = render(sheet[0], 1, 150).convert("RGB")
    x, y = slot_origin(0, False)
    left, top = x / mm, 297 - (y / mm + DEFAULT_LAYOUT.card_h)
    for px_mm, py_mm in ((left + 20, top - 1.2), (left - 1.2, top + 5)):
        pixel = image.getpixel((round(px_mm / 25.4 * 150), round(py_mm / 25.4 * 150)))
        assert pixel != (255, 255, 255), (px_mm, py_mm)
    pixel = image.getpixel((round((left + 20) / 25.4 * 150), round((top - 2.6) / 25.4 * 150)))
    assert pixel == (255, 255, 255)


def test_backs_mirror_columns_for_long_edge_duplex():
    for lay in LAYOUTS.values():
        for i in range(10):
            fx, fy = lay.origin(i, back=False)
            bx, by = lay.origin(i, back=True)
            assert by == fy
            assert abs((595.2756 - bx - lay.card_w * mm) - fx) < 0.01


def test_layouts_fit_the_page_and_keep_the_printable_margin():
    for lay in LAYOUTS.values():
        xs = [lay.origin(i, False)[0] / mm for i in range(10)]
        ys = [lay.origin(i, False)[1] / mm for i in range(10)]
        assert min(xs) - lay.bleed >= 5 and max(xs) + lay.card_w + lay.bleed <= 205 + 1e-6
        assert min(ys) >= 5 and max(ys) + lay.card_h + lay.bleed <= 292 + 1e-6


def test_pre_perforated_stock_prints_without_marks_or_bleed(tmp_path):
    out = tmp_path / "c.pdf"
    render_cards(OFFICE, cards(10), out, layout=LAYOUTS["cn90"])
    image = render(out, 1, 100)
    assert not ink_near_edges(image, 4)
    # the side and bottom margins of the stock stay clean (the instruction is at the top)
    for box in ((0, 0, 14, 297), (196, 0, 210, 297), (0, 284, 210, 297)):
        assert _white(image, box, 100), box
    assert len(qr_texts(out, page=1)) == 10


def test_offsets_move_each_side(tmp_path):
    plain, moved = tmp_path / "a.pdf", tmp_path / "b.pdf"
    render_cards(OFFICE, cards(2), plain, backs=False)
    render_cards(OFFICE, cards(2), moved, backs=False, offsets=((3.0, -2.0), (0.0, 0.0)))
    (_, ax, ay), (_, bx, by) = qr_positions(plain)[0], qr_positions(moved)[0]
    assert (bx - ax) * 210 == pytest.approx(3.0, abs=0.3)
    assert (by - ay) * 297 == pytest.approx(2.0, abs=0.3)  # image y runs downwards


def test_calibration_sheet(tmp_path):
    out = tmp_path / "cal.pdf"
    result = render_calibration(OFFICE, out)
    assert result.pages == 2
    assert "此线应距纸左边 20 mm" in page_text(out, 0) and "背面" in page_text(out, 1)
    assert viewer_preferences(out)["/Duplex"] == "/DuplexFlipLongEdge"
    assert not ink_near_edges(render(out, 1, 100), 4)


def test_six_colours_are_far_apart_and_their_text_reads():
    colours = [PLAIN.colour] + [p.colour for p in DEFAULT_PROGRAMMES]
    assert len(colours) == 6
    for a, b in itertools.combinations(colours, 2):
        assert delta_e2000(a, b) >= 10, (a, b)
    for colour in colours:
        assert contrast(colour, text_on(colour)) >= 4.5, colour
        assert contrast(ink_for(colour), WHITE) >= 4.5, colour
    assert delta_e2000("#B71C1C", "#C62828") == pytest.approx(4.0, abs=0.1)  # the old pair
    assert current_colour("plain", "#B71C1C") == PLAIN.colour
    assert current_colour("plain", "#123456") == "#123456"


def test_programme_cards_carry_colour_title_and_services(tmp_path):
    prog = find_programme("橙色夕阳卡")
    out = tmp_path / "sunset.pdf"
    render_cards(OFFICE, cards(3), out, programme=prog)
    text = all_text(out)
    assert "橙色夕阳卡" in text and "上门打扫卫生" in text and "空巢老人" in text
    assert len(DEFAULT_PROGRAMMES) == 5 and find_programme("plain") is PLAIN


def test_a_long_back_row_shrinks_then_wraps_and_is_never_cut(tmp_path):
    width = 60 * mm
    short = "中和街21号楼道（每天上午开箱）"
    size, lines = fit_lines(short, width, 7, 6)
    assert lines == [short] and size == 7
    longer = "中和街21号1号楼2单元楼道门口东侧（每天上午八点开箱）"
    size, lines = fit_lines(longer, width, 7, 6)
    assert len(lines) == 1 and 6 <= size < 7 and text_width(longer, size) <= width
    longest = "；".join(["中和街21号1号楼2单元楼道"] * 4) + "（每天上午开箱）"
    size, lines = fit_lines(longest, width, 7, 6)
    assert len(lines) >= 2 and "".join(lines) == longest
    card = CardData("MQ26-1", "第一片区", "李红", "13900001111", "", "01-01-00001", longest)
    out = tmp_path / "long.pdf"
    render_cards(OFFICE, [card], out)
    back = page_text(out, 1).replace("\n", "")
    assert "每天上午开箱）" in back and "…" not in back


def test_missing_characters_are_reported_not_dropped(tmp_path):
    out = tmp_path / "rare.pdf"
    card = CardData("MQ26-00001", "第一片区", "𠮷田", "13900001111")
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
