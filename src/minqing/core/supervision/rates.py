"""The rates, defined once as data: the statistics panel, the monthly report, `minqing stats`
and the README all print these same words next to the numbers.

The city hotlines (12345) rank offices by 响应率, 解决率 and 满意率: whether the resident was
answered in time, whether the matter is actually resolved, and whether the resident is content
— the last two as the resident says on the callback (回访), not as the office judges itself.
Every rate here counts cases, never events, among the cases taken in during the period
(受理日期 in the period) that match the filters; a case counts once however often it was
called back (its latest callback is the verdict that stands).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RateDefinition:
    key: str
    name: str
    numerator: str
    denominator: str
    note: str = ""

    @property
    def formula(self) -> str:
        return f"{self.name} = {self.numerator} ÷ {self.denominator}"


RESPONSE = RateDefinition(
    "response",
    "响应率",
    "按时答复居民的民情（答复日期不晚于办理时限）",
    "应答复的民情（已答复，或办理时限已过）",
    "还没到时限、也还没答复的民情不计入；没有时限的（等补材料、上报件未定时限）答复即算按时。",
)
RESOLUTION = RateDefinition(
    "resolution",
    "解决率",
    "最近一次回访居民说“已解决”的民情",
    "回访过的民情",
    "按居民在回访中的说法，不按办理人自己的判断。",
)
SATISFACTION = RateDefinition(
    "satisfaction",
    "满意率",
    "最近一次回访评价“满意”或“基本满意”的民情",
    "最近一次回访有评价的民情",
    "回访接通但居民未表态的不计入分母。",
)
ON_TIME = RateDefinition(
    "on_time",
    "按时办结率",
    "按时办理完成的民情（办理完成日期不晚于办理时限）",
    "应办理完成的民情（已办理完成，或办理时限已过）",
    "“办理完成”指转到公示反馈环节的日期。",
)
REOPEN = RateDefinition(
    "reopen",
    "重办率",
    "重新办理过的民情（居民不满意或问题未解决）",
    "答复过居民的民情（已答复，或重新办理过）",
    "越低越好。",
)
SCREENING = RateDefinition(
    "screening",
    "排查率",
    "已排查的纠纷（已交办，不在受理环节）",
    "受理的纠纷（服务窗口“司法调解”）",
)
MEDIATION_SUCCESS = RateDefinition(
    "mediation_success",
    "调成率",
    "调解成功的纠纷（已办结）",
    "调解完毕的纠纷（已办理完成，退回件除外）",
)

HOTLINE_RATES = [RESPONSE, RESOLUTION, SATISFACTION]
RATES = [RESPONSE, RESOLUTION, SATISFACTION, ON_TIME, REOPEN]
MEDIATION_RATES = [SCREENING, MEDIATION_SUCCESS]
ALL_RATES = RATES + MEDIATION_RATES
BY_KEY = {r.key: r for r in ALL_RATES}

MEDIATION_WINDOW = "司法调解"


@dataclass(frozen=True)
class Rate:
    """A computed rate: the counts it comes from, so any reader can check the arithmetic."""

    key: str
    numerator: int
    denominator: int

    @property
    def definition(self) -> RateDefinition:
        return BY_KEY[self.key]

    @property
    def value(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None

    @property
    def text(self) -> str:
        value = self.value
        return "—" if value is None else f"{value * 100:.1f}%"

    @property
    def counts(self) -> str:
        return f"{self.numerator} / {self.denominator}"


def change_text(current: Rate, previous: Rate | None) -> str:
    """“↑2.3个百分点” against the previous period, or '' when either has no value."""
    if previous is None or current.value is None or previous.value is None:
        return ""
    diff = (current.value - previous.value) * 100
    if abs(diff) < 0.05:
        return "持平"
    return f"{'↑' if diff > 0 else '↓'}{abs(diff):.1f}个百分点"


def markdown() -> str:
    """The definitions as the README shows them."""
    lines = ["| 指标 | 公式 | 说明 |", "|---|---|---|"]
    for r in ALL_RATES:
        lines.append(f"| {r.name} | {r.numerator} ÷ {r.denominator} | {r.note} |")
    return "\n".join(lines)
