"""智能分派 and 类似民情: keyword lists, the model, its accuracy on residents' own words, retraining."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from minqing.core.accounts.models import AuditEvent
from minqing.core.cases import keywords, suggest
from minqing.core.cases import services as cases
from minqing.core.community import find_window
from minqing.core.enums import Stage
from minqing.core.errors import DomainError
from minqing.core.models import Case, SchemaVersion, Staff, Window, database_proxy
from minqing.core.storage import migrations
from minqing.core.storage.db import close_database, open_database

DATA = Path(__file__).parent / "data"
REFERENCE = dt.date(2026, 6, 30)


def labelled(name: str) -> list[tuple[str, str]]:
    return suggest.read_labelled((DATA / name).read_text("utf-8"))


def first(text: str) -> str:
    return suggest.suggest(text, similar=0).windows[0].name


def test_standard_windows_get_their_keywords(office):
    lists = {w.name: keywords.parse(w.keywords) for w in Window.select()}
    assert set(lists) == set(keywords.DEFAULT_KEYWORDS)
    assert "暖气" in lists["城建城管"] and "生育登记" in lists["计划生育"]
    assert all(lists.values())


def test_a_new_office_is_served_by_keywords_alone(office):
    assert not Case.select().exists()
    assert first("暖气不热，屋里冷") == "城建城管"
    assert first("老人今年的生存认证怎么做") == "社会保障"
    assert first("想办个残疾证") == "残疾人"
    result = suggest.suggest("楼道里一股煤气味")
    assert result.windows[0].name == "安全生产" and len(result.windows) == 3
    assert result.windows[0].score > result.windows[1].score
    assert result.similar == [] and result.disposition is None
    assert suggest.suggest("  ，。 123 ").windows == []


def test_longest_keyword_wins_an_overlap():
    model = suggest.Model({1: "社会保障", 2: "养老保险"}, {1: ["社保"], 2: ["交社保"]})
    assert model.rank("我想交社保")[0][0] == 2
    assert model.rank("社保的事")[0][0] == 1


def test_everyday_words_and_input_slips_reach_their_window(office):
    """The built-in lexicon carries words no office list has; a near-miss character of pinyin
    input (宝 for 保) still finds the word."""
    assert "散热器" not in find_window("城建城管").keywords
    assert first("散热器上面烫下面凉") == "城建城管"
    assert first("家里电动车电瓶半夜让人偷了") == "综合治理"
    model = suggest.current_model()
    slips = {word: (slot, weight) for cues in model.cues.values() for word, slot, weight in cues}
    assert (
        slips["社宝卡"][0]
        == slips["社保卡"][0]
        == model.window_ids.index(find_window("社会保障").id)
    )
    assert slips["社宝卡"][1] < slips["社保卡"][1]
    assert first("社宝卡坏了读不出来") == "社会保障"


def test_the_offices_list_overrules_the_lexicon():
    """A lexicon word the office has put in another window's list goes there."""
    windows = {1: "城建城管", 2: "综合治理"}
    lexicon = {"城建城管": ["路灯"], "综合治理": ["治安"]}
    assert suggest.Model(windows, {}, lexicon=lexicon).rank("路灯坏了")[0][0] == 1
    moved = suggest.Model(windows, {2: ["路灯"]}, lexicon=lexicon)
    assert moved.rank("路灯坏了")[0][0] == 2


def test_keywords_are_edited_by_the_administrator(accounts):
    window = find_window("城建城管")
    with pytest.raises(DomainError, match="管理员"):
        keywords.set_keywords(accounts["front_desk"], window, "暖气")
    stored = keywords.set_keywords(accounts["admin"], window, " 地暖，暖气、地暖  下水 ")
    assert stored == ["地暖", "暖气", "下水"]
    assert Window.get_by_id(window.id).keywords == "地暖、暖气、下水"
    assert AuditEvent.select().where(AuditEvent.field == "keywords").count() == 1
    with pytest.raises(DomainError, match="太长"):
        keywords.set_keywords(accounts["admin"], window, "这是一个远远超过十二个字的关键词啊")
    assert Window.get_by_id(window.id).keywords == "地暖、暖气、下水"
    suggest.forget()
    assert first("地暖不热") == "城建城管"


