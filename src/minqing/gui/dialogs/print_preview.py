"""The in-program preview of a printed PDF (Qt's PDF module): pages, 打印… and 另存为….

Imported only when PySide6.QtPdf / QtPdfWidgets exist (print_center.preview_available);
elsewhere the system viewer shows the file instead.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QPageLayout, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from minqing.gui import errors

PRINT_DPI = 300


class PdfPreview(QDialog):
    def __init__(self, path: Path, title: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path = Path(path)
        self.setObjectName("pdfPreview")
        self.setWindowTitle(f"打印预览 — {title or self.path.name}")
        self.resize(900, 1000)
        self.document = QPdfDocument(self)
        error = self.document.load(str(self.path))
        self.view = QPdfView(self)
        self.view.setObjectName("pdfView")
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setPageSpacing(12)

        bar = QHBoxLayout()
        self.previous = self._button("previous", "上一页", lambda: self.go(self.page - 1))
        self.page_label = QLabel()
        self.page_label.setObjectName("pageLabel")
        self.page_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.page_label.setMinimumWidth(110)
        self.next = self._button("next", "下一页", lambda: self.go(self.page + 1))
        self.fit_width = self._button("fitWidth", "适合宽度", self._fit_width)
        self.fit_page = self._button("fitPage", "整页", self._fit_page)
        self.print_button = self._button("print", "打印…", self.print_pages)
        self.save_button = self._button("saveAs", "另存为…", self.save_as)
        self.external = self._button("external", "用系统程序打开", self.open_externally)
        close = self._button("close", "关闭", self.close)
        for w in (self.previous, self.page_label, self.next, self.fit_width, self.fit_page):
            bar.addWidget(w)
        bar.addStretch(1)
        for w in (self.print_button, self.save_button, self.external, close):
            bar.addWidget(w)
        outer = QVBoxLayout(self)
        outer.addLayout(bar)
        outer.addWidget(self.view, 1)
        self.print_button.setDefault(True)

        self.view.pageNavigator().currentPageChanged.connect(self._update_page)
        self._update_page()
        if error != QPdfDocument.Error.None_:
            errors.show_message(self, "打印预览", f"无法打开“{self.path}”。", errors.WARNING)

    def _button(self, name: str, text: str, slot: object) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        return button

    @property
    def pages(self) -> int:
        return self.document.pageCount()

    @property
    def page(self) -> int:
        return self.view.pageNavigator().currentPage()

    def go(self, page: int) -> None:
        if 0 <= page < self.pages:
            self.view.pageNavigator().jump(page, QPointF(), self.view.zoomFactor())

    def _update_page(self, *_: object) -> None:
        self.page_label.setText(f"第 {self.page + 1} / {self.pages} 页" if self.pages else "")
        self.previous.setEnabled(self.page > 0)
        self.next.setEnabled(self.page < self.pages - 1)

    def _fit_width(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

    def _fit_page(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitInView)

    def save_as(self) -> None:
        from minqing.gui.print_center import save_copy

        save_copy(self, self.path)

    def open_externally(self) -> None:
        from minqing.gui.print_center import open_externally

        open_externally(self.path)

    def print_pages(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.path.stem)
        if self.pages:
            size = self.document.pagePointSize(0)
            printer.setPageOrientation(
                QPageLayout.Orientation.Landscape
                if size.width() > size.height()
                else QPageLayout.Orientation.Portrait
            )
        dialog = QPrintDialog(printer, self)
        dialog.setMinMax(1, max(self.pages, 1))
        if not dialog.exec():
            return
        self.render_to(printer)

    def render_to(self, printer: QPrinter) -> None:
        """Each page rasterised at the printer's resolution, fitted into its printable area."""
        first, last = printer.fromPage(), printer.toPage()
        pages = range(first - 1, last) if first and last else range(self.pages)
        painter = QPainter()
        if not painter.begin(printer):
            errors.show_message(self, "打印", "无法连接打印机。", errors.WARNING)
            return
        try:
            dpi = printer.resolution()
            area = QRectF(printer.pageLayout().paintRectPixels(dpi))
            area.moveTo(0, 0)
            for n, page in enumerate(pages):
                if n:
                    printer.newPage()
                points = self.document.pagePointSize(page)
                scale = min(area.width() / points.width(), area.height() / points.height())
                w, h = points.width() * scale, points.height() * scale
                # 300 dpi is plenty for text and QR codes; a 600 dpi A3 page would be ~200 MB.
                raster = min(1.0, PRINT_DPI / max(dpi, 1))
                image = self.document.render(page, QSize(round(w * raster), round(h * raster)))
                x, y = (area.width() - w) / 2, (area.height() - h) / 2
                painter.drawImage(QRectF(x, y, w, h), image)
        finally:
            painter.end()
