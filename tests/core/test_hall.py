"""The hall screen shows what the paper notice shows, no more: the same cases, the same cells.

Both go through core.public; this test checks that the printed notice's path and the
screen's path give the same cells, on hand-made cases and on the demo community.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from minqing.core import demo
from minqing.core.cases import hall
from minqing.core.cases import services as cases
from minqing.core.cases.public import notice_rows, public
from minqing.core.channels import reception
from minqing.core.channels.reception import ReceptionKind
from minqing.core.models import Case, Community, Resident, Staff, Window

MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def notice_cells(community, start, end):
    return [public(r).cells for r in notice_rows(community, start, end)]


def handled(clerk, *, post=True, **intake):
    case = cases.take_in(
        channel="walk_in",
        window=Window.get(Window.name == "城建城管"),
        first_responder=clerk,
        **{"text": "楼道灯坏了，电话13812345678", **intake},
    ).case
    cases.move(case, "handling", actor=clerk, owner=clerk, disposition="immediate")
    cases.move(
        case,
        "feedback",
        actor=clerk,
        outcome="已修好，回访13812345678",
        reply_method="phone",
        reply_text="已修好",
    )
    if post:
        cases.post_publicly(case, actor=clerk)
    return Case.get_by_id(case.id)


def assert_no_private(cells, names, phones):
    text = "\n".join("\n".join(c) for c in cells)
    assert not MOBILE.search(text)
    for name in names:
        assert name not in text
    for phone in phones:
        assert phone not in text


def test_same_cases_same_cells_as_the_notice(office):
    clerk = Staff.get(Staff.name == "张敏")
    handled(
        clerk,
        contact_name="王秀英",
        contact_phone="13900001234",
        address="中和街21号1号楼2单元301室",
    )
    handled(clerk, contact_name="欧阳小明", contact_phone="045186123456")
    handled(clerk, contact_name="李四", contact_phone="13900005678", post=False)
    start, end = hall.month_range(dt.date.today())
    shown = [p.cells for p in hall.posted_cases(office, start, end)]
    assert len(shown) == 2
    assert shown == notice_cells(office, start, end)
    assert_no_private(
        shown, ["王秀英", "欧阳小明", "李四"], ["13900001234", "86123456", "13900005678"]
    )
    assert "2单元" not in shown[0][2] and "301" not in shown[0][2]
    data = hall.hall_data(office)
    assert [p.number for p in data.posted] == [s[0] for s in shown]
    assert data.numbers.received == 3 and data.numbers.posted == 2


def test_taken_down_case_leaves_the_screen(office):
    clerk = Staff.get(Staff.name == "张敏")
    case = handled(clerk, contact_name="王秀英")
    cases.post_publicly(case, False, actor=clerk)
    assert hall.hall_data(office).posted == []


def test_next_sessions_of_each_kind(office):
    now = dt.datetime.combine(dt.date.today(), dt.time(12))
    reception.schedule(office, now.date(), duty=[("徐道荣", "人大代表")])  # over by noon
    tue = reception.schedule(
        office, now.date() + dt.timedelta(days=7), duty=[("徐道荣", "人大代表")]
    )
    lead = reception.schedule(office, now.date() + dt.timedelta(days=3), ReceptionKind.LEADERS)
    data = hall.hall_data(office, now)
    assert [r.id for r in data.receptions] == [lead.id, tue.id]


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    from minqing.core.storage.db import close_database, open_database

    path = tmp_path_factory.mktemp("hall") / "demo.sqlite"
    open_database(path)
    demo.build(400, seed=5, reference=dt.date.today())
    close_database()
    return path


@pytest.mark.slow
def test_demo_screen_equals_notice_and_hides_everyone(demo_db):
    from minqing.core.storage.db import open_database

    open_database(demo_db)
    community = Community.select().first()
    today = dt.date.today()
    for months_back in range(0, 12):
        day = (today.replace(day=1) - dt.timedelta(days=months_back * 28)).replace(day=1)
        start, end = hall.month_range(day)
        shown = [p.cells for p in hall.posted_cases(community, start, end)]
        assert shown == notice_cells(community, start, end)
    start, end = hall.month_range(today - dt.timedelta(days=60))
    posted = Case.select().where(Case.posted_on.between(start, end))
    assert posted.count() > 0
    names = {c.contact_name for c in posted if len(c.contact_name) > 1}
    phones = {c.contact_phone for c in posted if c.contact_phone}
    people = Resident.select().where(
        Resident.id.in_([c.resident_id for c in posted if c.resident_id])
    )
    names |= {r.name for r in people if len(r.name) > 1}
    phones |= {r.phone for r in people if r.phone}
    assert_no_private([p.cells for p in hall.posted_cases(community, start, end)], names, phones)
