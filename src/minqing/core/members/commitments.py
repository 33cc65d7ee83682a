"""公开承诺: each quarter each member pledges (承诺) what they will do on their post under the
five leads (五带头); fulfilment is recorded during the quarter (履诺); a leader reviews it
(领导点评). States move 承诺 → 履诺 → 点评 only forwards, with MemberEvents as for cases.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from peewee import JOIN

from minqing.core import validate
from minqing.core.accounts import permissions
from minqing.core.enums import Labeled
from minqing.core.errors import DomainError, NotFound
from minqing.core.members.models import Commitment, Fulfilment, Member, Post, Review
from minqing.core.members.posts import current_post, get_post
from minqing.core.members.services import MemberChange, get_member, record
from minqing.core.models import Case, Community, Staff, database_proxy

PLEDGE_EARLY_DAYS = 31  # a pledge may be made in the last month of the quarter before


class CommitmentState(Labeled):
    PLEDGED = ("pledged", "承诺")
    FULFILLED = ("fulfilled", "履诺")
    REVIEWED = ("reviewed", "点评")


class FiveLead(Labeled):
    """五带头, in the source's order."""

    STUDY = ("study", "带头学习提高")
    EXCEL = ("excel", "带头争创佳绩")
    SERVE = ("serve", "带头服务群众")
    LAW = ("law", "带头遵纪守法")
    INTEGRITY = ("integrity", "带头弘扬正气")


QUARTER_NAMES = "一二三四"


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int

    @property
    def code(self) -> str:
        return f"{self.year}Q{self.number}"

    @property
    def label(self) -> str:
        return f"{self.year}年第{QUARTER_NAMES[self.number - 1]}季度"

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> dt.date:
        if self.number == 4:
            return dt.date(self.year, 12, 31)
        return dt.date(self.year, 3 * self.number + 1, 1) - dt.timedelta(days=1)

    def __str__(self) -> str:
        return self.code


