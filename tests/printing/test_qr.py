from __future__ import annotations

from minqing.printing import qr


def test_rectangles_cover_exactly_the_dark_modules():
    modules = qr.matrix("BEGIN:VCARD\nFN:中和社区\nEND:VCARD")
    dark = {(c, r) for r, row in enumerate(modules) for c, v in enumerate(row) if v}
    covered = set()
    for col, row, w, h in qr.rectangles(modules):
        cells = {(col + i, row + j) for i in range(w) for j in range(h)}
        assert not cells & covered
        covered |= cells
    assert covered == dark
    assert len(qr.rectangles(modules)) < len(dark) / 2  # merging pays


def test_matrix_is_cached_and_mask_fixed():
    assert qr.matrix("2024-000001") is qr.matrix("2024-000001")
