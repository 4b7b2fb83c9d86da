"""Finding things in the directory and getting back to them: the way back from an entry keeps
the search, chosen filters are shown and can be taken away one by one, a misspelling that finds
nothing shows its suggestion's results, and languages in the words ("Arabic speaking") are
understood, by the directory page and by the Open Referral API alike."""

from __future__ import annotations

import html as html_lib
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from app.search import queue
from app.search import services as search
from tests.factories import directory_entry, provider
from tests.search_helpers import make_index_unusable

EVERY_SEARCH_BACKEND = True  # each test runs with Whoosh (SQLite) and PostgreSQL's own search


def names(results) -> list[str]:
    return [hit.display["name"] for hit in results.hits]


def result_links(html: str) -> dict[str, str]:
    found = re.findall(r'<h3 class="govuk-heading-m govuk-!-margin-bottom-1"><a class="govuk-link" href="([^"]*)">'
                       r"([^<]*)</a>", html)
    return {name: html_lib.unescape(href) for href, name in found}


def back_link(html: str) -> str:
    match = re.search(r'<a href="([^"]*)" class="govuk-back-link">Back to the directory</a>', html)
    assert match, "no back link"
    return html_lib.unescape(match.group(1))


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def remove_links(html: str) -> dict[str, str]:
    """'Remove filter: Arabic' -> the link's address."""
    found = re.findall(r'<a class="oc-chosen__tag" href="([^"]*)"><span class="govuk-visually-hidden">Remove filter: '
                       r"</span>([^<]*)<", html)
    return {label: html_lib.unescape(href) for href, label in found}


@pytest.fixture
def directory(app):
    directory_entry("Maida Vale Befriending Scheme", districts=("W9",), languages=["arabic"],
                    description="Volunteers visit you at home for a chat.")
    directory_entry("Al-Manaar Lunch Club", categories=("day-opportunities",), districts=("W10",),
                    languages=["arabic", "somali"], description="A hot lunch and company.")
    directory_entry("Arab Women's Circle", districts=("W2",),
                    description="A weekly group for Arabic speaking women and their carers.")
    directory_entry("Telephone Friends", districts=("W10",), languages=["somali"],
                    description="A friendly phone call for anyone who feels alone.")
    directory_entry("Chelsea Befriending", districts=("SW3",), description="Weekly visits from a volunteer.")
    directory_entry("Speaking Up Together", categories=("advice-information",), districts=("W9",),
                    description="Help speaking up for yourself at meetings.")
    for number in range(23):
        directory_entry(f"Befriending group {number:02d}", districts=("W11",), languages=["polish"])
    queue.process_queue()


# --- 5. Languages in the words --------------------------------------------------------------------------


@pytest.mark.parametrize("words", ["Arabic", "arabic", "ARABIC", "Arabic-speaking", "Arabic speaking", "speaks Arabic",
                                   "Arabic speaker", "Arabic speakers", "in Arabic", "who speaks arabic"])
def test_a_language_is_understood_in_any_form(directory, words):
    found = set(names(search.search(words)))
    assert {"Maida Vale Befriending Scheme", "Al-Manaar Lunch Club"} <= found  # listed as speaking Arabic
    assert "Arab Women's Circle" in found  # says so in its own words
    assert not found & {"Telephone Friends", "Chelsea Befriending", "Speaking Up Together"}


def test_language_words_are_not_words_that_must_match_as_well(directory):
    assert names(search.search("Arabic speaking befriending")) == ["Maida Vale Befriending Scheme",
                                                                   "Arab Women's Circle"]
    assert names(search.search("lunch for Arabic speakers")) == ["Al-Manaar Lunch Club"]
    assert names(search.search("befriending in Somali")) == ["Telephone Friends"]
    assert set(names(search.search("Arabic or Somali lunch"))) == {"Al-Manaar Lunch Club"}
    assert set(names(search.search("arabic/somali lunch"))) == {"Al-Manaar Lunch Club"}
    # "speaking" with no language near it is an ordinary word
    assert names(search.search("speaking up")) == ["Speaking Up Together"]


