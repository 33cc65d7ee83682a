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
