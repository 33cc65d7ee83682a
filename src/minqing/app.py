"""Starting the window: the Qt application, the database, the welcome on first start.

`run_window` is what `minqing` with no command runs; `run_self_check` proves that a build
(PyInstaller or source) has everything it needs to show the window, without a display.
"""

from __future__ import annotations

import logging
import os
import sys
import tempfile
import time
from pathlib import Path

log = logging.getLogger("minqing.app")

DEMO_FILE = "demo.sqlite"


def create_application(argv: list[str] | None = None):  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QFont, QFontDatabase
    from PySide6.QtWidgets import QApplication

    from minqing import paths

    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("民情流水线")
    app.setOrganizationName("minqing")
    from minqing.gui.translations import install_qt_chinese

    install_qt_chinese(app)
    if sys.platform != "win32":
        # Windows has Microsoft YaHei; elsewhere use the shipped font so Chinese never shows boxes.
        font_file = paths.resources_dir() / "fonts" / "wqy-microhei.ttc"
        if font_file.exists():
            families = QFontDatabase.applicationFontFamilies(
                QFontDatabase.addApplicationFont(str(font_file))
            )
            if families:
                font = QFont(families[0])
                font.setPointSize(10)
                app.setFont(font)
    icon = paths.resources_dir() / "icons" / "minqing.png"
    if icon.exists():
        from PySide6.QtGui import QIcon

        app.setWindowIcon(QIcon(str(icon)))
    style = paths.resources_dir() / "style.qss"
    if style.exists():
        app.setStyleSheet(style.read_text(encoding="utf-8"))
    if not hasattr(app, "garbage"):
        from minqing.gui.garbage import GarbageCollector

        app.garbage = GarbageCollector(app)  # cycles are collected on this thread only
    return app


def demo_builder():  # type: ignore[no-untyped-def]
    """The demo generator's entry point (a test stands a quicker one in)."""
    from minqing.core.demo import build

    return build


def demo_path() -> Path:
    from minqing import paths

    return paths.data_dir() / DEMO_FILE


def open_demo() -> str | None:
    """Opens the demo file in the data folder, building it on first use; returns its URL,
    or None when building failed (the user has been told).

    The demo lives in its own file so the office's real file never fills with made-up
    residents. Building takes a few seconds: it runs off the UI thread under a busy dialog.
    """
    from PySide6.QtCore import QEventLoop, Qt
    from PySide6.QtWidgets import QProgressDialog

    from minqing.core.accounts import services as accounts
    from minqing.core.models import Community
    from minqing.core.storage.db import open_database
    from minqing.gui.operations import Op

    opened = open_database(demo_path(), daily_backup=False)
    if Community.select().exists():
        accounts.ensure_demo_accounts(Community.select().order_by(Community.id).first())
        return opened.url
    builder = demo_builder()
    busy = QProgressDialog("正在生成演示社区（居民、住户和一年的民情），请稍候…", "", 0, 0)
    busy.setWindowTitle("演示社区")
    busy.setCancelButton(None)
    busy.setWindowModality(Qt.WindowModality.ApplicationModal)
    busy.setMinimumDuration(0)
    busy.show()
    loop = QEventLoop()
    op = Op(None, builder, what="打开演示社区").always(loop.quit).run()
    if op.running:
        loop.exec()
    busy.close()
    if op.error is not None:
        return None
    accounts.ensure_demo_accounts(Community.select().order_by(Community.id).first())
    return opened.url


def make_context(db_url: str, signed_in=None):  # type: ignore[no-untyped-def]
    """The window's context. `signed_in` is the account's staff member; without one (an
    office with no accounts, only in tests) the last intake responder stands in."""
    from minqing.core.models import Community, Staff
    from minqing.gui.context import AppContext
    from minqing.gui.widgets.settings import app_settings

    community = Community.select().order_by(Community.id).first()
    if signed_in is not None:
        return AppContext(community, signed_in, db_url)
    staff = None
    remembered = app_settings().value("intake/responder")
    if remembered is not None and str(remembered).isdigit():
        staff = Staff.get_or_none(Staff.id == int(remembered))
    if staff is None and community is not None:
        staff = (
            Staff.select()
            .where((Staff.community == community) & (Staff.active == True))  # noqa: E712
            .order_by(Staff.id)
            .first()
        )
    return AppContext(community, staff, db_url)


def build_window(db_url: str, signed_in=None):  # type: ignore[no-untyped-def]
    from minqing.gui import errors
    from minqing.gui.main_window import MainWindow

    window = MainWindow(make_context(db_url, signed_in))
    errors.install_excepthook(window)
    return window


def _welcome(app, db_url: str) -> str | None:  # type: ignore[no-untyped-def]
    """The URL to work on after the welcome, or None when the user quits."""
    from minqing.gui import errors
    from minqing.gui.welcome import DEMO_RESULT, WelcomeDialog

    dialog = WelcomeDialog()
    result = dialog.exec()
    # Qt deletes it from its event loop. Left to Python, the parentless dialog was deleted
    # directly when this function returned, and the program crashed at exit after the demo
    # had been opened ("shared QObject was deleted directly", exit 139).
    dialog.deleteLater()
    if result == DEMO_RESULT:
        try:
            url = open_demo()
        except Exception as exc:
            errors.report(None, exc, "打开演示社区")
            return None
        from minqing.gui.dialogs import connection

        connection.remember_url(url)  # the next start goes straight to signing in
        return url
    return db_url if result else None


