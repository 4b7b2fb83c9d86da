"""Rules of the PostgreSQL search backend that need no database: how typed words become the
queries PostgreSQL runs, the backend chosen for a database, and the rebuild's progress lines."""

from __future__ import annotations

import io

import pytest

from app.config import settle_search_backend
from app.search import pg_query
from app.search.progress import LineReporter, describe
from app.search.spelling import words_of


def test_a_star_asks_for_the_start_of_a_word_and_quotes_stay_whole():
    assert pg_query._split_prefixes('hairdress* "home visits" lunch') == ('"home visits" lunch', ["hairdress"])
    assert pg_query._split_prefixes("*") == ("*", [])


def test_ranking_restricts_each_word_to_the_weights_of_the_fields():
    assert pg_query._weighted("'lunch' <-> 'club' & !'chess'", "AB") == "'lunch':AB <-> 'club':AB & !'chess':AB"
    assert pg_query._any_of("'lunch' & 'club'", "A") == "'lunch':A | 'club':A"
    assert pg_query._weighted("'o''brien'", "A") == "'o''brien':A"


def test_the_same_few_words_as_whoosh_are_left_out_and_phrases_are_kept_as_typed():
    assert pg_query._unstopped('lunch for the carers') == "lunch carers"
    assert pg_query._unstopped('speaking up') == "speaking up"  # "up" is a word to search for
    assert pg_query._unstopped('"a cup of tea" or coffee') == '"a cup of tea" coffee'
    assert pg_query._unstopped("tea OR coffee") == "tea OR coffee"  # an operator, as in Whoosh
    assert pg_query._both("'a'", "", "'b':*") == "('a') & ('b':*)"
    assert pg_query._both("", "") == ""


def test_did_you_mean_knows_words_but_not_numbers():
    doc = {"spell": "Maida Vale Club 1234 for carers, 2nd floor"}
    assert words_of(doc) == {"maida", "vale", "club", "for", "carers", "2nd", "floor"}


@pytest.mark.parametrize(("url", "chosen", "expected"), [
    ("postgresql+psycopg://h/db", "", "postgresql"),
    ("sqlite:///x.sqlite3", "", "whoosh"),
    ("postgresql+psycopg://h/db", "Whoosh", "whoosh"),
])
def test_the_backend_follows_the_database_unless_chosen(url, chosen, expected):
    config = {"SQLALCHEMY_DATABASE_URI": url, "SEARCH_BACKEND": chosen}
    settle_search_backend(config)
    assert config["SEARCH_BACKEND"] == expected


@pytest.mark.parametrize("chosen", ["postgresql", "elastic"])
def test_a_backend_that_cannot_work_is_refused_at_start(chosen):
    with pytest.raises(RuntimeError, match="SEARCH_BACKEND"):
        settle_search_backend({"SQLALCHEMY_DATABASE_URI": "sqlite:///x.sqlite3", "SEARCH_BACKEND": chosen})


def test_progress_says_how_far_how_fast_and_how_long_is_left():
    assert describe(12_000, 50_000, 5.0) == "12,000 of 50,000 entries (2,400 a second, about 16 s left)"
    assert describe(50_000, 50_000, 20.0).endswith("done)")
    out = io.StringIO()
    report = LineReporter(3, "Rebuilding", out, every_seconds=3600)
    report(1)  # too soon for another line
    report(2)
    report(3)  # the last is always said
    lines = out.getvalue().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Rebuilding: 3 of 3 entries")
