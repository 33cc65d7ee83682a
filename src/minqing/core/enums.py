"""The fixed vocabularies of the pipeline (see docs/GLOSSARY.md), each value with its Chinese label.

Values are stored in the database as their lower-case codes, so renaming a label never
touches data.
"""

from __future__ import annotations

from enum import Enum

from minqing.core.errors import DomainError


class UnknownChoice(DomainError, ValueError):
    """A word that names none of a vocabulary's items: the user's mistake (a ValueError too,
    for callers that turn it into their own sentence)."""


class Labeled(str, Enum):
    label: str

    def __new__(cls, code: str, label: str) -> Labeled:
        obj = str.__new__(cls, code)
        obj._value_ = code
        obj.label = label
        return obj

    @classmethod
    def parse(cls, text: str) -> Labeled:
        """Accept the code, the English name or the Chinese label (for the command line)."""
        for item in cls:
            if text in (item.value, item.name, item.name.lower(), item.label):
                return item
        labels = "、".join(item.label for item in cls)
        raise UnknownChoice(None, f"“{text}”不是可选的一项，可选：{labels}。")

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(item.value, item.label) for item in cls]


def label_of(enum: type[Labeled], code: str | None) -> str:
    """The Chinese label of a stored code: "" for none, the code itself when this version
    does not know it (a file written by a newer program), never an error."""
    if not code:
        return ""
    try:
        return str(enum(code).label)
    except ValueError:
        return str(code)


class Stage(Labeled):
    INTAKE = ("intake", "受理")
    HANDLING = ("handling", "办理")
    FEEDBACK = ("feedback", "公示反馈")
    SUPERVISION = ("supervision", "跟踪监督")
    CLOSED = ("closed", "办结")


class Disposition(Labeled):
    IMMEDIATE = ("immediate", "即办件")
    SUPPLEMENT = ("supplement", "补办件")
    ESCALATED = ("escalated", "上报件")
    RETURNED = ("returned", "退回件")
    PROMISED = ("promised", "承诺件")


class Channel(Labeled):
    MAILBOX = ("mailbox", "民情信箱")
    HOTLINE = ("hotline", "民情热线")
    CONTACT_CARD = ("contact_card", "民情连心卡")
    INFORMANT = ("informant", "民情信息员")
    DIARY = ("diary", "民情日记")
    ONLINE_GROUP = ("online_group", "民情QQ群")
    RECEPTION = ("reception", "接待日")
    WALK_IN = ("walk_in", "来访")
    HOME_VISIT = ("home_visit", "入户走访")
    CITY_HOTLINE = ("city_hotline", "12345热线")


class ReplyMethod(Labeled):
    PHONE = ("phone", "电话答复")
    VISIT = ("visit", "上门告知")
    LETTER = ("letter", "信函回复")


class CheckKind(Labeled):
    PERIODIC = ("periodic", "定期督促")
    SPOT = ("spot", "随机抽查")
    INSPECTOR = ("inspector", "专人督察")


class Satisfaction(Labeled):
    SATISFIED = ("satisfied", "满意")
    FAIRLY = ("fairly", "基本满意")
    DISSATISFIED = ("dissatisfied", "不满意")


class Fault(Labeled):
    NOT_HANDLED = ("not_handled", "能办未办")
    LATE = ("late", "超时办理")
    NOT_ANSWERED = ("not_answered", "未及时答复")


class ResidentTag(Labeled):
    """The tags of the source document; offices may add their own free-text tags too."""

    MINIMUM_ALLOWANCE = ("minimum_allowance", "低保")
    NO_SUPPORT_ELDERLY = ("no_support_elderly", "三无老人")
    ALONE_ELDERLY = ("alone_elderly", "空巢老人")
    DISABLED = ("disabled", "残疾人")
    MIGRANT_CHILD = ("migrant_child", "流动儿童")
    UNEMPLOYED = ("unemployed", "下岗失业")
    SINGLE_MOTHER = ("single_mother", "单亲贫困母亲")
    REHABILITATION = ("rehabilitation", "康复人员")


class StaffRole(Labeled):
    FRONT_DESK = ("front_desk", "前台")
    OWNER = ("owner", "责任人")
    LEADER = ("leader", "领导")
    SUPERVISOR = ("supervisor", "督查员")
    ADMIN = ("admin", "管理员")


class WindowLevel(Labeled):
    STREET = ("street", "街道政务大厅")
    COMMUNITY = ("community", "社区居务大厅")