def test_older_file_gets_the_keyword_column_seeded(db_path, office):
    database = database_proxy.obj
    database.execute_sql('ALTER TABLE "window" DROP COLUMN keywords')
    SchemaVersion.update(version=7).where(SchemaVersion.version == migrations.LATEST).execute()
    close_database()
    opened = open_database(db_path)
    assert migrations.current_version(opened.database) == migrations.LATEST
    assert "暖气" in keywords.parse(find_window("城建城管").keywords)


def test_older_file_moves_default_words_to_the_window_whose_remit_holds_them(db_path, office):
    """A file seeded with the first defaults (高龄 at 社会保障, 路灯 at 综合治理) gets them moved;
    a word the office also put in another list stays only there."""
    social, order = find_window("社会保障"), find_window("综合治理")
    Window.update(keywords="社保卡、高龄、高龄补贴").where(Window.id == social.id).execute()
    Window.update(keywords="治安、路灯、地下室").where(Window.id == order.id).execute()
    city, relief = find_window("城建城管"), find_window("民政低保")
    Window.update(keywords="暖气、高龄").where(Window.id == city.id).execute()
    Window.update(keywords="低保、特困").where(Window.id == relief.id).execute()
    SchemaVersion.update(version=15).where(SchemaVersion.version == migrations.LATEST).execute()
    close_database()
    open_database(db_path)
    lists = {w.name: keywords.parse(w.keywords) for w in Window.select()}
    assert lists["社会保障"] == ["社保卡"] and lists["综合治理"] == ["治安"]
    assert lists["城建城管"] == ["暖气", "高龄", "路灯"]
    assert lists["民政低保"] == ["低保", "特困", "高龄补贴"]
    assert first("院里的路灯黑了") == "城建城管"


@pytest.fixture
def demo_office(built_demo):
    built_demo(400, 7, REFERENCE)


def test_the_model_learns_from_the_newest_closed_cases(demo_office, monkeypatch):
    closed = [c.id for c in Case.select(Case.id).where(Case.stage == Stage.CLOSED.value)]
    assert len(closed) > 100
    assert [e.case_id for e in suggest.closed_examples()] == sorted(closed)
    monkeypatch.setattr(suggest, "TRAINED_CASES", 100)
    assert [e.case_id for e in suggest.closed_examples()] == sorted(closed)[-100:]
    assert suggest.train().examples == 100


def test_accuracy_on_residents_own_words(demo_office):
    """Requests in residents' own words, not from the demo's templates: the held-out and the
    development sets (both tuned on) stay high, and the blind set (written after the keywords
    were frozen, never tuned on) meets the issue's bar."""
    model = suggest.current_model()
    assert model.examples > 200
    held_out = suggest.evaluate(model, labelled("suggest_eval.tsv"))
    assert held_out.total >= 120
    assert held_out.top1_rate >= 0.9 and held_out.top3_rate >= 0.97, held_out.misses
    # the development set (tuned on, with the one above): a regression in the model, the
    # lexicon or the keywords shows here first
    dev = suggest.evaluate(model, labelled("suggest_dev.tsv"))
    assert dev.total >= 150
    assert dev.top1_rate >= 0.88 and dev.top3_rate >= 0.97, dev.misses
    # never tuned on (only their overall scores were looked at): held to the bar; a
    # failure shows the counts only, so the sets stay unread
    for name in ("suggest_blind.tsv", "suggest_blind3.tsv", "suggest_blind4.tsv"):
        blind = suggest.evaluate(model, labelled(name))
        assert blind.total >= 60
        assert blind.top1_rate >= 0.75 and blind.top3_rate >= 0.92, (name, blind.top1, blind.top3)


