"""The words a search box's text is cut into: lower case, full-width forms read as ASCII, each once, eight at most;
and the condition they make: every word found, a blank text filtering nothing."""

from sqlalchemy import column, select
from sqlalchemy.dialects import postgresql, sqlite

from flexhub.lists import containing, every_word, may_be_near, near_containing, words
from flexhub.lists.search import near_patterns


def test_words_are_lower_case_ascii_each_once_in_the_order_typed() -> None:
    assert words("  Red\tTEE  red ") == ["red", "tee"]
    assert words("ＴＥＥ－ＲＥＤ ５６７８") == ["tee-red", "5678"]
    assert words("白色 马克杯") == ["白色", "马克杯"]
    assert words(" ".join(f"w{n}" for n in range(12))) == [f"w{n}" for n in range(8)]
    assert words(None) == [] and words("   ") == []


def test_a_blank_text_filters_nothing() -> None:
    assert every_word("  ", lambda word: containing(word, column("code"))) is None


def test_each_word_must_be_found_and_like_characters_are_literal() -> None:
    matched = every_word("50% a_b", lambda word: containing(word, column("code"), column("name")))
    for dialect in (sqlite.dialect(), postgresql.dialect()):
        sql = str(select(column("id")).where(matched).compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
        assert sql.count(" AND ") == 1 and sql.count(" OR ") == 2
        assert "'50/%" in sql
        assert "a/_b" in sql and "ESCAPE '/'" in sql


def test_the_patterns_one_edit_away_hold_each_kind_of_edit_and_keep_like_characters_literal() -> None:
    patterns = near_patterns("hoodei")
    assert {"hoodie", "ho_dei", "hoo_dei", "hodei", "hoode"} <= set(patterns)  # swapped, changed, added, dropped
    assert len(patterns) == len(set(patterns)) and "hoodei" not in patterns
    assert "ab/_c" in near_patterns("a_bc") and all("%" not in p.replace("/%", "") for p in near_patterns("5%off"))


def test_a_short_word_is_found_only_as_typed() -> None:
    assert not may_be_near("tee mug") and may_be_near("tee hoodie")
    sql = str(select(column("id")).where(near_containing("tee", column("code"))).compile(
        dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}))
    assert sql.count("LIKE") == 1
