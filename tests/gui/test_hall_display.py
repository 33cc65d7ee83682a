"""The hall display: cycles its pages, leaves on Esc, and neither it nor the paper notice of the
same month shows a resident's unmasked name or phone number."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from PySide6.QtCore import Qt

from minqing.core.channels import reception
from minqing.core.models import Case, Resident
from minqing.gui.hall_display import HallDisplay
from minqing.printing.documents import print_notice
from tests.printing.pdf_helpers import all_text

MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


@pytest.fixture
def community(built_demo):
    return built_demo(400, 5, dt.date.today()).community


@pytest.fixture
def display(qtbot, community):
    # A turn a minute: the first page stays put however slow the machine; the cycling test
    # shortens it itself.
    widget = HallDisplay(community, interval_ms=60_000, rows_per_page=4)
    qtbot.addWidget(widget)
    widget.resize(1280, 720)
    widget.show()
    return widget


def private_details(start, end):
    posted = list(Case.select().where(Case.posted_on.between(start, end)))
    names = {c.contact_name for c in posted if len(c.contact_name) > 1}
    phones = {c.contact_phone for c in posted if c.contact_phone}
    people = Resident.select().where(
        Resident.id.in_([c.resident_id for c in posted if c.resident_id])
    )
    names |= {r.name for r in people if len(r.name) > 1}
    phones |= {r.phone for r in people if r.phone}
    return posted, names, phones


def assert_masked(text, names, phones):
    assert not MOBILE.search(text)
    for name in names:
        assert name not in text, name
    for phone in phones:
        assert phone not in text, phone


def test_display_and_notice_show_no_unmasked_name_or_phone(display, tmp_path):
    today = dt.date.today()
    start, end = today.replace(day=1), today
    posted, names, phones = private_details(start, end)
    assert posted and names and phones
    screen = "\n".join(display.texts())
    assert_masked(screen, names, phones)
    for case in posted:
        assert case.number in screen
    pdf = tmp_path / "notice.pdf"
    print_notice(pdf, start=start, end=end)
    paper = all_text(pdf)
    assert_masked(paper, names, phones)
    for case in posted:
        assert case.number in paper


def test_only_posted_cases_reach_the_screen(display):
    screen = "\n".join(display.texts())
    unposted = Case.select().where(
        Case.posted_on.is_null() & (Case.intake_date >= dt.date.today().replace(day=1))
    )
    for case in unposted:
        assert case.number not in screen


def test_cycles_and_reloads_and_escape_leaves(qtbot, display, community):
    pages = display.pages.count()
    assert pages >= 3
    names = [display.pages.widget(i).objectName() for i in range(pages)]
    assert names[-2:] == ["numbers_page", "reception_page"]
    assert display.page_number.text() == f"1/{pages}"
    assert "/" not in display.title.text()  # one page count: the footer's
    display.timer.start(50)
    qtbot.waitUntil(lambda: display.pages.currentIndex() == 1, timeout=5000)
    display.timer.stop()
    display.show_page(pages - 1)
    screen = "\n".join(display.texts())
    upcoming = reception.next_day(community)
    assert upcoming is not None and f"{upcoming.date.month}月{upcoming.date.day}日" in screen
    assert "徐道荣" in screen or "刘桂芝" in screen
    display.next_page()  # a new round reloads the data
    assert display.pages.currentIndex() == 0
    qtbot.keyClick(display, Qt.Key.Key_Right)
    assert display.pages.currentIndex() == 1
    qtbot.keyClick(display, Qt.Key.Key_Escape)
    assert not display.isVisible() and not display.timer.isActive()


def test_opens_full_screen_on_the_remembered_monitor(qtbot, community):
    from PySide6.QtGui import QGuiApplication

    from minqing.gui import hall_display

    screen = QGuiApplication.primaryScreen()
    hall_display.choose_screen(screen)
    assert hall_display.hall_screen(None) is screen
    shown = hall_display.open_hall_display(community)
    qtbot.addWidget(shown)
    assert shown.screen() is screen and shown.geometry() == screen.geometry()
    assert shown.isFullScreen()
    shown.timer.stop()
