"""Trying a database before switching to it (the window's connection settings)."""

from __future__ import annotations

from minqing.core.errors import DatabaseFileError, MinqingError
from minqing.core.models import Case, Community, SchemaVersion
from minqing.core.storage import db
from minqing.core.storage.migrations import LATEST, schema_models


def probe(url: str) -> str:
    """One line saying what is there, or a MinqingError saying why it can't be used.
    Nothing is created or changed, and the program's own database stays bound."""
    url = url.strip()
    if not url:
        raise MinqingError("请填写数据库文件路径或 postgresql:// 地址。")
    if not db.is_server_url(url) and db.check_sqlite_file(db.sqlite_path(url)):
        return "这个文件还不存在或是空的：打开时会新建民情流水线的数据库。"
    try:
        database = db.connect(url)
        database.connect()
    except DatabaseFileError:
        raise
    except Exception as exc:  # the driver's words: wrong password, unknown host, …
        raise MinqingError(f"连接失败：{str(exc).strip() or type(exc).__name__}") from exc
    try:
        with database.bind_ctx(schema_models()):
            tables = database.get_tables()
            if not tables:
                return "连接成功。这是一个空数据库：打开时会建立民情流水线的表。"
            if "schema_version" not in tables:
                raise MinqingError("这个数据库属于其他程序（没有民情流水线的结构版本）。")
            version = SchemaVersion.select().order_by(SchemaVersion.version.desc()).first()
            if version is not None and version.version > LATEST:
                raise MinqingError("这个数据库由更新版本的民情流水线创建，请先升级本程序。")
            community = Community.select().order_by(Community.id).first()
            name = f"社区“{community.name}”" if community else "还没有社区"
            return f"连接成功：{name}，民情 {Case.select().count()} 条。"
    finally:
        database.close()
