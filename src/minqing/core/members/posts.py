"""设岗定责: the posts and how a member comes to hold one, in the source document's three steps —
党员申报选岗 (the member applies), 群众荐岗 (residents recommend, counted), 支部定岗 (the branch
confirms) — then holds it for a term. One open assignment per member at a time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from peewee import fn

from minqing.core import validate
from minqing.core.accounts import permissions
from minqing.core.errors import DomainError, NotFound
from minqing.core.members.models import Member, Post, PostAssignment, PostRecommendation
from minqing.core.members.services import MemberChange, get_member, record
from minqing.core.models import Community, Resident, Staff, database_proxy

TERM_DAYS = 365  # default term: a year of quarterly commitments


def get_post(value: Post | int | str) -> Post:
    if isinstance(value, Post):
        return value
    text = str(value).strip()
    post = (
        Post.get_or_none(Post.id == int(text))
        if text.isdigit()
        else Post.get_or_none(Post.name == text)
    )
    if post is None:
        names = "、".join(p.name for p in Post.select().order_by(Post.sort))
        raise NotFound(f"找不到岗位“{text}”。现有岗位：{names}")
    return post


def posts(active_only: bool = True) -> list[Post]:
    query = Post.select().order_by(Post.sort, Post.id)
    if active_only:
        query = query.where(Post.active == True)  # noqa: E712
    return list(query)


def _needed(value: int | str | None) -> int:
    try:
        needed = int(str(value).strip())
    except (TypeError, ValueError):
        raise DomainError("needed", "所需人数应为整数，例如 4。") from None
    if not 0 <= needed <= 200:
        raise DomainError("needed", "所需人数应在 0 到 200 之间。")
    return needed


def save_post(
    post: Post | int | str | None = None,
    *,
    name: str | None = None,
    duties: str | None = None,
    needed: int | str | None = None,
    active: bool | None = None,
    actor: Staff | None = None,
) -> Post:
    """Add a post (post=None) or edit one: the nine are only the source's defaults."""
    permissions.require(actor, "member.edit")
    with database_proxy.atomic():
        row = (
            get_post(post)
            if post is not None
            else Post(sort=(Post.select(fn.MAX(Post.sort)).scalar() or 0) + 1)
        )
        if name is not None or row.id is None:
            clean = validate.required_text("name", name, "岗位名称", 20)
            clash = Post.get_or_none((Post.name == clean) & (Post.id != (row.id or 0)))
            if clash is not None:
                raise DomainError("name", f"已有名为“{clean}”的岗位。")
            row.name = clean
        if duties is not None:
            row.duties = validate.optional_text("duties", duties, "岗位职责", 500)
        if needed is not None:
            row.needed = _needed(needed)
        if active is not None:
            row.active = bool(active)
        row.save()
    return row


def open_assignment(member: Member | int) -> PostAssignment | None:
    """The member's assignment in progress (applied or held, not ended)."""
    row: PostAssignment | None = (
        PostAssignment.select()
        .where((PostAssignment.member == member) & PostAssignment.ended_on.is_null())
        .order_by(PostAssignment.id.desc())
        .first()
    )
    return row


def current_post(member: Member | int, on: dt.date | None = None) -> Post | None:
    """The post the member holds (confirmed, term running) on the day, else None."""
    day = on or dt.date.today()
    row = (
        PostAssignment.select(PostAssignment, Post)
        .join(Post)
        .where(
            (PostAssignment.member == member)
            & PostAssignment.confirmed_on.is_null(False)
            & (PostAssignment.confirmed_on <= day)
            & (PostAssignment.ended_on.is_null() | (PostAssignment.ended_on > day))
        )
        .order_by(PostAssignment.confirmed_on.desc())
        .first()
    )
    return row.post if row else None


