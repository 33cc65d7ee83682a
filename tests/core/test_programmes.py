"""Card programmes: seeded defaults, eligibility from tags, enrolment, serials and reissues."""

from __future__ import annotations

import pytest

from minqing.core.errors import DomainError
from minqing.core.models import Grid, Staff
from minqing.core.outreach import programmes
from minqing.core.registry import services as registry
from minqing.core.registry.models import CardIssue, Programme


@pytest.fixture
def homes(office):
    one, two = (Grid.get(Grid.name == n) for n in ("第一片区", "第二片区"))
    a = registry.add_household(office, "中和小区", "1", "1", "101", grid=one)
    b = registry.add_household(office, "中和小区", "1", "1", "102", grid=two)
    c = registry.add_household(office, "比乐小区", "2", "1", "201", grid=two)
    old = registry.add_resident(a, "王秀英", tags=["空巢老人"])
    registry.add_resident(b, "李大爷", tags=["三无老人"])
    registry.add_resident(c, "孙丽", tags=["下岗失业"])
    return a, b, c, old


def test_five_programmes_and_plain_are_seeded(db):
    titles = [p.title for p in programmes.programmes()]
    assert titles == [
        "民情连心卡",
        "橙色夕阳卡",
        "绿色春雷卡",
        "红色爱心卡",
        "粉色帮扶卡",
        "蓝色关爱卡",
    ]
    sunset = programmes.get_programme("夕阳")
    assert sunset.tag_list == ["三无老人", "空巢老人"] and sunset.colour == "#EF6C00"


def test_edit_programme_validates(db):
    p = programmes.edit_programme("sunset", colour="#aa3300", services="上门理发\n送餐")
    assert p.colour == "#AA3300" and p.service_list == ["上门理发", "送餐"]
    with pytest.raises(DomainError):
        programmes.edit_programme("sunset", colour="orange")
    with pytest.raises(DomainError):
        programmes.edit_programme("sunset", tags="")


def test_eligible_from_tags_until_enrolled(homes):
    a, b, c, old = homes
    rows = programmes.eligible("sunset")
    assert [r.name for r in rows] == ["王秀英", "李大爷"]
    assert rows[0].tags == ["空巢老人"] and rows[0].grid == "第一片区"
    staff = Staff.get(Staff.name == "张敏")
    programmes.enrol("sunset", resident=old, by=staff)
    assert [r.name for r in programmes.eligible("sunset")] == ["李大爷"]
    with pytest.raises(DomainError):
        programmes.enrol("sunset", resident=old)
    with pytest.raises(DomainError):
        programmes.enrol("plain", household=a)
    registry.mark_status(old, "deceased")
    programmes.enrol("sunset", household=b)
    assert programmes.eligible("sunset") == []


def test_card_needs_enrolment_serials_unique_and_reissue_linked(office, homes):
    a, b, c, old = homes
    with pytest.raises(DomainError):
        programmes.issue_card("sunset", a)
    programmes.enrol("sunset", resident=old)
    card = programmes.issue_card("sunset", a)
    assert card.serial.startswith("CS") and card.programme.key == "sunset"
    again = programmes.reissue(card, "丢失")
    assert again.reissue_of_id == card.id and again.serial != card.serial
    with pytest.raises(DomainError):
        programmes.reissue(card, "又丢了")
    with pytest.raises(DomainError):
        programmes.reissue(again, "")
    assert programmes.current_cards_query(programmes.get_programme("sunset")).count() == 1


def test_batch_issue_plain_cards_and_count_without(office, homes):
    grid = Grid.get(Grid.name == "第二片区")
    assert programmes.count_households_without_plain_card(office) == 3
    made = programmes.issue_cards("plain", office, grid)
    assert len(made) == 2 and all(c.programme_id is None for c in made)
    assert programmes.count_households_without_plain_card(office) == 1
    assert programmes.issue_cards("plain", office, grid) == []  # nothing twice
    assert len({c.serial for c in CardIssue.select()}) == CardIssue.select().count()
    s = programmes.summary("plain", office)
    assert s.cards == 2 and s.without_card == 1


def test_a_version_2_file_is_upgraded_with_the_programmes(db, db_path):
    from minqing.core.models import SchemaVersion
    from minqing.core.registry.models import MODELS
    from minqing.core.storage import migrations
    from minqing.core.storage.db import close_database, open_database

    db.drop_tables(MODELS)
    SchemaVersion.delete().execute()
    SchemaVersion.create(version=2)
    close_database()
    opened = open_database(db_path)
    assert opened.upgraded_from == 2
    assert migrations.current_version(opened.database) == migrations.LATEST
    assert Programme.select().count() == 6


def test_edited_programme_and_issued_serial_are_printed(office, homes, tmp_path):
    from minqing.printing import documents
    from tests.printing.pdf_helpers import all_text

    a, b, c, old = homes
    programmes.edit_programme("sunset", title="橙色暖阳卡", services="上门理发")
    programmes.enrol("暖阳", resident=old)
    card = programmes.issue_card("sunset", a)
    out = tmp_path / "sunset.pdf"
    result = documents.print_cards(out, programme="暖阳")
    text = all_text(out)
    assert result.items == 1  # the enrolled household, not every tagged one
    assert "橙色暖阳卡" in text and "上门理发" in text and card.serial in text
