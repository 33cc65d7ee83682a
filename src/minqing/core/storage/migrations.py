"""Schema versions. A new file gets the current schema at once; an older one is backed up,
then brought forward one numbered step at a time inside one transaction; a newer one is refused.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from peewee import Database, SqliteDatabase

from minqing import __version__
from minqing.core.accounts import models as models_accounts
from minqing.core.cases import keywords, textindex
from minqing.core.errors import DatabaseFileError
from minqing.core.members import models as models_members
from minqing.core.models import ALL_MODELS, BaseModel, SchemaVersion
from minqing.core.outreach import models as models_outreach
from minqing.core.registry import models as models_registry
from minqing.core.supervision import models as models_supervision
from minqing.core.supervision import statindex

APPEND_ONLY_TABLES = ["case_event"]

# Statistics count a period's cases per channel, window, stage… Each (column, intake_date)
# index answers one such count from the index alone, already in the column's order (no sort,
# no table read). The SQLite-only structures behind the rates are in `statindex`.
STATISTICS_INDEXES = {
    "case_stat_channel": ("channel", "intake_date"),
    "case_stat_window": ("window_id", "intake_date", "stage", "disposition", "household_id"),
    "case_stat_stage": ("stage", "intake_date"),
    "case_stat_disposition": ("disposition", "intake_date"),
    "case_stat_owner": ("owner_id", "intake_date"),
    "case_stat_household": ("household_id", "intake_date"),
}

# The board's order within a stage (cases.queries._stage_order: urgent first, then the nearest
# deadline, cases without one last), so a column's first page is read off the index instead of
# sorting every case of the stage: 55 -> 0.1 ms for 办理 at 1,000,000 cases.
BOARD_ORDER = (
    'CREATE INDEX IF NOT EXISTS case_board_order ON "case" '
    "(stage, urgent DESC, (due_date IS NULL), due_date, id)"
)


def _extras(database: Database) -> None:
    """The search index and the append-only guards, which peewee's create_tables doesn't make."""
    if isinstance(database, SqliteDatabase):
        for sql in (
            textindex.STATEMENTS
            + textindex.DIGITS_STATEMENTS
            + textindex.RESIDENT_STATEMENTS
            + textindex.RESIDENT_DIGITS_STATEMENTS
        ):
            database.execute_sql(sql)
        for table in APPEND_ONLY_TABLES:
            for verb, word in (("UPDATE", "修改"), ("DELETE", "删除")):
                database.execute_sql(
                    f"CREATE TRIGGER IF NOT EXISTS {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '历史记录不可{word}'); END"
                )
        return
    database.execute_sql(
        "CREATE OR REPLACE FUNCTION minqing_append_only() RETURNS trigger AS $$ BEGIN "
        "RAISE EXCEPTION '历史记录不可修改或删除' USING ERRCODE = 'integrity_constraint_violation'; "
        "END $$ LANGUAGE plpgsql"
    )
    for table in APPEND_ONLY_TABLES:
        database.execute_sql(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        database.execute_sql(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION minqing_append_only()"
        )


def _v2_search_and_history_guards(database: Database) -> None:
    _extras(database)
    if isinstance(database, SqliteDatabase):
        for sql in textindex.REBUILD:
            database.execute_sql(sql)


def _statistics_indexes(database: Database) -> None:
    for name, columns in STATISTICS_INDEXES.items():
        database.execute_sql(f'CREATE INDEX IF NOT EXISTS {name} ON "case" ({", ".join(columns)})')
    if isinstance(database, SqliteDatabase):
        for sql in statindex.STATEMENTS:
            database.execute_sql(sql)
        for sql in statindex.REBUILD:
            database.execute_sql(sql)


def _v10_digit_and_statistics_indexes(database: Database) -> None:
    """The digit index (phone and case-number digits) and the statistics' indexes."""
    _extras(database)
    _statistics_indexes(database)
    if isinstance(database, SqliteDatabase):
        database.execute_sql("INSERT INTO case_digits(case_digits) VALUES ('delete-all')")
        database.execute_sql(textindex.DIGITS_REBUILD)


def _v9_public_summary(database: Database) -> None:
    """The reviewed public wording of a posted case (cases posted before keep none: their
    public outputs mask the case's own words, as before)."""
    from playhouse.migrate import PostgresqlMigrator, SqliteMigrator
    from playhouse.migrate import migrate as run

    from minqing.core.models import Case

    if "public_summary" in {c.name for c in database.get_columns("case")}:
        return
    if isinstance(database, SqliteDatabase):
        # A plain ADD COLUMN: the migrator's NOT NULL step rebuilds "case" on SQLite, and
        # dropping the old table deletes its append-only history, which the guard refuses.
        database.execute_sql(
            'ALTER TABLE "case" ADD COLUMN "public_summary" TEXT NOT NULL DEFAULT \'\''
        )
        return
    migrator = (
        SqliteMigrator(database)
        if isinstance(database, SqliteDatabase)
        else PostgresqlMigrator(database)
    )
    run(migrator.add_column("case", "public_summary", Case._meta.fields["public_summary"]))