def test_a_language_in_the_words_narrows_the_counts_too(directory):
    results = search.search("Arabic speaking")
    assert results.total == 3
    assert results.counts["languages"] == {"arabic": 2, "somali": 1}


def test_a_language_in_the_words_works_with_filters_and_districts(directory):
    assert names(search.search("Arabic speaking", search.Filters(districts=["W10"]))) == ["Al-Manaar Lunch Club"]
    found = names(search.search("Arabic speaking W9"))
    assert found[0] == "Maida Vale Befriending Scheme"  # W9 first


def test_without_the_index_languages_in_the_words_find_the_same_listings(app, directory):
    make_index_unusable(app)
    results = search.search("Arabic speaking befriending")
    assert results.fallback
    # The same as the index: listed as speaking Arabic, or saying so in its own words.
    assert set(names(results)) == {"Maida Vale Befriending Scheme", "Arab Women's Circle"}
    assert set(names(search.search("Arabic"))) >= {"Maida Vale Befriending Scheme", "Al-Manaar Lunch Club",
                                                   "Arab Women's Circle"}
    assert "Telephone Friends" not in names(search.search("Arabic"))


def test_the_open_referral_api_understands_languages(client, directory):
    body = client.get("/api/openreferral/services?search=Arabic+speaking").get_json()
    assert {item["name"] for item in body["contents"]} == {"Maida Vale Befriending Scheme", "Al-Manaar Lunch Club",
                                                          "Arab Women's Circle"}


# --- 4. A misspelling that finds nothing -------------------------------------------------------------------


def test_a_misspelling_that_finds_nothing_shows_the_suggestions_results(client, directory):
    html = client.get("/directory?q=befreinding&district=W9").get_data(as_text=True)
    assert re.search(r"Showing results for <strong>‘befriending’</strong>", html)
    instead = re.search(r'<a class="govuk-link" href="([^"]*)">Search instead for ‘befreinding’</a>', html)
    assert instead, "no way to search for the words as typed"
    assert "Did you mean" not in html
    assert list(result_links(html)) == ["Maida Vale Befriending Scheme"]
    assert "<title>Directory: 1 result for befriending – OurChoice</title>" in html
    assert query_of(html_lib.unescape(instead.group(1))) == {"q": ["befreinding"], "district": ["W9"], "as_typed": ["y"]}

    as_typed = client.get(html_lib.unescape(instead.group(1))).get_data(as_text=True)
    assert "<strong>0 results</strong> for <q>befreinding</q>" in as_typed
    assert "Showing results for" not in as_typed
    assert re.search(r'Did you mean <a class="govuk-link" href="[^"]*">befriending</a>\?', as_typed)


def test_search_correcting_keeps_the_results_when_the_words_find_something(directory):
    answer = search.search_correcting("befriending")
    assert answer.typed is None and answer.words == "befriending" and answer.results.total > 0
    corrected = search.search_correcting("befreinding")
    assert (corrected.typed, corrected.words) == ("befreinding", "befriending")
    assert corrected.results.total == search.search("befriending").total
    assert search.search_correcting("befreinding", as_typed=True).results.total == 0


# --- 1. Back to the same search ----------------------------------------------------------------------------


def test_back_to_the_directory_returns_to_the_same_search(client, directory):
    search_url = "/directory?q=befriending&language=polish&district=W11&free=y&sort=relevance&page=2"
    html = client.get(search_url).get_data(as_text=True)
    assert "page 2 of 2" in html
    link = result_links(html)["Befriending group 22"]
    assert urlsplit(link).path.startswith("/directory/services/")
    entry = client.get(link)
    assert entry.status_code == 200
    back = back_link(entry.get_data(as_text=True))
    assert urlsplit(back).path == "/directory"
    assert query_of(back) == {"q": ["befriending"], "language": ["polish"], "district": ["W11"], "free": ["y"],
                              "sort": ["relevance"], "page": ["2"]}
    again = client.get(back).get_data(as_text=True)
    assert "Befriending group 22" in result_links(again) and "page 2 of 2" in again