def quarter_of(day: dt.date) -> Quarter:
    return Quarter(day.year, (day.month - 1) // 3 + 1)


def parse_quarter(value: Quarter | str | None) -> Quarter:
    """“2026Q4”, “2026-Q4”, “2026q4” or “2026年第四季度”."""
    if isinstance(value, Quarter):
        return value
    text = validate.clean(str(value or "")).upper().replace(" ", "")
    match = re.fullmatch(r"(\d{4})-?Q(\d)", text) or re.fullmatch(
        r"(\d{4})年第?([1-4一二三四])季度?", text
    )
    number = 0
    if match:
        digit = match.group(2)
        number = int(digit) if digit.isdigit() else QUARTER_NAMES.index(digit) + 1
    if not match or not 1 <= number <= 4 or not 2000 <= int(match.group(1)) <= 2100:
        raise DomainError(
            "quarter", f"季度“{value or ''}”不存在。请写成 2026Q4 的样子（Q1 到 Q4）。"
        )
    return Quarter(int(match.group(1)), number)


def leads_of(commitment: Commitment) -> list[FiveLead]:
    codes = [c for c in (commitment.leads or "").split(",") if c]
    return [lead for lead in FiveLead if lead.value in codes]


def _leads(values: Iterable[FiveLead | str] | None) -> str:
    if values is None:
        return ",".join(lead.value for lead in FiveLead)
    chosen = set()
    for value in values:
        try:
            chosen.add(FiveLead.parse(str(value.value if isinstance(value, FiveLead) else value)))
        except ValueError:
            names = "、".join(lead.label for lead in FiveLead)
            raise DomainError("leads", f"“{value}”不是五带头之一：{names}。") from None
    if not chosen:
        raise DomainError("leads", "承诺要结合五带头，请至少选择一项。")
    return ",".join(lead.value for lead in FiveLead if lead in chosen)


def get_commitment(value: Commitment | int) -> Commitment:
    row = Commitment.get_or_none(Commitment.id == getattr(value, "id", value))
    if row is None:
        raise NotFound(f"找不到承诺（编号 {getattr(value, 'id', value)}）。")
    return row  # type: ignore[no-any-return]


def find(member: Member | int | str, quarter: Quarter | str) -> Commitment | None:
    q = parse_quarter(quarter)
    person = get_member(member)
    row: Commitment | None = Commitment.get_or_none(
        (Commitment.member == person) & (Commitment.quarter == q.code)
    )
    return row


def _not_future(field: str, day: dt.date, label: str) -> None:
    if day > dt.date.today():
        raise DomainError(field, f"{label}不能晚于今天。")


def pledge(
    member: Member | int | str,
    quarter: Quarter | str,
    text: str,
    *,
    leads: Iterable[FiveLead | str] | None = None,
    post: Post | int | str | None = None,
    on: dt.date | str | None = None,
    actor: Staff | None = None,
) -> MemberChange:
    """承诺: “设岗定责、依岗承诺” — on the member's post, so a post is needed first."""
    permissions.require(actor, "commitment.edit")
    q = parse_quarter(quarter)
    body = validate.required_text("text", text, "承诺内容", 1000)
    codes = _leads(leads)
    day = validate.date_value("pledged_on", on, "承诺日期") or min(dt.date.today(), q.end)
    _not_future("pledged_on", day, "承诺日期")
    if not q.start - dt.timedelta(days=PLEDGE_EARLY_DAYS) <= day <= q.end:
        raise DomainError(
            "pledged_on",
            f"{q.label}的承诺日期应在 {q.start:%Y-%m-%d} 到 {q.end:%Y-%m-%d} 之间"
            "（可提前一个月）。",
        )
    with database_proxy.atomic():
        person = get_member(member)
        if not person.active:
            raise DomainError("member", f"{person.name} 已不在册。")
        job = get_post(post) if post not in (None, "") else current_post(person, max(day, q.start))
        if job is None:
            job = current_post(person, day)
        if job is None:
            raise DomainError(
                "post", f"{person.name} 还没有定岗。公开承诺要“依岗承诺”，请先完成设岗定责。"
            )
        if Commitment.get_or_none((Commitment.member == person) & (Commitment.quarter == q.code)):
            raise DomainError(
                "quarter", f"{person.name} 已作出{q.label}的承诺，可以修改它，不能再承诺一次。"
            )
        row = Commitment.create(
            member=person,
            quarter=q.code,
            post=job,
            text=body,
            leads=codes,
            pledged_on=day,
            state=CommitmentState.PLEDGED.value,
        )
        event = record(
            person,
            "pledged",
            field="state",
            new=CommitmentState.PLEDGED,
            note=f"{q.label}公开承诺（{job.name}岗）",
            actor=actor,
            commitment=row,
        )
    return MemberChange(row, [event])


def edit_pledge(
    commitment: Commitment | int,
    *,
    text: str | None = None,
    leads: Iterable[FiveLead | str] | None = None,
    actor: Staff | None = None,
) -> MemberChange:
    """Correct the pledge while it is only a pledge; once fulfilment is recorded it stands."""
    permissions.require(actor, "commitment.edit")
    with database_proxy.atomic():
        row = get_commitment(commitment)
        if row.state != CommitmentState.PLEDGED:
            raise DomainError("state", "已有履诺记录的承诺不能再修改内容（它已上墙公示）。")
        events = []
        if text is not None:
            body = validate.required_text("text", text, "承诺内容", 1000)
            if body != row.text:
                events.append(
                    record(
                        row.member,
                        "edit",
                        field="text",
                        old=row.text,
                        new=body,
                        actor=actor,
                        commitment=row,
                    )
                )
                row.text = body
        if leads is not None:
            codes = _leads(leads)
            if codes != row.leads:
                old = "、".join(lead.label for lead in leads_of(row))
                row.leads = codes
                new = "、".join(lead.label for lead in leads_of(row))
                events.append(
                    record(
                        row.member,
                        "edit",
                        field="leads",
                        old=old,
                        new=new,
                        actor=actor,
                        commitment=row,
                    )
                )
        if events:
            row.version += 1
            row.save()
    return MemberChange(row, events)


def fulfil(
    commitment: Commitment | int,
    what: str,
    *,
    on: dt.date | str | None = None,
    case: Case | int | str | None = None,
    actor: Staff | None = None,
) -> MemberChange:
    """履诺: something done during the quarter, optionally a closed case the member helped with."""
    permissions.require(actor, "commitment.edit")
    body = validate.required_text("what", what, "履诺情况", 1000)
    with database_proxy.atomic():
        row = get_commitment(commitment)
        q = parse_quarter(row.quarter)
        day = validate.date_value("on", on, "履诺日期") or min(dt.date.today(), q.end)
        if row.state == CommitmentState.REVIEWED:
            raise DomainError("state", "领导已经点评，这一季度的承诺已结束，不能再添加履诺记录。")
        _not_future("on", day, "履诺日期")
        validate.not_before("on", day, row.pledged_on, "履诺日期", "承诺日期")
        if day > q.end:
            raise DomainError("on", f"履诺日期应在{q.label}之内（至 {q.end:%Y-%m-%d}）。")
        linked = None
        if case not in (None, ""):
            from minqing.core.cases.services import get_case

            linked = get_case(case.id if isinstance(case, Case) else case)  # type: ignore[union-attr]
            if linked.stage != "closed":
                raise DomainError(
                    "case", f"民情 {linked.number} 还没有办结。履诺只关联党员帮助办结的民情。"
                )
        Fulfilment.create(commitment=row, on=day, what=body, case=linked)
        events = []
        note = f"{day:%Y-%m-%d} 履诺：{body[:40]}" + (f"（民情 {linked.number}）" if linked else "")
        if row.state == CommitmentState.PLEDGED:
            row.state = CommitmentState.FULFILLED.value
            row.version += 1
            row.save()
            events.append(
                record(
                    row.member,
                    "fulfilled",
                    field="state",
                    old=CommitmentState.PLEDGED,
                    new=CommitmentState.FULFILLED,
                    note=note,
                    actor=actor,
                    commitment=row,
                )
            )
        else:
            events.append(record(row.member, "fulfilment", note=note, actor=actor, commitment=row))
    return MemberChange(row, events)


def review(
    commitment: Commitment | int,
    text: str,
    *,
    reviewer: Staff | int,
    on: dt.date | str | None = None,
    actor: Staff | None = None,
) -> MemberChange:
    """领导点评: only after fulfilment is recorded, once per commitment."""
    permissions.require(actor, "commitment.review")
    body = validate.required_text("text", text, "点评内容", 1000)
    day = validate.date_value("on", on, "点评日期") or dt.date.today()
    _not_future("on", day, "点评日期")
    with database_proxy.atomic():
        row = get_commitment(commitment)
        leader = Staff.get_or_none(Staff.id == getattr(reviewer, "id", reviewer))
        if leader is None:
            raise DomainError("reviewer", "请选择写点评的领导。")
        if row.state == CommitmentState.PLEDGED:
            raise DomainError(
                "state", f"{row.member.name} 的承诺还没有履诺记录。请先记录履诺情况，再请领导点评。"
            )
        if row.state == CommitmentState.REVIEWED:
            raise DomainError("state", "这份承诺已经点评过了。")
        last = max(f.on for f in row.fulfilments)
        validate.not_before("on", day, last, "点评日期", "最后一次履诺日期")
        Review.create(commitment=row, reviewer=leader, reviewer_name=leader.name, on=day, text=body)
        row.state = CommitmentState.REVIEWED.value
        row.version += 1
        row.save()
        event = record(
            row.member,
            "reviewed",
            field="state",
            old=CommitmentState.FULFILLED,
            new=CommitmentState.REVIEWED,
            note=f"{leader.name}点评：{body[:40]}",
            actor=actor or leader,
            commitment=row,
        )
    return MemberChange(row, [event])


@dataclass(frozen=True)
class QuarterLine:
    """One active member in a quarter's view; commitment None = not yet committed."""

    member: Member
    post: str
    commitment: Commitment | None
    fulfilments: int
    review: str = ""  # “reviewer：text” once reviewed

    @property
    def state(self) -> str:
        return CommitmentState(self.commitment.state).label if self.commitment else "未承诺"


def quarter_view(community: Community | int, quarter: Quarter | str) -> list[QuarterLine]:
    """Every active member, with their commitment of the quarter (if any) and its progress."""
    q = parse_quarter(quarter)
    made = {
        c.member_id: c
        for c in Commitment.select(Commitment, Post)
        .join(Post, on=(Commitment.post == Post.id), join_type=JOIN.LEFT_OUTER)
        .where(Commitment.quarter == q.code)
    }
    reviews = {
        r.commitment_id: f"{r.reviewer_name}：{r.text}"
        for r in Review.select().join(Commitment).where(Commitment.quarter == q.code)
    }
    counts: dict[int, int] = {}
    for f in (
        Fulfilment.select(Fulfilment.commitment)
        .join(Commitment)
        .where(Commitment.quarter == q.code)
    ):
        counts[f.commitment_id] = counts.get(f.commitment_id, 0) + 1
    lines = []
    for m in (
        Member.select()
        .where((Member.community == community) & (Member.active == True))  # noqa: E712
        .order_by(Member.name)
    ):
        c = made.get(m.id)
        post = (
            c.post.name if c and c.post_id else (getattr(current_post(m, q.end), "name", "") or "")
        )
        lines.append(
            QuarterLine(
                m, post, c, counts.get(c.id, 0) if c else 0, reviews.get(c.id, "") if c else ""
            )
        )
    return lines


def fulfilments_of(commitment: Commitment | int) -> list[Fulfilment]:
    """What was done to keep a commitment, in date order."""
    return list(
        Fulfilment.select()
        .where(Fulfilment.commitment == commitment)
        .order_by(Fulfilment.on, Fulfilment.id)
    )


def outstanding(lines: list[QuarterLine]) -> dict[str, list[QuarterLine]]:
    """Who has not yet committed, fulfilled, or been reviewed."""
    return {
        "未承诺": [x for x in lines if x.commitment is None],
        "未履诺": [
            x for x in lines if x.commitment and x.commitment.state == CommitmentState.PLEDGED
        ],
        "未点评": [
            x for x in lines if x.commitment and x.commitment.state == CommitmentState.FULFILLED
        ],
    }
