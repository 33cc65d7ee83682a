"""Loaders: read the database into the documents' plain dataclasses.

The documents never touch peewee, so they are tested without a database; these functions
are the only place that knows both sides.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from peewee import JOIN

from minqing.core.accounts import permissions
from minqing.core.cases import queries
from minqing.core.enums import Channel, Disposition, Stage, label_of
from minqing.core.errors import DomainError, NotFound
from minqing.core.models import (
    Case,
    Community,
    Grid,
    Household,
    Resident,
    ResidentTag,
    Staff,
    Window,
    database_proxy,
)
from minqing.core.outreach import programmes as programme_service
from minqing.core.privacy import mask_phone, mask_phones_in_text
from minqing.core.registry.models import Enrolment
from minqing.core.registry.models import Programme as ProgrammeRow
from minqing.core.registry.services import ADDRESS_ORDER
from minqing.core.validate import format_phone
from minqing.printing import cards as card_sheet
from minqing.printing.cards import CardData, Programme
from minqing.printing.common import Office, chinese_date, chinese_period
from minqing.printing.fonts import set_no_break_words
from minqing.printing.receipt import ReceiptData
from minqing.printing.register import RegisterRow

ISSUER_KEYS = ("print.issuer_committee", "print.issuer_branch")
BRANCH_PLEDGES_KEY = "commitments.branch_pledges"
NO_BREAK_KEY = "print.no_break_words"  # the office's own unbreakable words, "、"-separated


def load_office(community: Community) -> Office:
    from minqing.core import settings

    places = tuple(p.strip() for p in (community.mailbox_places or "").splitlines() if p.strip())
    words = settings.get(NO_BREAK_KEY) or ""
    if words:
        set_no_break_words(words.replace(",", "、").split("、"))
    return Office(
        committee=settings.get(ISSUER_KEYS[0]) or "",
        branch=settings.get(ISSUER_KEYS[1]) or "",
        name=community.name,
        hotline=format_phone(community.hotline),
        hotline2=format_phone(community.hotline2),
        mailbox_places=places,
        reception_day=community.reception_day,
        online_group=community.online_group,
        street_office=community.street_office,
        address=community.address,
    )


def household_code(community_id: int, grid_sort: int | None, household_id: int) -> str:
    """Community–grid–household (01-01-00053): the household's code, carried in the card's
    QR code as `UID:minqing:hh:<code>`; the last part is the household's id."""
    grid_no = (grid_sort if grid_sort is not None else 0) + 1
    return f"{community_id:02d}-{grid_no:02d}-{household_id:05d}"


DEFAULT_OPENING = "每天上午开箱"


def mailbox_places(office: Office) -> list[tuple[str, str]]:
    """(place, opening time) per line of the community's 民情信箱 list; a line may give its
    own time after “｜” (中和街21号楼道｜每天上午开箱), else the default."""
    out = []
    for line in office.mailbox_places:
        place, _, opening = line.replace("|", "｜").partition("｜")
        if place.strip():
            out.append((place.strip(), opening.strip() or DEFAULT_OPENING))
    return out


def nearest_mailbox(places: list[tuple[str, str]], courtyard: str, building: str = "") -> str:
    """The mailbox at the household's own building, else in its courtyard, else the first."""
    if not places:
        return ""
    best = places[0]
    for place, opening in places:
        if courtyard and place.startswith(courtyard):
            if building and place[len(courtyard) :].startswith(f"{building}号楼"):
                best = (place, opening)
                break
            if best is places[0] and not places[0][0].startswith(courtyard):
                best = (place, opening)
    return f"{best[0]}（{best[1]}）"


def find_grid(community: Community, name_or_id: str | int) -> Grid:
    text = str(name_or_id).strip()
    query = Grid.select().where(Grid.community == community)
    grid = (
        query.where(Grid.id == int(text)).first()
        if text.isdigit()
        else query.where(Grid.name == text).first()
    )
    if grid is None:
        names = "、".join(g.name for g in query.order_by(Grid.sort))
        raise NotFound(f"找不到片区“{text}”。可选：{names or '（还没有片区）'}")
    return grid


