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
