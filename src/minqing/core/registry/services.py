"""The registry: households and their residents. Each change validates, writes in one
transaction and returns the row as saved. Residents are never deleted: moving away or death
is a status with its date, so history (cases, visits, cards) keeps its person.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from peewee import JOIN, fn

from minqing.core import validate
from minqing.core.accounts import audit, permissions
from minqing.core.enums import ResidentTag as StandardTag
from minqing.core.errors import DomainError, NotFound
from minqing.core.models import (
    Case,
    Community,
    Grid,
    Household,
    Resident,
    ResidentTag,
    Staff,
    database_proxy,
)
from minqing.core.names import initials
from minqing.core.registry.models import CardIssue, Programme, Visit

STATUSES = {"active": "在册", "moved_away": "已迁出", "deceased": "已故"}
STANDARD_TAGS = [t.label for t in StandardTag]
TAG_MAX = 20


def natural(column: Any) -> list[Any]:
    """Order “2” before “10” on any database: shorter text first, then the text."""
    return [fn.LENGTH(column), column]


ADDRESS_ORDER = (
    [Household.courtyard]
    + natural(Household.building)
    + natural(Household.unit)
    + natural(Household.door)
)


def get_household(value: Household | int) -> Household:
    if isinstance(value, Household):
        return value
    row = Household.get_or_none(Household.id == int(value))
    if row is None:
        raise NotFound(f"找不到住户（编号 {value}）。")
    return row


def get_resident(value: Resident | int) -> Resident:
    if isinstance(value, Resident):
        return value
    row = Resident.get_or_none(Resident.id == int(value))
    if row is None:
        raise NotFound(f"找不到居民（编号 {value}）。")
    return row


def resident_or_none(resident_id: int | None) -> Resident | None:
    """For a saved reference (a draft) that may point at a resident removed meanwhile."""
    return Resident.get_or_none(Resident.id == resident_id) if resident_id else None


def households_by_id(ids: Iterable[int]) -> dict[int, Household]:
    return {h.id: h for h in Household.select().where(Household.id.in_(list(ids)))}


def current_residents(household: Household | int) -> list[Resident]:
    """The household's people still living there (not moved out or deceased)."""
    return list(
        Resident.select()
        .where((Resident.household == household) & (Resident.status == "active"))
        .order_by(Resident.id)
    )


def _grid(community: Community | int, value: Grid | int | None) -> Grid | None:
    if value is None or value == "":
        return None
    grid = value if isinstance(value, Grid) else Grid.get_or_none(Grid.id == int(value))
    if grid is None or grid.community_id != (
        community if isinstance(community, int) else community.id
    ):
        raise DomainError("grid", "请选择本社区的片区。")
    return grid


def address_parts(courtyard: str, building: str, unit: str, door: str) -> dict[str, str]:
    return dict(
        courtyard=validate.required_text("courtyard", courtyard, "院落/小区", 60),
        building=validate.clean(building).removesuffix("号楼").removesuffix("栋")[:20],
        unit=validate.clean(unit).removesuffix("单元")[:20],
        door=validate.clean(door).removesuffix("室")[:20],
    )


def _unique_address(community_id: int, parts: dict[str, str], other: int | None = None) -> None:
    query = Household.select(Household.id).where(
        (Household.community == community_id)
        & (Household.courtyard == parts["courtyard"])
        & (Household.building == parts["building"])
        & (Household.unit == parts["unit"])
        & (Household.door == parts["door"])
    )
    if other is not None:
        query = query.where(Household.id != other)
    if query.exists():
        raise DomainError("door", "这个地址已有住户登记，请检查楼号、单元和门牌。")


def add_household(
    community: Community | int,
    courtyard: str,
    building: str = "",
    unit: str = "",
    door: str = "",
    grid: Grid | int | None = None,
    note: str = "",
    *,
    actor: Staff | None = None,
) -> Household:
    permissions.require(actor, "registry.edit")
    community_id = community if isinstance(community, int) else community.id
    parts = address_parts(courtyard, building, unit, door)
    grid_row = _grid(community_id, grid)
    note = validate.optional_text("note", note, "备注", 500)
    with database_proxy.atomic():
        _unique_address(community_id, parts)
        home = Household.create(community=community_id, grid=grid_row, note=note, **parts)
        audit.record(actor, "household", home.id, home.address, "create")
    return home


def edit_household(
    household: Household | int, *, actor: Staff | None = None, **values: Any
) -> Household:
    """Change address parts, grid or note; only the keys given."""
    permissions.require(actor, "registry.edit")
    row = get_household(household)
    parts = address_parts(
        values.get("courtyard", row.courtyard),
        values.get("building", row.building),
        values.get("unit", row.unit),
        values.get("door", row.door),
    )
    changes: dict[str, Any] = dict(parts)
    if "grid" in values:
        changes["grid"] = _grid(row.community_id, values["grid"])
    if "note" in values:
        changes["note"] = validate.optional_text("note", values["note"], "备注", 500)
    with database_proxy.atomic():
        _unique_address(row.community_id, parts, other=row.id)
        Household.update(**changes).where(Household.id == row.id).execute()
        after = Household.get_by_id(row.id)
        names = ("address", "grid", "note")
        audit.record_changes(actor, "household", row, after, names, row.address)
    return after


