"""The 打印 menu: every document of printing.documents, made in a worker and then shown.

A document is written to the data folder's 打印 subfolder (a time-stamped name, so a PDF
still open in a viewer is never overwritten), with a progress dialog whose 取消 really stops
batch documents (their print functions write nothing when progress returns False). The
result opens in the system's PDF viewer, which previews and prints it (Qt's PDF module comes
only with the WebEngine wheels this program does not install).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QMenuBar, QWidget

from minqing import paths
from minqing.core.accounts import permissions
from minqing.gui import errors
from minqing.gui.dialogs.print_options import (
    CardsDialog,
    DateRangeDialog,
    MonthDialog,
    PaperDialog,
    QuarterDialog,
)
from minqing.gui.operations import Op
from minqing.gui.widgets.viewer import open_document

if TYPE_CHECKING:
    from minqing.gui.main_window import MainWindow
    from minqing.printing.common import PrintResult

log = logging.getLogger("minqing.gui")

Work = Callable[[Path, Callable[[int, int], bool]], "PrintResult"]


def exec_dialog(dialog: QWidget) -> bool:
    """Where the option dialogs run, so tests can answer them."""
    return bool(dialog.exec())  # type: ignore[attr-defined]


def output_folder() -> Path:
    folder = paths.data_dir() / "打印"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def open_externally(path: Path) -> None:
    open_document(path)


class PrintCenter(QObject):
    """Owns the 打印 menu of the main window and the one print job that may be running."""

    done = Signal(object)  # PrintResult, cancelled ones included

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.job: Op[PrintResult] | None = None
        self.last_path: Path | None = None

    # the menu -----------------------------------------------------------------------------

    def build_menu(self, bar: QMenuBar) -> QMenu:
        menu = bar.addMenu("打印(&P)")
        menu.setObjectName("printMenu")
        for key, text, slot in (
            ("notice", "民情办理公示…", self.print_notice),
            ("register", "民情受理日志（当前列表）", self.print_register),
            ("flowchart", "民情流水线服务流程图", self.print_flowchart),
            ("cards", "民情连心卡…", self.print_cards),
            ("report", "月报…", self.print_report),
            ("commitments", "党员公开承诺书…", self.print_commitments),
            ("calibration", "连心卡校准页（双面）", self.print_calibration),
        ):
            action = menu.addAction(text)
            action.setObjectName(f"print_{key}")
            action.triggered.connect(slot)
        menu.aboutToShow.connect(self._hide_refused)
        menu.addSeparator()
        folder = menu.addAction("打开打印文件夹")
        folder.setObjectName("print_folder")
        folder.triggered.connect(lambda: open_externally(output_folder()))
        self.menu = menu
        return menu

    def _hide_refused(self) -> None:
        """The monthly report names staff with their faults: only roles with stats.view see it
        (core refuses the others anyway)."""
        report = self.menu.findChild(QAction, "print_report")
        if report is not None:
            report.setVisible(permissions.allowed(self.staff, "stats.view"))

    @property
    def staff(self) -> Any:
        """Who prints: the signed-in staff member (None before accounts exist)."""
        return getattr(getattr(self.window, "ctx", None), "staff", None)

    @property
    def busy(self) -> bool:
        return self.job is not None

    # the documents ------------------------------------------------------------------------

    def print_notice(self) -> None:
        dialog = DateRangeDialog(
            "民情办理公示",
            "公示期（默认本月）内标记公示的民情，个人信息已隐去。",
            parent=self.window,
            paper=True,
        )
        if not exec_dialog(dialog):
            return
        start, end = dialog.values()
        paper, red = dialog.paper_value(), dialog.red_value()
        from minqing.printing.documents import print_notice

        staff = self.staff

        self.run(
            "民情办理公示",
            f"民情办理公示-{start:%Y%m%d}-{end:%Y%m%d}",
            lambda out, progress: print_notice(
                out, start=start, end=end, progress=progress, actor=staff, paper=paper, red=red
            ),
            batch=True,
        )

    def print_register(self) -> None:
        """What the case list shows (its filter and order); without the list, a period."""
        from minqing.core.cases.queries import CaseFilter
        from minqing.printing.documents import print_register

        panel = self.window.panels.get("case_list")
        current = getattr(panel, "current_filter", None)
        if current is not None and panel is not None:
            flt = current()
            sort, descending = panel.model.sort_key, panel.model.descending  # type: ignore[attr-defined]
        else:
            dialog = DateRangeDialog("民情受理日志", "按受理日期打印：", parent=self.window)
            if not exec_dialog(dialog):
                return
            start, end = dialog.values()
            flt, sort, descending = CaseFilter(date_from=start, date_to=end), "number", False
        staff = self.staff
        self.run(
            "民情受理日志",
            "民情受理日志",
            lambda out, progress: print_register(
                out,
                flt,
                sort=sort,
                descending=descending,
                mask_personal=False,  # full phones if core's rule allows this user
                progress=progress,
                actor=staff,
            ),
            batch=True,
        )

    def print_flowchart(self) -> None:
        dialog = PaperDialog("民情流水线服务流程图", "上墙海报请选 A3。", parent=self.window)
        if not exec_dialog(dialog):
            return
        paper = dialog.value()
        from minqing.printing.documents import print_flowchart

        self.run(
            "服务流程图",
            f"民情流水线服务流程图-{paper}",
            lambda out, _progress: print_flowchart(out, paper=paper),
        )

    def print_calibration(self) -> None:
        from minqing.printing.documents import print_card_calibration

        self.run("连心卡校准页", "连心卡校准页", lambda out, _progress: print_card_calibration(out))

    def print_cards(self) -> None:
        from minqing.core.community import grids as grids_of
        from minqing.core.community import the_community
        from minqing.printing import data
        from minqing.printing.cards import LAYOUTS

        grids = [(g.name, g.name) for g in grids_of(the_community())]
        programmes = [(p.key, p.title) for p in data.load_programmes()]
        dialog = CardsDialog(
            grids,
            programmes,
            self.window,
            layouts=[(key, lay.title) for key, lay in LAYOUTS.items()],
            layout=data.card_layout(),
            offsets=data.card_offsets(),
        )
        if not exec_dialog(dialog):
            return
        grid, programme = dialog.values()
        front, back = dialog.offset_values()
        data.save_card_settings(dialog.layout_value(), front, back)
        self.print_cards_for(grid, programme, record=dialog.record.isChecked())

    def print_cards_for(
        self, grid: str | None, programme: str | None, *, record: bool = True
    ) -> Op[PrintResult] | None:
        from minqing.printing import data
        from minqing.printing.documents import print_cards

        titles = {p.key: p.title for p in data.load_programmes()}
        card = titles.get(programme, "连心卡") if programme else "连心卡"  # Chinese, never "plain"
        name = "-".join(x for x in (card, grid) if x)
        staff = self.staff
        return self.run(
            "民情连心卡",
            name,
            lambda out, progress: print_cards(
                out, grid=grid, programme=programme, progress=progress, actor=staff, record=record
            ),
            batch=True,
        )

    def print_report(self) -> None:
        dialog = MonthDialog(parent=self.window)
        if not exec_dialog(dialog):
            return
        month = dialog.value()
        from minqing.printing.documents import print_monthly_report

        staff = self.staff

        self.run(
            "民情工作月报",
            f"民情工作月报-{month}",
            lambda out, _progress: print_monthly_report(out, month=month, actor=staff),
        )

    def print_commitments(
        self, day: dt.date | None = None, members: Sequence[int] = (), who: str = ""
    ) -> None:
        """The 打印 menu's one flow for 党员公开承诺书 (the 公开承诺 panel's buttons come here
        too): the quarter of `day`, every member or only `members`, into the print folder."""
        dialog = QuarterDialog(today=day, parent=self.window)
        if not exec_dialog(dialog):
            return
        quarter, a3, red = dialog.value(), dialog.a3(), dialog.red.isChecked()
        from minqing.printing.documents import print_commitments

        staff = self.staff
        chosen = list(members)

        self.run(
            "党员公开承诺书",
            f"{who}党员公开承诺书-{quarter}" if who else f"党员公开承诺书-{quarter}",
            lambda out, progress: print_commitments(
                out,
                quarter=quarter,
                members=chosen,
                a3=a3,
                progress=progress,
                actor=staff,
                red=red,
            ),
            batch=True,
        )

    # running ------------------------------------------------------------------------------

    def run(
        self, title: str, name: str, work: Work, *, batch: bool = False
    ) -> Op[PrintResult] | None:
        """`work(out, progress)` off the UI thread. A document that can't stop midway still
        offers 取消: its result is then thrown away."""
        if self.job is not None:
            errors.show_message(self.window, title, "上一份文件还在生成，请稍候。")
            return None
        out = output_folder() / f"{name}-{dt.datetime.now():%Y%m%d-%H%M%S}.pdf"

        def finished() -> None:
            self.job = None

        def done(result: PrintResult) -> None:
            if op.cancelled and not result.cancelled:
                out.unlink(missing_ok=True)  # not stoppable midway: thrown away
                result.cancelled = True
            if result.cancelled:
                self.window.statusBar().showMessage(f"已取消生成{title}。", 5000)
            else:
                self._show(title, out, result)
            self.done.emit(result)

        op = (
            Op(self.window, lambda progress: work(out, progress), what=f"生成{title}")
            .with_progress(f"正在生成{title}…")
            .writes(out)
            .always(finished)
            .failure(lambda _exc: self.done.emit(None))
            .success(done)
        )
        self.job = op.run()
        return op

    def _show(self, title: str, out: Path, result: PrintResult) -> None:
        self.last_path = out
        self.window.statusBar().showMessage(
            f"已生成{title}：{out}（{result.pages} 页，{result.items} 项）", 10000
        )
        if result.warning:
            errors.show_message(self.window, title, result.warning, errors.WARNING)
        open_externally(out)

    def cancel(self) -> None:
        """As the progress dialog's 取消 button does."""
        if self.job is not None:
            self.job.cancel()
