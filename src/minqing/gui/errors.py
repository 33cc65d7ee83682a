"""How the window talks about errors and asks questions.

Every message box goes through this module, so tests replace `show_message` / `ask` with
recorders and never block on a modal dialog. No traceback ever reaches a user: the
excepthook logs it and shows one apologetic sentence.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence
from types import TracebackType

from PySide6.QtWidgets import QMessageBox, QWidget

from minqing.core.errors import MinqingError
from minqing.core.storage.failures import user_error
from minqing.logs import log_file

log = logging.getLogger("minqing.gui")

INFO = "info"
WARNING = "warning"
ERROR = "error"

_ICONS = {
    INFO: QMessageBox.Icon.Information,
    WARNING: QMessageBox.Icon.Warning,
    ERROR: QMessageBox.Icon.Critical,
}


def show_message(parent: QWidget | None, title: str, text: str, kind: str = INFO) -> None:
    box = QMessageBox(_ICONS[kind], title, text, QMessageBox.StandardButton.Ok, parent)
    box.exec()


def ask(parent: QWidget | None, title: str, text: str, choices: Sequence[str]) -> int:
    """The index of the chosen button, or -1 when the box is closed; the last is Escape."""
    box = QMessageBox(
        QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent
    )
    buttons = [box.addButton(label, QMessageBox.ButtonRole.ActionRole) for label in choices]
    if buttons:
        box.setDefaultButton(buttons[0])
        box.setEscapeButton(buttons[-1])
    box.exec()
    clicked = box.clickedButton()
    return buttons.index(clicked) if clicked in buttons else -1


def unexpected_text() -> str:
    return (
        "很抱歉，程序出现了意外错误，刚才的操作可能没有完成。\n"
        f"详细情况已记入日志文件：{log_file()}\n如问题反复出现，请把这个文件交给技术人员。"
    )


def report(parent: QWidget | None, exc: BaseException, what: str = "") -> None:
    """A user's error is shown as it is; anything else is logged and apologised for."""
    exc = user_error(exc) or exc
    if isinstance(exc, MinqingError):
        show_message(parent, what or "无法完成", str(exc), WARNING)
        return
    log.error("unexpected error%s", f" ({what})" if what else "", exc_info=exc)
    show_message(parent, "出错了", unexpected_text(), ERROR)


_installed: list[object] = []


def install_excepthook(parent: QWidget | None = None) -> None:
    """Errors escaping a slot land here instead of on stderr (and instead of aborting Qt)."""

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, exc, tb)
            return
        exc = user_error(exc) or exc
        if not isinstance(exc, MinqingError):
            log.error("uncaught exception", exc_info=(kind, exc, tb))
        try:
            report(parent, exc) if isinstance(exc, MinqingError) else show_message(
                parent, "出错了", unexpected_text(), ERROR
            )
        except Exception:  # the hook itself must never raise
            log.exception("could not show the error")

    if not _installed:
        _installed.append(sys.excepthook)
    sys.excepthook = hook


def uninstall_excepthook() -> None:
    if _installed:
        sys.excepthook = _installed.pop()  # type: ignore[assignment]
