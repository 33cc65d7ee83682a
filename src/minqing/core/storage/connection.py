"""Trying a database before switching to it (the window's connection settings), and keeping
a server's password out of everything that remembers or passes the address.

The password of a `postgresql://user:password@host/db` address goes into PostgreSQL's own
password file (pgpass: ~/.pgpass, or %APPDATA%\\postgresql\\pgpass.conf on Windows, readable by
the user only), which libpq reads by itself when it connects. What is kept in the window's
INI file and put on a command line is the address without it.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from minqing.core.errors import DatabaseFileError, MinqingError
from minqing.core.models import Case, Community, SchemaVersion
from minqing.core.storage import db
from minqing.core.storage.migrations import LATEST, schema_models


@dataclass(frozen=True)
class Found:
    """What `probe` found at an address: one line to show, and the office there, in words
    (社区“中和社区”，民情 3000 条; empty when none is)."""

    text: str
    office: str = ""


def probe(url: str) -> Found:
    """What is at `url`, or a MinqingError saying why it can't be used. Nothing is created or
    changed, and the program's own database stays bound."""
    url = url.strip()
    if not url:
        raise MinqingError("请填写数据库文件路径或 postgresql:// 地址。")
    if not db.is_server_url(url) and db.check_sqlite_file(db.sqlite_path(url)):
        return Found("这个文件还不存在或是空的：打开时会新建民情流水线的数据库。")
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
                return Found("连接成功。这是一个空数据库：打开时会建立民情流水线的表。")
            if "schema_version" not in tables:
                raise MinqingError("这个数据库属于其他程序（没有民情流水线的结构版本）。")
            version = SchemaVersion.select().order_by(SchemaVersion.version.desc()).first()
            if version is not None and version.version > LATEST:
                raise MinqingError("这个数据库由更新版本的民情流水线创建，请先升级本程序。")
            community = Community.select().order_by(Community.id).first()
            if community is None:
                return Found("连接成功：还没有社区。")
            office = f"社区“{community.name}”，民情 {Case.select().count()} 条"
            return Found(f"连接成功：{office}。", office)
    finally:
        database.close()


def pgpass_path() -> Path:
    """Where libpq looks for passwords (PGPASSFILE wins, as it does for libpq)."""
    if os.environ.get("PGPASSFILE"):
        return Path(os.environ["PGPASSFILE"])
    if os.name == "nt":
        return Path(os.environ.get("APPDATA") or Path.home()) / "postgresql" / "pgpass.conf"
    return Path.home() / ".pgpass"


def without_password(url: str) -> tuple[str, str | None]:
    """The address with its password taken out, and the password (None when it had none)."""
    if not db.is_server_url(url):
        return url, None
    parts = urlsplit(url)
    if parts.password is None:
        return url, None
    userinfo, _, hostinfo = parts.netloc.rpartition("@")
    user = userinfo.split(":", 1)[0]
    bare = urlunsplit(parts._replace(netloc=f"{user}@{hostinfo}"))
    return bare, unquote(parts.password)


def with_password(url: str, password: str) -> str:
    """A server address carrying `password` (one typed apart from it), replacing any it had;
    an address without a user name can't carry one and is returned without it."""
    bare, _old = without_password(url)
    parts = urlsplit(bare)
    if not db.is_server_url(bare) or "@" not in parts.netloc:
        return bare
    user, _, hostinfo = parts.netloc.rpartition("@")
    return urlunsplit(parts._replace(netloc=f"{user}:{quote(password, safe='')}@{hostinfo}"))


def _pgpass_field(value: str) -> str:
    return value.replace("\\", "\\\\").replace(":", "\\:")


def remember_password(url: str) -> str:
    """Move the address's password into the pgpass file (replacing an older one for the same
    server, database and user); returns the address to keep and pass on, without it."""
    bare, password = without_password(url)
    if password is None:
        return url
    parts = urlsplit(url)
    user = unquote(parts.username or "")
    key = ":".join(
        _pgpass_field(v)
        for v in (
            parts.hostname or "localhost",
            str(parts.port or 5432),
            unquote(parts.path.lstrip("/")) or user,
            user,
        )
    )
    path = pgpass_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    kept = [line for line in lines if not line.startswith(key + ":")]
    kept.append(f"{key}:{_pgpass_field(password)}")
    partial = path.with_name(path.name + ".partial")
    partial.write_text("\n".join(kept) + "\n", encoding="utf-8")
    if os.name != "nt":
        partial.chmod(stat.S_IRUSR | stat.S_IWUSR)  # libpq ignores a file others can read
    os.replace(partial, path)
    return bare
