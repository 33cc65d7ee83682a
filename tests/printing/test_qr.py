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


def test_fast_codes_equal_qrcode_module_by_module():
    import random

    import qrcode
    from qrcode.util import MODE_8BIT_BYTE, QRData

    from minqing.printing import qrfast

    rng = random.Random(7)
    for version, level in ((1, "M"), (7, "L"), (9, "M"), (10, "M"), (14, "L")):
        encoder = qrfast.encoder(version, level)
        for _ in range(4):
            length = rng.randint(1, qrfast.capacity(version, level))
            payload = bytes(rng.randrange(256) for _ in range(length))
            ref = qrcode.QRCode(
                version=version,
                error_correction=qrfast.LEVELS[level],
                border=0,
                mask_pattern=qrfast.FIXED_MASK,
            )
            ref.add_data(QRData(payload, mode=MODE_8BIT_BYTE))
            ref.make(fit=False)
            image, stride = encoder.image(payload), encoder.stride // 8
            for r, row in enumerate(ref.modules):
                for c, dark in enumerate(row):
                    assert bool(image[r * stride + c // 8] & (0x80 >> (c % 8))) == dark


def test_fast_codes_decode():
    import zxingcpp
    from PIL import Image

    from minqing.printing import qrfast

    payload = "BEGIN:VCARD\r\nFN:中和社区\r\nUID:minqing:hh:01-01-00053\r\nEND:VCARD".encode()
    encoder = qrfast.encoder(qrfast.smallest_version(len(payload), "M"), "M")
    n = encoder.size
    image = Image.frombytes("1", (encoder.stride, n), encoder.image(payload)).crop((0, 0, n, n))
    image = Image.eval(image.convert("L"), lambda v: 255 - v)  # 1 = dark in our bytes
    big = Image.new("L", (n + 8, n + 8), 255)
    big.paste(image, (4, 4))
    found = zxingcpp.read_barcodes(big.resize(((n + 8) * 6, (n + 8) * 6), Image.NEAREST))
    assert [r.text for r in found] == [payload.decode()]