def move_household(
    household: Household | int, grid: Grid | int, *, actor: Staff | None = None
) -> Household:
    if grid is None or grid == "":
        raise DomainError("grid", "请选择要转入的片区。")
    return edit_household(household, grid=grid, actor=actor)


def clean_name(value: str | None) -> str:
    """Names from ledgers carry stray spaces (王 秀英); Chinese names have none inside."""
    text = validate.clean(value)
    if text and all("\u4e00" <= ch <= "\u9fff" or ch.isspace() or ch == "·" for ch in text):
        text = "".join(text.split())
    return validate.required_text("name", " ".join(text.split()), "姓名", 40)


def clean_tags(tags: Iterable[str]) -> list[str]:
    out: list[str] = []
    for tag in tags:
        text = validate.clean(tag)
        if not text:
            continue
        try:
            text = StandardTag.parse(text).label
        except ValueError:
            pass
        if len(text) > TAG_MAX:
            raise DomainError("tags", f"标签“{text}”太长了，最多 {TAG_MAX} 字。")
        if text not in out:
            out.append(text)
    return out


def gender_from_id(id_number: str | None) -> str:
    if not id_number or len(id_number) != 18:
        return ""
    return "男" if int(id_number[16]) % 2 else "女"


@dataclass
class ResidentValues:
    """Checked values of a resident, shared by the form and the ledger import."""

    name: str
    phone: str = ""
    id_number: str | None = None
    gender: str = ""
    tags: list[str] = field(default_factory=list)
    note: str = ""


def check_resident(
    name: str | None,
    phone: str | None = "",
    id_number: str | None = None,
    gender: str | None = "",
    tags: Iterable[str] = (),
    note: str | None = "",
) -> ResidentValues:
    number = validate.id_number("id_number", id_number)
    sex = validate.clean(gender)
    if sex not in ("", "男", "女"):
        raise DomainError("gender", f"性别“{gender}”不认识，请填“男”或“女”。")
    return ResidentValues(
        name=clean_name(name),
        phone=validate.phone("phone", phone, "联系电话", required=False),
        id_number=number,
        gender=sex or gender_from_id(number),
        tags=clean_tags(tags),
        note=validate.optional_text("note", note, "备注", 500),
    )


def _id_free(id_number: str | None, other: int | None = None) -> None:
    if not id_number:
        return
    query = Resident.select(Resident.id, Resident.name).where(Resident.id_number == id_number)
    if other is not None:
        query = query.where(Resident.id != other)
    holder = query.first()
    if holder is not None:
        raise DomainError("id_number", f"身份证号 {id_number} 已登记在居民“{holder.name}”名下。")


def add_resident(
    household: Household | int, name: str, *, actor: Staff | None = None, **values: Any
) -> Resident:
    permissions.require(actor, "registry.edit")
    home = get_household(household)
    checked = check_resident(name, **values)
    with database_proxy.atomic():
        _id_free(checked.id_number)
        person = Resident.create(
            household=home,
            name=checked.name,
            initials=initials(checked.name),
            phone=checked.phone,
            id_number=checked.id_number,
            gender=checked.gender,
            note=checked.note,
        )
        _write_tags(person.id, checked.tags)
        audit.record(actor, "resident", person.id, person.name, "create", note=home.address)
    return person


def edit_resident(
    resident: Resident | int, *, actor: Staff | None = None, **values: Any
) -> Resident:
    """Name, phone, ID number, gender, tags, note: only the keys given change."""
    permissions.require(actor, "registry.edit")
    person = get_resident(resident)
    current_tags = tags_of(person.id)
    checked = check_resident(
        values.get("name", person.name),
        values.get("phone", person.phone),
        values.get("id_number", person.id_number),
        values.get("gender", person.gender),
        values.get("tags", current_tags),
        values.get("note", person.note),
    )
    with database_proxy.atomic():
        _id_free(checked.id_number, other=person.id)
        Resident.update(
            name=checked.name,
            initials=initials(checked.name),
            phone=checked.phone,
            id_number=checked.id_number,
            gender=checked.gender,
            note=checked.note,
        ).where(Resident.id == person.id).execute()
        if checked.tags != current_tags:
            _write_tags(person.id, checked.tags, replace=True)
        after = Resident.get_by_id(person.id)
        person.tags, after.tags = current_tags, checked.tags  # type: ignore[attr-defined]
        names = ("name", "phone", "id_number", "gender", "tags", "note")
        audit.record_changes(actor, "resident", person, after, names, checked.name)
    return Resident.get_by_id(person.id)


