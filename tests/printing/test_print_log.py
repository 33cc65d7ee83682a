"""Every print that names residents or members is logged: who printed what, how many rows."""

from __future__ import annotations

from minqing.core.accounts.models import ExportLog
from minqing.core.cases import services as cases
from minqing.core.models import Window
from minqing.printing import documents


def test_register_notice_and_report_prints_are_logged(accounts, tmp_path):
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
    leader = accounts["leader"]
    documents.print_register(tmp_path / "r.pdf", actor=clerk, mask_personal=False)
    documents.print_notice(tmp_path / "n.pdf", actor=leader)
    month = cases.get_case(1).intake_date.strftime("%Y-%m")
    documents.print_monthly_report(tmp_path / "m.xlsx", month=month, actor=leader)
    rows = [(log.actor_name, log.what, log.rows, log.path) for log in ExportLog.select()]
    assert rows == [
        # the front desk asked for full phones; core's rule for paper lists (export.personal,
        # as for Excel) masks them, and the log says so
        ("张敏", "民情受理日志", 1, str(tmp_path / "r.pdf")),
        ("王书记", "民情办理公示", 0, str(tmp_path / "n.pdf")),
        ("王书记", f"民情工作月报 {month}", 1, str(tmp_path / "m.xlsx")),
    ]


def test_a_print_to_a_buffer_is_logged_without_a_path(accounts):
    import io

    buffer = io.BytesIO()
    documents.print_register(buffer, actor=accounts["supervisor"])
    log = ExportLog.get()
    assert (log.actor_name, log.what, log.rows, log.path) == ("陈督查", "民情受理日志", 0, "")
