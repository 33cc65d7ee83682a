"""Setting up an office: its community record, windows, grids and staff."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from peewee import fn

from minqing.core import validate
from minqing.core.accounts.permissions import may_own_cases, role_label
from minqing.core.cases import keywords
from minqing.core.enums import WindowLevel
from minqing.core.errors import DomainError, NotFound
from minqing.core.models import Community, Grid, Staff, Window, database_proxy

STREET_WINDOWS = [
    "精神文明",
    "城建城管",
    "民政低保",
    "社会保障",
    "计划生育",
    "综合治理",
    "安全生产",
    "司法调解",
]
COMMUNITY_WINDOWS = ["残疾人", "再就业", "养老保险", "医疗保险"]


@dataclass
class GridSpec:
    name: str
    staff_name: str = ""
    line: str = ""


def ensure_windows() -> list[Window]:
    """The eight street windows and the community hall's own (民政低保 is shared)."""
    if Window.select().exists():
        return list(Window.select().order_by(Window.sort))
    rows = [(n, WindowLevel.STREET.value) for n in STREET_WINDOWS]
    rows += [(n, WindowLevel.COMMUNITY.value) for n in COMMUNITY_WINDOWS]
    with database_proxy.atomic():
        for sort, (name, level) in enumerate(rows):
            Window.create(name=name, level=level, sort=sort)
        keywords.seed_defaults()
    return list(Window.select().order_by(Window.sort))


def create_community(
    name: str,
    hotline: str = "",
    grids: Sequence[GridSpec] = (),
    *,
    staff_name: str = "",
    mailbox_places: str = "",
    reception_day: str = "每周二上午",
    online_group: str = "",
) -> Community:
    name = validate.required_text("name", name, "社区名称", max_len=60)
    hotline = validate.phone("hotline", hotline, "民情热线", required=False)
    if Community.select().where(Community.name == name).exists():
        raise DomainError("name", f"已有名为“{name}”的社区，请换一个名称。")
    with database_proxy.atomic():
        community = Community.create(
            name=name,
            hotline=hotline,
            mailbox_places=mailbox_places,
            reception_day=reception_day,
            online_group=online_group,
        )
        if staff_name.strip():
            Staff.create(community=community, name=staff_name.strip(), role="leader")
        for sort, spec in enumerate(grids):
            add_grid(community, spec, sort=sort)
        ensure_windows()
    return community


def add_grid(community: Community, spec: GridSpec, sort: int | None = None) -> Grid:
    grid_name = validate.required_text("grid", spec.name, "片区名称", max_len=30)
    line = validate.phone("line", spec.line, "民情专线", required=False)
    staff = None
    if spec.staff_name.strip():
        staff = Staff.get_or_none(
            (Staff.community == community) & (Staff.name == spec.staff_name.strip())
        ) or Staff.create(
            community=community, name=spec.staff_name.strip(), phone=line, role="owner"
        )
    if sort is None:
        sort = (Grid.select(fn.MAX(Grid.sort)).where(Grid.community == community).scalar() or 0) + 1
    return Grid.create(community=community, name=grid_name, staff=staff, line=line, sort=sort)


def the_community() -> Community:
    """The office's community (the first one); most offices keep exactly one per file."""
    community = Community.select().order_by(Community.id).first()
    if community is None:
        raise NotFound("数据库里还没有社区。请先创建社区，或运行 minqing demo 生成演示社区。")
    return community


def find_staff(community: Community, name_or_id: str | int) -> Staff:
    query = Staff.select().where(Staff.community == community)
    text = str(name_or_id).strip()
    staff = (
        query.where(Staff.id == int(text)).first()
        if text.isdigit()
        else query.where(Staff.name == text).first()
    )
    if staff is None:
        raise NotFound(f"找不到工作人员“{text}”。")
    return staff


def find_window(name_or_id: str | int) -> Window:
    text = str(name_or_id).strip()
    window = (
        Window.get_or_none(Window.id == int(text))
        if text.isdigit()
        else Window.get_or_none(Window.name == text)
    )
    if window is None:
        names = "、".join(w.name for w in Window.select().order_by(Window.sort))
        raise NotFound(f"找不到服务窗口“{text}”。可选：{names}")
    return window


def active_staff(community: Community | int | None, role: str | None = None) -> list[Staff]:
    """Who may be chosen as responder, owner, visitor or reviewer: the community's active
    staff by name (a role narrows it). None means every community's — only an office file
    without a community yet (tests) has no community to name."""
    query = Staff.select().where(Staff.active == True)  # noqa: E712
    if community is not None:
        query = query.where(Staff.community == community)
    if role is not None:
        query = query.where(Staff.role == role)
    return list(query.order_by(Staff.name, Staff.id))


def owners(community: Community | int | None) -> list[Staff]:
    """The active staff a case may be given to (by name), e.g. for the board's 责任人 filter."""
    return [s for s in active_staff(community) if may_own_cases(s)]


def owner_choices(community: Community | int | None) -> list[tuple[int, str]]:
    """Who a case may be given to, by pinyin, each with role and grid: “李红（责任人·第一片区）”."""
    people = owners(community)
    areas: dict[int, list[str]] = {}
    for grid in (
        Grid.select(Grid.staff, Grid.name).where(Grid.staff.is_null(False)).order_by(Grid.sort)
    ):
        areas.setdefault(grid.staff_id, []).append(grid.name)
    from pypinyin import lazy_pinyin  # 0.05–0.2 s to import: on first use, not at start-up

    people.sort(key=lambda s: ("".join(lazy_pinyin(s.name)), s.id))
    return [
        (s.id, f"{s.name}（{'·'.join([role_label(s.role), *areas.get(s.id, [])])}）")
        for s in people
    ]


def grids(community: Community | int | None) -> list[Grid]:
    """The community's grids in their set order (None: every community's)."""
    query = Grid.select()
    if community is not None:
        query = query.where(Grid.community == community)
    return list(query.order_by(Grid.sort, Grid.id))


def windows(active_only: bool = False) -> list[Window]:
    """The service windows in their set order; new cases go only to active ones, while
    filters and statistics still offer the retired ones that old cases name."""
    query = Window.select()
    if active_only:
        query = query.where(Window.active == True)  # noqa: E712
    return list(query.order_by(Window.sort, Window.id))


def get_staff(staff_id: int) -> Staff:
    staff = Staff.get_or_none(Staff.id == staff_id)
    if staff is None:
        raise NotFound(f"找不到编号为 {staff_id} 的工作人员。")
    return staff
