"""Importing a resident ledger: which column holds what, a preview of every row's fate
(add / update / unchanged / problem with its row number), and nothing written until 导入.
Reading the workbook (`open_import`), the preview and the import run off the UI thread: a
ledger of ten thousand rows takes seconds, and the window must not freeze meanwhile."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from minqing.core.errors import DomainError, MinqingError
from minqing.core.registry import ledger_import
from minqing.gui.context import AppContext
from minqing.gui.dialogs.registry_widgets import (
    RowsModel,
    fit_columns,
    make_table,
)
from minqing.gui.operations import Changes, Op

ACTIONS = {"add": "新增", "update": "更新", "skip": "无变化"}


class ImportDialog(QDialog):
    def __init__(
        self,
        ctx: AppContext,
        path: Path,
        ledger: ledger_import.Ledger,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("import_dialog")
        self.setWindowTitle(f"导入居民台账：{path.name}")
        self.resize(900, 640)
        self.plan: ledger_import.ImportPlan | None = None
        self.result_counts: dict[str, int] | None = None
        self.ledger = ledger
        outer = QVBoxLayout(self)
        outer.addWidget(
            QLabel(
                f"工作表“{self.ledger.sheet}”，表头在第 {self.ledger.header_row} 行，"
                f"数据 {len(self.ledger.rows)} 行。请核对每一项对应的列："
            )
        )
        box = QGroupBox("列对应")
        grid = QGridLayout(box)
        self.combos: dict[str, QComboBox] = {}
        columns = [(None, "（不导入）")] + [
            (i, h or f"第 {i + 1} 列") for i, h in enumerate(self.ledger.headers)
        ]
        for n, (key, label) in enumerate(ledger_import.FIELDS.items()):
            combo = QComboBox()
            combo.setObjectName(f"map_{key}")
            for value, text in columns:
                combo.addItem(text, value)
            combo.setCurrentIndex(max(combo.findData(self.ledger.mapping.get(key)), 0))
            combo.currentIndexChanged.connect(self._stale)
            self.combos[key] = combo
            form = QFormLayout()
            form.addRow(label + "：", combo)
            grid.addLayout(form, n // 4, n % 4)
        outer.addWidget(box)
        self.preview_button = QPushButton("预览")
        self.preview_button.setObjectName("preview")
        self.preview_button.clicked.connect(self.preview)
        outer.addWidget(self.preview_button)
        self.summary = QLabel()
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        outer.addWidget(self.summary)
        self.rows_model = RowsModel(["行号", "处理", "姓名", "住址", "变化"], self)
        self.table = make_table(self.rows_model, "preview_rows")
        fit_columns(self.table, [3, 4, 5, 14, 8])
        outer.addWidget(self.table, 2)
        self.errors = QPlainTextEdit()
        self.errors.setObjectName("errors")
        self.errors.setReadOnly(True)
        self.errors.setPlaceholderText("有问题的行会列在这里（行号和原因）。")
        outer.addWidget(self.errors, 1)
        self.buttons = QDialogButtonBox()
        self.import_button = self.buttons.addButton("导入", QDialogButtonBox.ButtonRole.AcceptRole)
        self.import_button.setObjectName("confirm_import")
        self.import_button.setEnabled(False)
        self.buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.buttons.accepted.connect(self.confirm)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)
        self.preview()

    def mapping(self) -> dict[str, int]:
        return {k: c.currentData() for k, c in self.combos.items() if c.currentData() is not None}

    def _stale(self) -> None:
        self.plan = None
        self.import_button.setEnabled(False)
        self.summary.setText("列对应已修改，请重新预览。")

    def preview(self) -> None:
        """Work out every row's fate in a worker; 导入 stays off until it is shown."""
        self.plan = None
        self.import_button.setEnabled(False)
        self.preview_button.setEnabled(False)
        self.summary.setText("正在核对每一行……")
        ledger, community, mapping = self.ledger, self.ctx.community, self.mapping()
        Op(self, lambda: ledger_import.make_plan(ledger, community, mapping), what="预览").always(
            lambda: self.preview_button.setEnabled(True)
        ).failure(self._not_previewed).success(lambda plan: self._previewed(plan, mapping)).run()

    def _not_previewed(self, exc: BaseException) -> None:
        self.rows_model.set_rows([], [])
        self.errors.clear()
        self.summary.setText(
            exc.message if isinstance(exc, MinqingError) else "预览没有完成，请重试。"
        )

    def _previewed(self, plan: ledger_import.ImportPlan, mapping: dict[str, int]) -> None:
        if mapping != self.mapping():  # a column was changed meanwhile: that preview is stale
            self._stale()
            return
        self.plan = plan
        self.summary.setText(plan.report().splitlines()[0] + " 确认无误后点“导入”。")
        self.rows_model.set_rows(
            [
                (r.row, ACTIONS[r.action], r.values.name, r.address_text, "、".join(r.changes))
                for r in plan.rows
            ],
            [r.row for r in plan.rows],
            greyed=[i for i, r in enumerate(plan.rows) if r.action == "skip"],
        )
        self.errors.setPlainText("\n".join(f"第 {e.row} 行：{e.reason}" for e in plan.errors))
        self.import_button.setEnabled(plan.count("add") + plan.count("update") > 0)

    def confirm(self) -> None:
        """Write the previewed plan in a worker: one transaction, all or nothing."""
        if self.plan is None:
            return
        plan = self.plan
        self.import_button.setEnabled(False)
        self.preview_button.setEnabled(False)

        def work(progress: Any) -> dict[str, int]:
            try:
                return ledger_import.apply_plan(plan, actor=self.ctx.staff)
            except MinqingError as exc:
                raise DomainError(None, f"导入没有完成，数据未作任何改动：{exc.message}") from exc

        self.op = (
            Op(self, work, what="导入失败")
            .with_progress("正在导入…", cancellable=False)
            .changes(self.ctx, Changes(everything=True))
            .failure(lambda _exc: self.preview_button.setEnabled(True))
            .success(self._imported)
            .run()
        )

    def _imported(self, counts: dict[str, int]) -> None:
        self.result_counts = counts
        self.ctx.status.emit(
            f"已导入：新增 {counts['add']} 人，更新 {counts['update']} 人，"
            f"新建住户 {counts['households']} 户"
        )
        self.accept()


def open_import(ctx: AppContext, path: Path, parent: QWidget) -> Op[ledger_import.Ledger]:
    """Read the workbook in a worker, then show the dialog (kept as `parent.import_dialog`).
    A file that is no ledger is refused with the reason, as every import error is."""

    def show(ledger: ledger_import.Ledger) -> None:
        dialog = ImportDialog(ctx, path, ledger, parent)
        parent.import_dialog = dialog  # type: ignore[attr-defined]
        dialog.open()

    return (
        Op(parent, lambda _progress: ledger_import.read_ledger(path), what="无法导入")
        .with_progress(f"正在读取“{path.name}”……", cancellable=False)
        .success(show)
        .run()
    )
