"""服务窗口关键词: the administrator edits what residents say for each window, which the
window suggestion (智能分派) leans on before the office has history of its own."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from minqing.core import community as community_service
from minqing.core.cases import keywords
from minqing.core.errors import MinqingError
from minqing.gui import errors
from minqing.gui.context import AppContext


class KeywordsDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("keywordsDialog")
        self.setWindowTitle("服务窗口关键词")
        self.ctx = ctx
        self.windows = {w.id: w for w in community_service.windows(active_only=True)}
        column = QVBoxLayout(self)
        self.window = QComboBox()
        self.window.setObjectName("window")
        for w in self.windows.values():
            self.window.addItem(w.name, w.id)
        column.addWidget(self.window)
        self.words = QPlainTextEdit()
        self.words.setObjectName("words")
        column.addWidget(self.words)
        hint = QLabel(
            "居民说到这些词时，受理时推荐这个窗口。用顿号、逗号或空格分隔；"
            "居民常用的说法和常见错别字（如“暖器”）都可以写进来。"
            "程序还自带各标准窗口居民的常用说法；一个词写进哪个窗口，就以这里为准。"
        )
        hint.setWordWrap(True)
        column.addWidget(hint)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.save_button = buttons.addButton("保存", QDialogButtonBox.ButtonRole.ApplyRole)
        self.save_button.setObjectName("save")
        self.save_button.clicked.connect(self.save)
        buttons.rejected.connect(self.reject)
        column.addWidget(buttons)
        self.window.currentIndexChanged.connect(self._show)
        self._show()
        self.resize(520, 360)

    def _show(self, *_: object) -> None:
        window = self.windows.get(self.window.currentData())
        self.words.setPlainText(window.keywords if window else "")

    def save(self) -> None:
        window = self.windows.get(self.window.currentData())
        if window is None:
            return
        try:
            words = keywords.set_keywords(self.ctx.staff, window, self.words.toPlainText())
        except MinqingError as exc:
            errors.show_message(self, "服务窗口关键词", str(exc), errors.ERROR)
            return
        self.words.setPlainText(keywords.join(words))
        self.ctx.status.emit(f"已保存“{window.name}”的关键词（{len(words)} 个）")
