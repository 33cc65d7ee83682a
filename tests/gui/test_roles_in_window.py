"""The window for each role: what the role may not do is hidden or disabled."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QAction

from minqing.core.accounts.models import ExportLog
from minqing.core.cases import services as cases
from minqing.core.models import Window
from minqing.gui.admin_menu import AuditDialog
from minqing.gui.operations import wait_for_all


def signed_in_window(qtbot, db_path, staff):
    from minqing.app import build_window

    window = build_window(str(db_path), staff)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def admin_menu(window):
    return [a for a in window.menuBar().actions() if a.text().startswith("管理")]


@pytest.fixture
def handling_case(accounts):
    clerk = accounts["front_desk"]
    case = cases.take_in(
        channel="walk_in",
        text="楼道灯坏了",
        window=Window.get(Window.name == "城建城管"),
        first_responder=clerk,
        contact_name="王秀英",
        actor=clerk,
    ).case
    cases.move(case, "handling", owner=accounts["owner"], disposition="immediate", actor=clerk)
    return case


@pytest.mark.parametrize(
    "role, admin, intake, outcome, check",
    [
        ("front_desk", False, True, False, False),
        ("owner", False, False, True, False),
        ("leader", True, True, True, True),
        ("supervisor", False, False, False, True),
        ("admin", True, False, False, False),
    ],
)
def test_each_role_sees_what_it_may_do(
    qtbot, db_path, accounts, handling_case, dialogs, role, admin, intake, outcome, check
):
    window = signed_in_window(qtbot, db_path, accounts[role])
    assert bool(admin_menu(window)) == admin
    # found by its object name, not its text: only the administrator edits the calendar
    holidays = window.findChild(QAction, "importHolidays")
    assert holidays is not None and holidays.isEnabled() == (role == "admin")
    assert window.docks["intake"].toggleViewAction().isEnabled() == intake
    detail = window.panel("detail")
    detail.show_case(handling_case.id)
    assert detail.buttons["outcome"].isEnabled() == outcome
    assert detail.buttons["check"].isEnabled() == check
    assert detail.next_button.isEnabled() == outcome  # handling → feedback is the owner's
    window.close()


def test_audit_view_export_is_logged(qtbot, db_path, accounts, handling_case, dialogs, tmp_path):
    dialog = AuditDialog(type("Ctx", (), {"staff": accounts["admin"]})())
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() >= 3
    assert any(line.subject == handling_case.number for line in dialog.lines)
    dialog.export(str(tmp_path / "操作记录.xlsx"))
    assert wait_for_all()
    log = ExportLog.get()
    assert log.actor_name == "管理员" and log.what == "操作记录" and log.rows == len(dialog.lines)


# ---- every panel: the buttons each role is offered ----------------------------------------

ALL = {"front_desk", "owner", "leader", "supervisor", "admin"}

# (panel, button objectName) → the roles that see it; the rest never get it offered
OFFERED = {
    ("supervision", "check"): {"supervisor", "leader"},
    ("supervision", "callback"): {"supervisor", "leader"},
    ("supervision", "draw"): {"supervisor", "leader"},
    ("members", "add"): {"leader"},
    ("members", "edit"): {"leader"},
    ("members", "link_group"): {"leader"},
    ("commitments", "pledge"): {"leader"},
    ("commitments", "fulfil"): {"leader"},
    ("commitments", "review"): {"leader"},
    ("commitments", "print_all"): ALL,
    ("registry", "add_household"): {"front_desk", "leader"},
    ("registry", "edit_resident"): {"front_desk", "leader"},
    ("registry", "mark_status"): {"front_desk", "leader"},
    ("registry", "record_visit"): {"front_desk", "owner", "leader"},
    ("registry", "import"): {"leader", "admin"},
    ("registry", "export"): ALL,  # masked for those without export.personal
    ("programmes", "save"): {"leader"},
    ("programmes", "enrol"): {"front_desk", "leader"},
    ("programmes", "issue_all"): {"front_desk", "leader"},
    ("programmes", "reissue"): {"front_desk", "leader"},
    ("visits", "record"): {"front_desk", "owner", "leader"},
    ("reception", "add"): {"front_desk", "leader", "admin"},
    ("reception", "cancel"): {"front_desk", "leader", "admin"},
    ("reception", "start"): {"front_desk", "leader"},
    ("reception", "register"): {"front_desk", "leader"},
    ("diary", "write"): {"leader"},
    ("diary", "delete"): {"leader"},
    ("diary", "to_case"): {"front_desk", "leader"},
}


@pytest.mark.parametrize("role", sorted(ALL))
def test_each_panel_offers_only_what_the_role_may_do(qtbot, db_path, accounts, dialogs, role):
    from PySide6.QtWidgets import QWidget

    window = signed_in_window(qtbot, db_path, accounts[role])
    offered = {}
    for (panel_name, button), _roles in OFFERED.items():
        panel = window.panel(panel_name)
        widget = panel.findChild(QWidget, button)
        assert widget is not None, (panel_name, button)
        offered[panel_name, button] = not widget.isHidden()
    expected = {key: role in roles for key, roles in OFFERED.items()}
    assert offered == expected
    window.close()


# ---- the board: no drag for a card the role may not move on -------------------------------


def _card_flags(board, case_id):
    from PySide6.QtCore import Qt

    for column in board.columns.values():
        row = column.model.row_of(case_id)
        if row >= 0:
            flags = column.model.flags(column.model.index(row))
            return bool(flags & Qt.ItemFlag.ItemIsDragEnabled)
    raise AssertionError("card not on the board")


@pytest.mark.parametrize(
    "role, drags",
    [("front_desk", False), ("owner", True), ("leader", True), ("supervisor", False)],
)
def test_board_drag_starts_only_for_a_role_that_may_move(
    qtbot, db_path, accounts, handling_case, dialogs, role, drags
):
    window = signed_in_window(qtbot, db_path, accounts[role])
    board = window.panel("board")
    board.refresh()
    assert _card_flags(board, handling_case.id) == drags  # handling → feedback: the owner's
    window.close()


def test_board_drag_of_someone_elses_case_is_not_offered_to_an_owner(
    qtbot, db_path, accounts, handling_case, dialogs
):
    cases.assign_owner(handling_case.id, accounts["leader"], actor=accounts["leader"])
    window = signed_in_window(qtbot, db_path, accounts["owner"])
    board = window.panel("board")
    board.refresh()
    assert not _card_flags(board, handling_case.id)
    window.close()


def test_a_drop_that_gets_through_is_refused_with_the_reason(
    qtbot, db_path, accounts, handling_case, dialogs, monkeypatch
):
    from minqing.gui.panels import board as board_module

    refused = []
    monkeypatch.setattr(board_module, "show_refusal", lambda _p, text: refused.append(text))
    window = signed_in_window(qtbot, db_path, accounts["supervisor"])
    board = window.panel("board")
    board._dropped(handling_case.id, "handling", "feedback")
    assert refused and "督查员人员不能办理民情" in refused[0]
    assert cases.get_case(handling_case.id).stage == "handling"
    window.close()


# ---- masking and export logging in the window ---------------------------------------------


def test_detail_masks_the_phone_for_a_supervisor_not_for_the_owner(
    qtbot, db_path, accounts, dialogs
):
    clerk = accounts["front_desk"]
    case = cases.take_in(
        channel="walk_in",
        text="楼道灯坏了",
        window=Window.get(Window.name == "城建城管"),
        first_responder=clerk,
        contact_name="王秀英",
        contact_phone="13812345678",
        actor=clerk,
    ).case
    cases.move(case, "handling", owner=accounts["owner"], disposition="immediate", actor=clerk)
    for role, phone in (
        ("supervisor", "138****5678"),
        ("owner", "13812345678"),  # their own case
        ("leader", "13812345678"),
    ):
        window = signed_in_window(qtbot, db_path, accounts[role])
        detail = window.panel("detail")
        detail.show_case(case.id)
        assert detail.values["phone"].text() == phone, role
        window.close()


@pytest.mark.parametrize(
    "role, what, full",
    [("supervisor", "民情受理日志", False), ("leader", "民情受理日志（含完整电话）", True)],
)
def test_register_print_masks_by_role_and_is_logged(
    qtbot, db_path, accounts, dialogs, monkeypatch, role, what, full
):
    from minqing.gui import print_center
    from tests.printing.pdf_helpers import all_text

    monkeypatch.setattr(print_center, "open_externally", lambda _path: None)
    clerk = accounts["front_desk"]
    cases.take_in(
        channel="walk_in",
        text="楼道灯坏了",
        window=Window.get(Window.name == "城建城管"),
        first_responder=clerk,
        contact_name="王秀英",
        contact_phone="13812345678",
        actor=clerk,
    )
    window = signed_in_window(qtbot, db_path, accounts[role])
    window.panel("case_list")  # the register prints what the list shows, without asking
    center = window.print_center
    with qtbot.waitSignal(center.done, timeout=30000) as blocker:
        center.print_register()
    text = all_text(blocker.args[0].path)
    assert ("13812345678" in text) == full and ("138****5678" in text) != full
    log = ExportLog.get()
    assert (log.actor_name, log.what, log.rows) == (accounts[role].name, what, 1)
    window.close()


def test_statistics_export_is_logged(qtbot, db_path, accounts, handling_case, dialogs, tmp_path):
    window = signed_in_window(qtbot, db_path, accounts["leader"])
    panel = window.panel("statistics")
    qtbot.waitUntil(lambda: not panel.busy and panel.stats is not None, timeout=10000)
    path = tmp_path / "统计.xlsx"
    panel.export_to(str(path))
    qtbot.waitUntil(lambda: ExportLog.select().exists(), timeout=10000)
    log = ExportLog.get()
    assert (log.actor_name, log.what, log.path) == ("王书记", "民情统计", str(path))
    window.close()