def _assignment(value: PostAssignment | int) -> PostAssignment:
    """Read afresh, with its member and post (the services name both)."""
    given = isinstance(value, PostAssignment)
    row: PostAssignment | None = (
        PostAssignment.select(PostAssignment, Member, Post)
        .join(Member)
        .switch(PostAssignment)
        .join(Post)
        .where(PostAssignment.id == (value.id if given else int(value)))  # type: ignore[union-attr]
        .first()
    )
    if row is None:
        if given:
            return PostAssignment.get_by_id(value.id)  # type: ignore[union-attr]  # DoesNotExist
        raise NotFound(f"找不到选岗记录（编号 {value}）。")
    return row


def _day(field: str, value: dt.date | str | None, label: str) -> dt.date:
    day = validate.date_value(field, value, label) or dt.date.today()
    if day > dt.date.today():
        raise DomainError(field, f"{label}不能晚于今天。")
    return day


def apply(
    member: Member | int | str,
    post: Post | int | str,
    *,
    on: dt.date | str | None = None,
    actor: Staff | None = None,
) -> MemberChange:
    """党员申报选岗: the member asks for a post."""
    permissions.require(actor, "member.edit")
    day = _day("applied_on", on, "申报日期")
    with database_proxy.atomic():
        person = get_member(member)
        job = get_post(post)
        if not person.active:
            raise DomainError("member", f"{person.name} 已不在册，不能选岗。")
        if not job.active:
            raise DomainError("post", f"岗位“{job.name}”已停用，请选择其他岗位。")
        existing = open_assignment(person)
        if existing is not None:
            what = "已在" if existing.confirmed_on else "已申报"
            raise DomainError(
                "post",
                f"{person.name}{what}“{existing.post.name}”岗位。一名党员同时只担任一个岗位，"
                "如要换岗，请先结束原岗位。",
            )
        row = PostAssignment.create(member=person, post=job, applied_on=day)
        event = record(
            person,
            "applied",
            field="post",
            new=job,
            note="党员申报选岗",
            actor=actor,
            assignment=row,
        )
    return MemberChange(row, [event])


def recommend(
    assignment: PostAssignment | int,
    *,
    by_name: str,
    resident: Resident | int | None = None,
    on: dt.date | str | None = None,
    note: str = "",
    actor: Staff | None = None,
) -> MemberChange:
    """群众荐岗: a resident (or a residents' meeting) recommends the member for the post."""
    permissions.require(actor, "member.edit")
    who = validate.required_text("by_name", by_name, "推荐人", 40)
    day = _day("on", on, "推荐日期")
    with database_proxy.atomic():
        row = _assignment(assignment)
        if row.ended_on is not None:
            raise DomainError("assignment", "这个岗位已经结束，不能再推荐。")
        if row.confirmed_on is not None:
            raise DomainError("assignment", f"{row.member.name} 已经定岗，群众荐岗在定岗之前进行。")
        validate.not_before("on", day, row.applied_on, "推荐日期", "申报日期")
        PostRecommendation.create(
            assignment=row,
            by_name=who,
            resident=resident,
            on=day,
            note=validate.optional_text("note", note, "推荐理由", 500),
        )
        old = row.recommendations
        row.recommendations = (
            PostRecommendation.select().where(PostRecommendation.assignment == row).count()
        )
        row.save()
        event = record(
            row.member,
            "recommended",
            field="recommendations",
            old=old,
            new=row.recommendations,
            note=f"{who}推荐到“{row.post.name}”岗位",
            actor=actor,
            assignment=row,
        )
    return MemberChange(row, [event])


