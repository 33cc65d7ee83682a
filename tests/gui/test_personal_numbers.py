"""Numbers typed into a case's words are masked in the window for a role that may not see
personal data (the supervisor), in the case list, the board's card and the detail panel."""

from __future__ import annotations

from minqing.core.cases import services as cases
from minqing.core.cases.export import TEXT_COLUMN
from minqing.core.models import Window
from minqing.gui.context import AppContext
from minqing.gui.panels.case_list import CaseListPanel
from minqing.gui.panels.detail import DetailPanel

TEXT = "楼道灯坏了，回电 139 0000 1111，身份证11010519491231002X"


def test_supervisor_sees_masked_numbers_front_desk_full(qtbot, accounts, db_path):
    case = cases.take_in(
        channel="walk_in",
        text=TEXT,
        window=Window.get(Window.name == "城建城管"),
        first_responder=accounts["front_desk"],
        contact_name="王秀英",
    ).case
    shown = {}
    for role in ("supervisor", "front_desk"):
        ctx = AppContext(accounts[role].community, accounts[role], str(db_path))
        listing = CaseListPanel(ctx)
        detail = DetailPanel(ctx)
        qtbot.addWidget(listing)
        qtbot.addWidget(detail)
        listing.reload()
        row = listing.model.ids.index(case.id)
        cell = listing.model.index(row, TEXT_COLUMN).data()
        ctx.open_case.emit(case.id)
        shown[role] = (cell, detail.values["text"].text())
    for text in shown["supervisor"]:
        assert "139****1111" in text and "110105********002X" in text
        assert "139 0000 1111" not in text and "11010519491231002X" not in text
    assert all(text == TEXT for text in shown["front_desk"])


def test_supervision_list_masks_numbers_for_the_supervisor(qtbot, accounts, db_path):
    import datetime as dt

    from minqing.core.enums import Stage
    from minqing.core.supervision.services import DueRow
    from minqing.gui.panels.supervision import SupervisionPanel

    ctx = AppContext(accounts["supervisor"].community, accounts["supervisor"], str(db_path))
    panel = SupervisionPanel(ctx)
    qtbot.addWidget(panel)
    row = DueRow(
        1, "2026-00001", Stage.HANDLING, "城建城管", "李红", TEXT, dt.date.today(), None, None
    )
    panel._fill_cases(panel.due, [row])
    item = panel.due.topLevelItem(0)
    for shown in (item.text(6), item.toolTip(6)):
        assert "139****1111" in shown and "139 0000 1111" not in shown


def test_monthly_report_and_statistics_export_hidden_without_stats_view(
    qtbot, accounts, db_path, monkeypatch
):
    from PySide6.QtWidgets import QMenuBar, QWidget

    from minqing.gui import print_center
    from minqing.gui.panels.statistics import StatisticsPanel

    for role, visible in (("front_desk", False), ("leader", True)):
        ctx = AppContext(accounts[role].community, accounts[role], str(db_path))
        host = QWidget()
        qtbot.addWidget(host)
        host.ctx = ctx
        menu = print_center.PrintCenter(host).build_menu(QMenuBar(host))
        menu.aboutToShow.emit()
        assert menu.findChild(object, "print_report").isVisible() is visible, role
        panel = StatisticsPanel(ctx)
        qtbot.addWidget(panel)
        assert panel.export_button.isEnabled() is visible, role
