"""Hiding, panel by panel, the buttons of actions the signed-in role may not do.

The services refuse anyway (core.permissions); the window only spares the user a button that
could do nothing but refuse. Hidden rather than disabled: a panel's own selection logic
enables and disables its buttons all the time, and would switch a merely disabled one back on.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtWidgets import QWidget

from minqing.core.accounts import permissions
from minqing.gui.context import AppContext


def may(ctx: AppContext, action: str) -> bool:
    return permissions.allowed(ctx.staff, action)


def hide_refused(panel: QWidget, ctx: AppContext, actions: Mapping[str, str]) -> list[str]:
    """Hide the panel's children named (objectName) in `actions` whose action the role may
    not do; returns the names hidden. The reason stays as the widget's tool tip."""
    hidden = []
    for name, action in actions.items():
        if may(ctx, action):
            continue
        reason = permissions.refusal(ctx.staff, action) if ctx.staff is not None else ""
        for widget in panel.findChildren(QWidget, name):
            widget.setToolTip(reason or "")
            widget.setVisible(False)
            widget.setEnabled(False)
        hidden.append(name)
    return hidden
