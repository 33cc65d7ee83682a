"""The public wording of a case: one masking for the notice, the hall screen and Open311, a
reviewed summary stored when posted, and properties that no personal number or registry name
survives the masking whatever surrounds it."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from minqing.core.cases import hall, open311, public
from minqing.core.cases import services as cases
from minqing.core.models import Case, Staff, Window
from minqing.core.privacy import mask_phones_in_text, mask_public_text
from minqing.core.registry import services as registry

ID_NUMBER = "11010519491231002X"
SECRET_TEXT = (
    "刘建国反映：楼上漏水，身份证 11010519491231002X，手机 +86 138 1234 5678，"
    "座机0451-86123456，也可打(0451)8765 4321；邻居王小吉住3-2-501"
)
SECRET_OUTCOME = "已联系王小吉修好水管，回电 139-0000-1111 告知刘建国，证件23010319500101123X已核"
SECRETS = [
    "刘建国",
    "王小吉",
    ID_NUMBER,
    "23010319500101123X",
    "13812345678",
    "138 1234 5678",
    "86123456",
    "8765 4321",
    "13900001111",
    "139-0000-1111",
    "3-2-501",
]


# --- the one masking function, by example -----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("电话+8613812345678", "电话+86 138****5678"),
        ("0086 138-1234-5678", "+86 138****5678"),
        ("手机１３８１２３４５６７８", "手机138****5678"),
        ("座机0451-86123456", "座机0451-****3456"),
        ("座机 010 6512 3456", "座机 010-****3456"),
        ("本地 8612345", "本地 ***2345"),
        ("身份证230103195001011234", "身份证230103********1234"),
        ("身份证 2301 0319 5001 0112 3X", "身份证 230103********123X"),
        (
            "2026-11-20 办结，见2026-00012号，共 120 户",
            "2026-11-20 办结，见2026-00012号，共 120 户",
        ),
        ("工单GD202611200001", "工单GD********0001"),
        ("tel13812345678", "tel138****5678"),
    ],
)
def test_numbers_in_every_form(text, shown):
    assert mask_phones_in_text(text) == shown


def test_names_doors_and_numbers_together():
    shown = mask_public_text(SECRET_TEXT + SECRET_OUTCOME, {"刘建国", "王小吉"})
    for secret in SECRETS:
        assert secret not in shown, secret
    assert "刘*国" in shown and "王*吉" in shown and "0451-****3456" in shown


# --- properties --------------------------------------------------------------------------------

SEPARATORS = st.sampled_from(["", " ", "-", "\u3000", "—"])
FILLER = st.text(
    alphabet=st.sampled_from(
        list("楼道灯坏了请回电话号码是和住在单元室的居民反映，。：() abc0123456789+-")
    ),
    max_size=12,
)
SURNAMES = "王李张刘陈杨赵黄周吴欧阳司马"
GIVEN = "小建国秀英明华红军丽娟伟芳"


@st.composite
def mobiles(draw):
    digits = (
        "1" + draw(st.sampled_from("3456789")) + draw(st.text("0123456789", min_size=9, max_size=9))
    )
    groups = [digits[:3], digits[3:7], digits[7:]]
    sep = draw(SEPARATORS)
    prefix = draw(st.sampled_from(["", "+86", "+86 ", "86", "0086-", "＋86"]))
    return digits, prefix + sep.join(groups)


@st.composite
def id_numbers(draw):
    body = draw(st.text("0123456789", min_size=17, max_size=17))
    last = draw(st.sampled_from("0123456789X"))
    number = body + last
    if draw(st.booleans()):
        return number, " ".join(number[i : i + 4] for i in range(0, 18, 4))
    return number, number


@st.composite
def names(draw):
    surname = draw(st.sampled_from(["王", "李", "张", "刘", "欧阳", "司马"]))
    return surname + draw(st.text(GIVEN, min_size=1, max_size=2))


def flat(text: str) -> str:
    """The text with separators between digits removed: a number split by spaces still counts."""
    return re.sub(r"(?<=[\dX])[ \u3000\-—]+(?=[\dX])", "", text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(FILLER, mobiles()), min_size=1, max_size=4), FILLER)
def test_no_mobile_survives(pieces, tail):
    text = "".join(f + shown for f, (_, shown) in pieces) + tail
    out = flat(mask_public_text(text))
    for _, (digits, _shown) in pieces:
        assert digits not in out


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(FILLER, id_numbers()), min_size=1, max_size=3), FILLER)
def test_no_id_number_survives(pieces, tail):
    text = "".join(f + shown for f, (_, shown) in pieces) + tail
    out = flat(mask_public_text(text))
    for _, (number, _shown) in pieces:
        assert number not in out and number[:-1] not in out


@settings(max_examples=300, deadline=None)
@given(st.lists(names(), min_size=1, max_size=5, unique=True), st.lists(FILLER, min_size=6))
def test_no_registry_name_survives(people, filler):
    text = "".join(f + p for f, p in zip(filler, people + people, strict=False))
    out = mask_public_text(text, set(people))
    for person in people:
        assert person not in out


# --- the case's public wording, stored when posted ---------------------------------------------


def secret_case(office, **values):
    clerk = Staff.get(Staff.name == "张敏")
    home = registry.add_household(office, "中和街21号", "3", "2", "501")
    person = registry.add_resident(home, "刘建国", phone="13812345678", id_number=ID_NUMBER)
    registry.add_resident(registry.add_household(office, "中和街22号", "1"), "王小吉")
    case = cases.take_in(
        channel="walk_in",
        text=SECRET_TEXT,
        window=Window.get(Window.name == "城建城管"),
        first_responder=clerk,
        resident=person,
        household=home,
        owner=clerk,
        disposition="immediate",
    ).case
    cases.move(case, "handling")
    return cases.move(case, "feedback", outcome=SECRET_OUTCOME, **values).case


def public_texts(office):
    today = dt.date.today()
    posted = public.posted_cases(office, today, today)
    screen = hall.hall_data(office).posted
    requests = list(open311.service_requests(office))
    return [" ".join(p.cells) for p in posted + screen] + [
        r["description"] + r["status_notes"] for r in requests
    ]


def test_default_summary_is_masked_and_stored_when_posted(office):
    case = secret_case(office)
    proposed = public.proposed_summary(case)
    assert "\n办理结果：" in proposed
    for secret in SECRETS:
        assert secret not in proposed, secret
    change = cases.post_publicly(case.id)
    assert Case.get_by_id(case.id).public_summary == proposed
    assert [e.field for e in change.events] == ["posted_on", "public_summary"]
    texts = public_texts(office)
    assert len(texts) == 3
    for shown in texts:
        for secret in SECRETS:
            assert secret not in shown, (secret, shown)
        assert "刘*国" in shown


def test_the_clerks_edit_is_what_is_posted_and_still_masked(office):
    case = secret_case(office)
    edited = "楼上漏水，请王小吉回电13700001111\n办理结果：已修好"
    cases.post_publicly(case.id, public_summary=edited)
    assert Case.get_by_id(case.id).public_summary == edited
    row = public.posted_cases(office, dt.date.today(), dt.date.today())[0]
    assert row.text == "楼上漏水，请王*吉回电137****1111" and row.outcome == "已修好"
    request = next(open311.service_requests(office))
    assert request["description"] == row.text and "办理结果：已修好" in request["status_notes"]
    assert proposed_after_posting(case) == edited


def proposed_after_posting(case):
    return public.proposed_summary(Case.get_by_id(case.id))


def test_a_case_posted_before_summaries_is_masked_from_its_own_words(office):
    case = secret_case(office)
    cases.post_publicly(case.id)
    Case.update(public_summary="").where(Case.id == case.id).execute()
    for shown in public_texts(office):
        for secret in SECRETS:
            assert secret not in shown, (secret, shown)


def test_split_summary():
    assert public.split_summary("甲\n办理结果：乙") == ("甲", "乙")
    assert public.split_summary("只有内容") == ("只有内容", "")
    assert public.split_summary("办理结果：乙") == ("", "乙")


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(person=names(), mobile=mobiles(), id_number=id_numbers())
def test_property_on_a_real_posted_case(office, person, mobile, id_number):
    """Through the service and the notice rows: a registry resident's name, a mobile and an ID
    typed in the text never reach the public row (the database is shared by the examples)."""
    clerk = Staff.get(Staff.name == "张敏")
    registry_person = registry.add_resident(
        registry.add_household(office, "比乐街25号", str(Case.select().count() + 1)), person
    )
    text = f"{person}说电话{mobile[1]}证件{id_number[1]}"
    case = cases.take_in(
        channel="walk_in",
        text=text,
        window=Window.get(Window.name == "城建城管"),
        first_responder=clerk,
        resident=registry_person,
        owner=clerk,
        disposition="immediate",
    ).case
    cases.move(case, "handling")
    cases.move(case, "feedback", outcome=f"已告知{person}")
    cases.post_publicly(case.id)
    row = next(r for r in public.notice_rows(office, None, None) if r.number == case.number)
    shown = flat(" ".join(public.public(row).cells))
    assert person not in shown and mobile[0] not in shown and id_number[0] not in shown


def test_an_older_file_gets_the_public_summary_column(db_path, office):
    from minqing.core.models import SchemaVersion, database_proxy
    from minqing.core.storage import migrations
    from minqing.core.storage.db import close_database, open_database

    database_proxy.obj.execute_sql('ALTER TABLE "case" DROP COLUMN public_summary')
    SchemaVersion.update(version=8).where(SchemaVersion.version == migrations.LATEST).execute()
    close_database()
    opened = open_database(db_path)
    assert opened.upgraded_from == 8
    assert "public_summary" in {c.name for c in opened.database.get_columns("case")}


def test_a_reopened_case_drops_its_posted_summary_from_public_wording(office):
    case = secret_case(office)
    cases.post_publicly(case.id, public_summary="旧的公示内容\n办理结果：旧结果")
    posted = Case.get_by_id(case.id)
    assert public.public_wording(posted) == ("旧的公示内容", "旧结果")
    cases.reopen(case.id, reason="居民不满意，重新办理")
    reopened = Case.get_by_id(case.id)
    assert reopened.posted_on is None
    assert public.public_wording(reopened)[0] == reopened.text
    assert "旧的公示内容" not in public.proposed_summary(reopened)


def test_open311_export_is_logged(office, tmp_path):
    from minqing.core.accounts.models import ExportLog

    secret_case(office)
    out = tmp_path / "requests.json"
    assert open311.export(out, office) == 1
    assert "11010519491231002X" not in out.read_text(encoding="utf-8")
    assert [(log.what, log.rows) for log in ExportLog.select()] == [("Open311 服务请求", 1)]
