"""Importing an office's resident ledger (台账) from Excel: read, map columns, preview, apply.

`read_ledger` finds the header row (also under a merged title, or a two-row header whose
upper cells are merged), and guesses which column holds which field from the Chinese header.
`make_plan` checks every row and decides add / update / skip without writing; each bad row
is reported with its Excel row number. `apply_plan` writes the plan in one transaction, so
an import either completes or changes nothing. Re-importing the same file changes nothing:
a resident is matched on the ID number, else on name + phone + address.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from minqing.core import spreadsheet_input, validate
from minqing.core.accounts import audit, permissions
from minqing.core.accounts.models import AuditEvent
from minqing.core.errors import DomainError, MinqingError
from minqing.core.models import (
    Community,
    Grid,
    Household,
    Resident,
    ResidentTag,
    Staff,
    database_proxy,
    format_address,
)
from minqing.core.names import initials
from minqing.core.registry import services as registry
from minqing.core.spreadsheet_input import column_letter

FIELDS: dict[str, str] = {
    "name": "姓名",
    "id_number": "身份证号",
    "phone": "联系电话",
    "gender": "性别",
    "courtyard": "院落/小区",
    "building": "楼号",
    "unit": "单元",
    "door": "门牌",
    "address": "住址",
    "grid": "片区",
    "tags": "标签",
    "note": "备注",
}
SYNONYMS: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "居民姓名", "户主姓名", "名字", "成员姓名"),
    "id_number": ("身份证号", "身份证号码", "公民身份号码", "公民身份证号", "身份证"),
    "phone": ("联系电话", "电话", "手机", "手机号", "手机号码", "联系方式", "电话号码"),
    "gender": ("性别",),
    "courtyard": ("院落", "小区", "院落/小区", "院落小区", "庭院", "小区名称", "院落名称"),
    "building": ("楼号", "栋", "楼栋", "楼", "幢", "楼栋号", "栋号"),
    "unit": ("单元", "单元号"),
    "door": ("门牌", "门牌号", "室", "房号", "户号", "房间号", "室号"),
    "address": ("住址", "地址", "家庭住址", "居住地址", "现住址"),
    "grid": ("片区", "网格", "所属片区", "所属网格"),
    "tags": ("标签", "人员类别", "类别", "特殊人群", "人员类型"),
    "note": ("备注", "说明"),
}
HEADER_SCAN = 15
ADDRESS_RE = re.compile(
    r"^(?P<courtyard>.+?)(?:(?P<building>\d+)(?:号楼|栋|幢|号))?(?:(?P<unit>\d+)单元)?"
    r"(?:(?P<door>\d+)(?:室|号)?)?$"
)
TAG_SPLIT = re.compile(r"[、,，;；/\s]+")
Progress = Callable[[int, int], None]


def _norm(text: Any) -> str:
    value = unicodedata.normalize("NFKC", str(text or ""))
    value = re.sub(r"[\s*＊:：]", "", value)
    return re.sub(r"[(（].*?[)）]", "", value)


def field_for(header: Any) -> str | None:
    text = _norm(header)
    if not text:
        return None
    for key, names in SYNONYMS.items():
        if text in names:
            return key
    for key, names in SYNONYMS.items():
        if any(len(n) >= 2 and n in text for n in names):
            return key
    return None


@dataclass
class Ledger:
    """A sheet as read: its headers (as shown to the user), the guessed mapping and the rows."""

    path: Path
    sheet: str
    header_row: int  # Excel row number of the header
    headers: list[str]
    mapping: dict[str, int]  # field -> column index
    rows: list[tuple[int, tuple[Any, ...]]]  # (Excel row number, values)


def read_ledger(path: str | Path) -> Ledger:
    title, all_rows = spreadsheet_input.read_first_sheet(path)
    best, best_score, best_headers = -1, 0, []
    for i in range(min(HEADER_SCAN, len(all_rows))):
        above = _filled(all_rows[i - 1]) if i else ()
        width = max(len(all_rows[i]), len(above))  # rows come without their empty tails
        headers = [_header(all_rows[i], above, c) for c in range(width)]
        score = len({field_for(h) for h in headers} - {None})
        if score > best_score:
            best, best_score, best_headers = i, score, headers
    if best_score < 2:
        raise DomainError("file", "没有找到表头行：前 15 行里没有“姓名”“住址”“身份证号”等列名。")
    mapping: dict[str, int] = {}
    for col, header in enumerate(best_headers):
        key = field_for(header)
        if key and key in mapping:
            first = mapping[key]
            raise DomainError(
                "file",
                f"表头第 {column_letter(first)} 列“{best_headers[first]}”和第 {column_letter(col)} 列"
                f"“{header}”是同一项（{FIELDS[key]}），不知道该用哪一列。请删掉或改名其中一列。",
            )
        if key:
            mapping[key] = col
    rows = [(best + 2 + n, r) for n, r in enumerate(all_rows[best + 1 :])]
    return Ledger(Path(path), title, best + 1, best_headers, mapping, rows)


def _filled(row: tuple[Any, ...]) -> tuple[Any, ...]:
    """A merged header cell is read as a value then empty cells: carry the value right."""
    out, last = [], None
    for value in row:
        last = value if value not in (None, "") else last
        out.append(last)
    return tuple(out)


def _header(row: tuple[Any, ...], above: tuple[Any, ...], col: int) -> str:
    own = row[col] if col < len(row) else None
    upper = above[col] if col < len(above) else None
    if own not in (None, "") and field_for(own):
        return str(own).strip()
    if upper not in (None, "") and field_for(upper) and own in (None, ""):
        return str(upper).strip()  # merged vertically over two header rows
    return str(own or "").strip()


def check_mapping(mapping: dict[str, int]) -> None:
    missing = []
    if "name" not in mapping:
        missing.append("姓名")
    if "courtyard" not in mapping and "address" not in mapping:
        missing.append("院落/小区（或住址）")
    if missing:
        raise DomainError("mapping", f"缺少必需的列：{'、'.join(missing)}。请在列对应中指定。")


@dataclass
class RowError:
    row: int
    reason: str


@dataclass
class PlanRow:
    row: int
    action: str  # add | update | skip
    values: registry.ResidentValues
    address: tuple[str, str, str, str]
    grid_id: int | None = None
    resident_id: int | None = None
    changes: list[str] = field(default_factory=list)

    @property
    def address_text(self) -> str:
        return format_address(*self.address)


@dataclass
class ImportPlan:
    community_id: int
    ledger: Ledger
    rows: list[PlanRow]
    errors: list[RowError]
    blank: int

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    def report(self) -> str:
        lines = [
            f"新增 {self.count('add')} 人，更新 {self.count('update')} 人，"
            f"无变化 {self.count('skip')} 人，有问题 {len(self.errors)} 行，空行 {self.blank} 行。"
        ]
        lines += [f"第 {e.row} 行：{e.reason}" for e in self.errors]
        return "\n".join(lines)


def _cell(values: tuple[Any, ...], mapping: dict[str, int], key: str) -> str:
    col = mapping.get(key)
    if col is None or col >= len(values) or values[col] is None:
        return ""
    value = values[col]
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return validate.strip_controls(unicodedata.normalize("NFKC", str(value))).strip()


def _address(values: tuple[Any, ...], mapping: dict[str, int]) -> tuple[str, str, str, str]:
    courtyard = _cell(values, mapping, "courtyard")
    building, unit, door = (_cell(values, mapping, k) for k in ("building", "unit", "door"))
    if not courtyard and mapping.get("address") is not None:
        match = ADDRESS_RE.match(re.sub(r"\s", "", _cell(values, mapping, "address")))
        if match:
            courtyard = match["courtyard"]
            building, unit, door = match["building"] or "", match["unit"] or "", match["door"] or ""
    parts = registry.address_parts(courtyard, building, unit, door)
    return parts["courtyard"], parts["building"], parts["unit"], parts["door"]


def make_plan(
    ledger: Ledger,
    community: Community | int,
    mapping: dict[str, int] | None = None,
    progress: Progress | None = None,
) -> ImportPlan:
    """Check every row against the rules and the registry; writes nothing."""
    mapping = dict(ledger.mapping if mapping is None else mapping)
    check_mapping(mapping)
    community_id = community if isinstance(community, int) else community.id
    grids = {g.name: g.id for g in Grid.select().where(Grid.community == community_id)}
    homes = {
        (h.courtyard, h.building, h.unit, h.door): h.id
        for h in Household.select().where(Household.community == community_id)
    }
    by_id: dict[str, Resident] = {}
    by_contact: dict[tuple[str, str, int | None], Resident] = {}
    for r in Resident.select():
        if r.id_number:
            by_id[r.id_number] = r
        by_contact[(r.name, r.phone, r.household_id)] = r
    tags: dict[int, set[str]] = {}
    for t in ResidentTag.select(ResidentTag.resident, ResidentTag.tag).tuples():
        tags.setdefault(t[0], set()).add(t[1])
    plan = ImportPlan(community_id, ledger, [], [], 0)
    seen: dict[tuple[Any, ...], int] = {}
    for n, (row_no, values) in enumerate(ledger.rows):
        if progress and n % 1000 == 0:
            progress(n, len(ledger.rows))
        if all(v is None or str(v).strip() == "" for v in values):
            plan.blank += 1
            continue
        try:
            checked = registry.check_resident(
                _cell(values, mapping, "name"),
                _cell(values, mapping, "phone"),
                _cell(values, mapping, "id_number"),
                _cell(values, mapping, "gender"),
                TAG_SPLIT.split(_cell(values, mapping, "tags")),
                _cell(values, mapping, "note"),
            )
            address = _address(values, mapping)
            grid_name = _cell(values, mapping, "grid")
            grid_id = grids.get(grid_name) or grids.get(grid_name + "片区") if grid_name else None
            if grid_name and grid_id is None:
                raise DomainError("grid", f"片区“{grid_name}”不存在（现有：{'、'.join(grids)}）")
        except MinqingError as exc:
            plan.errors.append(RowError(row_no, exc.message))
            continue
        key = (checked.id_number,) if checked.id_number else (checked.name, checked.phone, address)
        if key in seen:
            plan.errors.append(
                RowError(row_no, f"与第 {seen[key]} 行重复（{checked.name}），已跳过")
            )
            continue
        seen[key] = row_no
        home_id = homes.get(address)
        found = by_id.get(checked.id_number or "") or (
            by_contact.get((checked.name, checked.phone, home_id)) if home_id else None
        )
        item = PlanRow(row_no, "add", checked, address, grid_id)
        if found is not None:
            item.resident_id = found.id
            item.changes = _changes(found, checked, home_id, tags.get(found.id, set()))
            item.action = "update" if item.changes else "skip"
        plan.rows.append(item)
    return plan


def _changes(
    old: Resident, new: registry.ResidentValues, home_id: int | None, tags: set[str]
) -> list[str]:
    out = []
    if new.name != old.name:
        out.append("姓名")
    if new.phone and new.phone != old.phone:
        out.append("电话")
    if new.gender and new.gender != old.gender:
        out.append("性别")
    if home_id != old.household_id:
        out.append("住址")
    if set(new.tags) - tags:
        out.append("标签")
    if old.status != "active":
        out.append("状态")
    return out


def apply_plan(
    plan: ImportPlan, progress: Progress | None = None, *, actor: Staff | None = None
) -> dict[str, int]:
    """Write the plan's add and update rows in one transaction; returns the counts."""
    permissions.require(actor, "ledger.import")
    todo = [r for r in plan.rows if r.action != "skip"]
    made = {"add": 0, "update": 0, "households": 0}
    source = plan.ledger.path.name if plan.ledger is not None else ""
    events: list[dict[str, Any]] = []
    with database_proxy.atomic():
        homes = {
            (h.courtyard, h.building, h.unit, h.door): h.id
            for h in Household.select().where(Household.community == plan.community_id)
        }
        for item in todo:
            if item.address not in homes:
                c, b, u, d = item.address
                homes[item.address] = Household.create(
                    community=plan.community_id,
                    grid=item.grid_id,
                    courtyard=c,
                    building=b,
                    unit=u,
                    door=d,
                ).id
                made["households"] += 1
                audit.record(
                    actor,
                    "household",
                    homes[item.address],
                    item.address_text,
                    "create",
                    note=f"台账导入：{source}",
                )
        for n, item in enumerate(todo):
            v, home_id = item.values, homes[item.address]
            if item.action == "add":
                rid = Resident.insert(
                    household=home_id,
                    name=v.name,
                    initials=initials(v.name),
                    phone=v.phone,
                    id_number=v.id_number,
                    gender=v.gender,
                    note=v.note,
                ).execute()
            else:
                rid = item.resident_id
                changes: dict[str, Any] = dict(
                    name=v.name,
                    initials=initials(v.name),
                    household=home_id,
                    status="active",
                    status_date=None,
                )
                if v.phone:
                    changes["phone"] = v.phone
                if v.gender:
                    changes["gender"] = v.gender
                Resident.update(**changes).where(Resident.id == rid).execute()
            if v.tags:
                ResidentTag.insert_many(
                    [(rid, t) for t in v.tags], [ResidentTag.resident, ResidentTag.tag]
                ).on_conflict_ignore().execute()
            made[item.action] += 1
            events.append(_event(actor, rid, item, source))
            if len(events) >= AUDIT_BATCH:
                AuditEvent.insert_many(events).execute()
                events.clear()
            if progress and n % 1000 == 0:
                progress(n, len(todo))
        if events:
            AuditEvent.insert_many(events).execute()
    if len(todo) >= 1000:  # a bulk load: the planner's statistics of these tables are stale
        from minqing.core.storage.db import refresh_planner_statistics

        refresh_planner_statistics(tables=["household", "resident", "resident_tag"])
    return made


AUDIT_BATCH = 500


def _event(actor: Staff | None, resident_id: int, item: PlanRow, source: str) -> dict[str, Any]:
    """The resident's audit line, as the registry's own services write it (who, what, from
    which file and row), so an import is as traceable as editing by hand."""
    return {
        "actor": actor.id if actor else None,
        "actor_name": actor.name if actor else "",
        "table": "resident",
        "row_id": resident_id,
        "label": item.values.name[:500],
        "kind": "create" if item.action == "add" else "edit",
        "field": "",
        "old": "",
        "new": "、".join(item.changes)[:500] if item.action == "update" else "",
        "note": f"台账导入：{source} 第 {item.row} 行；{item.address_text}"[:500],
    }
