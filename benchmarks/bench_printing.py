"""3,000 household contact cards in one PDF: time and size, with and without QR codes.

Targets (issue 4): ≤ 5 s and ≤ 5 MB with QR codes, and no more than 5x the time of the same
sheets without them. Each grid's contact QR differs; 30 grids of 100 households.

    /work/venv/bin/python benchmarks/bench_printing.py [--count 3000] [--grids 30]
"""

from __future__ import annotations

import argparse
import io
import time

from minqing.printing import fonts, qr
from minqing.printing.cards import CardData, render_cards
from minqing.printing.common import Office


def make_cards(count: int, grids: int) -> list[CardData]:
    per = max(count // grids, 1)
    return [
        CardData(
            f"01-{i // per + 1:02d}-{i:05d}",
            f"第{i // per + 1}片区",
            f"网格员{i // per + 1}",
            f"139{i // per:08d}",
            f"中和小区{i % 40 + 1}号楼{i % 6 + 1}单元{i % 30 + 101}室",
        )
        for i in range(count)
    ]


def run(cards: list[CardData], office: Office, with_qr: bool) -> tuple[float, int]:
    buffer = io.BytesIO()
    start = time.perf_counter()
    render_cards(office, cards, buffer, with_qr=with_qr)
    return time.perf_counter() - start, len(buffer.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=3000)
    parser.add_argument("--grids", type=int, default=30)
    args = parser.parse_args()
    office = Office(
        "中和社区",
        "0451-86123456",
        "0451-86127890",
        ("中和街21号楼道", "比乐街25号门口"),
        "每周二上午",
        "123456789",
        "南岗区花园街道",
    )
    cards = make_cards(args.count, args.grids)
    fonts.register_fonts()
    run(cards[:10], office, True)  # font loading, imports
    qr.matrix.cache_clear()
    t_plain, s_plain = run(cards, office, False)
    t_qr, s_qr = run(cards, office, True)
    print(
        f"{args.count} cards, {args.grids} distinct QR payloads, {(args.count + 9) // 10 * 2} pages"
    )
    print(f"without QR: {t_plain:6.2f} s  {s_plain / 1e6:5.2f} MB")
    print(f"with QR:    {t_qr:6.2f} s  {s_qr / 1e6:5.2f} MB   ratio {t_qr / t_plain:4.2f}x")
    ok = t_qr <= 5 and s_qr <= 5e6 and t_qr <= 5 * t_plain
    print("targets (≤5 s, ≤5 MB, ≤5x):", "met" if ok else "NOT met")


if __name__ == "__main__":
    main()