def test_similar_cases_say_how_they_ended_masked_for_the_role(demo_office):
    result = suggest.suggest("想办个生育登记，需要带啥")
    assert result.windows[0].name == "计划生育"
    assert 3 <= len(result.similar) <= 5
    for item in result.similar:
        case = Case.get(Case.number == item.number)
        assert case.stage == Stage.CLOSED.value
        assert item.outcome == case.outcome and item.window == case.window.name
        assert item.days is not None and item.days >= 0
    assert result.similar[0].window == "计划生育"
    assert result.disposition is not None
    # a supervisor (no personal view) sees unit and door hidden
    viewer = Staff.get(Staff.role == "supervisor")
    masked = suggest.suggest("想办个生育登记，需要带啥", viewer=viewer)
    assert all("单元" not in s.text or "*单元" in s.text for s in masked.similar)
    assert any(s.text != Case.get(Case.number == s.number).text for s in masked.similar)


def test_similar_cases_follow_the_matter_not_the_setting(demo_office):
    """The words that name the matter lead the similar cases: 暖气 rather than 家里 or 老人, and
    a slip of the input (社宝卡) finds the cases of the word meant."""
    heating = suggest.suggest("家里暖气片子拔凉，老人冻得直哆嗦").similar
    assert heating and all("暖气" in Case.get(Case.number == s.number).text for s in heating)
    card = suggest.suggest("社宝卡丢了咋补").similar
    assert card and all("社保卡" in Case.get(Case.number == s.number).text for s in card)


def test_detail_similar_leaves_the_case_itself_out(demo_office):
    case = Case.select().where(Case.stage == Stage.CLOSED.value).first()
    found = suggest.similar_to_case(case)
    assert found and all(s.case_id != case.id for s in found)
    assert found[0].window == case.window.name


def test_retrains_when_cases_close(office):
    model = suggest.current_model()
    assert model.examples == 0
    window = find_window("司法调解")
    staff = Staff.get(Staff.name == "张敏")
    change = cases.take_in(
        channel="来访",
        text="对门的鹦鹉天天叫",
        window=window,
        first_responder=staff,
        contact_name="匿名",
    )
    Case.update(stage=Stage.CLOSED.value, closed_at=dt.datetime(2026, 6, 1, 10)).where(
        Case.id == change.case.id
    ).execute()
    assert suggest.current_model() is model  # checked at most every 30 s
    suggest.forget()
    retrained = suggest.current_model(wait=True)
    assert retrained.examples == 1
    assert first("鹦鹉叫得人睡不着") == "司法调解"
    assert [s.number for s in suggest.suggest("鹦鹉天天叫").similar] == [change.case.number]


def test_background_retrain_serves_the_old_model_meanwhile(office):
    model = suggest.current_model()
    window = find_window("司法调解")
    staff = Staff.get(Staff.name == "张敏")
    change = cases.take_in(
        channel="来访",
        text="对门的鹦鹉天天叫",
        window=window,
        first_responder=staff,
        contact_name="匿名",
    )
    Case.update(stage=Stage.CLOSED.value, closed_at=dt.datetime(2026, 6, 1, 10)).where(
        Case.id == change.case.id
    ).execute()
    suggest.forget()
    assert suggest.current_model() is model  # the retrain runs in a thread
    suggest._cache.training.join(10)
    assert suggest.current_model().examples == 1


def test_quitting_waits_for_a_retrain_in_progress(office, monkeypatch):
    """A retrain still running when the program quits finishes first (app.close_window), so
    no thread is left reading the database while the interpreter is torn down."""
    import threading

    model = suggest.current_model()
    release = threading.Event()
    real_train = suggest.train

    def slow_train():
        release.wait(10)
        return real_train()

    monkeypatch.setattr(suggest, "train", slow_train)
    suggest.forget()
    window = find_window("司法调解")
    cases.take_in(
        channel="来访", text="楼上漏水", window=window,
        first_responder=Staff.get(Staff.name == "张敏"), contact_name="匿名",
    )  # fmt: skip
    Case.update(stage=Stage.CLOSED.value, closed_at=dt.datetime(2026, 6, 1, 10)).execute()
    assert suggest.current_model() is model  # retraining in the background, held back
    assert not suggest.wait_for_training(0.05)
    release.set()
    assert suggest.wait_for_training(10)
    assert suggest.current_model().examples == 1
