"""Reading PDFs back: text, page sizes, embedded fonts, and QR codes decoded from rendered pages.

Rendering uses pdftoppm (poppler-utils; CI installs it with apt).
"""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

MM = 72 / 25.4


def reader(path: Path) -> PdfReader:
    return PdfReader(str(path))


def page_text(path: Path, page: int = 0) -> str:
    return reader(path).pages[page].extract_text()


def all_text(path: Path) -> str:
    return "\n".join(p.extract_text() for p in reader(path).pages)


def page_size_mm(path: Path, page: int = 0) -> tuple[float, float]:
    box = reader(path).pages[page].mediabox
    return round(float(box.width) / MM, 1), round(float(box.height) / MM, 1)


def font_report(path: Path) -> dict[str, bool]:
    """Base font name → whether its program is embedded (FontFile/FontFile2/FontFile3)."""
    fonts: dict[str, bool] = {}
    for page in reader(path).pages:
        resources = page.get("/Resources") or {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            embedded = False
            if descriptor is not None:
                d = descriptor.get_object()
                embedded = any(k in d for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            fonts[str(font.get("/BaseFont"))] = embedded
    return fonts


def render(path: Path, page: int = 1, dpi: int = 200) -> Image.Image:
    """Page `page` (1-based) as an image."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    png = subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-png", "-f", str(page), "-l", str(page), str(path)],
        capture_output=True,
        check=True,
    ).stdout
    return Image.open(io.BytesIO(png))


def qr_texts(path: Path, page: int = 1, dpi: int = 200) -> list[str]:
    import zxingcpp

    return [r.text for r in zxingcpp.read_barcodes(render(path, page, dpi))]


def qr_positions(path: Path, page: int = 1, dpi: int = 200) -> list[tuple[str, float, float]]:
    """(text, centre x, centre y) in page fractions for each code found."""
    import zxingcpp

    img = render(path, page, dpi)
    out = []
    for r in zxingcpp.read_barcodes(img):
        p = r.position
        cx = (p.top_left.x + p.bottom_right.x) / 2 / img.width
        cy = (p.top_left.y + p.bottom_right.y) / 2 / img.height
        out.append((r.text, cx, cy))
    return out


def zbar_texts(path: Path, page: int = 1, dpi: int = 100) -> list[str]:
    """Codes zbar (zbarimg, Debian zbar-tools) reads from a render: a second, stricter
    decoder than zxing-cpp, closer to an old phone's camera app."""
    if shutil.which("zbarimg") is None:
        pytest.skip("zbarimg (zbar-tools) is not installed")
    png = path.with_suffix(f".{page}.zbar.png")
    render(path, page, dpi).save(png)
    done = subprocess.run(
        ["zbarimg", "--nodbus", "--raw", "-q", "-Sbinary", str(png)], capture_output=True
    )
    text = done.stdout.decode("utf-8", "replace")
    return [t for t in text.split("END:VCARD") if "BEGIN:VCARD" in t]


def ink_near_edges(image: Image.Image, margin_mm: float) -> bool:
    """Whether any pixel within `margin_mm` of the page edge is not white."""
    gray = image.convert("L")
    w, h = gray.size
    dpi = w / (210 / 25.4) if w < h else w / (297 / 25.4)
    m = max(1, int(margin_mm / 25.4 * dpi))
    for box in ((0, 0, w, m), (0, h - m, w, h), (0, 0, m, h), (w - m, 0, w, h)):
        if gray.crop(box).getextrema()[0] < 250:
            return True
    return False


def viewer_preferences(path: Path) -> dict[str, str]:
    prefs = reader(path).trailer["/Root"].get("/ViewerPreferences") or {}
    return {str(k): str(v) for k, v in prefs.get_object().items()}


def text_sizes(path: Path, page: int = 0) -> list[tuple[str, float]]:
    """(text, size in points as printed) for each piece of text on the page: the font size
    times the text and page matrices' vertical scale."""
    found: list[tuple[str, float]] = []

    def visit(text, cm, tm, font, size):  # type: ignore[no-untyped-def]
        if text.strip():
            c = tm[2] * cm[0] + tm[3] * cm[2]
            d = tm[2] * cm[1] + tm[3] * cm[3]
            scale = (c * c + d * d) ** 0.5
            found.append((text.strip(), round(size * scale, 2)))

    reader(path).pages[page].extract_text(visitor_text=visit)
    return found