def _write_tags(resident_id: int, tags: list[str], replace: bool = False) -> None:
    if replace:
        ResidentTag.delete().where(ResidentTag.resident == resident_id).execute()
    if tags:
        ResidentTag.insert_many(
            [(resident_id, t) for t in tags], [ResidentTag.resident, ResidentTag.tag]
        ).on_conflict_ignore().execute()


def tags_of(resident_id: int) -> list[str]:
    return [
        t.tag
        for t in ResidentTag.select(ResidentTag.tag)
        .where(ResidentTag.resident == resident_id)
        .order_by(ResidentTag.id)
    ]


def known_tags() -> list[str]:
    """The source's tags first, then those the office has used."""
    used = [r.tag for r in ResidentTag.select(ResidentTag.tag).distinct().order_by(ResidentTag.tag)]
    codes = {t.value for t in StandardTag}
    return STANDARD_TAGS + [t for t in used if t not in STANDARD_TAGS and t not in codes]


def mark_status(
    resident: Resident | int,
    status: str,
    on: dt.date | str | None = None,
    *,
    actor: Staff | None = None,
) -> Resident:
    """已迁出 / 已故 (or back to 在册): kept in the registry with the date."""
    permissions.require(actor, "registry.edit")
    person = get_resident(resident)
    code = next((k for k, v in STATUSES.items() if status in (k, v)), None)
    if code is None:
        raise DomainError("status", f"状态“{status}”不认识，应为：{'、'.join(STATUSES.values())}。")
    day = validate.date_value("status_date", on, "日期") or dt.date.today()
    if day > dt.date.today():
        raise DomainError("status_date", "日期不能晚于今天。")
    with database_proxy.atomic():
        Resident.update(status=code, status_date=None if code == "active" else day).where(
            Resident.id == person.id
        ).execute()
        audit.record(
            actor,
            "resident",
            person.id,
            person.name,
            "status",
            "状态",
            STATUSES.get(person.status, person.status),
            f"{STATUSES[code]} {day}",
        )
    return Resident.get_by_id(person.id)


def move_resident(
    resident: Resident | int, household: Household | int, *, actor: Staff | None = None
) -> Resident:
    permissions.require(actor, "registry.edit")
    person, home = get_resident(resident), get_household(household)
    with database_proxy.atomic():
        Resident.update(household=home).where(Resident.id == person.id).execute()
        old = person.household.address if person.household_id else ""
        audit.record(actor, "resident", person.id, person.name, "move", "住户", old, home.address)
    return Resident.get_by_id(person.id)


# --- reading -------------------------------------------------------------------------------


@dataclass
class TreeRow:
    id: int
    grid_id: int | None
    courtyard: str
    building: str
    unit: str
    door: str
    people: int


def household_rows(community: Community | int) -> list[TreeRow]:
    """Every household with its count of active residents, in grid and address order."""
    alive = (
        Resident.select(Resident.household, fn.COUNT(Resident.id).alias("n"))
        .where(Resident.status == "active")
        .group_by(Resident.household)
        .alias("alive")
    )
    query = (
        Household.select(
            Household.id,
            Household.grid,
            Household.courtyard,
            Household.building,
            Household.unit,
            Household.door,
            fn.COALESCE(alive.c.n, 0),
        )
        .join(alive, JOIN.LEFT_OUTER, on=(alive.c.household_id == Household.id))
        .where(Household.community == community)
        .order_by(*ADDRESS_ORDER)
        .tuples()
    )
    return [TreeRow(*row) for row in query]


@dataclass
class HouseholdPage:
    household: Household
    grid: str
    residents: list[tuple[Resident, list[str]]]
    cases: list[Case]
    visits: list[Visit]
    cards: list[CardIssue]


def household_page(household: Household | int) -> HouseholdPage:
    home = get_household(household)
    people = list(
        Resident.select()
        .where(Resident.household == home)
        .order_by(Resident.status != "active", Resident.id)
    )
    tags: dict[int, list[str]] = {p.id: [] for p in people}
    for t in (
        ResidentTag.select().where(ResidentTag.resident.in_(list(tags))).order_by(ResidentTag.id)
    ):
        tags[t.resident_id].append(t.tag)
    return HouseholdPage(
        household=home,
        grid=home.grid.name if home.grid_id else "",
        residents=[(p, tags[p.id]) for p in people],
        cases=list(Case.select().where(Case.household == home).order_by(Case.intake_date.desc())),
        visits=list(
            Visit.select(Visit, Staff)
            .join(Staff, JOIN.LEFT_OUTER)
            .where(Visit.household == home)
            .order_by(Visit.visited_on.desc())
        ),
        cards=list(
            CardIssue.select(CardIssue, Programme)
            .join(Programme, JOIN.LEFT_OUTER)
            .where(CardIssue.household == home)
            .order_by(CardIssue.issued_on.desc(), CardIssue.id.desc())
        ),
    )
