"""Shared fixtures: every test gets its own data folder and a fresh database.

By default the database is a new SQLite file. With MINQING_TEST_DB=postgresql://… the same
tests run on a PostgreSQL server instead (its schema emptied before each test; with
pytest-xdist each worker uses a database of its own, see server_db.py); tests about the SQLite
file itself (backups, headers, WAL) are marked `sqlite_only` and left out there.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

from tests import server_db  # noqa: E402

SERVER_DB = os.environ.get("MINQING_TEST_DB", "")  # the database the run was given
ON_POSTGRES = SERVER_DB.startswith(("postgres://", "postgresql://"))
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")  # gw0, gw1 … under pytest-xdist
TEST_DB = server_db.worker_url(SERVER_DB, WORKER) if ON_POSTGRES and WORKER else SERVER_DB
if TEST_DB != SERVER_DB:
    os.environ["MINQING_TEST_DB"] = TEST_DB


def pytest_configure(config):
    config.addinivalue_line("markers", "sqlite_only: about the SQLite file itself")
    config.addinivalue_line("markers", "postgres_only: about the PostgreSQL server itself")
    config.addinivalue_line(
        "markers",
        "slow: takes seconds (several processes, a whole demo); `-m 'not slow'` for a quick loop",
    )


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist starts its workers
def pytest_sessionstart(session):
    if not WORKER:
        compile_the_program()
    if TEST_DB != SERVER_DB:
        server_db.create_database(SERVER_DB, TEST_DB)


def compile_the_program() -> None:
    """Byte-compile src/ and the scripts the tests run, once. With PYTHONDONTWRITEBYTECODE set
    (as on CI's machine) nothing writes the .pyc files, so every process a test starts (desk
    sessions, two PCs at once, the command line) would compile the whole program again, ~1.4 s
    of CPU each (a desk session: 4.1 s → 2.7 s). Reading .pyc files is still allowed."""
    import compileall

    root = Path(__file__).resolve().parents[1]
    for folder in (root / "src", root / "tests"):
        compileall.compile_dir(folder, quiet=2)


def pytest_sessionfinish(session, exitstatus):
    if TEST_DB != SERVER_DB:
        from minqing.core.storage.db import close_database

        close_database()
        server_db.drop_database(SERVER_DB, TEST_DB)


# The files that take longest (measured), longest first: they and the other `slow` files start
# first, so that the two pytest-xdist workers (--dist loadfile --no-loadscope-reorder hands out
# whole files in this order) fill in with the short ones and finish together, not one waiting on
# a long file begun last.
LONGEST_FILES = (
    "test_desk_session.py",
    "test_demo.py",
    "test_transfer.py",
    "test_search_property.py",
    "test_hall.py",
    "test_concurrency.py",
)


def pytest_collection_modifyitems(config, items):
    """Each pass leaves out what is about the other database: deselected, never skipped. The
    long files go first (LONGEST_FILES, then the rest marked slow); within a file the order
    stays."""
    other = "sqlite_only" if ON_POSTGRES else "postgres_only"
    keep = [i for i in items if i.get_closest_marker(other) is None]
    dropped = [i for i in items if i.get_closest_marker(other) is not None]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep
    slow = {i.path for i in items if i.get_closest_marker("slow") is not None}

    def rank(item) -> int:
        name = item.path.name
        if name in LONGEST_FILES:
            return LONGEST_FILES.index(name)
        return len(LONGEST_FILES) + (item.path not in slow)

    items.sort(key=rank)


from minqing.core import community as community_service  # noqa: E402
from minqing.core.storage.db import close_database, open_database  # noqa: E402


@pytest.fixture(autouse=True, scope="session")
def cheap_password_hashes():
    """Argon2 at production cost is ~50 ms a hash and dominated the suite's set-up; the tests
    hash with the smallest cost argon2 allows. `test_accounts.py` checks the real hasher once."""
    from argon2 import PasswordHasher

    from minqing.core.accounts import services as account_service

    real = account_service._hasher
    account_service._hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    yield real  # the program's own hasher, for the one test that checks it
    account_service._hasher = real


@pytest.fixture(autouse=True, scope="session")
def no_waiting_for_the_disk():
    """The tests' SQLite files are thrown away: their commits and checkpoints don't wait for
    the disk (synchronous=off; the program's own setting is normal). A demo build spent about
    as long waiting for fsync as computing. Processes the tests start keep the program's."""
    from minqing.core.storage import db as storage_db

    kept = storage_db.SQLITE_PRAGMAS["synchronous"]
    storage_db.SQLITE_PRAGMAS["synchronous"] = "off"
    yield
    storage_db.SQLITE_PRAGMAS["synchronous"] = kept


@pytest.fixture(autouse=True)
def data_home(tmp_path, monkeypatch):
    home = tmp_path / "home"
    monkeypatch.setenv("MINQING_HOME", str(home))
    monkeypatch.delenv("MINQING_DB", raising=False)
    yield home
    close_database()


@pytest.fixture
def db_path(tmp_path, request):
    """Where the test's database lives: a file path, or on PostgreSQL the server's URL (an
    empty database; a new schema already, when the test asks for `db` too)."""
    if ON_POSTGRES:
        if "db" in request.fixturenames:
            server_db.fresh_schema(TEST_DB)
        else:
            server_db.empty_schema(TEST_DB)
        return TEST_DB
    return tmp_path / "office.sqlite"


_new_schema_file: list[Path] = []


@pytest.fixture
def db(db_path, tmp_path_factory):
    """A fresh, empty database bound to the models. On SQLite a copy of a file made once a
    session: making the schema takes longer than the rest of most tests."""
    if not ON_POSTGRES and not Path(db_path).exists():
        if not _new_schema_file:
            made = tmp_path_factory.mktemp("schema") / "new.sqlite"
            open_database(made)
            close_database()
            _new_schema_file.append(made)
        shutil.copyfile(_new_schema_file[0], db_path)
        opened = open_database(db_path, daily_backup=False)  # a new file has nothing to back up
    else:
        opened = open_database(db_path)
    yield opened.database
    close_database()


_demo_files: dict[tuple, tuple] = {}


@pytest.fixture
def built_demo(db, db_path, tmp_path_factory):
    """`built_demo(cases, seed, reference)` puts the demo community into the test's open
    database and returns the DemoResult. Each (cases, seed, reference) is built once a session
    and later tests get a copy (a build takes seconds, a copy milliseconds): of the file on
    SQLite, of every table's rows and sequences on PostgreSQL. Tests of building itself call
    demo.build."""
    import sqlite3

    from minqing.core import demo
    from minqing.core.models import Community, database_proxy

    def make(cases: int, seed: int, reference):
        key = (cases, seed, reference)
        if key in _demo_files:
            copy, community_id, added, total = _demo_files[key]
            close_database()
            if ON_POSTGRES:
                loaded = server_db.load(TEST_DB, copy)
            else:
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{db_path}{suffix}").unlink(missing_ok=True)
                shutil.copyfile(copy, db_path)
                loaded = True
            open_database(db_path, daily_backup=False)
            if loaded:
                community = Community.get_by_id(community_id)
                return demo.DemoResult(community, True, seed, reference, added, total)
        result = demo.build(cases, seed=seed, reference=reference)
        if ON_POSTGRES:
            copy = server_db.dump(TEST_DB)
        else:
            copy = tmp_path_factory.mktemp("demo") / "demo.sqlite"
            with sqlite3.connect(copy) as target:
                database_proxy.obj.connection().backup(target)
            target.close()
        _demo_files[key] = (copy, result.community.id, result.added, result.cases)
        return result

    return make


@pytest.fixture
def office(db):
    """A small community: two grids with their staff, the default windows, a front-desk clerk."""
    from minqing.core.models import Staff

    community = community_service.create_community(
        "中和社区",
        "0451-86123456",
        [
            community_service.GridSpec("第一片区", "李红", "13900001111"),
            community_service.GridSpec("第二片区", "赵刚", "13900002222"),
        ],
        mailbox_places="中和街21号楼道\n比乐街25号门口",
        online_group="123456789",
    )
    Staff.create(community=community, name="张敏", role="front_desk", phone="13900003333")
    return community


@pytest.fixture
def accounts(office):
    """Accounts for the office (password "secret-1" each): turns the role rules on.

    张敏 front desk, 李红 and 赵刚 owners (their grids), 王书记 leader, 陈督查 supervisor,
    管理员 administrator. Returns role → Staff (owner: 李红)."""
    from minqing.core.accounts import services as service
    from minqing.core.models import Staff

    admin = service.create_administrator(office, "管理员", "secret-1").staff
    staff = {"admin": admin}
    for name, role in (
        ("张敏", "front_desk"),
        ("李红", "owner"),
        ("王书记", "leader"),
        ("陈督查", "supervisor"),
    ):
        person = Staff.get_or_none((Staff.community == office) & (Staff.name == name))
        person = person or Staff.create(community=office, name=name, role=role)
        service.create_account(person, "secret-1", actor=admin)
        staff[role] = person
    service.create_account(Staff.get(Staff.name == "赵刚"), "secret-1", actor=admin)
    return staff
