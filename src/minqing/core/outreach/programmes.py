"""Card programmes (五彩连心卡): who is eligible (from tags, in SQL), enrolment, card issue.

The plain 民情连心卡 goes to every household and needs no enrolment; its cards carry no
programme. A card's serial is unique; a reissue gets a new serial and points at the old card.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from peewee import JOIN

from minqing.core import validate
from minqing.core.accounts import permissions
from minqing.core.enums import ResidentTag as StandardTag
from minqing.core.errors import DomainError, NotFound
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
from minqing.core.registry.models import CardIssue, Enrolment, Programme
from minqing.core.registry.services import ADDRESS_ORDER, clean_tags, get_household, get_resident

PLAIN_KEY = "plain"


def programmes(active_only: bool = True) -> list[Programme]:
    query = Programme.select().order_by(Programme.sort, Programme.id)
    if active_only:
        query = query.where(Programme.active == True)  # noqa: E712
    return list(query)


def get_programme(value: Programme | int | str) -> Programme:
    """By row, id, key or title (橙色夕阳卡, 夕阳, sunset)."""
    if isinstance(value, Programme):
        return value
    text = str(value).strip()
    rows = programmes(active_only=False)
    for p in rows:
        if text in (str(p.id), p.key, p.title):
            return p
    for p in rows:
        if len(text) >= 2 and text in p.title:
            return p
    names = "、".join(f"{p.key}（{p.title}）" for p in rows)
    raise NotFound(f"没有名为“{text}”的连心卡。可选：{names}")


def is_plain(programme: Programme) -> bool:
    return programme.key == PLAIN_KEY


def tag_values(programme: Programme) -> list[str]:
    """The stored tag texts that qualify: labels, and the codes older files may hold."""
    values = list(programme.tag_list)
    for label in programme.tag_list:
        values += [t.value for t in StandardTag if t.label == label]
    return values


def edit_programme(
    programme: Programme | int | str, *, actor: Staff | None = None, **values: Any
) -> Programme:
    """Title, colour, audience, services (lines), tags (labels), active: only the keys given."""
    permissions.require(actor, "programme.setup")
    row = get_programme(programme)
    changes: dict[str, Any] = {}
    if "title" in values:
        changes["title"] = validate.required_text("title", values["title"], "名称", 20)
    if "colour" in values:
        colour = validate.clean(values["colour"]).upper()
        if not re.fullmatch(r"#[0-9A-F]{6}", colour):
            raise DomainError("colour", f"颜色“{values['colour']}”应写成 #EF6C00 的样子。")
        changes["colour"] = colour
    if "audience" in values:
        changes["audience"] = validate.optional_text("audience", values["audience"], "服务对象", 60)
    if "services" in values:
        lines = _lines(values["services"])
        if not lines:
            raise DomainError("services", "请至少写一项服务内容（每行一项）。")
        changes["services"] = "\n".join(lines)
    if "tags" in values:
        tags = clean_tags(_lines(values["tags"]))
        if not tags and not is_plain(row):
            raise DomainError("tags", "请至少选一个对象标签，程序据此提出符合条件的居民。")
        changes["tags"] = "\n".join(tags)
    if "active" in values:
        changes["active"] = bool(values["active"])
    with database_proxy.atomic():
        Programme.update(**changes).where(Programme.id == row.id).execute()
    return Programme.get_by_id(row.id)


def _lines(value: str | Iterable[str]) -> list[str]:
    items = value.splitlines() if isinstance(value, str) else list(value)
    return [s.strip() for s in items if s and s.strip()]


def _enrolled_households(programme: Programme) -> Any:
    return Enrolment.select(Enrolment.household).where(
        (Enrolment.programme == programme) & Enrolment.ended_on.is_null()
    )


@dataclass
class Eligible:
    resident_id: int
    name: str
    household_id: int
    address: str
    grid: str
    tags: list[str]


def eligible_query(programme: Programme, grid: Grid | int | None = None) -> Any:
    """Active residents with a qualifying tag whose household isn't enrolled yet."""
    tagged = ResidentTag.select(ResidentTag.resident).where(
        ResidentTag.tag.in_(tag_values(programme))
    )
    query = (
        Resident.select(
            Resident.id,
            Resident.name,
            Household.id,
            Household.courtyard,
            Household.building,
            Household.unit,
            Household.door,
            Grid.name,
        )
        .join(Household, on=(Resident.household == Household.id))
        .join(Grid, JOIN.LEFT_OUTER, on=(Household.grid == Grid.id))
        .where(
            (Resident.status == "active")
            & Resident.id.in_(tagged)
            & Household.id.not_in(_enrolled_households(programme))
        )
    )
    if grid is not None:
        query = query.where(Household.grid == grid)
    return query


