"""12345 work orders: header detection, every bad row reported, all-or-nothing, re-import skips."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from openpyxl import Workbook, load_workbook

from minqing.core.cases import services as cases
from minqing.core.channels import city_orders
from minqing.core.enums import Channel
from minqing.core.errors import DomainError
from minqing.core.models import Case, Staff
from minqing.core.outreach.models import CityOrder

HEADER = [
    "序号",
    "工单编号",
    "受理时间",
    "诉求类别",
    "诉求内容",
    "联系人",
    "联系电话",
    "地址",
    "办理时限（工作日）",
]
YESTERDAY = dt.datetime.now().replace(microsecond=0, second=0) - dt.timedelta(days=1)


def sheet(path, rows, title=True):
    book = Workbook()
    ws = book.active
    if title:
        ws.append(["哈尔滨市12345政务服务便民热线 交办工单"])
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    book.save(path)
    return path


def good(n, **over):
    row = {
        "序号": n,
        "工单编号": f"GD2026112000{n:02d}",
        "受理时间": YESTERDAY,
        "诉求类别": "城建城管",
        "诉求内容": f"中和街21号楼道灯坏了（第{n}件）",
        "联系人": "王秀英",
        "联系电话": "13900001234",
        "地址": "中和街21号1号楼2单元301室",
        "办理时限（工作日）": 5,
    }
    row.update(over)
    return [row[h] for h in HEADER]


@pytest.fixture
def clerk(office):
    return Staff.get(Staff.name == "张敏")


def test_preview_then_apply(tmp_path, office, clerk):
    path = sheet(
        tmp_path / "orders.xlsx",
        [
            good(1),
            good(2, 诉求类别="不认识的类别", 联系电话="139****1234"),
            good(3, 诉求类别="", 诉求内容="家里暖气一点都不热"),
            good(4, 诉求类别="其他", 诉求内容="请尽快回电话"),
        ],
    )
    preview = city_orders.read(path)
    assert preview.ok and preview.header_row == 2
    assert preview.columns["deadline"] == "办理时限（工作日）"
    # an unknown category: the window the words clearly point at, else the default
    assert [r.window for r in preview.new] == ["城建城管", "城建城管", "城建城管", "综合治理"]
    assert [r.suggested for r in preview.new] == [False, True, True, False]
    assert preview.new[1].contact_phone == ""  # a masked number is no number
    assert preview.new[0].deadline > YESTERDAY.date()
    assert Case.select().count() == 0  # the preview writes nothing
    result = city_orders.apply(preview, first_responder=clerk)
    assert [o for o, _ in result.created][:2] == ["GD202611200001", "GD202611200002"]
    case = Case.get(Case.number == result.created[0][1])
    assert case.channel == Channel.CITY_HOTLINE.value and case.taken_at == YESTERDAY
    order = city_orders.order_for_case(case)
    assert order.order_number == "GD202611200001"
    assert json.loads(order.raw)["诉求内容"].startswith("中和街21号")


def test_every_bad_row_reported_and_nothing_written(tmp_path, office, clerk):
    future = dt.datetime.now() + dt.timedelta(days=2)
    rows = [
        good(1),
        good(2, 工单编号=""),
        good(3, 受理时间="昨天上午"),
        good(4, 诉求内容=""),
        good(5, 联系电话="12345"),
        good(6, 工单编号="GD202611200001"),
        good(7, 受理时间=future),
        good(8, **{"办理时限（工作日）": "下周"}),
        [None] * len(HEADER),  # blank rows are not errors
        good(10),
    ]
    path = sheet(tmp_path / "bad.xlsx", rows)
    preview = city_orders.read(path)
    assert [b.row for b in preview.bad] == [4, 5, 6, 7, 8, 9, 10]
    reasons = {b.row: b.reason for b in preview.bad}
    assert "工单编号" in reasons[4]
    assert "受理时间" in reasons[5] and "昨天上午" in reasons[5]
    assert "诉求内容" in reasons[6]
    assert "12345" in reasons[7]
    assert "第 3 行" in reasons[8]
    assert "晚于现在" in reasons[9]
    assert "办理时限" in reasons[10]
    assert len(preview.new) == 2
    with pytest.raises(DomainError) as err:
        city_orders.apply(preview, first_responder=clerk)
    assert "整个文件没有导入" in err.value.message and "第 4 行" in err.value.message
    assert Case.select().count() == 0 and CityOrder.select().count() == 0


def test_reimport_skips_existing_orders(tmp_path, office, clerk):
    path = sheet(tmp_path / "a.xlsx", [good(1), good(2)])
    city_orders.apply(city_orders.read(path), first_responder=clerk)
    again = sheet(tmp_path / "b.xlsx", [good(1), good(2), good(3)], title=False)
    preview = city_orders.read(again)
    assert preview.header_row == 1
    assert [o for _, o, _ in preview.existing] == ["GD202611200001", "GD202611200002"]
    assert [r.order_number for r in preview.new] == ["GD202611200003"]
    result = city_orders.apply(preview, first_responder=clerk)
    assert len(result.created) == 1 and result.skipped == 2
    assert city_orders.apply(city_orders.read(again), first_responder=clerk).created == []
    assert Case.select().count() == 3


def test_a_failing_row_rolls_back_the_whole_file(tmp_path, office, clerk):
    path = sheet(tmp_path / "a.xlsx", [good(1), good(2)])
    preview = city_orders.read(path)
    clerk.active = False
    clerk.save()
    with pytest.raises(DomainError):
        city_orders.apply(preview, first_responder=clerk)
    assert Case.select().count() == 0 and CityOrder.select().count() == 0


def test_missing_columns_and_not_a_spreadsheet(tmp_path, office):
    book = Workbook()
    book.active.append(["工单编号", "联系人"])
    book.save(tmp_path / "few.xlsx")
    with pytest.raises(DomainError) as err:
        city_orders.read(tmp_path / "few.xlsx")
    assert "受理时间" in err.value.message and "诉求内容" in err.value.message
    (tmp_path / "x.xlsx").write_text("not excel")
    with pytest.raises(DomainError):
        city_orders.read(tmp_path / "x.xlsx")
    book = Workbook()
    book.active.append(["姓名", "电话"])
    book.save(tmp_path / "none.xlsx")
    with pytest.raises(DomainError) as err:
        city_orders.read(tmp_path / "none.xlsx")
    assert "表头" in err.value.message


def test_export_replies(tmp_path, office, clerk):
    path = sheet(tmp_path / "a.xlsx", [good(1), good(2)])
    created = city_orders.apply(city_orders.read(path), first_responder=clerk).created
    case = Case.get(Case.number == created[0][1])
    cases.move(case, "handling", actor=clerk, owner=clerk, disposition="immediate")
    cases.move(
        case,
        "feedback",
        actor=clerk,
        outcome="已更换灯泡",
        reply_method="phone",
        reply_text="灯已修好",
        replied_on=dt.date.today(),
    )
    out = tmp_path / "replies.xlsx"
    assert city_orders.export_replies(out, office) == 2
    ws = load_workbook(out).active
    assert [c.value for c in ws[1]][:3] == ["工单编号", "社区受理编号", "办理状态"]
    first = [c.value for c in ws[2]]
    assert first[0] == "GD202611200001" and first[4] == "已更换灯泡" and first[6] == "灯已修好"
    assert first[7].date() == dt.date.today()
    assert [c.value for c in ws[3]][2] == "受理"
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    assert city_orders.export_replies(out, office, start=tomorrow) == 0