def test_a_providers_directory_page_leads_back_to_the_search(client, directory):
    provider("Maida Vale Home Care", districts=("W9",), services=("personal-care",))
    queue.process_queue()
    html = client.get("/directory?q=home+care&kind=provider").get_data(as_text=True)
    link = result_links(html)["Maida Vale Home Care"]
    back = back_link(client.get(link).get_data(as_text=True))
    assert query_of(back) == {"q": ["home care"], "kind": ["provider"]}


@pytest.mark.parametrize("address", ["?next=https://evil.example/", "?q=lunch&back=//evil.example/x",
                                     "?q=%22%3E%3Cscript%3E", "?page=2&url=javascript:alert(1)"])
def test_the_way_back_is_only_ever_the_directorys_own_search(client, directory, address):
    from sqlalchemy import select

    from app.directory.models import DirectoryEntry
    from app.extensions import db

    entry_id = db.session.scalar(select(DirectoryEntry.id).where(DirectoryEntry.name == "Chelsea Befriending"))
    html = client.get(f"/directory/services/{entry_id}{address}").get_data(as_text=True)
    back = back_link(html)
    assert urlsplit(back).path == "/directory" and not urlsplit(back).netloc
    assert set(query_of(back)) <= {"q", "page"}
    assert "<script>" not in html.split("</header>")[1].split("<footer")[0]


def test_with_no_search_the_way_back_is_the_directory(client, directory):
    from sqlalchemy import select

    from app.directory.models import DirectoryEntry
    from app.extensions import db

    entry_id = db.session.scalar(select(DirectoryEntry.id).where(DirectoryEntry.name == "Chelsea Befriending"))
    assert back_link(client.get(f"/directory/services/{entry_id}").get_data(as_text=True)) == "/directory"


# --- 2. Chosen filters as removable tags --------------------------------------------------------------------


def test_chosen_filters_are_shown_and_each_can_be_taken_away(client, directory):
    html = client.get("/directory?q=befriending&language=arabic&language=polish&district=w9&free=y&page=1"
                      ).get_data(as_text=True)
    links = remove_links(html)
    assert set(links) == {"Arabic", "Polish", "W9", "Free"}
    assert query_of(links["Arabic"]) == {"q": ["befriending"], "language": ["polish"], "district": ["w9"], "free": ["y"]}
    assert query_of(links["W9"]) == {"q": ["befriending"], "language": ["arabic", "polish"], "free": ["y"]}
    assert query_of(links["Free"]) == {"q": ["befriending"], "language": ["arabic", "polish"], "district": ["w9"]}
    clear = re.search(r'<a class="govuk-link" href="([^"]*)">Clear filters</a>', html)
    assert clear and query_of(html_lib.unescape(clear.group(1))) == {"q": ["befriending"]}
    assert "Filter results (4 chosen)" in html


def test_no_tags_without_filters(client, directory):
    html = client.get("/directory?q=befriending").get_data(as_text=True)
    assert "Remove filter" not in html and "Clear filters" not in html
    assert '>Filter results</a>' in html


def test_an_option_not_offered_gets_no_tag(client, directory):
    html = client.get("/directory?language=klingon&kind=robot").get_data(as_text=True)
    assert "Remove filter" not in html


# --- 3. Results first in the page --------------------------------------------------------------------------


def test_the_results_come_before_the_filters_in_the_page(client, directory):
    html = client.get("/directory?q=befriending").get_data(as_text=True)
    assert html.index('id="results-heading"') < html.index('<a class="govuk-link" href="#filters">Filter results')
    assert html.index("Filter results") < html.index('id="result-count"') < html.index('id="filters"')
    assert html.index('id="filters"') < html.index("Apply filters") < html.index('href="#results-heading"')