def eligible(
    programme: Programme | int | str, grid: Grid | int | None = None, limit: int | None = None
) -> list[Eligible]:
    prog = get_programme(programme)
    if is_plain(prog):
        return []
    query = eligible_query(prog, grid).order_by(Grid.sort, *ADDRESS_ORDER, Resident.id)
    if limit:
        query = query.limit(limit)
    rows = list(query.tuples())
    wanted = set(tag_values(prog))
    tags: dict[int, list[str]] = {r[0]: [] for r in rows}
    for rid, tag in (
        ResidentTag.select(ResidentTag.resident, ResidentTag.tag)
        .where(ResidentTag.resident.in_(list(tags)))
        .tuples()
    ):
        if tag in wanted:
            tags[rid].append(tag)
    return [
        Eligible(rid, name, hid, format_address(c, b, u, d), grid_name or "", tags[rid])
        for rid, name, hid, c, b, u, d, grid_name in rows
    ]


def count_eligible(programme: Programme | int | str) -> int:
    prog = get_programme(programme)
    return 0 if is_plain(prog) else eligible_query(prog).count()


def _day(on: dt.date | str | None) -> dt.date:
    day = validate.date_value("date", on, "日期") or dt.date.today()
    if day > dt.date.today():
        raise DomainError("date", "日期不能晚于今天。")
    return day


def enrol(
    programme: Programme | int | str,
    *,
    household: Household | int | None = None,
    resident: Resident | int | None = None,
    on: dt.date | str | None = None,
    by: Staff | int | None = None,
    note: str = "",
    actor: Staff | None = None,
) -> Enrolment:
    """Take a resident (and so their household) or a whole household into a programme."""
    permissions.require(actor, "programme.edit")
    prog = get_programme(programme)
    if is_plain(prog):
        raise DomainError("programme", "民情连心卡发给每一户，不需要登记。")
    person = get_resident(resident) if resident not in (None, "") else None
    if person is not None and person.status != "active":
        raise DomainError("resident", f"{person.name} 已不在册，不能登记。")
    if person is not None and not person.household_id:
        raise DomainError("resident", f"{person.name} 没有登记住户，请先把他/她登记到一户。")
    home = get_household(
        household if household not in (None, "") else person.household_id if person else 0
    )
    if person is not None and person.household_id != home.id:
        raise DomainError("resident", f"{person.name} 不是这一户的居民。")
    day = _day(on)
    with database_proxy.atomic():
        same = Enrolment.select().where(
            (Enrolment.programme == prog)
            & (Enrolment.household == home)
            & Enrolment.ended_on.is_null()
        )
        if person is not None:
            same = same.where((Enrolment.resident == person) | Enrolment.resident.is_null())
        if same.exists():
            raise DomainError("programme", f"{home.address} 已在{prog.title}的服务名单中。")
        return Enrolment.create(
            programme=prog,
            household=home,
            resident=person,
            enrolled_on=day,
            by=by,
            note=validate.optional_text("note", note, "备注", 200),
        )


def end_enrolment(
    enrolment: Enrolment | int, on: dt.date | str | None = None, *, actor: Staff | None = None
) -> Enrolment:
    permissions.require(actor, "programme.edit")
    row = enrolment if isinstance(enrolment, Enrolment) else Enrolment.get_by_id(int(enrolment))
    day = _day(on)
    if day < row.enrolled_on:
        raise DomainError("date", "结束日期不能早于登记日期。")
    Enrolment.update(ended_on=day).where(Enrolment.id == row.id).execute()
    return Enrolment.get_by_id(row.id)


