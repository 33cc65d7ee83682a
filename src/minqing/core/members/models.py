"""Tables of the party-member area (schema version 6): members, citizen monitors, the posts
of 设岗定责 and their assignments, 三联系 links, quarterly public commitments, and the
append-only history of all of it.

Case.informant (a member who filed a case in their own name) is declared here, not in
models.py, so that everything this area adds to the schema lives in one module; peewee adds
the field to Case when this module is imported (the migrations module always imports it).
"""

from __future__ import annotations

import datetime as dt

from peewee import (
    BooleanField,
    CharField,
    Database,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    PostgresqlDatabase,
    SqliteDatabase,
    TextField,
)

from minqing.core.models import (
    BaseModel,
    Case,
    Community,
    Grid,
    Household,
    Resident,
    Staff,
)


def _now() -> dt.datetime:
    return dt.datetime.now().replace(microsecond=0)


class Member(BaseModel):
    """党员 of the community's branch. Never deleted: `active` off keeps the history readable."""

    community = ForeignKeyField(Community, backref="members", on_delete="CASCADE")
    name = CharField(index=True)
    gender = CharField(default="")
    phone = CharField(default="")
    kind = CharField()  # MemberKind code
    grid = ForeignKeyField(Grid, null=True, backref="members", on_delete="SET NULL")
    household = ForeignKeyField(Household, null=True, backref="members", on_delete="SET NULL")
    joined_on = DateField(null=True)  # 入党日期
    is_informant = BooleanField(default=False)  # 民情信息员
    active = BooleanField(default=True)
    note = TextField(default="")
    created_at = DateTimeField(default=_now)


# Informants file cases in their own name; the statistics count cases per informant.
Case._meta.add_field(
    "informant",
    ForeignKeyField(Member, null=True, backref="filed_cases", on_delete="SET NULL"),
)


class Monitor(BaseModel):
    """民情监督员: a resident the office appoints to watch the office and the informants."""

    community = ForeignKeyField(Community, backref="monitors", on_delete="CASCADE")
    name = CharField()
    phone = CharField(default="")
    appointed_on = DateField()
    ended_on = DateField(null=True)
    note = TextField(default="")


class Post(BaseModel):
    """设岗定责: a volunteer post with its duties and how many members it needs."""

    name = CharField(unique=True)
    duties = TextField(default="")
    needed = IntegerField(default=4)
    sort = IntegerField(default=0)
    active = BooleanField(default=True)


class PostAssignment(BaseModel):
    """One member on one post: applied (申报选岗), recommended (群众荐岗), confirmed (支部定岗),
    held for a term, ended. Ending keeps the row."""

    member = ForeignKeyField(Member, backref="assignments", on_delete="CASCADE")
    post = ForeignKeyField(Post, backref="assignments", on_delete="CASCADE")
    applied_on = DateField()
    recommendations = IntegerField(default=0)  # a count of PostRecommendation rows, kept in step
    confirmed_on = DateField(null=True)
    confirmed_by = ForeignKeyField(Staff, null=True, on_delete="SET NULL")
    term_start = DateField(null=True)
    term_end = DateField(null=True)
    ended_on = DateField(null=True)
    end_reason = CharField(default="")

    class Meta:
        indexes = ((("member", "post"), False),)


class PostRecommendation(BaseModel):
    """群众荐岗: one resident (or a meeting) recommending the member for the post."""

    assignment = ForeignKeyField(PostAssignment, backref="recommended_by", on_delete="CASCADE")
    by_name = CharField()
    resident = ForeignKeyField(Resident, null=True, on_delete="SET NULL")
    on = DateField()
    note = TextField(default="")


class ResidentGroup(BaseModel):
    """居民小组: a named group of households, a courtyard or one building of it. Households
    belong by address, so moving house moves them without touching this table."""

    community = ForeignKeyField(Community, backref="resident_groups", on_delete="CASCADE")
    grid = ForeignKeyField(Grid, null=True, backref="resident_groups", on_delete="SET NULL")
    name = CharField()
    courtyard = CharField()
    building = CharField(default="")  # empty: the whole courtyard

    class Meta:
        indexes = ((("community", "name"), True),)


class Link(BaseModel):
    """三联系: a member's link to a resident group, a poor household or a person in
    rehabilitation. Exactly one of group / household / resident is set, by `kind`."""

    member = ForeignKeyField(Member, backref="links", on_delete="CASCADE")
    kind = CharField()  # LinkKind code
    group = ForeignKeyField(ResidentGroup, null=True, backref="links", on_delete="CASCADE")
    household = ForeignKeyField(Household, null=True, backref="member_links", on_delete="CASCADE")
    resident = ForeignKeyField(Resident, null=True, backref="member_links", on_delete="CASCADE")
    since = DateField()
    ended_on = DateField(null=True)

    class Meta:
        indexes = ((("member", "kind"), False),)


