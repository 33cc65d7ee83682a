"""民情日记: leaders write down what they heard; an entry becomes a case with one action.

The entry keeps a link to its case, so the diary shows what each entry led to and an entry
cannot be registered twice.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from peewee import JOIN

from minqing.core import validate
from minqing.core.accounts import permissions
from minqing.core.cases import services as cases
from minqing.core.enums import Channel, Stage
from minqing.core.errors import DomainError, NotFound
from minqing.core.models import Case, Community, Staff, Window, database_proxy
from minqing.core.outreach.models import DiaryEntry


@dataclass(frozen=True)
class EntryRow:
    """An entry as the diary list shows it, with the case it led to (if any)."""

    id: int
    written_on: dt.date
    author: str
    text: str
    case_id: int | None
    case_number: str
    case_stage: str  # the stage's label, empty without a case


def _author(value: Staff | int) -> Staff:
    staff = value if isinstance(value, Staff) else Staff.get_or_none(Staff.id == int(value))
    if staff is None:
        raise NotFound(f"找不到工作人员（编号 {value}）。")
    return staff


def get_entry(entry: DiaryEntry | int) -> DiaryEntry:
    row = DiaryEntry.get_or_none(
        DiaryEntry.id == (entry.id if isinstance(entry, DiaryEntry) else int(entry))
    )
    if row is None:
        raise NotFound(f"找不到这条民情日记（编号 {entry}）。")
    return row


def write(
    author: Staff | int,
    text: str,
    written_on: dt.date | str | None = None,
    *,
    actor: Staff | None = None,
) -> DiaryEntry:
    """A new entry in the author's community; the date may be earlier (written up later)."""
    permissions.require(actor, "diary.write")
    person = _author(author)
    body = validate.required_text("text", text, "日记内容", validate.MAX_TEXT)
    day = validate.date_value("written_on", written_on, "日记日期") or dt.date.today()
    if day > dt.date.today():
        raise DomainError("written_on", "日记日期不能晚于今天。")
    return DiaryEntry.create(
        community=person.community_id, written_on=day, author=person, text=body
    )


def edit(
    entry: DiaryEntry | int,
    text: str,
    written_on: dt.date | str | None = None,
    *,
    actor: Staff | None = None,
) -> DiaryEntry:
    permissions.require(actor, "diary.write")
    row = get_entry(entry)
    row.text = validate.required_text("text", text, "日记内容", validate.MAX_TEXT)
    if written_on is not None:
        day = validate.date_value("written_on", written_on, "日记日期")
        if day is None or day > dt.date.today():
            raise DomainError("written_on", "日记日期不能为空，也不能晚于今天。")
        row.written_on = day
    row.save()
    return row


def delete(entry: DiaryEntry | int, *, actor: Staff | None = None) -> None:
    """Only an entry that led to no case: the case's origin must stay traceable."""
    permissions.require(actor, "diary.write")
    row = get_entry(entry)
    if row.case_id is not None:
        raise DomainError(
            "case", f"这条日记已登记为民情 {row.case.number}，不能删除（要能查到民情的来源）。"
        )
    row.delete_instance()


def to_case(
    entry: DiaryEntry | int,
    *,
    window: Window | int,
    first_responder: Staff | int | None = None,
    text: str | None = None,
    actor: Staff | None = None,
    **intake: Any,
) -> cases.CaseChange:
    """Register the entry as a case (channel 民情日记), by default with the author as first
    responder and the entry's text; the link is written in the same transaction."""
    permissions.require(actor, "case.take_in")
    with database_proxy.atomic():
        row = get_entry(entry)
        if row.case_id is not None:
            raise DomainError("case", f"这条日记已经登记为民情 {row.case.number}。")
        if not (
            intake.get("resident") or intake.get("contact_name") or intake.get("contact_phone")
        ):
            intake["contact_name"] = "民情日记"
        change = cases.take_in(
            channel=Channel.DIARY,
            text=text if text and text.strip() else row.text,
            window=window,
            first_responder=first_responder or row.author_id,
            actor=actor,
            **intake,
        )
        updated = (
            DiaryEntry.update(case=change.case.id)
            .where((DiaryEntry.id == row.id) & DiaryEntry.case.is_null())
            .execute()
        )
        if updated != 1:
            raise DomainError("case", "这条日记刚被其他人登记为民情，请刷新后查看。")
    return change


def entries(
    community: Community | int,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
    author: Staff | int | None = None,
    only_open: bool = False,
) -> list[EntryRow]:
    """Newest first. `only_open`: entries that have not become cases."""
    query = (
        DiaryEntry.select(DiaryEntry, Staff.name, Case.number, Case.stage)
        .join(Staff, on=(DiaryEntry.author == Staff.id))
        .switch(DiaryEntry)
        .join(Case, JOIN.LEFT_OUTER, on=(DiaryEntry.case == Case.id))
        .where(DiaryEntry.community == community)
        .order_by(DiaryEntry.written_on.desc(), DiaryEntry.id.desc())
    )
    if start:
        query = query.where(DiaryEntry.written_on >= start)
    if end:
        query = query.where(DiaryEntry.written_on <= end)
    if author:
        query = query.where(DiaryEntry.author == author)
    if only_open:
        query = query.where(DiaryEntry.case.is_null())
    rows = []
    for e in query.objects():
        rows.append(
            EntryRow(
                id=e.id,
                written_on=e.written_on,
                author=e.name,
                text=e.text,
                case_id=e.case_id,
                case_number=e.number or "",
                case_stage=Stage(e.stage).label if e.stage else "",
            )
        )
    return rows


def entry_for_case(case: Case | int) -> DiaryEntry | None:
    """The diary entry a case came from, for the case's detail view."""
    return DiaryEntry.get_or_none(DiaryEntry.case == case)
