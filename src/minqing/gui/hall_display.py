"""电子显示屏: a full-screen view for the screen in the service hall.

It cycles through this month's posted cases (masked exactly as on the paper notice), the
month's numbers and the next reception sessions, reloading at the end of each round. It reads
only core.hall, which hands over cells already masked: nothing else reaches the screen.
Esc (or a double click) leaves; ← and → turn the pages by hand.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication, QKeyEvent, QMouseEvent, QResizeEvent, QScreen
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from minqing.core.cases import hall
from minqing.core.validate import format_phone
from minqing.gui.widgets.settings import app_settings

if TYPE_CHECKING:
    from minqing.core.models import Community

INTERVAL_MS = 15000
ROWS_PER_PAGE = 5
WEEKDAYS = "一二三四五六日"
HEADERS = ["编号", "受理日期", "反映人", "服务窗口", "反映事项", "办理情况", "办理结果"]
STRETCH = [4, 4, 5, 3, 8, 8, 3]
STYLE = """
#hall_display {{ background: #0b2545; }}
#hall_display QLabel {{ color: #f1f5f9; font-size: {body}px; }}
#hall_display QLabel[role="title"] {{ color: #ffd166; font-size: {title}px; font-weight: bold; }}
#hall_display QLabel[role="head"] {{ color: #ffd166; font-weight: bold; }}
#hall_display QLabel[role="big"] {{ color: #ffffff; font-size: {big}px; font-weight: bold; }}
#hall_display QLabel[role="small"] {{ color: #a9bcd0; font-size: {small}px; }}
#hall_display QFrame[role="rule"] {{ background: #33507a; max-height: 2px; min-height: 2px; }}
"""


def _label(text: str, role: str = "", wrap: bool = False) -> QLabel:
    label = QLabel(text)
    if role:
        label.setProperty("role", role)
    label.setWordWrap(wrap)
    label.setTextFormat(Qt.TextFormat.PlainText)
    return label


def _rule() -> QFrame:
    line = QFrame()
    line.setProperty("role", "rule")
    return line


class HallDisplay(QWidget):
    def __init__(
        self,
        community: Community,
        *,
        interval_ms: int = INTERVAL_MS,
        rows_per_page: int = ROWS_PER_PAGE,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.community = community
        self.rows_per_page = rows_per_page
        self.setObjectName("hall_display")
        self.setWindowTitle("电子显示屏")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(40, 24, 40, 16)
        top = QHBoxLayout()
        self.title = _label("", "title")
        self.title.setObjectName("title")
        top.addWidget(self.title, 1)
        self.clock = _label("", "small")
        top.addWidget(self.clock)
        outer.addLayout(top)
        outer.addWidget(_rule())
        self.pages = QStackedWidget()
        outer.addWidget(self.pages, 1)
        outer.addWidget(_rule())
        bottom = QHBoxLayout()
        self.footer = _label("", "small", wrap=True)
        self.footer.setObjectName("footer")
        bottom.addWidget(self.footer, 1)
        self.page_number = _label("", "small")
        self.page_number.setObjectName("page_number")
        bottom.addWidget(self.page_number)
        outer.addLayout(bottom)
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.next_page)
        self.data: hall.HallData | None = None
        self.reload()
        self.timer.start()

    # --- data and pages -----------------------------------------------------------------------

    def reload(self) -> None:
        self.data = data = hall.hall_data(self.community)
        while self.pages.count():
            page = self.pages.widget(0)
            self.pages.removeWidget(page)
            page.deleteLater()
        posted = data.posted
        chunks = [
            posted[i : i + self.rows_per_page] for i in range(0, len(posted), self.rows_per_page)
        ]
        for chunk in chunks:
            self.pages.addWidget(self._cases_page(chunk))
        if not chunks:
            self.pages.addWidget(self._message_page(f"{data.month}暂无公示的民情。"))
        self.pages.addWidget(self._numbers_page(data))
        self.pages.addWidget(self._reception_page(data))
        line = format_phone(data.hotline)
        hotline = f"如对办理结果有意见，请拨打民情热线 {line}，或投入民情信箱。" if line else ""
        self.footer.setText(f"{hotline}为保护居民隐私，姓名、电话、住址已部分隐去。")
        self.show_page(0)

    def _cases_page(self, chunk: list[hall.PostedCase]) -> QWidget:
        page = QWidget()
        page.setObjectName("cases_page")
        grid = QGridLayout(page)
        grid.setHorizontalSpacing(18)
        grid.setVerticalSpacing(10)
        for column, (text, stretch) in enumerate(zip(HEADERS, STRETCH, strict=True)):
            head = _label(text, "head")
            head.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            grid.addWidget(head, 0, column)
            grid.setColumnStretch(column, stretch)
        for row, case in enumerate(chunk, start=1):
            for column, text in enumerate(case.cells):
                cell = _label(text, wrap=True)
                cell.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
                # widths follow STRETCH, not the texts, so every page lines up the same
                cell.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
                grid.addWidget(cell, row, column)
        grid.setRowStretch(len(chunk) + 1, 1)
        # the page count is the footer's alone: one count for the whole round
        page.setProperty("heading", "民情办理公示")
        return page

    def _message_page(self, text: str) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(_label(text, "big"), 0, Qt.AlignmentFlag.AlignCenter)
        page.setProperty("heading", "民情办理公示")
        return page

    def _numbers_page(self, data: hall.HallData) -> QWidget:
        page = QWidget()
        page.setObjectName("numbers_page")
        grid = QGridLayout(page)
        n = data.numbers
        figures = [
            ("本月受理", f"{n.received} 件"),
            ("本月办结", f"{n.closed} 件"),
            ("本月公示", f"{n.posted} 件"),
            ("群众满意率", n.satisfaction),
        ]
        for i, (what, value) in enumerate(figures):
            box = QVBoxLayout()
            box.addStretch(1)
            box.addWidget(_label(value, "big"), 0, Qt.AlignmentFlag.AlignCenter)
            box.addWidget(_label(what, "head"), 0, Qt.AlignmentFlag.AlignCenter)
            box.addStretch(1)
            grid.addLayout(box, i // 2, i % 2)
        page.setProperty("heading", f"{data.month}民情办理情况")
        return page

    def _reception_page(self, data: hall.HallData) -> QWidget:
        page = QWidget()
        page.setObjectName("reception_page")
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        if not data.receptions:
            layout.addWidget(
                _label("接待日安排请咨询社区居务大厅。", "big"), 0, Qt.AlignmentFlag.AlignCenter
            )
        for row in data.receptions:
            weekday = WEEKDAYS[row.date.weekday()]
            when = f"{row.date.month}月{row.date.day}日（星期{weekday}）{row.hours}"
            name = row.kind if row.kind.endswith("接待") else f"{row.kind}接待"
            lines = [(f"{name}日", "head"), (when, "big")]
            if row.place:
                lines.append((f"地点：{row.place}", ""))
            if row.duty:
                lines.append((f"接待人：{row.duty_text}", ""))
            for text, role in lines:
                label = _label(text, role, wrap=True)
                label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
                layout.addWidget(label)
            layout.addSpacing(32)
        layout.addStretch(1)
        page.setProperty("heading", "欢迎居民来访反映情况")
        return page

    # --- cycling ------------------------------------------------------------------------------

    def show_page(self, index: int) -> None:
        self.pages.setCurrentIndex(index)
        page = self.pages.currentWidget()
        office = self.data.office if self.data else ""
        self.title.setText(f"{office}　{page.property('heading') or ''}")
        self.page_number.setText(f"{index + 1}/{self.pages.count()}")
        self.clock.setText(f"{dt.datetime.now():%Y年%m月%d日 %H:%M}")

    def next_page(self) -> None:
        following = self.pages.currentIndex() + 1
        if following >= self.pages.count():
            self.reload()  # a new round: fresh data
        else:
            self.show_page(following)

    def previous_page(self) -> None:
        self.show_page(max(self.pages.currentIndex() - 1, 0))

    def texts(self) -> list[str]:
        """Every text the screen can show in this round (for tests and checks)."""
        found = [self.title.text(), self.footer.text()]
        for i in range(self.pages.count()):
            found += [label.text() for label in self.pages.widget(i).findChildren(QLabel)]
        return found

    # --- events -------------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        unit = max(10, self.height() // 45)
        self.setStyleSheet(
            STYLE.format(body=unit * 5 // 4, title=unit * 2, big=unit * 3, small=unit)
        )
        super().resizeEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Escape:
            self.close()
        elif event.key() in (Qt.Key.Key_Right, Qt.Key.Key_Space, Qt.Key.Key_PageDown):
            self.timer.start()  # the next automatic turn waits a full interval
            self.next_page()
        elif event.key() in (Qt.Key.Key_Left, Qt.Key.Key_PageUp):
            self.timer.start()
            self.previous_page()
        else:
            super().keyPressEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        self.close()

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        self.timer.stop()
        super().closeEvent(event)


SCREEN_SETTING = "hall/screen"


def hall_screen(parent: QWidget | None) -> QScreen | None:
    """The monitor chosen for the hall (remembered by name); on a first start with a second
    monitor, that one (the hall's big screen), else the window's own."""
    screens = QGuiApplication.screens()
    wanted = app_settings().value(SCREEN_SETTING)
    for screen in screens:
        if wanted and screen.name() == wanted:
            return screen
    own = parent.screen() if parent is not None else QGuiApplication.primaryScreen()
    others = [s for s in screens if s is not own]
    return others[0] if others else own


def choose_screen(screen: QScreen) -> None:
    app_settings().setValue(SCREEN_SETTING, screen.name())


def open_hall_display(community: Community, parent: QWidget | None = None) -> HallDisplay:
    """Full screen on the hall's monitor. The geometry is set first: without a window manager
    (or before it answers) showFullScreen alone leaves a small window."""
    display = HallDisplay(community, parent=parent)
    display.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    screen = hall_screen(parent)
    if screen is not None:
        display.setScreen(screen)
        display.setGeometry(screen.geometry())
    display.showFullScreen()
    return display
