"""The tables. Every model binds to one proxy, so `open_database` decides SQLite or PostgreSQL.

Models hold data only; rules and writes live in the service modules (cases, people, ...).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from peewee import (
    SQL,
    BooleanField,
    CharField,
    DatabaseProxy,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)

database_proxy = DatabaseProxy()


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


class BaseModel(Model):
    class Meta:
        database = database_proxy
        legacy_table_names = False


class SchemaVersion(BaseModel):
    version = IntegerField()
    applied_at = DateTimeField(default=_now)
    program = CharField(default="")


class Setting(BaseModel):
    """Small office-wide settings (key → text), e.g. how many backups to keep."""

    key = CharField(primary_key=True)
    value = TextField()


class Community(BaseModel):
    name = CharField()
    street_office = CharField(default="")
    hotline = CharField(default="")
    hotline2 = CharField(default="")
    mailbox_places = TextField(default="")  # one place per line
    reception_day = CharField(default="每周二上午")
    online_group = CharField(default="")
    address = CharField(default="")
    created_at = DateTimeField(default=_now)


class Staff(BaseModel):
    community = ForeignKeyField(Community, backref="staff", on_delete="CASCADE")
    name = CharField()
    phone = CharField(default="")
    role = CharField(default="front_desk")
    active = BooleanField(default=True)


class Grid(BaseModel):
    """片区: an area of households with one responsible staff member and a published line."""

    community = ForeignKeyField(Community, backref="grids", on_delete="CASCADE")
    name = CharField()
    staff = ForeignKeyField(Staff, null=True, backref="grids", on_delete="SET NULL")
    line = CharField(default="")  # 民情专线
    sort = IntegerField(default=0)


class Household(BaseModel):
    community = ForeignKeyField(Community, backref="households", on_delete="CASCADE")
    grid = ForeignKeyField(Grid, null=True, backref="households", on_delete="SET NULL")
    courtyard = CharField()
    building = CharField(default="")
    unit = CharField(default="")
    door = CharField(default="")
    note = TextField(default="")
    created_at = DateTimeField(default=_now)

    class Meta:
        indexes = ((("community", "courtyard", "building", "unit", "door"), True),)

    @property
    def address(self) -> str:
        return format_address(self.courtyard, self.building, self.unit, self.door)


def plain_rows(query: Any) -> list[tuple[Any, ...]]:
    """A query's rows as the database gives them, without peewee's work per row (ids and
    text need no converting; reading thousands of rows, that work is most of the cost)."""
    return list(database_proxy.execute(query).fetchall())


def format_address(courtyard: str, building: str = "", unit: str = "", door: str = "") -> str:
    parts = [courtyard]
    if building:
        parts.append(f"{building}号楼")
    if unit:
        parts.append(f"{unit}单元")
    if door:
        parts.append(f"{door}室")
    return "".join(parts)


# A household's address as columns, in format_address's order (for plain_rows queries).
ADDRESS_COLUMNS = (Household.courtyard, Household.building, Household.unit, Household.door)


class Resident(BaseModel):
    household = ForeignKeyField(Household, null=True, backref="residents", on_delete="SET NULL")
    name = CharField(index=True)
    initials = CharField(default="", index=True)  # pinyin initials of the name, lower case
    phone = CharField(default="", index=True)  # digits only
    id_number = CharField(null=True, unique=True)
    gender = CharField(default="")
    status = CharField(default="active")  # active / moved_away / deceased
    status_date = DateField(null=True)
    note = TextField(default="")
    created_at = DateTimeField(default=_now)


class ResidentTag(BaseModel):
    """A tag on a resident: the source document's (低保, 空巢老人…) or one the office defines."""

    resident = ForeignKeyField(Resident, backref="tags", on_delete="CASCADE")
    tag = CharField(index=True)

    class Meta:
        indexes = ((("resident", "tag"), True),)


class Window(BaseModel):
    """服务窗口: the category a case is routed to. Data, editable per office."""

    name = CharField(unique=True)
    level = CharField(default="community")
    sort = IntegerField(default=0)
    active = BooleanField(default=True)
    keywords = TextField(default="")  # what residents say for it, "、"-separated (suggest.py)


class DeadlineRule(BaseModel):
    """Working days allowed for a disposition, optionally for one window only."""

    window = ForeignKeyField(Window, null=True, on_delete="CASCADE")
    disposition = CharField()
    days = IntegerField()

    class Meta:
        indexes = ((("window", "disposition"), True),)


