"""流水线看板: a column per stage, cards painted by a delegate and fetched as they scroll in.

Moving a card (drag to the next column, the 下一步 button or Ctrl+→) goes through
dialogs.actions.move_case, which asks only for what the transition still needs.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QItemSelection, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from minqing.core import community as community_service
from minqing.core.accounts import permissions
from minqing.core.cases import queries
from minqing.core.cases import services as cases
from minqing.core.cases.pipeline import (
    ENTRY_PERMISSION,
    STAGE_DESCRIPTIONS,
    STAGES,
    next_transition,
)
from minqing.core.cases.stage_actions import movable
from minqing.core.enums import Channel, Stage
from minqing.core.errors import MinqingError
from minqing.gui.context import AppContext
from minqing.gui.dialogs.actions import move_case
from minqing.gui.dialogs.messages import show_refusal
from minqing.gui.models.card_delegate import CardDelegate
from minqing.gui.models.stage_cards import CaseRole, StageCardsModel
from minqing.gui.panels import PanelSpec

DATE_PRESETS = ["全部日期", "今天", "近7天", "近30天", "今年", "自定义…"]


def fill_choices(combo: QComboBox, items: list[tuple[object, str]]) -> None:
    """Refill a filter combo (its first entry “all”) keeping the current choice, silently."""
    current = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(combo.property("everything"), None)
    for value, label in items:
        combo.addItem(label, value)
    combo.setCurrentIndex(max(combo.findData(current), 0) if current is not None else 0)
    combo.blockSignals(False)


class FilterBar(QWidget):
    """Filters shared by the board and the case list; emits `changed` with nothing to read."""

    changed = Signal()

    def __init__(
        self, ctx: AppContext, with_stage: bool = False, with_overdue: bool = False
    ) -> None:
        super().__init__()
        self.ctx = ctx
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.stage = self._combo("stage", "全部环节", layout) if with_stage else None
        self.window = self._combo("window", "全部窗口", layout)
        self.grid = self._combo("grid", "全部片区", layout)
        self.owner = self._combo("owner", "全部责任人", layout)
        self.channel = self._combo("channel", "全部渠道", layout)
        self.dates = QComboBox()
        self.dates.setObjectName("dates")
        self.dates.addItems(DATE_PRESETS)
        layout.addWidget(self.dates)
        today = QDate.currentDate()
        self.date_from = QDateEdit(today.addDays(-30))
        self.date_to = QDateEdit(today)
        for edit, name in ((self.date_from, "date_from"), (self.date_to, "date_to")):
            edit.setObjectName(name)
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setVisible(False)
            edit.dateChanged.connect(self.changed)
            layout.addWidget(edit)
        self.overdue = QCheckBox("只看超期") if with_overdue else None
        if self.overdue is not None:
            self.overdue.setObjectName("overdue")
            self.overdue.toggled.connect(self.changed)
            layout.addWidget(self.overdue)
        layout.addStretch(1)
        self.dates.currentIndexChanged.connect(self._dates_changed)
        self.load_choices()
        ctx.data_reset.connect(self.load_choices)

    def _combo(self, name: str, everything: str, layout: QHBoxLayout) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        combo.setProperty("everything", everything)
        combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        combo.setMinimumContentsLength(5)
        combo.currentIndexChanged.connect(self.changed)
        layout.addWidget(combo)
        return combo

    def load_choices(self) -> None:
        community = self.ctx.community.id if self.ctx.community else None
        if self.stage is not None:
            fill_choices(self.stage, [(s.value, s.label) for s in STAGES])
        fill_choices(self.window, [(w.id, w.name) for w in community_service.windows()])
        fill_choices(self.grid, [(g.id, g.name) for g in community_service.grids(community)])
        fill_choices(self.owner, [(s.id, s.name) for s in community_service.owners(community)])
        fill_choices(self.channel, list(Channel.choices()))

    def _dates_changed(self) -> None:
        custom = self.dates.currentIndex() == len(DATE_PRESETS) - 1
        self.date_from.setVisible(custom)
        self.date_to.setVisible(custom)
        self.changed.emit()

    def date_range(self) -> tuple[dt.date | None, dt.date | None]:
        today = dt.date.today()
        choice = self.dates.currentIndex()
        if choice == 1:
            return today, today
        if choice == 2:
            return today - dt.timedelta(days=6), today
        if choice == 3:
            return today - dt.timedelta(days=29), today
        if choice == 4:
            return dt.date(today.year, 1, 1), today
        if choice == 5:
            return self.date_from.date().toPython(), self.date_to.date().toPython()
        return None, None

    def filter(self, text: str = "") -> queries.CaseFilter:
        start, end = self.date_range()
        return queries.CaseFilter(
            window_id=self.window.currentData(),
            grid_id=self.grid.currentData(),
            owner_id=self.owner.currentData(),
            channel=self.channel.currentData(),
            stage=self.stage.currentData() if self.stage is not None else None,
            date_from=start,
            date_to=end,
            overdue=bool(self.overdue and self.overdue.isChecked()),
            text=text,
            phones=permissions.may_search_phones(self.ctx.staff),
        )


class StageColumn(QFrame):
    def __init__(self, stage: Stage) -> None:
        super().__init__()
        self.stage = stage
        self.setObjectName(f"column_{stage.value}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        self.header = QLabel()
        self.header.setObjectName("header")
        self.header.setToolTip(STAGE_DESCRIPTIONS[stage])
        self.header.setStyleSheet(
            "font-weight: bold; padding: 4px; background: #e8eef7; border-radius: 4px;"
        )
        layout.addWidget(self.header)
        self.model = StageCardsModel(stage, self)
        self.view = QListView()
        self.view.setObjectName(f"cards_{stage.value}")
        self.view.setModel(self.model)
        self.view.setItemDelegate(CardDelegate(self.view))
        self.view.setUniformItemSizes(True)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setDragEnabled(True)
        self.view.setAcceptDrops(True)
        self.view.setDropIndicatorShown(False)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.view.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.view.setStyleSheet("QListView { background: #f4f6f9; border: none; }")
        self.view.setMinimumWidth(200)
        # cards take the column's width; a sideways scrollbar only costs a line of cards
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout.addWidget(self.view, 1)

    def set_count(self, count: int) -> None:
        self.header.setText(f"{self.stage.label}（{count}）")


class BoardPanel(QWidget):
    def __init__(self, ctx: AppContext) -> None:
        super().__init__()
        self.ctx = ctx
        self.setObjectName("board_panel")
        outer = QVBoxLayout(self)
        self.top = QGridLayout()
        self.top.setContentsMargins(0, 0, 0, 0)
        self.filters = FilterBar(ctx)
        self.top.addWidget(self.filters, 0, 0)
        self.top.setColumnStretch(0, 1)
        self.next_button = QPushButton("下一步 (Ctrl+→)")
        self.next_button.setObjectName("next_step")
        self.next_button.setToolTip("把选中的民情转到下一个环节，只询问这一步需要的内容")
        self.next_button.clicked.connect(self.advance_selected)
        self.open_button = QPushButton("详情")
        self.open_button.setObjectName("open_detail")
        self.open_button.clicked.connect(self.open_selected)
        self.buttons = QWidget()
        buttons = QHBoxLayout(self.buttons)
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.next_button)
        buttons.addWidget(self.open_button)
        self.buttons.setMinimumWidth(1)  # their width never widens the panel: they wrap
        self.buttons_beside = True
        self.top.addWidget(self.buttons, 0, 1)
        outer.addLayout(self.top)
        lane = QWidget()
        lane.setObjectName("board_lane")
        row = QHBoxLayout(lane)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        self.columns: dict[Stage, StageColumn] = {}
        self._enforced: bool | None = None
        for stage in STAGES:
            column = StageColumn(stage)
            column.model.may_drag = self.may_move
            column.model.viewer = self.ctx.staff
            column.model.drop_requested.connect(self._dropped)
            column.view.selectionModel().selectionChanged.connect(
                lambda selected, _old, s=stage: self._selected(s, selected)
            )
            column.view.activated.connect(lambda index: self._open(index.data(CaseRole)))
            self.columns[stage] = column
            row.addWidget(column, 1)
        # on a narrow screen the columns scroll sideways; the filters and buttons stay in view
        self.lane = QScrollArea()
        self.lane.setObjectName("board_scroll")
        self.lane.setWidgetResizable(True)
        self.lane.setFrameShape(QFrame.Shape.NoFrame)
        self.lane.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.lane.setWidget(lane)
        outer.addWidget(self.lane, 1)
        QShortcut(
            QKeySequence("Ctrl+Right"),
            self,
            self.advance_selected,
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )
        self.selected_id: int | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.refresh)
        self.filters.changed.connect(self.refresh)
        ctx.case_changed.connect(self._timer.start)
        ctx.data_reset.connect(self._timer.start)
        ctx.external_change.connect(self._timer.start)
        self.refresh()
        self._update_buttons()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        """On a narrow screen the buttons go under the filters instead of off the edge."""
        super().resizeEvent(event)
        beside = (
            self.width() >= self.filters.sizeHint().width() + self.buttons.sizeHint().width() + 24
        )
        if beside != self.buttons_beside:
            self.buttons_beside = beside
            self.top.removeWidget(self.buttons)
            if beside:
                self.top.addWidget(self.buttons, 0, 1)
            else:
                self.top.addWidget(self.buttons, 1, 0, Qt.AlignmentFlag.AlignRight)

    def refresh(self) -> None:
        flt = self.filters.filter()
        counts = queries.board_counts(flt)
        for stage, column in self.columns.items():
            column.model.reload(flt, counts[stage], keep=len(column.model.rows))
            column.set_count(counts[stage])
        self._reselect()

    def _reselect(self) -> None:
        if self.selected_id is None:
            return
        for column in self.columns.values():
            row = column.model.row_of(self.selected_id)
            if row >= 0:
                column.view.setCurrentIndex(column.model.index(row))
                column.view.scrollTo(column.model.index(row))
                return
        self.selected_id = None
        self._update_buttons()

    def _selected(self, stage: Stage, selection: QItemSelection) -> None:
        indexes = selection.indexes()
        if indexes:
            self.selected_id = indexes[0].data(CaseRole).id
            for other, column in self.columns.items():
                if other != stage:
                    column.view.selectionModel().clearSelection()
        self._update_buttons()

    def selected_row(self) -> queries.CaseRow | None:
        for column in self.columns.values():
            index = column.view.currentIndex()
            if index.isValid() and column.view.selectionModel().isSelected(index):
                row: queries.CaseRow = index.data(CaseRole)
                return row
        return None

    def _update_buttons(self) -> None:
        row = self.selected_row()
        step = next_transition(row.stage) if row else None
        self.next_button.setEnabled(row is not None and self.may_move(row))
        self.next_button.setText(
            f"{step.action} → {step.target.label} (Ctrl+→)" if step else "下一步 (Ctrl+→)"
        )
        self.open_button.setEnabled(row is not None)

    def may_move(self, row: queries.CaseRow) -> bool:
        """Whether the signed-in person may take this card on (core's `movable`: the role, and
        for an owner, their own cases by owner id). Roles are enforced or not for the whole
        session, so that is asked once: flags() runs on every paint."""
        if self._enforced is None:
            self._enforced = self.ctx.staff is not None and permissions.enforced()
        return movable(row, self.ctx.staff, enforced=self._enforced) is not None

    def select_case(self, case_id: int) -> bool:
        self.selected_id = case_id
        self._reselect()
        return self.selected_id == case_id

    def advance_selected(self) -> None:
        row = self.selected_row()
        step = next_transition(row.stage) if row else None
        if row is None or step is None:
            return
        if move_case(self, self.ctx, row.id, step.target):
            self.refresh()

    def _dropped(self, case_id: int, _source: str, target: str) -> None:
        self.selected_id = case_id
        reason = self._refusal(case_id, Stage(target))
        if reason:
            show_refusal(self, reason)
            return
        QTimer.singleShot(
            0, lambda: move_case(self, self.ctx, case_id, Stage(target)) and self.refresh()
        )

    def _refusal(self, case_id: int, target: Stage) -> str | None:
        """Why the signed-in role may not move this case to `target` (a drop that got through)."""
        if self.ctx.staff is None or not permissions.enforced():
            return None
        try:
            case = cases.get_case(case_id)
        except MinqingError as exc:
            return exc.message
        return permissions.refusal(self.ctx.staff, ENTRY_PERMISSION[target], case)

    def open_selected(self) -> None:
        self._open(self.selected_row())

    def _open(self, row: queries.CaseRow | None) -> None:
        if row is not None:
            self.ctx.open_case.emit(row.id)


PANEL = PanelSpec(
    object_name="board",
    title="流水线看板",
    factory=BoardPanel,
    area=Qt.DockWidgetArea.RightDockWidgetArea,
    tab_with=None,
    shortcut="Ctrl+2",
)
