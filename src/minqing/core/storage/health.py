"""`minqing check`: is the file sound, current, and are its counts consistent?"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from peewee import SqliteDatabase, fn

from minqing.core.calendar.workdays import load_calendar
from minqing.core.models import Case, CaseCounter, Household, Resident, database_proxy
from minqing.core.storage.migrations import LATEST, current_version


@dataclass
class CheckItem:
    name: str
    ok: bool
    detail: str
    warning: bool = False  # worth telling, but the file is sound


def check(opened: Any) -> list[CheckItem]:
    database = database_proxy.obj
    items = [CheckItem("数据库", True, str(opened.path or opened.url))]
    version = current_version(database)
    items.append(CheckItem("结构版本", version == LATEST, f"{version}（本程序 {LATEST}）"))
    if isinstance(database, SqliteDatabase):
        result = database.execute_sql("PRAGMA integrity_check").fetchone()[0]
        items.append(CheckItem("文件完整性", result == "ok", "正常" if result == "ok" else result))
        broken = database.execute_sql("PRAGMA foreign_key_check").fetchall()
        items.append(
            CheckItem(
                "引用完整性", not broken, "正常" if not broken else f"{len(broken)} 处引用失效"
            )
        )
        try:
            database.execute_sql(
                "INSERT INTO case_grams(case_grams, rank) VALUES ('integrity-check', 1)"
            )
            items.append(CheckItem("搜索索引", True, "正常"))
        except Exception as exc:  # the index can be rebuilt; report, don't crash
            items.append(CheckItem("搜索索引", False, f"需要重建：{exc}"))
    gaps = []
    for counter in CaseCounter.select():
        n, top = (
            Case.select(fn.COUNT(Case.id), fn.MAX(Case.seq))
            .where((Case.community == counter.community_id) & (Case.year == counter.year))
            .scalar(as_tuple=True)
        )
        if n != counter.last or (top or 0) != counter.last:
            gaps.append(f"{counter.year} 年：编号到 {counter.last}，实有 {n} 条")
    items.append(CheckItem("民情编号", not gaps, "连续无重复" if not gaps else "；".join(gaps)))
    items.append(
        CheckItem(
            "数据量",
            True,
            f"民情 {Case.select().count()} 条，户 {Household.select().count()}，居民 {Resident.select().count()}",
        )
    )
    missing = load_calendar().missing_years(dt.date.today())
    items.append(
        CheckItem(
            "工作日历",
            True,
            "今明两年节假日安排齐全"
            if not missing
            else f"缺少 {'、'.join(map(str, missing))} 年节假日安排，暂按周一至周五计算",
            warning=bool(missing),
        )
    )
    return items