def load_programmes() -> tuple[Programme, ...]:
    """The office's programmes as edited in the database (the defaults when none is open)."""
    database = database_proxy.obj
    if database is None or database.is_closed():
        return (card_sheet.PLAIN, *card_sheet.DEFAULT_PROGRAMMES)
    return tuple(
        Programme(
            key=p.key,
            title=p.title,
            audience=p.audience,
            colour=card_sheet.current_colour(p.key, p.colour),
            services=tuple(p.service_list),
            tags=tuple(programme_service.tag_values(p)),
        )
        for p in programme_service.programmes()
    )


card_sheet.set_programme_source(load_programmes)


def _programme_households(programme: Programme) -> Any:
    """Enrolled households; an office that doesn't enrol yet gets the tagged ones."""
    row = ProgrammeRow.get_or_none(ProgrammeRow.key == programme.key)
    if row is not None:
        enrolled = Enrolment.select(Enrolment.household).where(
            (Enrolment.programme == row) & Enrolment.ended_on.is_null()
        )
        if enrolled.exists():
            return enrolled
    return (
        Resident.select(Resident.household)
        .join(ResidentTag)
        .where((ResidentTag.tag.in_(list(programme.tags))) & (Resident.status == "active"))
    )


def load_cards(
    community: Community, grid: Grid | None = None, programme: Programme | None = None
) -> list[CardData]:
    """Households in address order; for a programme, its households. A household holding an
    issued card gets that card's serial printed."""
    query = (
        Household.select(Household, Grid, Staff)
        .join(Grid, JOIN.LEFT_OUTER, on=(Household.grid == Grid.id))
        .join(Staff, JOIN.LEFT_OUTER, on=(Grid.staff == Staff.id))
        .where(Household.community == community)
        .order_by(Grid.sort, *ADDRESS_ORDER)
    )
    if grid is not None:
        query = query.where(Household.grid == grid)
    key = programme.key if programme is not None else card_sheet.PLAIN.key
    if programme is not None and programme.tags:
        query = query.where(Household.id.in_(_programme_households(programme)))
    rows = list(query)
    serials = (
        programme_service.latest_serials(key, [r.id for r in rows])
        if ProgrammeRow.select().where(ProgrammeRow.key == key).exists()
        else {}
    )
    office = load_office(community)
    places = mailbox_places(office)
    cards = []
    for row in rows:
        g = row.grid if row.grid_id else None
        staff = g.staff if g is not None and g.staff_id else None
        cards.append(
            CardData(
                serial=serials.get(row.id, ""),
                grid=g.name if g else "",
                staff=staff.name if staff else "",
                line=(g.line or (staff.phone if staff else "")) if g else "",
                address=row.address,
                household=household_code(community.id, g.sort if g else None, row.id),
                mailbox=nearest_mailbox(places, row.courtyard, row.building),
            )
        )
    return cards


def card_offsets() -> tuple[tuple[float, float], tuple[float, float]]:
    """The stored front and back offsets (mm) from the calibration sheet."""
    from minqing.core import settings

    def read(key: str) -> tuple[float, float]:
        try:
            dx, dy = (float(v) for v in (settings.get(key) or "0,0").split(","))
        except ValueError:
            return 0.0, 0.0
        return dx, dy

    return read(OFFSET_KEYS[0]), read(OFFSET_KEYS[1])


OFFSET_KEYS = ("print.card_offset_front", "print.card_offset_back")
LAYOUT_KEY = "print.card_layout"


def card_layout() -> str:
    """The card stock last chosen (a key of cards.LAYOUTS)."""
    from minqing.core import settings

    key = settings.get(LAYOUT_KEY) or card_sheet.DEFAULT_LAYOUT.key
    return key if key in card_sheet.LAYOUTS else card_sheet.DEFAULT_LAYOUT.key