class Commitment(BaseModel):
    """公开承诺: one member's pledge for one quarter, tied to their post and the five leads."""

    member = ForeignKeyField(Member, backref="commitments", on_delete="CASCADE")
    quarter = CharField(index=True)  # "2026Q4"
    post = ForeignKeyField(Post, null=True, on_delete="SET NULL")
    text = TextField()
    leads = CharField(default="")  # FiveLead codes, comma-separated, in the fixed order
    state = CharField(default="pledged")  # CommitmentState code
    pledged_on = DateField()
    version = IntegerField(default=1)

    class Meta:
        indexes = ((("member", "quarter"), True),)


class Fulfilment(BaseModel):
    """履诺: something done towards the commitment, optionally a case the member helped close."""

    commitment = ForeignKeyField(Commitment, backref="fulfilments", on_delete="CASCADE")
    on = DateField()
    what = TextField()
    case = ForeignKeyField(Case, null=True, backref="fulfilments", on_delete="SET NULL")
    created_at = DateTimeField(default=_now)


class Review(BaseModel):
    """领导点评: the leader's word on a quarter's commitment; one per commitment."""

    commitment = ForeignKeyField(Commitment, backref="reviews", unique=True, on_delete="CASCADE")
    reviewer = ForeignKeyField(Staff, null=True, on_delete="SET NULL")
    reviewer_name = CharField(default="")
    on = DateField()
    text = TextField()


class MemberEvent(BaseModel):
    """Append-only history like CaseEvent: who changed what of a member, post or commitment."""

    member = ForeignKeyField(Member, backref="events", on_delete="CASCADE")
    assignment = ForeignKeyField(PostAssignment, null=True, on_delete="CASCADE")
    commitment = ForeignKeyField(Commitment, null=True, on_delete="CASCADE")
    at = DateTimeField(default=_now)
    actor = ForeignKeyField(Staff, null=True, on_delete="SET NULL")
    actor_name = CharField(default="")
    kind = CharField()
    field = CharField(default="")
    old = TextField(default="")
    new = TextField(default="")
    note = TextField(default="")


MODELS: list[type[BaseModel]] = [
    Member,
    Monitor,
    Post,
    PostAssignment,
    PostRecommendation,
    ResidentGroup,
    Link,
    Commitment,
    Fulfilment,
    Review,
    MemberEvent,
]

# The nine posts of the source document (设立9个岗位), with duties an office can edit.
DEFAULT_POSTS: list[tuple[str, str]] = [
    ("政策宣讲", "向居民宣讲党的方针政策和低保、医保、就业等惠民政策"),
    ("帮扶助困", "联系困难家庭、孤寡老人和残疾人，帮助解决生活困难"),
    ("民事帮教", "协助调解邻里纠纷，帮教社区康复人员和刑满释放人员"),
    ("平安安全", "参加治安巡逻，排查安全隐患，协助做好防火防盗"),
    ("美化环境", "组织环境卫生整治日活动，监督楼道院落卫生"),
    ("文体组织", "组织秧歌、太极拳、腰鼓等文体活动和节日演出"),
    ("科普宣传", "宣传健康、防诈骗和科学生活知识，出黑板报"),
    ("文明监督", "劝导不文明行为，监督社区公共秩序"),
    ("革命传统教育", "给青少年讲革命传统，组织参观学习和纪念活动"),
]


def _guard_history(database: Database) -> None:
    """member_event is append-only, like case_event (the same guards, see migrations)."""
    if isinstance(database, SqliteDatabase):
        for verb, word in (("UPDATE", "修改"), ("DELETE", "删除")):
            database.execute_sql(
                f"CREATE TRIGGER IF NOT EXISTS member_event_no_{verb.lower()} BEFORE {verb} "
                f"ON member_event BEGIN SELECT RAISE(ABORT, '历史记录不可{word}'); END"
            )
    elif isinstance(database, PostgresqlDatabase):  # minqing_append_only() exists since v2
        database.execute_sql("DROP TRIGGER IF EXISTS member_event_append_only ON member_event")
        database.execute_sql(
            "CREATE TRIGGER member_event_append_only BEFORE UPDATE OR DELETE ON member_event "
            "FOR EACH ROW EXECUTE FUNCTION minqing_append_only()"
        )


def setup(database: Database) -> None:
    """The nine posts and the history guards: for a new file and for one brought up to 6."""
    _guard_history(database)
    if not Post.select().exists():
        for sort, (name, duties) in enumerate(DEFAULT_POSTS):
            Post.create(name=name, duties=duties, needed=4 if sort < 4 else 5, sort=sort)


def migrate(database: Database) -> None:
    from playhouse.migrate import PostgresqlMigrator, SqliteMigrator
    from playhouse.migrate import migrate as run

    database.create_tables(MODELS)
    columns = {c.name for c in database.get_columns("case")}
    if "informant_id" not in columns:
        migrator = (
            PostgresqlMigrator(database)
            if isinstance(database, PostgresqlDatabase)
            else SqliteMigrator(database)
        )
        run(migrator.add_column("case", "informant_id", Case._meta.fields["informant"]))
    setup(database)