def _v11_resident_index(database: Database) -> None:
    """The residents' character index (name and household address)."""
    _extras(database)
    if isinstance(database, SqliteDatabase):
        for sql in textindex.RESIDENT_REBUILD:
            database.execute_sql(sql)


def _v12_resident_digit_index(database: Database) -> None:
    """The residents' digit index (phone and ID number)."""
    _extras(database)
    if isinstance(database, SqliteDatabase):
        for sql in textindex.RESIDENT_DIGITS_REBUILD:
            database.execute_sql(sql)


def _v13_character_pairs(database: Database) -> None:
    """Cases' and residents' words indexed by character and character pair (detail=none), in
    place of the per-character phrase indexes: a long phrase of common characters (a full
    address) is found from its pairs instead of checking every case of its courtyard."""
    if not isinstance(database, SqliteDatabase):
        return
    for sql in textindex.OLD_STATEMENTS:
        database.execute_sql(sql)
    _extras(database)  # filled by step 14, which every upgrade through here runs next


def _v14_character_threes(database: Database) -> None:
    """The grams indexes gain every three neighbouring characters (rebuilt, then merged)."""
    if isinstance(database, SqliteDatabase):
        for sql in textindex.REBUILD + textindex.RESIDENT_REBUILD + textindex.OPTIMIZE:
            database.execute_sql(sql)


def _v15_check_date_index(database: Database) -> None:
    """Supervision checks indexed by date: the panel's newest 300 records sorted all of them
    (135 ms at 43,000 checks)."""
    from minqing.core.models import SupervisionCheck

    with database.bind_ctx([SupervisionCheck]):
        SupervisionCheck._schema.create_indexes(safe=True)


def _v17_board_order(database: Database) -> None:
    """The board's columns read their first page off an index in their own order."""
    database.execute_sql(BOARD_ORDER)


# version → the step that brings a file of version-1 up to it. Later areas (registry,
# supervision, members) keep their models in their own module with a MODELS list and a
# migrate(database) step, added here under the next number and to schema_models().
MIGRATIONS: dict[int, Callable[[Database], None]] = {
    2: _v2_search_and_history_guards,
    3: models_registry.migrate,
    4: models_supervision.migrate,
    5: models_outreach.migrate,
    6: models_members.migrate,
    7: models_accounts.migrate,
    8: keywords.migrate,
    9: _v9_public_summary,
    10: _v10_digit_and_statistics_indexes,
    11: _v11_resident_index,
    12: _v12_resident_digit_index,
    13: _v13_character_pairs,
    14: _v14_character_threes,
    15: _v15_check_date_index,
    16: keywords.move_to_remit,
    17: _v17_board_order,
}
LATEST = max(MIGRATIONS)


def schema_models() -> list[type[BaseModel]]:
    """Every table of the current schema, in creation order."""
    return (
        list(ALL_MODELS)
        + models_registry.MODELS
        + models_supervision.MODELS
        + models_outreach.MODELS
        + models_members.MODELS
        + models_accounts.MODELS
    )


def current_version(database: Database) -> int | None:
    if "schema_version" not in database.get_tables():
        return None
    row = SchemaVersion.select(SchemaVersion.version).order_by(SchemaVersion.version.desc()).first()
    return row.version if row else 0


def create_schema(database: Database) -> None:
    with database.atomic():
        database.create_tables(schema_models())
        _extras(database)
        _statistics_indexes(database)
        database.execute_sql(BOARD_ORDER)
        models_registry.seed()
        models_members.setup(database)
        models_accounts.setup(database)
        SchemaVersion.create(version=LATEST, program=__version__)


def ensure_schema(database: Database, path: Path | None) -> tuple[int | None, bool]:
    """Returns (the version upgraded from or None, whether the schema was created now)."""
    tables = database.get_tables()
    if not tables:
        create_schema(database)
        return None, True
    version = current_version(database)
    if version is None:
        raise DatabaseFileError(
            "这个数据库文件属于其他程序（没有民情流水线的结构版本）。请选择正确的文件。"
        )
    if version > LATEST:
        raise DatabaseFileError(
            f"这个数据库由更新版本的民情流水线创建（结构版本 {version}，本程序只认识到 {LATEST}）。"
            "请先升级程序再打开它；文件未作任何改动。"
        )
    if version == LATEST:
        return None, False
    if path is not None:
        from minqing.core.storage import backup

        # One copy a day: a file whose upgrade fails is not copied again at every start.
        if not backup.taken_today(path, f"before-v{LATEST}"):
            backup.make_backup(database, path, f"before-v{LATEST}")
    with database.atomic():
        for step in range(version + 1, LATEST + 1):
            MIGRATIONS[step](database)
            SchemaVersion.create(version=step, program=__version__)
    return version, False