def confirm(
    assignment: PostAssignment | int,
    *,
    on: dt.date | str | None = None,
    term_end: dt.date | str | None = None,
    by: Staff | int | None = None,
    actor: Staff | None = None,
) -> MemberChange:
    """支部定岗: the branch confirms; the term runs from that day (a year unless told)."""
    permissions.require(actor, "member.edit")
    day = _day("confirmed_on", on, "定岗日期")
    with database_proxy.atomic():
        row = _assignment(assignment)
        if row.ended_on is not None:
            raise DomainError("assignment", "这个岗位已经结束，不能再定岗。")
        if row.confirmed_on is not None:
            raise DomainError(
                "assignment", f"{row.member.name} 已于 {row.confirmed_on:%Y-%m-%d} 定岗。"
            )
        if row.recommendations < 1:
            raise DomainError("recommendations", "定岗前需要群众荐岗：请先登记至少一位居民的推荐。")
        validate.not_before("confirmed_on", day, row.applied_on, "定岗日期", "申报日期")
        last = (
            PostRecommendation.select(fn.MAX(PostRecommendation.on))
            .where(PostRecommendation.assignment == row)
            .scalar()
        )
        if last is not None:
            validate.not_before("confirmed_on", day, last, "定岗日期", "群众推荐日期")
        end = validate.date_value("term_end", term_end, "任期结束日期") or (
            day + dt.timedelta(days=TERM_DAYS - 1)
        )
        validate.not_before("term_end", end, day, "任期结束日期", "定岗日期")
        row.confirmed_on = day
        row.confirmed_by = by or actor
        row.term_start = day
        row.term_end = end
        row.save()
        event = record(
            row.member,
            "confirmed",
            field="confirmed_on",
            new=day,
            note=f"支部定岗：{row.post.name}，任期至 {end:%Y-%m-%d}",
            actor=actor,
            assignment=row,
        )
    return MemberChange(row, [event])


def end(
    assignment: PostAssignment | int,
    *,
    on: dt.date | str | None = None,
    reason: str = "",
    actor: Staff | None = None,
) -> MemberChange:
    """Leave the post (term over, moved away, changing posts) or withdraw an application."""
    permissions.require(actor, "member.edit")
    day = _day("ended_on", on, "结束日期")
    why = validate.optional_text("reason", reason, "原因", 100)
    with database_proxy.atomic():
        row = _assignment(assignment)
        if row.ended_on is not None:
            raise DomainError("assignment", "这个岗位已经结束。")
        validate.not_before("ended_on", day, row.applied_on, "结束日期", "申报日期")
        row.ended_on = day
        row.end_reason = why
        row.save()
        event = record(
            row.member,
            "ended",
            field="post",
            old=row.post,
            new=None,
            note=why or ("撤回申报" if row.confirmed_on is None else "离岗"),
            actor=actor,
            assignment=row,
        )
    return MemberChange(row, [event])


@dataclass(frozen=True)
class PostLine:
    """One post on the panel: who holds it, who is on the way, and how many are missing."""

    post: Post
    holders: list[str]
    pending: list[str]

    @property
    def short(self) -> int:
        return max(0, self.post.needed - len(self.holders))


def overview(community: Community | int, on: dt.date | None = None) -> list[PostLine]:
    day = on or dt.date.today()
    rows = (
        PostAssignment.select(PostAssignment, Member)
        .join(Member)
        .where(
            (Member.community == community)
            & (Member.active == True)  # noqa: E712
            & (PostAssignment.ended_on.is_null() | (PostAssignment.ended_on > day))
        )
        .order_by(Member.name)
    )
    holders: dict[int, list[str]] = {}
    pending: dict[int, list[str]] = {}
    for a in rows:
        held = a.confirmed_on is not None and a.confirmed_on <= day
        (holders if held else pending).setdefault(a.post_id, []).append(a.member.name)
    return [PostLine(p, holders.get(p.id, []), pending.get(p.id, [])) for p in posts()]


def short_posts(community: Community | int, on: dt.date | None = None) -> list[PostLine]:
    return [line for line in overview(community, on) if line.short > 0]


def without_post(community: Community | int, on: dt.date | None = None) -> list[Member]:
    """Active members holding no confirmed post on the day (applicants included)."""
    day = on or dt.date.today()
    holding = PostAssignment.select(PostAssignment.member).where(
        PostAssignment.confirmed_on.is_null(False)
        & (PostAssignment.confirmed_on <= day)
        & (PostAssignment.ended_on.is_null() | (PostAssignment.ended_on > day))
    )
    return list(
        Member.select()
        .where(
            (Member.community == community)
            & (Member.active == True)  # noqa: E712
            & Member.id.not_in(holding)
        )
        .order_by(Member.name)
    )
