"""Which pieces of a term PostgreSQL's search looks up, from the planner's piece shares."""

from __future__ import annotations

from minqing.core.cases import pg_index

SHARES = {"单元": 1.0, "号楼": 0.9, "21": 0.08, "中和": 0.2, "和街": 0.3}


def test_rarest_pieces_are_looked_up_and_the_commonest_left_to_the_check(monkeypatch):
    monkeypatch.setattr(pg_index, "gram_frequencies", lambda database, index: SHARES)
    grams = ["单元", "号楼", "21", "中和", "和街", "元3"]
    assert pg_index.rarest_grams(None, "case_grams", grams) == sorted(["元3", "21", "中和", "和街"])
    monkeypatch.setattr(pg_index, "LOOKUP_GRAMS", 2)
    assert pg_index.rarest_grams(None, "case_grams", grams) == sorted(["元3", "21"])
    # every piece common: the rarest one still names the candidates
    assert pg_index.rarest_grams(None, "case_grams", ["单元", "号楼"]) == ["号楼"]
    # a piece the statistics don't list counts as the least common listed one
    assert pg_index.share_at_most(None, "case_grams", ["单元", "元3"]) == 0.08
    assert pg_index.share_at_most(None, "case_grams", ["单元"]) == 1.0


def test_no_statistics_no_choice(monkeypatch):
    monkeypatch.setattr(pg_index, "gram_frequencies", lambda database, index: {})
    assert pg_index.rarest_grams(None, "case_grams", ["b", "a"]) == ["a", "b"]
    assert pg_index.share_at_most(None, "case_grams", ["a"]) is None
