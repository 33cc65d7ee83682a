"""12345 work orders: the city hotline dispatches cases down as spreadsheets; the replies go back
the same way.

Import is preview, then apply. The preview reads every row and reports each bad one with its
row number and reason; apply refuses a file with any bad row and otherwise registers all new
orders in one transaction (all or nothing). Orders whose number is already in the database
are skipped, so importing the same file twice adds nothing. An order whose category names no
service window goes where its words clearly point (智能分派), else to the default window.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from minqing.core import spreadsheet_input, validate
from minqing.core.accounts import permissions
from minqing.core.calendar.workdays import load_calendar
from minqing.core.cases import services as cases
from minqing.core.cases import suggest
from minqing.core.enums import Channel, Disposition, ReplyMethod, Satisfaction, Stage, label_of
from minqing.core.errors import DomainError
from minqing.core.models import Case, Community, Staff, Window, database_proxy
from minqing.core.outreach.models import CityOrder
from minqing.core.spreadsheet import write_table
from minqing.core.spreadsheet_input import column_letter

# Field → the headers cities use for it (first match wins). Headers are compared without
# spaces, asterisks and anything in brackets: “办理时限（工作日）” is 办理时限.
HEADERS: dict[str, tuple[str, ...]] = {
    "order_number": ("工单编号", "工单号", "工单编码"),
    "received_at": ("受理时间", "派单时间", "来电时间", "登记时间", "交办时间"),
    "text": ("诉求内容", "反映内容", "工单内容", "问题描述", "来电内容"),
    "contact_name": ("联系人", "来电人", "诉求人", "市民姓名"),
    "contact_phone": ("联系电话", "来电号码", "联系方式", "市民电话"),
    "address": ("地址", "诉求地址", "事发地址", "详细地址"),
    "deadline": ("办理时限", "办结时限", "限办日期", "截止时间", "办理期限"),
    "category": ("诉求类别", "工单类型", "问题分类", "业务类别"),
}
REQUIRED = ("order_number", "received_at", "text")
LABELS = {key: names[0] for key, names in HEADERS.items()}
HEADER_SCAN = 10  # the header may sit under a title row or two
# Longer values are refused with the row, never cut: a cut order number would no longer be
# the city's, and replies could not be matched back.
ORDER_NUMBER_MAX = 64
CONTACT_NAME_MAX = 40
ADDRESS_MAX = 200
DEFAULT_WINDOW = "综合治理"
_DATETIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M",
    "%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日 %H:%M", "%Y年%m月%d日%H:%M", "%Y年%m月%d日",
    "%Y%m%d",
)  # fmt: skip


@dataclass(frozen=True)
class OrderRow:
    row: int  # the spreadsheet's row number, as the user sees it
    order_number: str
    received_at: dt.datetime
    text: str
    contact_name: str
    contact_phone: str
    address: str
    deadline: dt.date | None
    window_id: int
    window: str
    raw: dict[str, str]
    suggested: bool = False  # the window came from the words (智能分派), not the category


@dataclass(frozen=True)
class BadRow:
    row: int
    order_number: str
    reason: str

    def __str__(self) -> str:
        order = f"（{self.order_number}）" if self.order_number else ""
        return f"第 {self.row} 行{order}：{self.reason}"


@dataclass
class Preview:
    path: str
    header_row: int
    columns: dict[str, str]  # field → the header found in the file
    new: list[OrderRow] = field(default_factory=list)
    existing: list[tuple[int, str, str]] = field(default_factory=list)  # row, order, case number
    bad: list[BadRow] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.bad

    def summary(self) -> str:
        parts = [f"新工单 {len(self.new)} 条", f"已导入过 {len(self.existing)} 条（跳过）"]
        if self.bad:
            parts.append(f"有问题 {len(self.bad)} 行")
        return "，".join(parts)


@dataclass(frozen=True)
class ImportResult:
    created: list[tuple[str, str]]  # (order number, case number)
    skipped: int


def _header_key(text: Any) -> str:
    value = re.sub(r"[（(\[【].*?[）)\]】]", "", str(text or ""))
    return re.sub(r"[\s*＊:：]", "", value)


def _find_header(rows: list[tuple[Any, ...]]) -> tuple[int, dict[str, int]] | None:
    for index, row in enumerate(rows[:HEADER_SCAN]):
        keys = [_header_key(v) for v in row]
        found: dict[str, int] = {}
        for name, aliases in HEADERS.items():
            for alias in aliases:
                if alias in keys:
                    found[name] = keys.index(alias)
                    break
        if "order_number" in found and len(found) >= 2:
            for name, aliases in HEADERS.items():
                same = [c for c, key in enumerate(keys) if key and key in aliases]
                if len(same) > 1:
                    shown = "、".join(f"第 {column_letter(c)} 列“{_text(row[c])}”" for c in same)
                    raise DomainError(
                        "file",
                        f"表头里有 {len(same)} 列都是“{LABELS[name]}”（{shown}），"
                        "不知道该用哪一列。请删掉或改名多余的列。",
                    )
            return index, found
    return None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    return validate.strip_controls(str(value)).strip()


def _moment(value: Any) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value.replace(microsecond=0)
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time(9))
    text = validate.clean(_text(value))
    for pattern in _DATETIME_FORMATS:
        try:
            return dt.datetime.strptime(text, pattern)
        except ValueError:
            continue
    return None


def _deadline(value: Any, received: dt.datetime) -> dt.date | None:
    """A date, or a number of working days after the day the city received the call."""
    text = validate.clean(_text(value)).removesuffix("个工作日").removesuffix("工作日")
    if text.isdigit() and len(text) <= 3:
        return load_calendar().add_workdays(received.date(), int(text))
    moment = _moment(value)
    if moment is None:
        raise ValueError(value)
    return moment.date()


def _windows(default: Window | int | str | None) -> tuple[dict[str, Window], Window]:
    active = {w.name: w for w in Window.select().where(Window.active == True)}  # noqa: E712
    if default is None:
        chosen = active.get(DEFAULT_WINDOW) or next(iter(active.values()), None)
    elif isinstance(default, Window):
        chosen = default
    else:
        text = str(default).strip()
        chosen = next((w for w in active.values() if text in (w.name, str(w.id))), None)
    if chosen is None:
        names = "、".join(active)
        raise DomainError("window", f"找不到服务窗口“{default}”。可选：{names}")
    return active, chosen


def read(path: str | Path, *, window: Window | int | str | None = None) -> Preview:
    """Check every row of the first sheet; nothing is written. `window` receives the orders
    whose category names no service window; without it they go to the suggested window when
    the words clearly point at one, else to 综合治理."""
    _, rows = spreadsheet_input.read_first_sheet(path)
    located = _find_header(rows)
    if located is None:
        raise DomainError(
            "file", f"在前 {HEADER_SCAN} 行里找不到表头（要有“工单编号”“受理时间”“诉求内容”等列）。"
        )
    header_index, columns = located
    missing = [LABELS[k] for k in REQUIRED if k not in columns]
    if missing:
        raise DomainError("file", f"表格缺少必需的列：{'、'.join(missing)}。")
    headers = [_text(v) for v in rows[header_index]]
    windows, fallback = _windows(window)
    preview = Preview(str(path), header_index + 1, {k: headers[i] for k, i in columns.items()})
    known = {}
    numbers = [
        _text(r[columns["order_number"]])
        for r in rows[header_index + 1 :]
        if columns["order_number"] < len(r)
    ]
    for start in range(0, len(numbers), 500):
        chunk = [n for n in numbers[start : start + 500] if n]
        query = (
            CityOrder.select(CityOrder.order_number, Case.number)
            .join(Case)
            .where(CityOrder.order_number.in_(chunk))
        )
        known.update(dict(query.tuples()))
    seen: dict[str, int] = {}
    now = dt.datetime.now()
    for offset, values in enumerate(rows[header_index + 1 :]):
        number = header_index + 2 + offset
        cells = {k: values[i] if i < len(values) else None for k, i in columns.items()}
        if all(_text(v) == "" for v in values):
            continue
        order = _text(cells["order_number"])
        raw = {
            headers[i]: _text(v) for i, v in enumerate(values) if i < len(headers) and headers[i]
        }

        def bad(reason: str, row: int = number, order: str = order) -> None:
            preview.bad.append(BadRow(row, order, reason))

        if not order:
            bad("没有工单编号。")
            continue
        if order in seen:
            bad(f"工单编号与第 {seen[order]} 行重复。")
            continue
        seen[order] = number
        if order in known:
            preview.existing.append((number, order, known[order]))
            continue
        too_long = [
            f"{label}太长（{len(value)} 字），最多 {limit} 字"
            for label, value, limit in (
                ("工单编号", order, ORDER_NUMBER_MAX),
                ("联系人", _text(cells.get("contact_name")), CONTACT_NAME_MAX),
                ("地址", _text(cells.get("address")), ADDRESS_MAX),
            )
            if len(value) > limit
        ]
        if too_long:
            bad("；".join(too_long) + "。请核对这一行。")
            continue
        received = _moment(cells["received_at"])
        if received is None:
            bad(f"受理时间“{_text(cells['received_at'])}”看不懂，应如 2026-11-20 09:30。")
            continue
        if received > now + dt.timedelta(minutes=5):
            bad("受理时间晚于现在。")
            continue
        text = _text(cells["text"])
        if not text:
            bad("诉求内容是空的。")
            continue
        if len(text) > validate.MAX_TEXT:
            bad(f"诉求内容太长（{len(text)} 字），最多 {validate.MAX_TEXT} 字。")
            continue
        phone_text = _text(cells.get("contact_phone"))
        if "*" in phone_text:  # the city masked it: nothing we could call
            phone_text = ""
        try:
            phone = validate.phone("contact_phone", phone_text, "联系电话", required=False)
        except DomainError as exc:
            bad(exc.message)
            continue
        deadline = None
        if _text(cells.get("deadline")):
            try:
                deadline = _deadline(cells["deadline"], received)
            except ValueError:
                bad(f"办理时限“{_text(cells['deadline'])}”看不懂，应为日期或工作日天数。")
                continue
            if deadline < received.date():
                bad("办理时限早于受理时间。")
                continue
        target = windows.get(_text(cells.get("category")))
        suggested = False
        if target is None and window is None:  # no category, no window named for the rest
            guess = suggest.confident_window(text)
            target = next((w for w in windows.values() if w.id == guess), None)
            suggested = target is not None
        target = target or fallback
        preview.new.append(
            OrderRow(
                row=number,
                order_number=order,
                received_at=received,
                text=text,
                contact_name=_text(cells.get("contact_name")),
                contact_phone=phone,
                address=_text(cells.get("address")),
                deadline=deadline,
                window_id=target.id,
                window=target.name,
                raw=raw,
                suggested=suggested,
            )
        )
    return preview


def apply(
    preview: Preview, *, first_responder: Staff | int, actor: Staff | None = None
) -> ImportResult:
    """Register every new order of a clean preview in one transaction, or none."""
    permissions.require(actor, "city_orders.import")
    if preview.bad:
        shown = "\n".join(str(b) for b in preview.bad[:20])
        more = f"\n……另有 {len(preview.bad) - 20} 行" if len(preview.bad) > 20 else ""
        raise DomainError(
            "file",
            f"有 {len(preview.bad)} 行有问题，整个文件没有导入。请改正后重新导入：\n{shown}{more}",
        )
    created: list[tuple[str, str]] = []
    skipped = len(preview.existing)
    with database_proxy.atomic():
        taken = (
            set(
                CityOrder.select(CityOrder.order_number)
                .where(CityOrder.order_number.in_([r.order_number for r in preview.new]))
                .scalars()
            )
            if preview.new
            else set()
        )
        for row in preview.new:
            if row.order_number in taken:  # imported by someone else since the preview
                skipped += 1
                continue
            try:
                change = cases.take_in(
                    channel=Channel.CITY_HOTLINE,
                    text=row.text,
                    window=row.window_id,
                    first_responder=first_responder,
                    contact_name=row.contact_name or ("" if row.contact_phone else "匿名"),
                    contact_phone=row.contact_phone,
                    address=row.address,
                    taken_at=row.received_at,
                    actor=actor,
                )
            except DomainError as exc:
                raise DomainError(
                    exc.field,
                    f"第 {row.row} 行（{row.order_number}）：{exc.message} 整个文件没有导入。",
                ) from None
            CityOrder.create(
                case=change.case,
                order_number=row.order_number,
                received_on=row.received_at,
                deadline=row.deadline,
                raw=json.dumps(row.raw, ensure_ascii=False),
            )
            created.append((row.order_number, change.case.number))
    return ImportResult(created, skipped)


REPLY_COLUMNS = [
    ("工单编号", 22), ("社区受理编号", 14), ("办理状态", 10), ("办理类型", 10), ("办理结果", 50),
    ("答复方式", 10), ("答复内容", 50), ("答复日期", 12), ("满意度", 10), ("城市办理时限", 12),
]  # fmt: skip


def reply_rows(
    community: Community | int, start: dt.date | None = None, end: dt.date | None = None
) -> list[list[Any]]:
    """One row per work order received in the period (all when no period), oldest first."""
    query = (
        CityOrder.select(CityOrder, Case)
        .join(Case)
        .where(Case.community == community)
        .order_by(CityOrder.received_on, CityOrder.id)
    )
    if start:
        query = query.where(CityOrder.received_on >= dt.datetime.combine(start, dt.time()))
    if end:
        query = query.where(
            CityOrder.received_on < dt.datetime.combine(end + dt.timedelta(days=1), dt.time())
        )
    out = []
    for order in query:
        c = order.case
        out.append(
            [
                order.order_number,
                c.number,
                label_of(Stage, c.stage),
                label_of(Disposition, c.disposition),
                c.outcome,
                label_of(ReplyMethod, c.reply_method),
                c.reply_text,
                c.replied_on,
                label_of(Satisfaction, c.satisfaction),
                order.deadline,
            ]
        )
    return out


def export_replies(
    path: str | Path,
    community: Community | int,
    start: dt.date | None = None,
    end: dt.date | None = None,
    *,
    actor: Staff | None = None,
) -> int:
    """The replies as the city takes them back; returns the number of orders written."""
    permissions.require(actor, "city_orders.import")
    if start and end and start > end:
        raise DomainError("start", "开始日期不能晚于结束日期。")
    rows = reply_rows(community, start, end)
    return write_table(path, "12345工单答复", REPLY_COLUMNS, rows, len(rows), actor=actor)


def order_for_case(case: Case | int) -> CityOrder | None:
    return CityOrder.get_or_none(CityOrder.case == case)
