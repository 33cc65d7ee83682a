"""First start: an empty database gets its community here, or the user looks at the demo first.

Kept to what the office knows on day one — name, hotline, the grids with their staff and
lines. Everything else (residents, posts, windows) can be entered later.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from minqing.core import community as community_service
from minqing.core.errors import DomainError, MinqingError
from minqing.gui import errors

if TYPE_CHECKING:
    from minqing.core.models import Community

GRID_COLUMNS = ["片区名称", "负责人", "民情专线"]
DEMO_RESULT = 2


class WelcomeDialog(QDialog):
    """Accepted: `community` holds the new community. done(DEMO_RESULT): open the demo."""

    def __init__(self, parent: QWidget | None = None, demo_available: bool = True) -> None:
        super().__init__(parent)
        self.setObjectName("welcome")
        self.setWindowTitle("欢迎使用民情流水线")
        self.community: Community | None = None
        self.resize(640, 560)
        layout = QVBoxLayout(self)
        title = QLabel("欢迎使用民情流水线")
        title.setObjectName("welcomeTitle")
        layout.addWidget(title)
        intro = QLabel(
            "这个数据文件里还没有社区。请填写本社区的基本情况，几分钟就能开始受理民情；"
            "居民、住户等资料以后可以慢慢补充。\n也可以先打开演示社区看看（演示数据单独存放，不会混进本社区的数据）。"
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)

        form = QFormLayout()
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("communityName")
        self.name_edit.setPlaceholderText("如：中和社区")
        self.hotline_edit = QLineEdit()
        self.hotline_edit.setObjectName("hotline")
        self.hotline_edit.setPlaceholderText("如：0451-86123456")
        self.staff_edit = QLineEdit()
        self.staff_edit.setObjectName("staffName")
        self.staff_edit.setPlaceholderText("社区负责人姓名（可不填）")
        form.addRow("社区名称(&N)", self.name_edit)
        form.addRow("民情热线(&H)", self.hotline_edit)
        form.addRow("社区负责人(&L)", self.staff_edit)
        layout.addLayout(form)

        layout.addWidget(QLabel("片区（分片负责，职责到户）：每个片区的负责人和民情专线"))
        self.grids = QTableWidget(0, len(GRID_COLUMNS))
        self.grids.setObjectName("grids")
        self.grids.setHorizontalHeaderLabels(GRID_COLUMNS)
        self.grids.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.grids.verticalHeader().setVisible(False)
        self.grids.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.grids.setTabKeyNavigation(True)
        layout.addWidget(self.grids, 1)
        row_buttons = QHBoxLayout()
        self.add_button = QPushButton("添加片区(&A)")
        self.add_button.clicked.connect(lambda: self.add_grid_row())
        self.remove_button = QPushButton("删除所选片区")
        self.remove_button.clicked.connect(self.remove_grid_row)
        row_buttons.addWidget(self.add_button)
        row_buttons.addWidget(self.remove_button)
        row_buttons.addStretch(1)
        layout.addLayout(row_buttons)

        self.error_label = QLabel("")
        self.error_label.setObjectName("errorLabel")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        layout.addWidget(self.error_label)

        buttons = QHBoxLayout()
        self.demo_button = QPushButton("打开演示社区(&D)")
        self.demo_button.setObjectName("demoButton")
        self.demo_button.setVisible(demo_available)
        self.demo_button.clicked.connect(lambda: self.done(DEMO_RESULT))
        self.create_button = QPushButton("创建社区(&C)")
        self.create_button.setObjectName("createButton")
        self.create_button.setDefault(True)
        self.create_button.clicked.connect(self.create)
        quit_button = QPushButton("退出")
        quit_button.clicked.connect(self.reject)
        buttons.addWidget(self.demo_button)
        buttons.addStretch(1)
        buttons.addWidget(quit_button)
        buttons.addWidget(self.create_button)
        layout.addLayout(buttons)
        for _ in range(2):
            self.add_grid_row()
        self.name_edit.setFocus()

    def add_grid_row(self, name: str = "", staff: str = "", line: str = "") -> None:
        row = self.grids.rowCount()
        self.grids.insertRow(row)
        for column, value in enumerate((name or f"第{row + 1}片区", staff, line)):
            self.grids.setItem(row, column, QTableWidgetItem(value))

    def remove_grid_row(self) -> None:
        rows = sorted({i.row() for i in self.grids.selectedIndexes()}, reverse=True)
        for row in rows or [self.grids.rowCount() - 1]:
            if row >= 0:
                self.grids.removeRow(row)

    def grid_specs(self) -> list[community_service.GridSpec]:
        specs = []
        for row in range(self.grids.rowCount()):
            values = [
                (self.grids.item(row, c).text().strip() if self.grids.item(row, c) else "")
                for c in range(len(GRID_COLUMNS))
            ]
            if any(values):
                specs.append(community_service.GridSpec(*values))
        return specs

    def create(self) -> None:
        self.error_label.clear()
        try:
            self.community = community_service.create_community(
                self.name_edit.text(),
                self.hotline_edit.text(),
                self.grid_specs(),
                staff_name=self.staff_edit.text(),
            )
        except DomainError as exc:
            self.error_label.setText(str(exc))
            self.error_label.show()
            target = {"name": self.name_edit, "hotline": self.hotline_edit}.get(exc.field or "")
            if target is not None:
                target.setFocus(Qt.FocusReason.OtherFocusReason)
            else:
                self.grids.setFocus()
            return
        except MinqingError as exc:
            self.error_label.setText(str(exc))
            self.error_label.show()
            return
        except Exception as exc:
            errors.report(self, exc, "创建社区")
            return
        self.accept()
