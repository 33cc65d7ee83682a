from __future__ import annotations

from minqing.printing import fonts


def test_main_font_covers_common_text():
    assert fonts.missing_characters("中和社区民情连心卡0451-86123456（每周二上午）") == ""


def test_fallback_font_draws_extension_a_name_characters():
    assert fonts.font_for("王") == fonts.MAIN
    assert fonts.font_for("䶮") == fonts.FALLBACK
    assert [name for name, _ in fonts.runs("刘䶮")] == [fonts.MAIN, fonts.FALLBACK]


def test_characters_no_font_has_are_reported_and_drawn_as_placeholder():
    assert fonts.missing_characters("𠮷田明") == "𠮷"
    assert "".join(part for _, part in fonts.runs("𠮷田")) == "□田"


def test_wrap_keeps_numbers_whole_and_punctuation_off_line_starts():
    text = "请拨打13900001111联系网格员，我们会尽快上门处理。谢谢！"
    size = 10
    lines = fonts.wrap(text, 90, size)
    assert "".join(lines) == text
    assert any("13900001111" in line for line in lines)
    assert not any(line[:1] in fonts.NO_LINE_START for line in lines)
    assert all(fonts.text_width(line, size) <= 90 for line in lines)


def test_clip_marks_cut_text():
    lines = fonts.wrap("很长的文字" * 20, 60, 10)
    clipped = fonts.clip_lines(lines, 2, 60, 10)
    assert len(clipped) == 2 and clipped[-1].endswith("…")
