"""The registry to Excel, with the same Chinese headers the import reads, so an exported
ledger can be edited and imported again.

Without `export.personal` the file carries masked ID and phone numbers and leaves out the
sensitive tags (低保, 残疾人, 康复人员 …): a list of who receives subsistence allowance or is in
rehabilitation is exactly what must not leave the office on a USB stick.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from peewee import JOIN

from minqing.core.accounts import permissions
from minqing.core.models import Community, Grid, Household, Resident, ResidentTag, Staff
from minqing.core.privacy import SENSITIVE_TAGS, mask_id_number, mask_phone
from minqing.core.registry.services import ADDRESS_ORDER, STATUSES
from minqing.core.spreadsheet import Progress, write_table

BLOCK = 1000

REGISTRY_COLUMNS: list[tuple[str, int]] = [
    ("片区", 10),
    ("院落/小区", 14),
    ("楼号", 6),
    ("单元", 6),
    ("门牌", 8),
    ("姓名", 10),
    ("性别", 6),
    ("身份证号", 21),
    ("联系电话", 14),
    ("标签", 20),
    ("状态", 8),
    ("备注", 24),
]


def _registry_rows(
    community: Community | int, resident_ids: Sequence[int] | None, *, full: bool = True
) -> Iterable[list[Any]]:
    query = (
        Resident.select(
            Resident.id,
            Grid.name,
            Household.courtyard,
            Household.building,
            Household.unit,
            Household.door,
            Resident.name,
            Resident.gender,
            Resident.id_number,
            Resident.phone,
            Resident.status,
            Resident.note,
        )
        .join(Household, on=(Resident.household == Household.id))
        .join(Grid, JOIN.LEFT_OUTER, on=(Household.grid == Grid.id))
        .where(Household.community == community)
        .order_by(Grid.sort, *ADDRESS_ORDER, Resident.id)
    )
    ids = list(resident_ids) if resident_ids is not None else None
    chunks = [ids[i : i + BLOCK] for i in range(0, len(ids), BLOCK)] if ids is not None else [None]
    for chunk in chunks:
        part = query if chunk is None else query.where(Resident.id.in_(chunk))
        people = list(part.tuples())
        tags: dict[int, list[str]] = {}
        tag_query = ResidentTag.select(ResidentTag.resident, ResidentTag.tag).order_by(
            ResidentTag.id
        )
        if chunk is not None:
            tag_query = tag_query.where(ResidentTag.resident.in_(chunk))
        for rid, tag in tag_query.tuples():
            tags.setdefault(rid, []).append(tag)
        for rid, grid, c, b, u, d, name, gender, id_number, phone, status, note in people:
            yield [
                grid or "",
                c,
                b,
                u,
                d,
                name,
                gender,
                (id_number or "") if full else mask_id_number(id_number),
                phone if full else mask_phone(phone or ""),
                "、".join(t for t in tags.get(rid, []) if full or t not in SENSITIVE_TAGS),
                STATUSES.get(status, status),
                note,
            ]


def export_registry(
    path: str | Path,
    community: Community | int,
    resident_ids: Sequence[int] | None = None,
    progress: Progress | None = None,
    *,
    actor: Staff | None = None,
) -> int:
    """Every resident (or those in `resident_ids`) with their household, in address order.

    ID and phone numbers are masked and sensitive tags left out unless the actor may export
    personal data; every export is logged (the file names residents either way)."""
    total = len(resident_ids) if resident_ids is not None else Resident.select().count()
    rows = _registry_rows(community, resident_ids, full=permissions.may_export_personal(actor))
    return write_table(path, "居民台账", REGISTRY_COLUMNS, rows, total, progress, actor=actor)
