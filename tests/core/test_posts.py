"""设岗定责: apply, be recommended, be confirmed, hold for a term; shortages and members without."""

from __future__ import annotations

import datetime as dt

import pytest

from minqing.core.errors import DomainError, NotFound
from minqing.core.members import posts
from minqing.core.members.models import PostAssignment, PostRecommendation
from minqing.core.models import Staff
from tests.core.test_members import add

TODAY = dt.date.today()
DAY = dt.timedelta(days=1)


def hold(member, post="政策宣讲", on=None):
    """A member through all three steps."""
    start = on or TODAY - 30 * DAY
    a = posts.apply(member, post, on=start).row
    posts.recommend(a, by_name="居民王毓吉", on=start + DAY)
    return posts.confirm(a, on=start + 2 * DAY).row


def test_three_steps_with_dates_and_events(office):
    member = add(office)
    leader = Staff.get(Staff.name == "张敏")
    applied = posts.apply(member, "帮扶助困", on=TODAY - 10 * DAY, actor=leader)
    a = applied.row
    assert a.applied_on == TODAY - 10 * DAY and a.confirmed_on is None
    assert posts.current_post(member) is None
    posts.recommend(a, by_name="王毓吉", on=TODAY - 9 * DAY)
    second = posts.recommend(a, by_name="居民代表会议", on=TODAY - 8 * DAY, note="热心")
    assert second.row.recommendations == 2 == PostRecommendation.select().count()
    assert (second.events[0].old, second.events[0].new) == ("1", "2")
    confirmed = posts.confirm(a, on=TODAY - 7 * DAY, by=leader)
    row = PostAssignment.get_by_id(a.id)
    assert row.confirmed_on == TODAY - 7 * DAY and row.term_start == row.confirmed_on
    assert row.term_end == row.term_start + dt.timedelta(days=posts.TERM_DAYS - 1)
    assert posts.current_post(member).name == "帮扶助困"
    assert "支部定岗：帮扶助困" in confirmed.events[0].note
    posts.end(a, on=TODAY, reason="换岗")
    assert posts.current_post(member) is None
    assert posts.current_post(member, TODAY - DAY).name == "帮扶助困"


def test_confirmation_needs_a_recommendation(office):
    a = posts.apply(add(office), "平安安全", on=TODAY - 3 * DAY).row
    with pytest.raises(DomainError, match="群众荐岗") as info:
        posts.confirm(a, on=TODAY)
    assert info.value.field == "recommendations"
    assert PostAssignment.get_by_id(a.id).confirmed_on is None


def test_step_order_and_dates_are_checked(office):
    member = add(office)
    a = posts.apply(member, "平安安全", on=TODAY - 3 * DAY).row
    with pytest.raises(DomainError, match="不能早于申报日期"):
        posts.recommend(a, by_name="王", on=TODAY - 5 * DAY)
    posts.recommend(a, by_name="王", on=TODAY - 2 * DAY)
    with pytest.raises(DomainError, match="不能早于群众推荐日期"):
        posts.confirm(a, on=TODAY - 3 * DAY)
    with pytest.raises(DomainError, match="不能晚于今天"):
        posts.confirm(a, on=TODAY + DAY)
    posts.confirm(a, on=TODAY)
    with pytest.raises(DomainError, match="已经定岗"):
        posts.recommend(a, by_name="李", on=TODAY)
    with pytest.raises(DomainError, match="已于"):
        posts.confirm(a, on=TODAY)


def test_one_post_at_a_time(office):
    member = add(office)
    hold(member)
    with pytest.raises(DomainError, match="同时只担任一个岗位"):
        posts.apply(member, "美化环境")


def test_unknown_and_inactive_posts(office):
    member = add(office)
    with pytest.raises(NotFound, match="现有岗位"):
        posts.apply(member, "不存在的岗位")
    posts.save_post("科普宣传", active=False)
    with pytest.raises(DomainError, match="已停用"):
        posts.apply(member, "科普宣传")


def test_posts_are_editable(office):
    post = posts.save_post("文体组织", duties="组织广场舞", needed=6)
    assert (post.duties, post.needed) == ("组织广场舞", 6)
    new = posts.save_post(name="助老服务", duties="陪护", needed=2)
    assert new.sort > post.sort
    with pytest.raises(DomainError):
        posts.save_post(name="政策宣讲")
    with pytest.raises(DomainError):
        posts.save_post("文体组织", needed="很多")


def test_short_posts_and_members_without_post(office):
    a, b, c = add(office, "甲"), add(office, "乙"), add(office, "丙")
    hold(a, "政策宣讲")
    posts.apply(b, "政策宣讲")
    lines = {line.post.name: line for line in posts.overview(office)}
    assert lines["政策宣讲"].holders == ["甲"] and lines["政策宣讲"].pending == ["乙"]
    assert lines["政策宣讲"].short == lines["政策宣讲"].post.needed - 1
    assert len(posts.short_posts(office)) == 9
    assert {m.name for m in posts.without_post(office)} == {"乙", "丙"}
    posts.save_post("政策宣讲", needed=1)
    assert "政策宣讲" not in {x.post.name for x in posts.short_posts(office)}
    assert c.name == "丙"