def save_card_settings(
    layout: str | None, front: tuple[float, float], back: tuple[float, float]
) -> None:
    """The print dialog's stock and offsets, kept for every later card print."""
    from minqing.core import settings

    if layout:
        settings.put(LAYOUT_KEY, card_sheet.find_layout(layout).key)
    save_card_offsets(front, back)


def save_card_offsets(front: tuple[float, float], back: tuple[float, float]) -> None:
    from minqing.core import settings

    for key, (dx, dy) in zip(OFFSET_KEYS, (front, back), strict=True):
        for value in (dx, dy):
            if abs(value) > 10:
                raise DomainError("offset", "偏移应在 −10 到 10 毫米之间，请重新量一下。")
        settings.put(key, f"{dx:.1f},{dy:.1f}")


def load_receipt(number_or_id: str | int, actor: Staff | None = None) -> tuple[Office, ReceiptData]:
    text = str(number_or_id).strip()
    case = Case.get_or_none(Case.number == text)
    if case is None and text.isdigit():
        case = Case.get_or_none(Case.id == int(text))
    if case is None:
        raise NotFound(f"找不到受理编号为“{text}”的民情。")
    responder = case.first_responder

    def shown(text: str) -> str:
        return permissions.shown_text(actor, text, case)

    return load_office(case.community), ReceiptData(
        number=case.number,
        intake_date=case.intake_date,
        channel=label_of(Channel, case.channel),
        window=case.window.name,
        text=shown(case.text),
        first_responder=responder.name,
        responder_line=responder.phone,
        contact_name=case.contact_name or (case.resident.name if case.resident_id else ""),
        due_date=case.due_date,
        disposition=Disposition(case.disposition) if case.disposition else None,
        materials_needed=shown(case.materials_needed),
        escalated_to=case.escalated_to,
        escalation_days=case.escalation_days,
        return_reason=shown(case.return_reason),
        promised_date=case.promised_date,
        urgent=case.urgent,
    )


def describe_filter(f: queries.CaseFilter) -> str:
    """The filter in the words the case list shows, for the register's header."""
    parts = []
    if f.date_from and f.date_to:
        parts.append(f"受理日期：{chinese_period(f.date_from, f.date_to)}")
    elif f.date_from:
        parts.append(f"受理日期：{chinese_date(f.date_from)}起")
    elif f.date_to:
        parts.append(f"受理日期：至{chinese_date(f.date_to)}")
    if f.window_id:
        window = Window.get_or_none(Window.id == f.window_id)
        parts.append(f"窗口：{window.name if window else f.window_id}")
    if f.grid_id:
        grid = Grid.get_or_none(Grid.id == f.grid_id)
        parts.append(f"片区：{grid.name if grid else f.grid_id}")
    if f.owner_id:
        owner = Staff.get_or_none(Staff.id == f.owner_id)
        parts.append(f"责任人：{owner.name if owner else f.owner_id}")
    if f.channel:
        parts.append(f"渠道：{label_of(Channel, f.channel)}")
    if f.stage:
        parts.append(f"状态：{label_of(Stage, f.stage)}")
    if f.disposition:
        parts.append(f"类型：{label_of(Disposition, f.disposition)}")
    if f.overdue:
        parts.append("仅超期")
    if f.urgent:
        parts.append("仅紧急")
    if f.text.strip():
        parts.append(f"搜索：“{f.text.strip()}”")
    return "；".join(parts) or "全部民情"


_CHUNK = 500  # ids per IN (…): well under SQLite's bound-parameter limit