def enrolments(programme: Programme | int | str, grid: Grid | int | None = None) -> list[Enrolment]:
    prog = get_programme(programme)
    query = (
        Enrolment.select(Enrolment, Household, Resident)
        .join(Household, on=(Enrolment.household == Household.id))
        .switch(Enrolment)
        .join(Resident, JOIN.LEFT_OUTER, on=(Enrolment.resident == Resident.id))
        .where((Enrolment.programme == prog) & Enrolment.ended_on.is_null())
        .order_by(*ADDRESS_ORDER)
    )
    if grid is not None:
        query = query.where(Household.grid == grid)
    return list(query)


# --- cards ---------------------------------------------------------------------------------


def _prefix(prog: Programme, day: dt.date) -> str:
    """CS26-: the programme's code and the year; the household number follows."""
    return f"{prog.code or prog.key[:2].upper()}{day.year % 100:02d}-"


def _serial_base(prog: Programme, household_id: int, day: dt.date) -> str:
    return f"{_prefix(prog, day)}{household_id:05d}"


def _next_serial(base: str, taken: set[str]) -> str:
    serial, n = base, 1
    while serial in taken:
        n += 1
        serial = f"{base}-{n}"
    taken.add(serial)
    return serial


def _taken(prefix: str) -> set[str]:
    return {
        c.serial
        for c in CardIssue.select(CardIssue.serial).where(CardIssue.serial.startswith(prefix))
    }


def current_cards_query(prog: Programme) -> Any:
    """Cards of this programme still in hand: not replaced by a reissue."""
    replaced = CardIssue.select(CardIssue.reissue_of).where(CardIssue.reissue_of.is_null(False))
    where = CardIssue.programme.is_null() if is_plain(prog) else CardIssue.programme == prog
    return CardIssue.select().where(where & CardIssue.id.not_in(replaced))


def _issuer(by: Staff | int | None, actor: Staff | None) -> Staff | int | None:
    """Who handed the card out is the signed-in person: naming someone else is refused (the
    record would say another person did it). Without accounts (actor None) `by` stands."""
    if actor is None:
        return by
    named = by.id if isinstance(by, Staff) else by
    if named not in (None, "", actor.id):
        other = Staff.get_or_none(Staff.id == named)
        raise DomainError(
            "staff",
            f"发卡人记为登录的{actor.name}，不能记成{other.name if other else named}。"
            "请去掉发卡人，或用那位工作人员的账号登录。",
        )
    return actor


def issue_card(
    programme: Programme | int | str,
    household: Household | int,
    *,
    resident: Resident | int | None = None,
    on: dt.date | str | None = None,
    by: Staff | int | None = None,
    reissue_of: CardIssue | int | None = None,
    reason: str = "",
    actor: Staff | None = None,
) -> CardIssue:
    """Record one card handed to a household (a programme's card needs the household enrolled)."""
    permissions.require(actor, "programme.edit")
    by = _issuer(by, actor)
    prog = get_programme(programme)
    home = get_household(household)
    day = _day(on)
    old = None
    if reissue_of is not None:
        old = (
            reissue_of
            if isinstance(reissue_of, CardIssue)
            else CardIssue.get_or_none(CardIssue.id == int(reissue_of))
        )
        if old is None or old.household_id != home.id:
            raise DomainError("reissue_of", "要补发的原卡不属于这一户。")
        if CardIssue.select().where(CardIssue.reissue_of == old).exists():
            raise DomainError("reissue_of", f"卡 {old.serial} 已经补发过了，请补发最新的那张。")
        reason = validate.required_text("reason", reason, "补发原因", 100)
    if (
        not is_plain(prog)
        and not _enrolled_households(prog).where(Enrolment.household == home).exists()
    ):
        raise DomainError("household", f"{home.address} 还没有登记到{prog.title}，请先登记再发卡。")
    with database_proxy.atomic():
        base = _serial_base(prog, home.id, day)
        serial = _next_serial(base, _taken(base))
        return CardIssue.create(
            programme=None if is_plain(prog) else prog,
            household=home,
            resident=resident or None,
            serial=serial,
            issued_on=day,
            issued_by=by,
            reissue_of=old,
            reason=validate.optional_text("reason", reason, "原因", 100),
        )


