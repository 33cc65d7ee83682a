"""Scan to find: what a receipt's or a contact card's QR text points at."""

from __future__ import annotations

import pytest

from minqing.core.cases import scan
from minqing.core.cases import services as cases
from minqing.core.errors import NotFound
from minqing.core.models import Household, Resident, Staff
from minqing.core.registry.models import CardIssue

VCARD = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nN:;中和社区民情热线;;;\r\nFN:中和社区民情热线\r\n"
    "TEL;TYPE=WORK,VOICE:0451-86123456\r\nUID:minqing:hh:{code}\r\nEND:VCARD\r\n"
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-00042", scan.Scan("case", "2026-00042")),
        ("  2026-00042\r\n", scan.Scan("case", "2026-00042")),
        ("minqing:case:2026-7", scan.Scan("case", "2026-7")),
        (VCARD.format(code="01-02-00053"), scan.Scan("household", "01-02-00053")),
        (VCARD.format(code="7").replace("\r\n", "\n"), scan.Scan("household", "7")),
        (VCARD.format(code="7").replace("\r\n", " "), scan.Scan("household", "7")),
        (VCARD.format(code="7").replace("\r\n", "\r"), scan.Scan("household", "7")),
        (
            "BEGIN:VCARD\nUID;VALUE=text:minqing:hh:MQ26-001\nEND:VCARD",
            scan.Scan("household", "MQ26-001"),
        ),
        ("BEGIN:VCARD\nVERSION:3.0\nFN:某某\nEND:VCARD", scan.Scan("card")),
        ("BEGIN:VCARD\nUID:urn:uuid:1234\nEND:VCARD", scan.Scan("card")),
        ("minqing:hh:01-01-00001", scan.Scan("household", "01-01-00001")),
        ("暖气不热", None),
        ("13812345678", None),
        ("", None),
    ],
)
def test_parse_scan(text, expected):
    assert scan.parse_scan(text) == expected


@pytest.fixture
def household(office):
    home = Household.create(
        community=office, courtyard="中和小区", building="3", unit="2", door="501"
    )
    person = Resident.create(household=home, name="王英华", phone="13644595341")
    staff = Staff.get(Staff.name == "张敏")
    cases.take_in(
        channel="来访", text="楼道灯坏了", window=1, first_responder=staff, resident=person
    )
    return home


def test_a_card_finds_its_household_and_open_cases(household, office):
    code = f"{office.id:02d}-01-{household.id:05d}"
    found = scan.resolve(VCARD.format(code=code))
    assert found.household.id == household.id
    assert [c.text for c in found.open_cases] == ["楼道灯坏了"]
    assert scan.resolve(VCARD.format(code=str(household.id))).household.id == household.id
    CardIssue.create(household=household, serial="MQ26-0001", issued_on="2026-01-05")
    assert scan.resolve(VCARD.format(code="MQ26-0001")).household.id == household.id


def test_a_receipt_finds_its_case(household):
    number = household.cases[0].number
    assert scan.resolve(number).case.number == number


def test_unknown_scans_say_what_happened(office):
    with pytest.raises(NotFound, match="没有这件民情"):
        scan.resolve("2026-99999")
    with pytest.raises(NotFound, match="没有这户"):
        scan.resolve(VCARD.format(code="01-01-99999"))
    with pytest.raises(NotFound, match="没有住户编号"):
        scan.resolve("BEGIN:VCARD\nVERSION:3.0\nEND:VCARD")
    assert scan.resolve("暖气不热") is None