def load_register(
    f: queries.CaseFilter,
    *,
    sort: str = "number",
    descending: bool = False,
    mask_personal: bool = True,
) -> list[RegisterRow]:
    """The cases the list shows for this filter, in the list's order (queries.case_ids).

    Phones are masked unless the caller may see them: the register is often left on a desk."""
    if f.date_from and f.date_to and f.date_from > f.date_to:
        raise DomainError("date_from", "开始日期不能晚于结束日期。")
    ids = queries.case_ids(f, sort, descending)
    found: dict[int, Case] = {}
    for i in range(0, len(ids), _CHUNK):
        chunk = ids[i : i + _CHUNK]
        found.update(
            (c.id, c) for c in Case.select(Case, Window).join(Window).where(Case.id.in_(chunk))
        )
    staff = {s.id: s.name for s in Staff.select(Staff.id, Staff.name)}
    resident_ids = list({c.resident_id for c in found.values() if c.resident_id})
    residents: dict[int, tuple[str, str]] = {}
    for i in range(0, len(resident_ids), _CHUNK):
        residents.update(
            (r.id, (r.name, r.phone or ""))
            for r in Resident.select(Resident.id, Resident.name, Resident.phone).where(
                Resident.id.in_(resident_ids[i : i + _CHUNK])
            )
        )
    rows = []
    for case_id in ids:
        c = found.get(case_id)
        if c is None:
            continue
        name, phone = residents.get(c.resident_id, ("", "")) if c.resident_id else ("", "")
        phone = c.contact_phone or phone
        rows.append(
            RegisterRow(
                number=c.number,
                intake_date=c.intake_date,
                channel=label_of(Channel, c.channel),
                name=c.contact_name or name,
                phone=mask_phone(phone) if mask_personal else phone,
                address=c.address,
                window=c.window.name,
                text=mask_phones_in_text(c.text) if mask_personal else c.text,
                disposition=label_of(Disposition, c.disposition),
                first_responder=staff.get(c.first_responder_id, ""),
                owner=staff.get(c.owner_id, ""),
                due_date=c.due_date,
                stage=label_of(Stage, c.stage),
                urgent=c.urgent,
            )
        )
    return rows


@dataclass(frozen=True)
class PrintSettings:
    committee: str
    branch: str
    branch_pledges: tuple[str, ...]
    no_break_words: tuple[str, ...]
    card_layout: str
    offsets: tuple[tuple[float, float], tuple[float, float]]


def print_settings() -> PrintSettings:
    from minqing.core import settings

    return PrintSettings(
        committee=settings.get(ISSUER_KEYS[0]) or "",
        branch=settings.get(ISSUER_KEYS[1]) or "",
        branch_pledges=tuple(
            p.strip() for p in (settings.get(BRANCH_PLEDGES_KEY) or "").splitlines() if p.strip()
        ),
        no_break_words=tuple(w for w in (settings.get(NO_BREAK_KEY) or "").split("、") if w),
        card_layout=card_layout(),
        offsets=card_offsets(),
    )


def save_print_settings(
    *,
    committee: str | None = None,
    branch: str | None = None,
    branch_pledges: list[str] | None = None,
    no_break_words: list[str] | None = None,
) -> None:
    """The issuers printed on official sheets, the branch's own pledges and the office's
    unbreakable words; None leaves a value as it is, "" or [] goes back to the default."""
    from minqing.core import settings
    from minqing.core.validate import optional_text

    if committee is not None:
        settings.put(ISSUER_KEYS[0], optional_text("committee", committee, "发文单位", 40))
    if branch is not None:
        settings.put(ISSUER_KEYS[1], optional_text("branch", branch, "党组织名称", 40))
    if branch_pledges is not None:
        pledges = [optional_text("pledge", p, "党组织承诺", 120) for p in branch_pledges]
        settings.put(BRANCH_PLEDGES_KEY, "\n".join(p for p in pledges if p))
    if no_break_words is not None:
        words = [w.strip() for w in no_break_words if w.strip()]
        if any(len(w) < 2 or len(w) > 12 for w in words):
            raise DomainError("no_break_words", "不拆开的词应为 2 到 12 个字。")
        settings.put(NO_BREAK_KEY, "、".join(words))
