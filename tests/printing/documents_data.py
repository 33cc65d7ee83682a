"""Plain data for the documents (no database): an office, households, cases."""

from __future__ import annotations

import datetime as dt

from minqing.core.enums import Disposition
from minqing.printing.cards import CardData
from minqing.printing.common import Office
from minqing.printing.notice import NoticeRow
from minqing.printing.receipt import ReceiptData

OFFICE = Office(
    "中和社区",
    "0451-86123456",
    "0451-86127890",
    ("中和街21号楼道", "比乐街25号门口"),
    "每周二上午",
    "123456789",
    "南岗区花园街道",
)
RARE = "䶮"  # CJK Extension A: not in the main font, drawn from the fallback


def cards(n: int) -> list[CardData]:
    return [
        CardData(
            f"MQ26-{i:05d}",
            "第一片区",
            f"李{RARE}" if i == 0 else "李红",
            "13900001111",
            f"中和小区{i % 9 + 1}号楼2单元{i % 30 + 101}室",
            f"01-01-{i:05d}",
            "中和街21号楼道（每天上午开箱）",
        )
        for i in range(n)
    ]


def receipt(**kw) -> ReceiptData:
    values = dict(
        number="2024-000123",
        intake_date=dt.date(2024, 5, 6),
        channel="来访",
        window="城建城管",
        text="3号楼楼道灯坏了一个多月，晚上老人上下楼很不方便，希望尽快维修。",
        first_responder="张敏",
        responder_line="13900003333",
        contact_name=f"王小{RARE}",
        due_date=dt.date(2024, 5, 9),
        disposition=Disposition.SUPPLEMENT,
        materials_needed="户口本原件、身份证复印件两份",
    )
    values.update(kw)
    return ReceiptData(**values)


def notice_rows() -> list[NoticeRow]:
    rows = []
    for i in range(40):
        rows.append(
            NoticeRow(
                f"2024-{i + 1:06d}",
                dt.date(2024, 5, i % 28 + 1),
                "城建城管",
                "楼道灯坏了，联系电话13812345678，希望尽快维修。" * (i % 3 + 1),
                "已联系物业更换灯泡，当天修好。",
                "办结 · 满意",
                "王小吉" if i % 2 else "李强",
                "13812345678",
                "中和小区3号楼",
                dt.date(2024, 5, 30) if i != 7 else None,
            )
        )
    return rows