def reissue(
    card: CardIssue | int,
    reason: str,
    on: dt.date | str | None = None,
    by: Staff | int | None = None,
    *,
    actor: Staff | None = None,
) -> CardIssue:
    old = card if isinstance(card, CardIssue) else CardIssue.get_by_id(int(card))
    prog = old.programme if old.programme_id else get_programme(PLAIN_KEY)
    household, resident = old.household_id, old.resident_id
    return issue_card(
        prog, household, resident=resident, on=on, by=by, reissue_of=old, reason=reason, actor=actor
    )


def households_to_issue(
    programme: Programme | int | str, community: Community | int, grid: Grid | int | None = None
) -> list[int]:
    """Households that should hold this programme's card and hold none, in address order."""
    prog = get_programme(programme)
    holders = current_cards_query(prog).select(CardIssue.household)
    query = Household.select(Household.id).where(
        (Household.community == community) & Household.id.not_in(holders)
    )
    if not is_plain(prog):
        query = query.where(Household.id.in_(_enrolled_households(prog)))
    else:
        alive = Resident.select(Resident.household).where(Resident.status == "active")
        query = query.where(Household.id.in_(alive))
    if grid is not None:
        query = query.where(Household.grid == grid)
    return [h.id for h in query.order_by(*ADDRESS_ORDER)]


def issue_cards(
    programme: Programme | int | str,
    community: Community | int,
    grid: Grid | int | None = None,
    *,
    on: dt.date | str | None = None,
    by: Staff | int | None = None,
    actor: Staff | None = None,
) -> list[CardIssue]:
    """Batch issue: one card for each household still without one, in one transaction."""
    permissions.require(actor, "programme.edit")
    by = _issuer(by, actor)
    prog = get_programme(programme)
    day = _day(on)
    with database_proxy.atomic():
        ids = households_to_issue(prog, community, grid)
        taken = _taken(_prefix(prog, day))
        rows = [
            dict(
                programme=None if is_plain(prog) else prog.id,
                household=hid,
                serial=_next_serial(_serial_base(prog, hid, day), taken),
                issued_on=day,
                issued_by=by.id if isinstance(by, Staff) else by,
                reason="",
            )
            for hid in ids
        ]
        for start in range(0, len(rows), 500):
            CardIssue.insert_many(rows[start : start + 500]).execute()
        serials = {r["serial"] for r in rows}
        same_day = CardIssue.select().where(CardIssue.issued_on == day).order_by(CardIssue.id)
        return [c for c in same_day if c.serial in serials]


@dataclass
class ProgrammeSummary:
    programme: Programme
    enrolled: int
    eligible: int
    cards: int
    without_card: int


def summary(programme: Programme | int | str, community: Community | int) -> ProgrammeSummary:
    prog = get_programme(programme)
    return ProgrammeSummary(
        programme=prog,
        enrolled=0 if is_plain(prog) else _enrolled_households(prog).distinct().count(),
        eligible=count_eligible(prog),
        cards=current_cards_query(prog).count(),
        without_card=len(households_to_issue(prog, community)),
    )


def count_households_without_plain_card(community: Community | int) -> int:
    return len(households_to_issue(PLAIN_KEY, community))


def latest_serials(programme: Programme | int | str, household_ids: list[int]) -> dict[int, str]:
    """The serial of each household's current card of this programme (for the printed card)."""
    prog = get_programme(programme)
    out: dict[int, str] = {}
    query = (
        current_cards_query(prog)
        .select(CardIssue.household, CardIssue.serial)
        .order_by(CardIssue.id)
    )
    if len(household_ids) < 900:
        query = query.where(CardIssue.household.in_(household_ids))
    for row in query:
        out[row.household_id] = row.serial
    return out


def card_by_serial(serial: str) -> CardIssue:
    card = CardIssue.get_or_none(CardIssue.serial == serial)
    if card is None:
        raise NotFound(f"找不到编号为“{serial}”的卡。")
    return card
