"""三联系: each member links 1–2 resident groups (居民小组), 1 poor household (贫困户) and
1 person in rehabilitation (康复人员), “就近联系、方便参与、力所能及” — so proposals start
with the member's own building, then courtyard, then grid.

Poor household = a household with a resident tagged 低保 or 三无老人; person in rehabilitation
= a resident tagged 康复人员 (both from the registry's tags). A resident group is a named
courtyard, or one building of it (ResidentGroup); households belong to it by address.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from peewee import fn

from minqing.core import validate
from minqing.core.accounts import permissions
from minqing.core.enums import Labeled
from minqing.core.errors import DomainError, NotFound
from minqing.core.members.models import Link, Member, ResidentGroup
from minqing.core.members.services import MemberChange, get_member, record
from minqing.core.models import (
    ADDRESS_COLUMNS,
    Community,
    Grid,
    Household,
    Resident,
    ResidentTag,
    Staff,
    database_proxy,
    format_address,
    plain_rows,
)


class LinkKind(Labeled):
    GROUP = ("group", "居民小组")
    POOR_HOUSEHOLD = ("poor_household", "贫困户")
    REHABILITATION = ("rehabilitation", "康复人员")


LIMITS: dict[LinkKind, tuple[int, int]] = {
    LinkKind.GROUP: (1, 2),
    LinkKind.POOR_HOUSEHOLD: (1, 1),
    LinkKind.REHABILITATION: (1, 1),
}
POOR_TAGS = ("低保", "三无老人")
REHABILITATION_TAG = "康复人员"
UNIT = {LinkKind.GROUP: "个", LinkKind.POOR_HOUSEHOLD: "户", LinkKind.REHABILITATION: "名"}


def parse_kind(value: LinkKind | str) -> LinkKind:
    try:
        return LinkKind.parse(str(value.value if isinstance(value, LinkKind) else value))  # type: ignore[return-value]
    except ValueError:
        choices = "、".join(k.label for k in LinkKind)
        raise DomainError("kind", f"联系类型“{value}”不认识，应为：{choices}。") from None


def group_name(courtyard: str, building: str = "") -> str:
    return f"{courtyard}{building}号楼居民小组" if building else f"{courtyard}居民小组"


def add_group(
    community: Community | int,
    *,
    courtyard: str,
    building: str = "",
    name: str = "",
    grid: Grid | int | None = None,
    actor: Staff | None = None,
) -> ResidentGroup:
    permissions.require(actor, "member.edit")
    yard = validate.required_text("courtyard", courtyard, "庭院", 40)
    block = validate.clean(building)
    title = validate.optional_text("name", name, "小组名称", 40) or group_name(yard, block)
    if ResidentGroup.get_or_none(
        (ResidentGroup.community == community) & (ResidentGroup.name == title)
    ):
        raise DomainError("name", f"已有居民小组“{title}”。")
    row: ResidentGroup = ResidentGroup.create(
        community=community, grid=grid, name=title, courtyard=yard, building=block
    )
    return row


def groups_from_addresses(community: Community | int) -> int:
    """One group per building (or per courtyard without buildings) of the registry's
    households, for offices that have not named their groups; returns how many were added."""
    have = {
        (g.courtyard, g.building)
        for g in ResidentGroup.select().where(ResidentGroup.community == community)
    }
    rows = (
        Household.select(Household.courtyard, Household.building, fn.MIN(Household.grid))
        .where(Household.community == community)
        .group_by(Household.courtyard, Household.building)
        .order_by(Household.courtyard, Household.building)
        .tuples()
    )
    made = 0
    for yard, block, grid in rows:
        if (yard, block or "") not in have:
            ResidentGroup.create(
                community=community,
                grid=grid,
                name=group_name(yard, block or ""),
                courtyard=yard,
                building=block or "",
            )
            made += 1
    return made


def poor_households(community: Community | int) -> Any:
    tagged = (
        Resident.select(Resident.household)
        .join(ResidentTag)
        .where(ResidentTag.tag.in_(POOR_TAGS) & (Resident.status == "active"))
    )
    return Household.select().where((Household.community == community) & Household.id.in_(tagged))


def _poor(home: Household) -> bool:
    """Whether this household is one of poor_households (asked of its own residents, not by
    listing every poor household of the community)."""
    return bool(
        Resident.select()
        .join(ResidentTag)
        .where(
            (Resident.household == home.id)
            & ResidentTag.tag.in_(POOR_TAGS)
            & (Resident.status == "active")
        )
        .exists()
    )


def rehabilitation_people(community: Community | int) -> Any:
    return (
        Resident.select()
        .join(Household)
        .switch(Resident)
        .join(ResidentTag, on=(ResidentTag.resident == Resident.id))
        .where(
            (Household.community == community)
            & (ResidentTag.tag == REHABILITATION_TAG)
            & (Resident.status == "active")
        )
    )


def current_links(member: Member | int, kind: LinkKind | None = None) -> list[Link]:
    query = Link.select().where((Link.member == member) & Link.ended_on.is_null())
    if kind is not None:
        query = query.where(Link.kind == kind.value)
    return list(query.order_by(Link.kind, Link.id))


def describe(link: Link) -> str:
    if link.kind == LinkKind.GROUP:
        return str(link.group.name)
    if link.kind == LinkKind.POOR_HOUSEHOLD:
        return str(link.household.address)
    person = link.resident
    return f"{person.name}（{person.household.address if person.household_id else ''}）"


def _target(kind: LinkKind, community_id: int, target: Any) -> dict[str, Any]:
    if kind == LinkKind.GROUP:
        group = ResidentGroup.get_or_none(ResidentGroup.id == getattr(target, "id", target))
        if group is None or group.community_id != community_id:
            raise NotFound("找不到这个居民小组。")
        return {"group": group}
    if kind == LinkKind.POOR_HOUSEHOLD:
        hid = getattr(target, "id", target)
        home = Household.get_or_none((Household.id == hid) & (Household.community == community_id))
        if home is None or not _poor(home):
            raise DomainError(
                "household", "这一户不是贫困户：户里没有登记“低保”或“三无老人”标签的居民。"
            )
        return {"household": home}
    rid = getattr(target, "id", target)
    person = (
        rehabilitation_people(community_id)
        .select(Resident, Household)  # with the home describe() names
        .where(Resident.id == rid)
        .first()
    )
    if person is None:
        raise DomainError(
            "resident", "这位居民没有“康复人员”标签（或已不在册），不能作为康复人员联系。"
        )
    return {"resident": person}


def link(
    member: Member | int | str,
    kind: LinkKind | str,
    target: Any,
    *,
    since: dt.date | str | None = None,
    actor: Staff | None = None,
) -> MemberChange:
    """Add one link, within the limits of 三联系 (no third group, no second poor household…)."""
    permissions.require(actor, "member.edit")
    what = parse_kind(kind)
    day = validate.date_value("since", since, "联系开始日期") or dt.date.today()
    with database_proxy.atomic():
        person = get_member(member)
        if not person.active:
            raise DomainError("member", f"{person.name} 已不在册。")
        values = _target(what, person.community_id, target)
        have = current_links(person, what)
        most = LIMITS[what][1]
        if len(have) >= most:
            raise DomainError(
                "kind",
                f"{person.name} 已联系 {len(have)} {UNIT[what]}{what.label}，三联系规定最多 {most} "
                f"{UNIT[what]}。如要更换，请先结束原来的联系。",
            )
        key = next(iter(values))
        if any(getattr(x, key + "_id") == values[key].id for x in have):
            raise DomainError(key, f"{person.name} 已经联系了这个{what.label}。")
        row = Link.create(member=person, kind=what.value, since=day, **values)
        event = record(
            person, "link", field="link", new=f"{what.label}：{describe(row)}", actor=actor
        )
    return MemberChange(row, [event])


def unlink(
    link_row: Link | int, *, on: dt.date | str | None = None, actor: Staff | None = None
) -> MemberChange:
    permissions.require(actor, "member.edit")
    day = validate.date_value("ended_on", on, "结束日期") or dt.date.today()
    with database_proxy.atomic():
        row = Link.get_or_none(Link.id == getattr(link_row, "id", link_row))
        if row is None or row.ended_on is not None:
            raise DomainError("link", "这条联系不存在或已经结束。")
        validate.not_before("ended_on", day, row.since, "结束日期", "联系开始日期")
        row.ended_on = day
        row.save()
        kind = LinkKind(row.kind)
        event = record(
            row.member, "unlink", field="link", old=f"{kind.label}：{describe(row)}", actor=actor
        )
    return MemberChange(row, [event])


@dataclass(frozen=True)
class LinkStatus:
    member: Member
    counts: dict[LinkKind, int]

    @property
    def missing(self) -> list[str]:
        """What is still to be linked, as the panel says it: “居民小组 1 个” …"""
        out = []
        for kind, (least, _most) in LIMITS.items():
            if self.counts.get(kind, 0) < least:
                out.append(f"{kind.label} {least - self.counts.get(kind, 0)} {UNIT[kind]}")
        return out

    @property
    def complete(self) -> bool:
        return not self.missing


def status(community: Community | int) -> list[LinkStatus]:
    """Every active member with their link counts; the incomplete ones first."""
    counts: dict[int, dict[LinkKind, int]] = {}
    rows = (
        Link.select(Link.member, Link.kind, fn.COUNT(Link.id))
        .join(Member)
        .where((Member.community == community) & Link.ended_on.is_null())
        .group_by(Link.member, Link.kind)
        .tuples()
    )
    for mid, kind, n in rows:
        counts.setdefault(mid, {})[LinkKind(kind)] = int(n)
    out = [
        LinkStatus(m, counts.get(m.id, {}))
        for m in Member.select()
        .where((Member.community == community) & (Member.active == True))  # noqa: E712
        .order_by(Member.name)
    ]
    return sorted(out, key=lambda s: s.complete)


def unlinked(community: Community | int) -> list[LinkStatus]:
    return [s for s in status(community) if not s.complete]


def _nearness(member: Member) -> Callable[[str, str, int | None], int]:
    """How near a place (courtyard, building, grid) is to the member: 0 same building, 1 same
    courtyard, 2 same grid, 3 elsewhere."""
    home = member.household
    yard, block = (home.courtyard, home.building) if home is not None else (None, None)
    grid = member.grid_id

    def nearness(courtyard: str, building: str, grid_id: int | None) -> int:
        if yard is not None and courtyard == yard:
            return 0 if building and building == block else 1
        if grid_id is not None and grid_id == grid:
            return 2
        return 3

    return nearness


def propose(
    member: Member | int | str, kind: LinkKind | str, limit: int = 5
) -> list[tuple[Any, str]]:
    """The nearest candidates, (row, label) nearest first; those another member already links
    come after all free ones (a person in rehabilitation may need a group of members), and
    those this member links are left out.

    Ranked from the few columns it needs (a community has hundreds of poor households); only
    the rows returned are read whole."""
    person = get_member(member)
    what = parse_kind(kind)
    column = {LinkKind.GROUP: Link.group, LinkKind.POOR_HOUSEHOLD: Link.household}.get(
        what, Link.resident
    )
    current = Link.ended_on.is_null() & (Link.kind == what.value)
    linked = list(Link.select(column, Link.member).where(current).tuples())
    taken = {target for target, _who in linked}
    mine = {target for target, who in linked if who == person.id}
    if not ResidentGroup.select().where(ResidentGroup.community == person.community_id).exists():
        groups_from_addresses(person.community_id)
    near = _nearness(person)
    candidates: list[tuple[int, int, str]] = []  # (id, nearness, label)
    if what == LinkKind.GROUP:
        for gid, name, yard, block, grid_id in plain_rows(
            ResidentGroup.select(
                ResidentGroup.id,
                ResidentGroup.name,
                ResidentGroup.courtyard,
                ResidentGroup.building,
                ResidentGroup.grid,
            )
            .where(ResidentGroup.community == person.community_id)
            .order_by(ResidentGroup.id)
        ):
            candidates.append((gid, near(yard, block, grid_id), name))
    elif what == LinkKind.POOR_HOUSEHOLD:
        for hid, yard, block, unit, door, grid_id in plain_rows(
            poor_households(person.community_id)
            .select(
                Household.id,
                *ADDRESS_COLUMNS,
                Household.grid,
            )
            .order_by(Household.id)
        ):
            address = format_address(yard, block, unit, door)
            candidates.append((hid, near(yard, block, grid_id), address))
    else:
        for rid, name, yard, block, unit, door, grid_id in plain_rows(
            rehabilitation_people(person.community_id)
            .select(
                Resident.id,
                Resident.name,
                *ADDRESS_COLUMNS,
                Household.grid,
            )
            .order_by(Resident.id)
        ):
            address = format_address(yard, block, unit, door)
            candidates.append((rid, near(yard, block, grid_id), f"{name}（{address}）"))
    candidates = [c for c in candidates if c[0] not in mine]
    candidates.sort(key=lambda c: (c[0] in taken, c[1], c[2]))
    chosen = candidates[:limit]
    ids = [c[0] for c in chosen]
    rows: dict[int, Any]
    if not ids:
        rows = {}
    elif what == LinkKind.GROUP:
        rows = {g.id: g for g in ResidentGroup.select().where(ResidentGroup.id.in_(ids))}
    elif what == LinkKind.POOR_HOUSEHOLD:
        rows = {h.id: h for h in Household.select().where(Household.id.in_(ids))}
    else:
        rows = {
            r.id: r
            for r in Resident.select(Resident, Household)
            .join(Household)
            .where(Resident.id.in_(ids))
        }
    return [
        (rows[rid], label + ("（已有党员联系）" if rid in taken else ""))
        for rid, _n, label in chosen
    ]
