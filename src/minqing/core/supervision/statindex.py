"""What lets SQLite count a year of statistics from indexes instead of reading every case.

- `case_stat_flags`: an index on each case's reply/handling state as one small number
  (`FLAGS`) and its intake date, so the rates' numerators are one GROUP BY read off the index.
- `case_stat_unreplied` / `case_stat_unhandled`: partial indexes of the cases not yet replied
  to (handled), by deadline, for the part of the rates that depends on today's date.
- `callback_latest`: each case's latest callback (the verdict that stands) with the case's
  intake date, kept by triggers on every insert, change and delete of a callback; rebuilt by
  `REBUILD`. Statistics read it by index instead of finding each case's latest callback.

The definitions stay in `rates`; `statistics` computes them the direct way for filtered
periods and PostgreSQL, and tests check both ways give the same numbers.
"""

from __future__ import annotations

REPLIED, REPLIED_LATE, HANDLED, HANDLED_LATE, REOPENED = 1, 2, 4, 8, 16

# Late = the date is after the deadline; a comparison with a missing deadline is NULL → 0.
FLAGS = (
    "((replied_on IS NOT NULL) + 2 * coalesce(replied_on > due_date, 0)"
    " + 4 * (handled_on IS NOT NULL) + 8 * coalesce(handled_on > due_date, 0)"
    " + 16 * (reopen_count > 0))"
)

_LATEST = """SELECT cb.case_id, c.intake_date, cb.id, cb.resolved, cb.satisfaction
    FROM callback AS cb JOIN "case" AS c ON c.id = cb.case_id
    WHERE cb.case_id = {case} ORDER BY cb.id DESC LIMIT 1"""


def _refresh(case: str) -> str:
    return (
        f"DELETE FROM callback_latest WHERE case_id = {case}; "
        f"INSERT INTO callback_latest (case_id, intake_date, callback_id, resolved, satisfaction) "
        f"{_LATEST.format(case=case)};"
    )


STATEMENTS = [
    f'CREATE INDEX IF NOT EXISTS case_stat_flags ON "case" ({FLAGS}, intake_date)',
    'CREATE INDEX IF NOT EXISTS case_stat_unreplied ON "case" (due_date, intake_date) '
    "WHERE replied_on IS NULL",
    'CREATE INDEX IF NOT EXISTS case_stat_unhandled ON "case" (due_date, intake_date) '
    "WHERE handled_on IS NULL",
    "CREATE TABLE IF NOT EXISTS callback_latest (case_id INTEGER PRIMARY KEY, "
    "intake_date DATE NOT NULL, callback_id INTEGER NOT NULL, resolved INTEGER NOT NULL, "
    "satisfaction VARCHAR(255))",
    "CREATE INDEX IF NOT EXISTS callback_latest_stat "
    "ON callback_latest (satisfaction, resolved, intake_date)",
    f"""CREATE TRIGGER IF NOT EXISTS callback_latest_insert AFTER INSERT ON callback
        BEGIN {_refresh("new.case_id")} END""",
    f"""CREATE TRIGGER IF NOT EXISTS callback_latest_update AFTER UPDATE ON callback
        BEGIN {_refresh("old.case_id")} {_refresh("new.case_id")} END""",
    f"""CREATE TRIGGER IF NOT EXISTS callback_latest_delete AFTER DELETE ON callback
        BEGIN {_refresh("old.case_id")} END""",
    """CREATE TRIGGER IF NOT EXISTS callback_latest_case_date
        AFTER UPDATE OF intake_date ON "case" BEGIN
        UPDATE callback_latest SET intake_date = new.intake_date WHERE case_id = new.id; END""",
    """CREATE TRIGGER IF NOT EXISTS callback_latest_case_delete AFTER DELETE ON "case" BEGIN
        DELETE FROM callback_latest WHERE case_id = old.id; END""",
]

REBUILD = [
    "DELETE FROM callback_latest",
    """INSERT INTO callback_latest (case_id, intake_date, callback_id, resolved, satisfaction)
    SELECT cb.case_id, c.intake_date, cb.id, cb.resolved, cb.satisfaction
    FROM callback AS cb JOIN "case" AS c ON c.id = cb.case_id
    WHERE cb.id = (SELECT MAX(id) FROM callback AS x WHERE x.case_id = cb.case_id)""",
]