def run_window(db_url: str | None = None) -> int:
    from minqing.core.errors import MinqingError
    from minqing.core.models import Community
    from minqing.core.storage.db import open_database
    from minqing.gui import errors
    from minqing.logs import setup_logging

    setup_logging()
    app = create_application()
    errors.install_excepthook(None)
    from minqing.gui.dialogs import connection

    remembered = not db_url and not os.environ.get("MINQING_DB")
    if remembered:
        db_url = connection.remembered_url()  # chosen in File → 数据库连接…
    try:
        opened = open_database(db_url)
    except MinqingError as exc:
        errors.show_message(None, "无法打开数据文件", str(exc), errors.ERROR)
        if remembered and db_url:  # the saved server is away: let the user choose again
            connection.change_connection(None, db_url)
        return 2
    except Exception as exc:
        errors.report(None, exc, "打开数据文件")
        return 1
    url: str | None = opened.url
    if not Community.select().exists():
        url = _welcome(app, opened.url)
        if url is None:
            return 0
    return _desk(app, url)


def _desk(app, url: str) -> int:  # type: ignore[no-untyped-def]
    """Sign in, work, and sign in again after 文件 → 切换用户, until someone quits."""
    from minqing.core.models import Community
    from minqing.gui.sign_in import sign_in_at_start

    while True:
        staff = sign_in_at_start(
            Community.select().order_by(Community.id).first(), demo=url == str(demo_path())
        )
        if staff is None:
            return 0
        window = build_window(url, staff)
        from minqing.gui.scanner import ScanHandler

        window.scanner = ScanHandler(window, window.ctx)  # a scanned receipt or card, anywhere
        from minqing.core.cases import suggest

        suggest.ready_model()  # train the window suggestion now (in the background when large)
        window.show()
        code = int(app.exec())
        switching = window.switching_user
        close_window(app, window)
        if not switching:
            return code


def close_window(app, window) -> None:  # type: ignore[no-untyped-def]
    """Let Qt delete the window and what hangs on it (hall display, timers) while the
    application still runs, before Python drops its last reference."""
    from PySide6.QtCore import QEvent

    from minqing.core.cases import suggest
    from minqing.gui import errors
    from minqing.gui.operations import wait_for_all

    # Work still running in the pool (the statistics a panel was computing when the user
    # quit) finishes first: a worker thread left querying while the window and then the
    # interpreter are torn down crashed the program now and then (exit -11 under load).
    if not wait_for_all(15000):
        log.warning("background work still running at exit")
    if not suggest.wait_for_training(15):  # the same for the suggestion's retraining
        log.warning("suggestion retraining still running at exit")
    errors.uninstall_excepthook()
    window.deleteLater()
    app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    app.processEvents()


def main() -> int:
    """The windowed entry point (`minqing-window`, Windows' gui-scripts): no console behind
    the program. `--db` chooses the database as on the command line."""
    import argparse

    parser = argparse.ArgumentParser(prog="minqing-window", description="民情流水线")
    parser.add_argument("--db", help="数据库文件路径或 postgresql:// 地址")
    args, _qt_args = parser.parse_known_args()
    return run_window(args.db)


def run_self_check() -> int:
    """Builds the whole window on a throw-away database with no display; 0 when all is well."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="minqing-check-") as home:
        previous = os.environ.get("MINQING_HOME")
        os.environ["MINQING_HOME"] = home
        try:
            return _self_check(Path(home), started)
        except Exception as exc:
            import traceback

            traceback.print_exc()
            print(f"自检失败：{exc}", file=sys.stderr)
            return 1
        finally:
            from minqing.core.storage.db import close_database

            close_database()
            if previous is None:
                os.environ.pop("MINQING_HOME", None)
            else:
                os.environ["MINQING_HOME"] = previous


def _self_check(home: Path, started: float) -> int:
    from minqing import paths
    from minqing.core import community as community_service
    from minqing.core.storage.db import open_database

    for needed in (paths.forms_dir() / "intake.ui", paths.resources_dir() / "fonts"):
        if not needed.exists():
            print(f"自检失败：缺少 {needed}", file=sys.stderr)
            return 1
    from minqing.gui import errors

    shown: list[str] = []
    errors.show_message = lambda _parent, title, text, kind=errors.INFO: shown.append(  # type: ignore[assignment]
        f"{title}：{text}"
    )
    app = create_application()
    from PySide6.QtCore import QCoreApplication

    if QCoreApplication.translate("QPlatformTheme", "Cancel") != "取消":
        print("自检失败：缺少 Qt 的中文翻译（qtbase_zh_CN.qm）", file=sys.stderr)
        return 1
    opened = open_database(home / "check.sqlite")
    from minqing.core.accounts import services as accounts

    office = community_service.create_community(
        "自检社区", "0451-86123456", [community_service.GridSpec("第一片区", "李红", "13900001111")]
    )
    accounts.create_administrator(office, "自检管理员", "self-check")
    window = build_window(opened.url, accounts.sign_in("自检管理员", "self-check"))
    window.show()
    app.processEvents()
    missing = [name for name, dock in window.docks.items() if window.panel(name) is None]
    window.save_layout()
    window.hide()
    window.deleteLater()
    app.processEvents()
    errors.uninstall_excepthook()
    if shown:
        print("自检失败：" + "\n".join(shown), file=sys.stderr)
        return 1
    if missing or not window.docks:
        print(f"自检失败：面板没有建立：{missing}", file=sys.stderr)
        return 1
    print(
        f"自检通过：{len(window.docks)} 个面板（{'、'.join(window.docks)}），"
        f"用时 {time.perf_counter() - started:.1f} 秒。"
    )
    return 0
