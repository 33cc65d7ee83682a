"""Open311 GeoReport v2 export: the fields, open/closed, our stage in the notes, no private data."""

from __future__ import annotations

import datetime as dt
import json

from minqing.core.cases import open311
from minqing.core.cases import services as cases
from minqing.core.models import Staff, Window
from minqing.core.outreach.models import CityOrder

FIELDS = {
    "service_request_id", "status", "status_notes", "service_name", "service_code",
    "description", "agency_responsible", "service_notice", "requested_datetime",
    "updated_datetime", "expected_datetime", "address", "address_id", "zipcode", "lat",
    "long", "media_url",
}  # fmt: skip


def test_requests_have_georeport_fields_and_no_private_details(tmp_path, office):
    clerk = Staff.get(Staff.name == "张敏")
    window = Window.get(Window.name == "城建城管")
    one = cases.take_in(
        channel="hotline",
        text="楼道灯坏了，请打13812345678",
        window=window,
        first_responder=clerk,
        contact_name="王秀英",
        contact_phone="13900001234",
        address="中和街21号1号楼2单元301室",
    ).case
    cases.move(
        one,
        "handling",
        actor=clerk,
        owner=clerk,
        disposition="promised",
        promised_date=dt.date.today() + dt.timedelta(days=10),
    )
    two = cases.take_in(
        channel="city_hotline",
        text="路灯不亮",
        window=window,
        first_responder=clerk,
        contact_name="匿名",
    ).case
    CityOrder.create(case=two, order_number="GD001", received_on=dt.datetime.now())
    out = tmp_path / "requests.json"
    assert open311.export(out, office) == 2
    text = out.read_text(encoding="utf-8")
    items = json.loads(text)
    assert set(items[0]) == FIELDS
    first, second = items
    assert first["service_request_id"] == one.number and first["status"] == "open"
    assert first["service_name"] == "城建城管" and first["service_code"] == str(window.id)
    assert "环节：办理" in first["status_notes"] and "承诺件" in first["status_notes"]
    assert first["expected_datetime"].startswith(
        (dt.date.today() + dt.timedelta(days=10)).isoformat()
    )
    assert first["requested_datetime"].endswith("+08:00")
    assert first["address"] == "中和街21号1号楼"
    assert first["agency_responsible"] == "中和社区"
    assert "12345工单：GD001" in second["status_notes"] and second["service_notice"] == "12345热线"
    for secret in ("王秀英", "13900001234", "13812345678", "2单元", "张敏"):
        assert secret not in text


def test_closed_status_and_period(office):
    clerk = Staff.get(Staff.name == "张敏")
    window = Window.get(Window.name == "综合治理")
    case = cases.take_in(
        channel="walk_in",
        text="噪音扰民",
        window=window,
        first_responder=clerk,
        contact_name="匿名",
    ).case
    cases.move(case, "handling", actor=clerk, owner=clerk, disposition="immediate")
    cases.move(
        case, "feedback", actor=clerk, outcome="已劝导", reply_method="visit", reply_text="已劝导"
    )
    cases.move(case, "supervision", actor=clerk)
    cases.move(case, "closed", actor=clerk, satisfaction="satisfied")
    items = list(open311.service_requests(office))
    assert items[0]["status"] == "closed" and "满意度：满意" in items[0]["status_notes"]
    assert (
        list(open311.service_requests(office, start=dt.date.today() + dt.timedelta(days=1))) == []
    )
