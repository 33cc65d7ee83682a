"""The main window: one dock per panel, a View menu built from the docks, a saved layout.

Panels come from `gui.panels.panel_specs()`. Each dock gets the spec's object name, so the
layout saved on close (QMainWindow.saveState in the window's INI file) is restored on the
next start whichever panels exist. A dock's widget is built the first time the dock is
shown, so hidden or tabbed-away panels cost nothing at start-up.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QByteArray, QSize, Qt, QTimer, QUrl
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QDesktopServices,
    QGuiApplication,
    QKeySequence,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QDockWidget,
    QFrame,
    QInputDialog,
    QLabel,
    QMainWindow,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QToolBar,
    QWidget,
)

from minqing import __version__, paths
from minqing.core.calendar.service import calendar_warning
from minqing.gui import desk_layout, errors
from minqing.gui.context import AppContext
from minqing.gui.panels import PanelSpec, panel_specs
from minqing.gui.widgets.settings import app_settings

log = logging.getLogger("minqing.gui")

STATE_VERSION = 1
DOCK_FEATURES = (
    QDockWidget.DockWidgetFeature.DockWidgetMovable
    | QDockWidget.DockWidgetFeature.DockWidgetFloatable
    | QDockWidget.DockWidgetFeature.DockWidgetClosable
)


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext, specs: list[PanelSpec] | None = None) -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName("mainWindow")
        name = ctx.community.name if ctx.community is not None else ""
        self.setWindowTitle(f"民情流水线 — {name}" if name else "民情流水线")
        self._fit_to_screen()
        self.setDockNestingEnabled(True)
        self.setDockOptions(
            QMainWindow.DockOption.AnimatedDocks
            | QMainWindow.DockOption.AllowTabbedDocks
            | QMainWindow.DockOption.AllowNestedDocks
        )  # no GroupedDragging: dropping one floating dock onto another crashed Qt
        self.switching_user = False
        self.hall_display: QWidget | None = None
        self.specs = specs if specs is not None else panel_specs()
        self.docks: dict[str, QDockWidget] = {}
        self._restored = False
        self._shown_once = False
        self.panels: dict[str, QWidget] = {}
        self._build_banner()
        self._build_menus()
        self._build_docks()
        self.desk = desk_layout.desk_for(self._role(), self._screen_size())
        desk_layout.arrange(self, self.docks, self.desk)
        self.statusBar().showMessage("就绪", 3000)
        ctx.status.connect(lambda text: self.statusBar().showMessage(text, 10000))
        ctx.open_case.connect(self._show_case)
        from minqing.gui.live import LiveRefresh

        self.live = LiveRefresh(ctx, self)
        self.restore_layout()
        from minqing.gui.admin_menu import apply_role

        apply_role(self, ctx, self.menuBar())
        self.refresh_banner()

    # panels -------------------------------------------------------------------------------

    def _build_docks(self) -> None:
        self.view_menu.clear()
        goto = self.goto_menu
        for spec in self.specs:
            dock = QDockWidget(spec.title, self)
            dock.setObjectName(spec.object_name)
            dock.setFeatures(DOCK_FEATURES)
            placeholder = QLabel("正在打开…")
            placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
            dock.setWidget(placeholder)
            self.addDockWidget(spec.area, dock)
            if spec.tab_with and spec.tab_with in self.docks:
                self.tabifyDockWidget(self.docks[spec.tab_with], dock)
            dock.visibilityChanged.connect(
                lambda visible, name=spec.object_name: visible and self.panel(name)
            )
            self.docks[spec.object_name] = dock
            self.view_menu.addAction(dock.toggleViewAction())
            focus = QAction(spec.title, self)
            if spec.shortcut:
                focus.setShortcut(QKeySequence(spec.shortcut))
            focus.triggered.connect(lambda _=False, name=spec.object_name: self.focus_panel(name))
            goto.addAction(focus)
        for dock in self.docks.values():  # the first panel of each tab group is in front
            tabbed = self.tabifiedDockWidgets(dock)
            if tabbed and all(self.specs_index(d) > self.specs_index(dock) for d in tabbed):
                dock.raise_()
        self.view_menu.addSeparator()
        reset = self.view_menu.addAction("重置布局(&R)")
        reset.setObjectName("resetLayout")
        reset.triggered.connect(self.reset_layout)

    def _role(self) -> str | None:
        """The signed-in role; None (every desk's panels) in an office without accounts."""
        from minqing.core.accounts import permissions

        staff = self.ctx.staff
        return staff.role if staff is not None and permissions.enforced() else None

    def _screen_size(self) -> QSize:
        screen = self.screen() or QGuiApplication.primaryScreen()
        return screen.availableGeometry().size() if screen is not None else QSize(1280, 720)

    def _fit_to_screen(self) -> None:
        """A first start fills the screen (a desk PC runs nothing else); later starts
        restore the user's own geometry."""
        self.resize(self._screen_size())
        self.setWindowState(Qt.WindowState.WindowMaximized)

    def _default_sizes(self) -> None:
        desk_layout.sizes(self, self.docks, self.desk)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._shown_once:
            self._shown_once = True
            if not self._restored:
                QTimer.singleShot(0, self._default_sizes)

    def specs_index(self, dock: QDockWidget) -> int:
        names = [s.object_name for s in self.specs]
        return names.index(dock.objectName()) if dock.objectName() in names else len(names)

    def panel(self, name: str) -> QWidget | None:
        """The panel's widget, built now if it was not yet."""
        if name in self.panels:
            return self.panels[name]
        spec = next((s for s in self.specs if s.object_name == name), None)
        if spec is None:
            return None
        try:
            widget = spec.factory(self.ctx)
        except Exception as exc:
            log.exception("could not build panel %s", name)
            widget = QLabel(f"“{spec.title}”打开失败。")
            widget.setWordWrap(True)
            errors.report(self, exc, f"打开“{spec.title}”")
        self.panels[name] = widget
        self.docks[name].setWidget(fitted(widget, name))
        return widget

    def focus_panel(self, name: str) -> None:
        dock = self.docks[name]
        dock.show()
        dock.raise_()
        widget = self.panel(name)
        if widget is not None:
            widget.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _show_case(self, case_id: int) -> None:
        if "detail" in self.docks:
            # Built now (showing the dock builds it), the panel connects to open_case too late
            # for this signal: hand the case over.
            built = "detail" in self.panels
            self.docks["detail"].show()
            self.docks["detail"].raise_()
            detail = self.panel("detail")
            if not built and hasattr(detail, "show_case"):
                detail.show_case(case_id)

    # layout -------------------------------------------------------------------------------

    def _layout_key(self) -> str:
        """Each user keeps their own layout: the next person at the same PC gets theirs."""
        staff = self.ctx.staff
        return f"layout/{staff.id if staff is not None else 'anyone'}"

    def restore_layout(self) -> None:
        settings = app_settings()
        geometry = settings.value(f"{self._layout_key()}/geometry")
        state = settings.value(f"{self._layout_key()}/state")
        if isinstance(geometry, QByteArray | bytes):
            self.restoreGeometry(QByteArray(geometry))
        if isinstance(state, QByteArray | bytes):
            self._restored = self.restoreState(QByteArray(state), STATE_VERSION)
            if not self._restored:
                log.warning("saved layout not restored (older version)")

    def save_layout(self) -> None:
        settings = app_settings()
        settings.setValue(f"{self._layout_key()}/geometry", self.saveGeometry())
        settings.setValue(f"{self._layout_key()}/state", self.saveState(STATE_VERSION))
        settings.sync()

    def reset_layout(self) -> None:
        self.desk = desk_layout.desk_for(self._role(), self._screen_size())
        desk_layout.arrange(self, self.docks, self.desk)
        self._default_sizes()
        self.refresh_banner()
        self.statusBar().showMessage("布局已恢复为默认。", 5000)

    # menus and banner ---------------------------------------------------------------------

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("文件(&F)")
        notice = file_menu.addAction("导入节假日安排…")
        notice.setObjectName("importHolidays")  # admin_menu enables it by role
        notice.triggered.connect(self.import_notice)
        folder = file_menu.addAction("打开数据文件夹")
        folder.setObjectName("openDataFolder")
        folder.triggered.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(paths.data_dir())))
        )
        connection = file_menu.addAction("数据库连接…")
        connection.triggered.connect(self.change_connection)
        hall = file_menu.addAction("大厅电子显示屏（全屏，Esc 退出）")
        hall.triggered.connect(self.open_hall_display)
        file_menu.addSeparator()
        switch = file_menu.addAction("切换用户(&U)…")
        switch.setObjectName("switchUser")
        switch.triggered.connect(self.switch_user)
        quit_action = file_menu.addAction("退出(&X)")
        quit_action.setObjectName("quit")
        quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        quit_action.triggered.connect(self.close)
        self.view_menu = bar.addMenu("视图(&V)")
        self.goto_menu = bar.addMenu("转到(&G)")
        from minqing.gui.print_center import PrintCenter

        self.print_center = PrintCenter(self)
        self.print_center.build_menu(bar)
        help_menu = bar.addMenu("帮助(&H)")
        about = help_menu.addAction("关于民情流水线")
        about.triggered.connect(
            lambda: errors.show_message(
                self,
                "关于",
                f"民情流水线 {__version__}\n社区民情受理、办理、公示反馈与跟踪监督。\n"
                f"数据文件：{self.ctx.db_url}\n日志文件：{paths.log_path()}",
            )
        )

    def change_connection(self) -> None:
        from minqing.gui.dialogs.connection import change_connection

        change_connection(self, self.ctx.db_url, self.ctx.staff)

    def open_hall_display(self) -> None:
        if self.ctx.community is None:
            return
        from minqing.gui.hall_display import choose_screen, hall_screen, open_hall_display

        screens = QGuiApplication.screens()
        if len(screens) > 1:
            names = [f"{s.name()}（{s.size().width()}×{s.size().height()}）" for s in screens]
            current = hall_screen(self)
            name, chosen = QInputDialog.getItem(
                self,
                "电子显示屏",
                "在哪个显示器上全屏显示：",
                names,
                screens.index(current) if current in screens else 0,
                False,
            )
            if not chosen:
                return
            choose_screen(screens[names.index(name)])
        self.close_hall_display()
        self.hall_display = open_hall_display(self.ctx.community, self)

    def _build_banner(self) -> None:
        self.banner = QToolBar("提示", self)
        self.banner.setObjectName("calendarBanner")
        self.banner.setMovable(False)
        self.banner.setFloatable(False)
        self.banner.toggleViewAction().setVisible(False)
        self.banner_label = QLabel("")
        self.banner_label.setObjectName("bannerLabel")
        self.banner_label.setWordWrap(True)
        self.banner_label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.banner.addWidget(self.banner_label)
        button = QPushButton("粘贴放假通知…")
        button.setObjectName("bannerButton")
        button.clicked.connect(self.import_notice)
        self.banner.addWidget(button)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.banner)

    def refresh_banner(self) -> None:
        try:
            text = calendar_warning()
        except Exception:
            log.exception("calendar warning failed")
            text = None
        self.banner_label.setText(text or "")
        self.banner.setVisible(bool(text))

    def import_notice(self) -> None:
        from minqing.gui.widgets.notice_dialog import NoticeDialog

        dialog = NoticeDialog(self)
        if exec_dialog(dialog) and dialog.summary is not None:
            s = dialog.summary
            self.refresh_banner()
            self.ctx.data_reset.emit()
            text = (
                f"{s.year}年节假日安排已保存：新增 {s.added} 天，"
                f"修改 {s.changed} 天，删除 {s.removed} 天。"
            )
            if s.warnings:
                text += "\n" + "\n".join(s.warnings)
            errors.show_message(self, "节假日安排", text)

    # closing ------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        for name, widget in self.panels.items():
            confirm = getattr(widget, "confirm_close", None)
            if confirm is not None and not confirm():
                self.focus_panel(name)
                event.ignore()
                return
        self.save_layout()
        self.live.stop()
        self.close_hall_display()
        event.accept()

    def switch_user(self) -> None:
        """Close (saving this user's layout and asking about an unsaved intake) and let the
        program show the sign-in again (app._desk)."""
        self.switching_user = True
        if not self.close():
            self.switching_user = False

    def close_hall_display(self) -> None:
        display, self.hall_display = self.hall_display, None
        if display is not None and shiboken_valid(display):
            display.close()


def shiboken_valid(widget: QWidget) -> bool:
    """False once Qt has deleted the widget (a display closed with Esc deletes itself)."""
    import shiboken6

    return bool(shiboken6.isValid(widget))


def fitted(widget: QWidget, name: str) -> QWidget:
    """A panel in a scroll area: a narrow or short dock scrolls instead of pushing the window
    past the screen's edge. A panel that scrolls its own parts (the intake form keeps its
    save button in view) says so with `scrolls_itself`."""
    if getattr(widget, "scrolls_itself", False):
        return widget
    scroll = QScrollArea()
    scroll.setObjectName(f"{name}_fit")
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setWidget(widget)
    return scroll


def exec_dialog(dialog: QWidget) -> bool:
    """One place where modal dialogs run, so tests can replace it."""
    return bool(dialog.exec())  # type: ignore[attr-defined]
