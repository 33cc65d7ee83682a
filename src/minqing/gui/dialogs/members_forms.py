"""The small forms of the member and commitment panels. Each asks only what its service needs
and hands the values to it; a refusal keeps the form open with the rule's own words."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QWidget

from minqing.core import community as community_service
from minqing.core.members import commitments, links, posts
from minqing.core.members import services as members
from minqing.core.members.services import MemberKind
from minqing.gui.context import AppContext
from minqing.gui.dialogs.form import Field, ask, staff_choices

if TYPE_CHECKING:
    from minqing.core.members.models import Commitment, Member


def add_member(parent: QWidget, ctx: AppContext) -> bool:
    assert ctx.community is not None
    grids = [(g.id, g.name) for g in community_service.grids(ctx.community)]
    fields = [
        Field("name", "姓名"),
        Field("kind", "党员类别", "choice", MemberKind.choices()),
        Field("gender", "性别", "choice", [("男", "男"), ("女", "女")]),
        Field("phone", "电话", hint="手机或带区号的固定电话"),
        Field("grid", "片区", "choice", grids),
        Field("joined_on", "入党日期", "date", value=dt.date(1990, 7, 1)),
        Field("is_informant", "民情信息员", "check", hint="担任民情信息员（在职党员除外）"),
    ]

    def submit(values: dict[str, Any]) -> Any:
        values["gender"] = values.get("gender") or ""
        return members.add_member(ctx.community, actor=ctx.staff, **values)  # type: ignore[arg-type]

    return ask(parent, "登记党员", fields, submit)


def edit_member(parent: QWidget, ctx: AppContext, member: Member) -> bool:
    """Correct the register; informant duty is switched here too."""
    grids = [(g.id, g.name) for g in community_service.grids(member.community_id)]
    fields = [
        Field("name", "姓名", value=member.name),
        Field("kind", "党员类别", "choice", MemberKind.choices(), value=member.kind),
        Field("phone", "电话", value=member.phone),
        Field("grid", "片区", "choice", grids, value=member.grid_id),
        Field(
            "is_informant", "民情信息员", "check", value=member.is_informant, hint="担任民情信息员"
        ),
    ]
    return ask(
        parent, f"修改党员信息：{member.name}", fields,
        lambda v: members.edit_member(member, actor=ctx.staff, **v),
    )  # fmt: skip


def apply_post(parent: QWidget, ctx: AppContext, member: Member) -> bool:
    fields = [
        Field(
            "post",
            "申报岗位",
            "choice",
            [(p.id, f"{p.name}（需 {p.needed} 人）") for p in posts.posts()],
        ),
        Field("on", "申报日期", "date"),
    ]
    return ask(
        parent, f"{member.name}：党员申报选岗", fields,
        lambda v: posts.apply(member, v["post"] or "", on=v["on"], actor=ctx.staff),
    )  # fmt: skip


def recommend(parent: QWidget, ctx: AppContext, member: Member) -> bool:
    row = posts.open_assignment(member)
    if row is None:
        return False
    fields = [
        Field("by_name", "推荐人", hint="居民姓名，或“居民代表会议”"),
        Field("on", "推荐日期", "date"),
        Field("note", "推荐理由", "longtext"),
    ]
    return ask(
        parent, f"群众荐岗：{member.name} →“{row.post.name}”", fields,
        lambda v: posts.recommend(row, actor=ctx.staff, **v),
        intro=f"已有 {row.recommendations} 位居民推荐。",
    )  # fmt: skip


def confirm(parent: QWidget, ctx: AppContext, member: Member) -> bool:
    row = posts.open_assignment(member)
    if row is None:
        return False
    today = dt.date.today()
    fields = [
        Field("on", "定岗日期", "date"),
        Field("term_end", "任期至", "date", value=today + dt.timedelta(days=posts.TERM_DAYS - 1)),
    ]
    return ask(
        parent, f"支部定岗：{member.name} →“{row.post.name}”", fields,
        lambda v: posts.confirm(row, by=ctx.staff, actor=ctx.staff, **v),
        intro=f"{row.applied_on:%Y-%m-%d} 申报，{row.recommendations} 位居民推荐。",
    )  # fmt: skip


def end_post(parent: QWidget, ctx: AppContext, member: Member) -> bool:
    row = posts.open_assignment(member)
    if row is None:
        return False
    fields = [
        Field("on", "结束日期", "date"),
        Field("reason", "原因", hint="任期届满、迁出、换岗…"),
    ]
    return ask(
        parent, f"{member.name}：结束“{row.post.name}”岗位", fields,
        lambda v: posts.end(row, actor=ctx.staff, **v),
    )  # fmt: skip


def add_link(parent: QWidget, ctx: AppContext, member: Member, kind: links.LinkKind) -> bool:
    """Offers the nearest candidates first (same building, courtyard, grid)."""
    choices = [(row.id, label) for row, label in links.propose(member, kind, limit=30)]
    fields = [Field("target", kind.label, "choice", choices), Field("since", "开始日期", "date")]
    return ask(
        parent, f"三联系：{member.name} 联系{kind.label}", fields,
        lambda v: links.link(member, kind, v["target"], since=v["since"], actor=ctx.staff),
        intro="按“就近联系、方便参与、力所能及”的原则，最近的排在前面。",
    )  # fmt: skip


def pledge(parent: QWidget, ctx: AppContext, member: Member, quarter: commitments.Quarter) -> bool:
    post = posts.current_post(member, max(min(dt.date.today(), quarter.end), quarter.start))
    fields = [
        Field(
            "text",
            "承诺内容",
            "longtext",
            hint=f"结合“{getattr(post, 'name', '')}”岗位写具体能做到的事",
        )
    ]
    fields += [
        Field(lead.value, lead.label, "check", value=True, hint=lead.label)
        for lead in commitments.FiveLead
    ]
    fields.append(Field("on", "承诺日期", "date", value=min(dt.date.today(), quarter.end)))

    def submit(v: dict[str, Any]) -> Any:
        chosen = [lead for lead in commitments.FiveLead if v.get(lead.value)]
        return commitments.pledge(
            member, quarter, v["text"], leads=chosen, on=v["on"], actor=ctx.staff
        )

    return ask(parent, f"{member.name}：{quarter.label}公开承诺", fields, submit,
               intro="设岗定责、依岗承诺：承诺要结合岗位和“五带头”。")  # fmt: skip


def fulfil(parent: QWidget, ctx: AppContext, commitment: Commitment) -> bool:
    q = commitments.parse_quarter(commitment.quarter)
    fields = [
        Field("what", "履诺情况", "longtext", hint="做了什么、帮了谁"),
        Field("on", "日期", "date", value=min(dt.date.today(), q.end)),
        Field("case", "帮助办结的民情", hint="民情编号，如 2026-00042（可不填）"),
    ]
    return ask(
        parent, f"{commitment.member.name}：记录履诺", fields,
        lambda v: commitments.fulfil(
            commitment, v["what"], on=v["on"], case=v["case"], actor=ctx.staff
        ),
        intro=f"承诺：{commitment.text}",
    )  # fmt: skip


def review(parent: QWidget, ctx: AppContext, commitment: Commitment) -> bool:
    community = ctx.community.id if ctx.community else None
    leaders = staff_choices(community, role="leader")
    default = ctx.staff.id if ctx.staff is not None else None
    fields = [
        Field("text", "点评", "longtext"),
        Field("reviewer", "点评领导", "choice", leaders or staff_choices(community), value=default),
        Field("on", "点评日期", "date"),
    ]
    done = "；".join(f"{f.on:%m-%d} {f.what}" for f in commitments.fulfilments_of(commitment))
    return ask(
        parent, f"{commitment.member.name}：领导点评", fields,
        lambda v: commitments.review(
            commitment, v["text"], reviewer=v["reviewer"], on=v["on"], actor=ctx.staff
        ),
        intro=f"承诺：{commitment.text}\n履诺：{done}",
    )  # fmt: skip