class CaseCounter(BaseModel):
    """The last number given per community and year; bumped inside the intake transaction."""

    community = ForeignKeyField(Community, on_delete="CASCADE")
    year = IntegerField()
    last = IntegerField(default=0)

    class Meta:
        indexes = ((("community", "year"), True),)


class Case(BaseModel):
    community = ForeignKeyField(Community, backref="cases", on_delete="CASCADE")
    year = IntegerField()
    seq = IntegerField()
    number = CharField(unique=True)
    channel = CharField()
    resident = ForeignKeyField(Resident, null=True, backref="cases", on_delete="SET NULL")
    household = ForeignKeyField(Household, null=True, backref="cases", on_delete="SET NULL")
    contact_name = CharField(default="")
    contact_phone = CharField(default="")
    address = CharField(default="")
    window = ForeignKeyField(Window, backref="cases")
    text = TextField()
    urgent = BooleanField(default=False)
    first_responder = ForeignKeyField(Staff, backref="first_cases")
    owner = ForeignKeyField(Staff, null=True, backref="owned_cases", on_delete="SET NULL")
    disposition = CharField(null=True)
    materials_needed = TextField(default="")
    escalated_to = CharField(default="")
    escalation_days = IntegerField(null=True)
    return_reason = TextField(default="")
    promised_date = DateField(null=True)
    stage = CharField(default="intake", index=True)
    taken_at = DateTimeField(default=_now)
    intake_date = DateField(index=True)
    started_on = DateField()  # the deadline counts from here: intake, or the last reopening
    due_date = DateField(null=True, index=True)
    follow_up_date = DateField(null=True)
    outcome = TextField(default="")  # what was done (办理结果)
    handled_on = DateField(null=True)
    reply_method = CharField(null=True)
    reply_text = TextField(default="")
    replied_on = DateField(null=True)
    posted_on = DateField(null=True)
    # the reviewed public wording, stored when posted (a database default too: bulk inserts
    # such as the demo's name only the columns they fill)
    public_summary = TextField(default="", constraints=[SQL("DEFAULT ''")])
    satisfaction = CharField(null=True)
    reopen_count = IntegerField(default=0)
    closed_at = DateTimeField(null=True)
    version = IntegerField(default=1)
    updated_at = DateTimeField(default=_now)

    class Meta:
        indexes = (
            (("community", "year", "seq"), True),
            (("stage", "due_date"), False),
            (("window", "stage"), False),
            (("owner", "stage"), False),
        )

    @property
    def is_waiting(self) -> bool:
        """Waiting for the resident's materials: the deadline clock is stopped."""
        return (
            MaterialsWait.select()
            .where((MaterialsWait.case == self.id) & MaterialsWait.received_on.is_null())
            .exists()
        )


class MaterialsWait(BaseModel):
    """A period in which the case waits for the resident's materials: those days don't count."""

    case = ForeignKeyField(Case, backref="waits", on_delete="CASCADE")
    materials = TextField()
    requested_on = DateField()
    received_on = DateField(null=True)


class CaseEvent(BaseModel):
    """Append-only history: who did what to a case, with the value before and after."""

    case = ForeignKeyField(Case, backref="events", on_delete="CASCADE")
    at = DateTimeField(default=_now)
    actor = ForeignKeyField(Staff, null=True, on_delete="SET NULL")
    actor_name = CharField(default="")
    kind = CharField()
    field = CharField(default="")
    old = TextField(default="")
    new = TextField(default="")
    note = TextField(default="")


class SupervisionCheck(BaseModel):
    case = ForeignKeyField(Case, backref="checks", on_delete="CASCADE")
    kind = CharField()
    checked_on = DateField()
    checker = ForeignKeyField(Staff, null=True, on_delete="SET NULL")
    contact_method = CharField(default="")
    finding = TextField(default="")
    fault = CharField(null=True)
    fault_owner = ForeignKeyField(Staff, null=True, on_delete="SET NULL", backref="faults")

    class Meta:
        indexes = ((("checked_on", "id"), False),)  # the supervision panel's newest records


class CalendarOverride(BaseModel):
    """An office's word on one date: a holiday or a (make-up) working day. Wins over the library."""

    date = DateField(unique=True)
    workday = BooleanField()
    name = CharField(default="")
    source = CharField(default="")


ALL_MODELS: list[type[BaseModel]] = [
    SchemaVersion,
    Setting,
    Community,
    Staff,
    Grid,
    Household,
    Resident,
    ResidentTag,
    Window,
    DeadlineRule,
    CaseCounter,
    Case,
    MaterialsWait,
    CaseEvent,
    SupervisionCheck,
    CalendarOverride,
]
