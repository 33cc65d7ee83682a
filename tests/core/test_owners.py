"""Who may own a case: only roles that handle cases, listed by pinyin with role and grid."""

from __future__ import annotations

import pytest

from minqing.core import community as community_service
from minqing.core.cases import services as cases
from minqing.core.errors import DomainError
from minqing.core.models import Staff, Window


def take_in(clerk, **values):
    return cases.take_in(
        channel="walk_in",
        text="楼道灯坏了",
        window=Window.get(Window.name == "城建城管"),
        first_responder=clerk,
        contact_name="王秀英",
        contact_phone="13900001234",
        actor=clerk,
        **values,
    ).case


def test_a_supervisor_or_administrator_cannot_own_a_case(accounts):
    clerk = accounts["front_desk"]
    case = take_in(clerk)
    for role in ("supervisor", "admin", "front_desk"):
        with pytest.raises(DomainError) as refused:
            cases.assign_owner(case, accounts[role], actor=clerk)
        assert refused.value.field == "owner" and "不能当责任人" in str(refused.value)
    with pytest.raises(DomainError):
        take_in(clerk, owner=accounts["supervisor"])
    assert (
        cases.assign_owner(case, accounts["owner"], actor=clerk).case.owner_id
        == accounts["owner"].id
    )
    assert (
        cases.assign_owner(case, accounts["leader"], actor=clerk).case.owner_id
        == accounts["leader"].id
    )


def test_owner_choices_by_pinyin_with_role_and_grid(accounts, office):
    labels = [label for _id, label in community_service.owner_choices(office.id)]
    assert labels == ["李红（责任人·第一片区）", "王书记（领导）", "赵刚（责任人·第二片区）"]
    assert Staff.get(Staff.name == "陈督查").id not in dict(
        community_service.owner_choices(office.id)
    )
