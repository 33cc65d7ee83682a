"""The stage board: cards per stage, moves through dialogs that ask only what is missing."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QDateEdit, QDialog, QDialogButtonBox, QMessageBox

from minqing.core.cases import queries
from minqing.core.cases import services as cases
from minqing.core.enums import Stage
from minqing.core.models import Case, Staff, Window
from minqing.gui.context import AppContext
from minqing.gui.dialogs.form import FormDialog
from minqing.gui.panels.board import BoardPanel


def type_text(widget, text: str) -> None:
    """Key presses carrying the text (QTest.keyClicks aborts on characters outside Latin-1)."""
    widget.setFocus()
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, char))


class DialogDriver:
    """Answers form dialogs through their widgets and records refusal messages; never blocks."""

    def __init__(self, qtbot, monkeypatch) -> None:
        self.qtbot = qtbot
        self.answers: list[dict | None] = []
        self.asked: list[tuple[str, list[str]]] = []
        self.refusals: list[str] = []
        monkeypatch.setattr(FormDialog, "exec", lambda dialog: self._exec(dialog))
        monkeypatch.setattr(QMessageBox, "exec", lambda box: self._message(box))

    def _message(self, box) -> int:
        self.refusals.append(box.text())
        return QMessageBox.StandardButton.Ok

    def _exec(self, dialog: FormDialog) -> int:
        dialog.show()
        self.asked.append(
            (dialog.windowTitle(), [f.key for f in dialog.fields if dialog._visible(f)])
        )
        answer = self.answers.pop(0)
        if answer is None:
            dialog.reject()
            return dialog.result()
        for key, value in answer.items():
            widget = dialog.widgets[key]
            if hasattr(widget, "findText"):
                index = widget.findText(value)
                if index < 0:  # a person is offered with role and grid: “赵刚（责任人·第二片区）”
                    index = widget.findText(f"{value}（", Qt.MatchFlag.MatchStartsWith)
                assert index >= 0, f"{value} not offered for {key}"
                widget.setCurrentIndex(index)
            elif isinstance(widget, QDateEdit):
                widget.setDate(value)
            elif hasattr(widget, "setChecked"):
                self.qtbot.mouseClick(
                    widget, Qt.MouseButton.LeftButton, pos=QPoint(8, widget.height() // 2)
                )
            else:
                type_text(widget, value)
        ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
        if dialog.result() != QDialog.DialogCode.Accepted:
            dialog.reject()
        dialog.close()
        return dialog.result()


@pytest.fixture
def clerk(office):
    return Staff.get(Staff.name == "张敏")


@pytest.fixture
def app_ctx(office, clerk, db_path):
    return AppContext(office, clerk, str(db_path))


@pytest.fixture
def driver(qtbot, monkeypatch):
    return DialogDriver(qtbot, monkeypatch)


@pytest.fixture
def board(qtbot, app_ctx):
    panel = BoardPanel(app_ctx)
    qtbot.addWidget(panel)
    panel.resize(1400, 800)
    panel.show()
    return panel


def new_case(clerk, text="楼道灯坏了", **values):
    window = values.pop("window", None) or Window.get(Window.name == "城建城管")
    return cases.take_in(
        channel="hotline",
        text=text,
        window=window,
        first_responder=clerk,
        contact_name="王秀英",
        contact_phone="13900001234",
        **values,
    ).case


def column_ids(board, stage):
    return [row.id for row in board.columns[stage].model.rows]


def select(qtbot, board, case_id):
    for column in board.columns.values():
        row = column.model.row_of(case_id)
        if row >= 0:
            rect = column.view.visualRect(column.model.index(row))
            qtbot.mouseClick(column.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
            assert board.selected_row().id == case_id
            return
    raise AssertionError("case not on the board")


def test_new_case_appears_in_intake(qtbot, board, app_ctx, clerk):
    case = new_case(clerk, urgent=True)
    app_ctx.case_changed.emit(case.id)
    qtbot.waitUntil(lambda: case.id in column_ids(board, Stage.INTAKE))
    assert board.columns[Stage.INTAKE].header.text() == "受理（1）"
    row = board.columns[Stage.INTAKE].model.rows[0]
    assert row.urgent and row.person == "王秀英" and row.window == "城建城管"


def test_move_through_every_stage_with_dialogs(qtbot, board, app_ctx, clerk, driver):
    case = new_case(clerk)
    board.refresh()
    driver.answers = [
        {"owner": "李红", "disposition": "即办件"},
        {"outcome": "已联系物业换好路灯"},
        {"reply_method": "电话答复", "reply_text": "已电话告知居民"},
        {"satisfaction": "满意"},
    ]
    for stage in (Stage.HANDLING, Stage.FEEDBACK, Stage.SUPERVISION, Stage.CLOSED):
        select(qtbot, board, case.id)
        qtbot.mouseClick(board.next_button, Qt.MouseButton.LeftButton)
        assert driver.refusals == []
        assert case.id in column_ids(board, stage)
    asked = [keys for _, keys in driver.asked]
    assert asked == [
        [
            "owner",
            "disposition",
        ],  # the disposition's own field appears only for types that need one
        ["outcome"],
        ["reply_method", "reply_text", "replied_on"],
        ["satisfaction"],
    ]
    saved = Case.get_by_id(case.id)
    assert (
        saved.stage == "closed"
        and saved.owner.name == "李红"
        and saved.outcome == "已联系物业换好路灯"
    )
    assert board.columns[Stage.CLOSED].header.text() == "办结（1）"


def test_only_missing_requirements_are_asked(qtbot, board, clerk, driver):
    owner = Staff.get(Staff.name == "赵刚")
    case = new_case(clerk, owner=owner)
    board.refresh()
    driver.answers = [{"disposition": "承诺件"}]
    select(qtbot, board, case.id)
    qtbot.mouseClick(board.next_button, Qt.MouseButton.LeftButton)
    assert driver.asked[0][1] == ["disposition"]  # owner already set: not asked
    assert case.id in column_ids(board, Stage.HANDLING)
    assert Case.get_by_id(case.id).promised_date == dt.date.today()


def test_shortcut_moves_selected_card(qtbot, board, clerk, driver):
    case = new_case(clerk, owner=Staff.get(Staff.name == "李红"), disposition="immediate")
    board.refresh()
    select(qtbot, board, case.id)
    view = board.columns[Stage.INTAKE].view
    view.setFocus()
    board.activateWindow()
    qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: case.id in column_ids(board, Stage.HANDLING))
    assert driver.asked == []  # nothing missing: no dialog at all


def test_refused_when_required_field_missing(qtbot, board, clerk, driver):
    case = new_case(clerk, owner=Staff.get(Staff.name == "李红"), disposition="immediate")
    cases.move(case, "handling", actor=clerk)
    board.refresh()
    driver.answers = [{"outcome": ""}]
    select(qtbot, board, case.id)
    qtbot.mouseClick(board.next_button, Qt.MouseButton.LeftButton)
    assert len(driver.refusals) == 1 and "办理结果" in driver.refusals[0]
    assert Case.get_by_id(case.id).stage == "handling"
    assert case.id in column_ids(board, Stage.HANDLING)


def test_drop_on_a_column_two_steps_ahead_is_refused(qtbot, board, clerk, driver):
    case = new_case(clerk)
    board.refresh()
    source = board.columns[Stage.INTAKE].model
    data = source.mimeData([source.index(0)])
    target = board.columns[Stage.FEEDBACK].model
    assert target.dropMimeData(data, Qt.DropAction.CopyAction, -1, 0, target.index(-1)) is False
    qtbot.waitUntil(lambda: len(driver.refusals) == 1)
    assert "不能直接转到“公示反馈”" in driver.refusals[0]
    assert Case.get_by_id(case.id).stage == "intake"


def test_drop_on_next_column_asks_and_moves(qtbot, board, clerk, driver):
    case = new_case(clerk)
    board.refresh()
    driver.answers = [
        {"owner": "赵刚", "disposition": "退回件", "return_reason": "属于物业管理范围"}
    ]
    source = board.columns[Stage.INTAKE].model
    target = board.columns[Stage.HANDLING].model
    target.dropMimeData(
        source.mimeData([source.index(0)]), Qt.DropAction.CopyAction, -1, 0, target.index(-1)
    )
    qtbot.waitUntil(lambda: case.id in column_ids(board, Stage.HANDLING))
    assert Case.get_by_id(case.id).return_reason == "属于物业管理范围"


def test_dissatisfied_resident_reopens_the_case(qtbot, board, clerk, driver):
    case = new_case(clerk, owner=Staff.get(Staff.name == "李红"), disposition="immediate")
    cases.move(case, "handling", actor=clerk)
    cases.move(case, "feedback", actor=clerk, outcome="已处理")
    cases.move(case, "supervision", actor=clerk, reply_method="phone", reply_text="已告知")
    board.refresh()
    driver.answers = [{"satisfaction": "不满意", "note": "灯又坏了"}]
    select(qtbot, board, case.id)
    qtbot.mouseClick(board.next_button, Qt.MouseButton.LeftButton)
    assert driver.asked[0][1] == ["satisfaction"]  # the reason row appears once 不满意 is chosen
    saved = Case.get_by_id(case.id)
    assert saved.reopen_count == 1 and saved.stage == "handling"
    assert case.id in column_ids(board, Stage.HANDLING)
    assert board.columns[Stage.HANDLING].model.rows[0].reopen_count == 1


def test_columns_fetch_pages_as_they_scroll(qtbot, board, clerk):
    for i in range(120):
        new_case(clerk, text=f"第{i}件")
    board.refresh()
    model = board.columns[Stage.INTAKE].model
    assert board.columns[Stage.INTAKE].header.text() == "受理（120）"
    assert model.rowCount() == 50 and model.canFetchMore()
    board.columns[Stage.INTAKE].view.scrollToBottom()
    qtbot.waitUntil(lambda: model.rowCount() == 100)
    model.fetchMore()
    assert model.rowCount() == 120 and not model.canFetchMore()


def test_filter_by_window(qtbot, board, clerk):
    new_case(clerk)
    new_case(clerk, window=Window.get(Window.name == "民政低保"))
    board.refresh()
    combo = board.filters.window
    combo.setCurrentIndex(combo.findText("民政低保"))
    assert board.columns[Stage.INTAKE].header.text() == "受理（1）"
    assert board.columns[Stage.INTAKE].model.rows[0].window == "民政低保"


def test_double_click_opens_detail(qtbot, board, app_ctx, clerk):
    case = new_case(clerk)
    board.refresh()
    view = board.columns[Stage.INTAKE].view
    rect = view.visualRect(view.model().index(0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.waitSignal(app_ctx.open_case) as signal:
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert signal.args == [case.id]


def test_on_a_narrow_screen_the_buttons_go_under_the_filters(qtbot, app_ctx):
    from minqing.gui.panels.board import BoardPanel

    board = BoardPanel(app_ctx)
    qtbot.addWidget(board)
    board.resize(1400, 500)
    board.show()
    qtbot.waitUntil(lambda: board.buttons_beside)
    board.resize(560, 500)
    qtbot.waitUntil(lambda: not board.buttons_beside)
    right = board.open_button.mapTo(board, board.open_button.rect().topRight()).x()
    assert board.open_button.isVisible() and right <= board.width()
    board.resize(1400, 500)
    qtbot.waitUntil(lambda: board.buttons_beside)


def test_owner_filter_offers_only_who_may_own_cases(qtbot, db_path, accounts):
    panel = BoardPanel(AppContext(accounts["admin"].community, accounts["admin"], str(db_path)))
    qtbot.addWidget(panel)
    combo = panel.filters.owner
    offered = {combo.itemText(i) for i in range(1, combo.count())}
    # owners and the leader; not the front desk, the supervisor or the administrator
    assert offered == {"李红", "赵刚", "王书记"}, offered


def test_a_column_lists_urgent_first_then_nearest_deadline_then_none(clerk):
    """The board's order within a stage (served by the case_board_order index)."""
    now = dt.datetime.now()
    made = {}
    for key, days_ago, urgent in (("later", 1, False), ("urgent", 1, True), ("sooner", 9, False)):
        taken = now - dt.timedelta(days=days_ago)
        case = new_case(clerk, taken_at=taken, urgent=urgent, disposition="immediate")
        made[key] = case.id
    waiting = new_case(clerk, taken_at=now - dt.timedelta(days=20))  # not sorted yet: no deadline
    assert Case.get_by_id(waiting.id).due_date is None
    order = [row.id for row in queries.board_cards(Stage.INTAKE)]
    assert order == [made["urgent"], made["sooner"], made["later"], waiting.id]
