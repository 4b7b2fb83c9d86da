"""Searching the directory: relevance, stemming, phrases and prefixes, filters with counts,
sorting, paging and "Did you mean", through the service and through the page."""

from __future__ import annotations

import re

import pytest

from app.search import queue
from app.search import services as search
from tests.factories import accredited_broker, directory_entry, provider
from tests.search_helpers import make_index_unusable

EVERY_SEARCH_BACKEND = True  # each test runs with Whoosh (SQLite) and PostgreSQL's own search


def names(results) -> list[str]:
    return [hit.display["name"] for hit in results.hits]


def page_names(response) -> list[str]:
    html = response.get_data(as_text=True)
    return re.findall(r'<h3 class="govuk-heading-m govuk-!-margin-bottom-1"><a class="govuk-link" href="[^"]*">([^<]*)</a>',
                      html)


@pytest.fixture
def directory(app):
    """A small directory, indexed."""
    directory_entry("Maida Vale Befriending Scheme", districts=("W9",), languages=["arabic"],
                    accessibility=["step_free"], description="Volunteers visit you at home for a chat.")
    directory_entry("Telephone Friends", districts=("W10",), description="A friendly phone call for carers and "
                    "anyone who feels alone.", languages=["somali"])
    directory_entry("Chelsea Befriending", districts=("SW3",), description="Weekly visits from a volunteer.")
    directory_entry("Pimlico Lunch Club", categories=("day-opportunities",), districts=("SW1",), is_free=False,
                    cost="£3.50", description="A hot lunch club, twice a week.", tags=["lunch club", "meals"])
    directory_entry("Lunch and Chat", categories=("day-opportunities", "befriending"), districts=("W9",),
                    description="Lunch, a quiz and a chat. Not a club, just friends.")
    directory_entry("Carers Network", categories=("carers-support",), districts=("W2",),
                    description="Support for unpaid carers.", accessibility=["step_free", "hearing_loop"])
    directory_entry("Old Carers Group", categories=("carers-support",), districts=("W2",), verified_days_ago=500,
                    description="A group for carers.")
    directory_entry("Visiting Hairdresser", categories=("help-at-home",), districts=("W9", "NW8"),
                    description="Cuts and sets at home on Wednesdays.", tags=["haircut", "home visits"])
    queue.process_queue()


def test_an_exact_name_match_ranks_first(directory):
    directory_entry("Befriending", districts=("SW5",), description="Befriending for people in SW5, befriending.")
    queue.process_queue()
    assert names(search.search("Befriending"))[0] == "Befriending"
    assert names(search.search("pimlico lunch club"))[0] == "Pimlico Lunch Club"


def test_the_entrys_own_tags_rank_above_a_kind_of_service_it_is_also_listed_under(app):
    """ "befriending": the name first, then an entry tagged "telephone befriending", then
    entries only listed under the befriending kind of service (A to Z), whether the index or
    the database answers."""
    directory_entry("Knit and Natter", categories=("day-opportunities", "befriending"), tags=["knitting"])
    directory_entry("Telephone Friends", categories=("befriending",), tags=["telephone befriending"])
    directory_entry("Amble Buddies", categories=("befriending",), tags=["walking"])
    directory_entry("Maida Vale Befriending Scheme", categories=("befriending",))
    directory_entry("Chess Club", categories=("day-opportunities",), description="Befriending through chess.")
    queue.process_queue()
    expected = ["Maida Vale Befriending Scheme", "Telephone Friends", "Amble Buddies", "Knit and Natter",
                "Chess Club"]
    from_index = search.search("befriending")
    assert not from_index.fallback
    assert names(from_index) == expected

    make_index_unusable(app)
    from_database = search.search("befriending")
    assert from_database.fallback
    assert names(from_database) == expected


def test_stemming_finds_other_forms_of_a_word(directory):
    carers = set(names(search.search("carer")))
    assert {"Carers Network", "Old Carers Group", "Telephone Friends"} <= carers
    assert "befriending" in " ".join(names(search.search("befriend"))).lower()
    assert "Maida Vale Befriending Scheme" in names(search.search("visiting volunteers"))


def test_phrases_and_prefixes(directory):
    phrase = names(search.search('"lunch club"'))
    assert "Pimlico Lunch Club" in phrase
    assert "Lunch and Chat" not in phrase  # has both words, not the phrase
    assert names(search.search("Pimlico Lun")) == ["Pimlico Lunch Club"]
    assert "Visiting Hairdresser" in names(search.search("hairdress*"))


def test_hyphens_and_possessives_are_read_as_their_words(app):
    directory_entry("Day Care Club", description="Day care for older people, Tuesdays.")
    directory_entry("Support Circle", description="Support for women who care for someone.")
    queue.process_queue()
    assert names(search.search("day-care")) == ["Day Care Club"]
    assert names(search.search("women's support")) == ["Support Circle"]


def test_every_word_must_match(directory):
    assert names(search.search("befriending lunch")) == ["Lunch and Chat"]


def test_a_district_in_the_words_puts_that_district_first(directory):
    results = search.search("befriending W9")
    found = names(results)
    assert set(found[:2]) == {"Maida Vale Befriending Scheme", "Lunch and Chat"}
    assert "Chelsea Befriending" in found  # further away, still listed
    assert results.near == "W9"


def test_filters_narrow_the_results_and_count_each_option(directory):
    results = search.search("", search.Filters(languages=["arabic"]))
    assert names(results) == ["Maida Vale Befriending Scheme"]
    everything = search.search("")
    assert everything.total == 8
    assert everything.counts["categories"]["befriending"] == 4
    assert everything.counts["districts"]["w9"] == 3
    assert everything.counts["languages"] == {"arabic": 1, "somali": 1}
    assert everything.counts["free"] == {"yes": 7}
    assert everything.counts["verified"] == {"yes": 7}
    assert everything.counts["accessibility"]["step_free"] == 2


def test_a_chosen_filter_still_counts_its_other_options(directory):
    results = search.search("", search.Filters(districts=["W9"]))
    assert results.total == 3
    assert results.counts["districts"]["w2"] == 2  # what choosing W2 as well would add
    assert results.counts["categories"] == {"befriending": 2, "day-opportunities": 1, "help-at-home": 1}


def test_flag_filters(directory):
    assert "Pimlico Lunch Club" not in names(search.search("", search.Filters(free=True)))
    assert "Old Carers Group" not in names(search.search("", search.Filters(verified=True)))
    assert search.search("", search.Filters(accessibility=["step_free", "hearing_loop"])).total == 2


def test_kinds_and_accepting_cover_providers_and_brokers(app, directory, hub):
    provider("Maida Vale Home Care", districts=("W9",), services=("personal-care",))
    provider("Full Up Care", districts=("W9",), services=("personal-care",), slots=())
    accredited_broker(hub, name="Rahman Planning", districts=["W9"])
    queue.process_queue()
    results = search.search("", search.Filters(kinds=["provider", "broker"]))
    assert set(names(results)) == {"Maida Vale Home Care", "Full Up Care", "Rahman Planning"}
    accepting = search.search("", search.Filters(kinds=["provider", "broker"], accepting=True))
    assert set(names(accepting)) == {"Maida Vale Home Care", "Rahman Planning"}
    assert results.counts["kind"] == {"service": 8, "provider": 2, "broker": 1}  # counted as if not chosen
    assert "Rahman Planning" in names(search.search("support broker"))


def test_unverified_providers_are_not_listed(app, directory):
    provider("Not Checked Care", verified=False)
    queue.process_queue()
    assert search.search("Not Checked Care").total == 0


def test_sort_by_nearest_puts_the_district_then_its_neighbours_first(directory):
    found = names(search.search("", sort="nearest", near="W10"))
    assert found[0] == "Telephone Friends"  # W10 itself
    neighbours_of_w10 = {"Maida Vale Befriending Scheme", "Lunch and Chat", "Visiting Hairdresser"}  # W9
    assert set(found[1:4]) == neighbours_of_w10
    assert set(found[-2:]) <= {"Chelsea Befriending", "Pimlico Lunch Club"}


def test_sort_by_rating_puts_the_best_rated_first(app, hub, directory):
    from app.engagements.models import Review, ReviewStatus
    from app.extensions import db
    from tests.factories import BudgetHolderFactory, engagement

    good = accredited_broker(hub, name="Good Broker")
    better = accredited_broker(hub, name="Better Broker")
    for broker, rating in ((good, 3), (better, 5)):
        holder = BudgetHolderFactory()
        db.session.add(Review(engagement=engagement(holder, broker), broker=broker, rating=rating,
                              status=ReviewStatus.PUBLISHED, submitted_by_id=holder.user_id))
    db.session.commit()
    queue.process_queue()
    assert names(search.search("", sort="rating"))[:2] == ["Better Broker", "Good Broker"]


def test_paging(app, directory):
    for number in range(25):
        directory_entry(f"Club number {number:02d}", districts=("W11",))
    queue.process_queue()
    first = search.search("club number")
    assert (first.total, first.pages, len(first.hits)) == (25, 2, 20)
    second = search.search("club number", page=2)
    assert len(second.hits) == 5
    assert not set(names(first)) & set(names(second))


def test_did_you_mean_for_a_misspelling(directory):
    results = search.search("befreinding")
    assert results.total == 0
    assert results.suggestion == "befriending"
    assert search.search("befriending").suggestion is None
    assert search.search("hairdreser W9").suggestion == "hairdresser W9"


def test_the_page_works_without_signing_in_and_announces_the_count(client, directory):
    response = client.get("/directory?q=befriending")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert re.search(r'role="status"[^>]*><strong>4 results</strong> for <q>befriending</q>', html)
    assert "<title>Directory: 4 results for befriending – OurChoice</title>" in html
    assert page_names(response)[0] in {"Chelsea Befriending", "Maida Vale Befriending Scheme"}


def test_the_page_shows_counts_beside_filters_and_keeps_choices(client, directory):
    html = client.get("/directory?language=arabic&district=W9").get_data(as_text=True)
    assert re.search(r'value="arabic" checked>\s*<label[^>]*>Arabic <span class="oc-facet-count">\(1', html)
    assert re.search(r'value="W9" checked>', html)
    assert "1 result</strong>" in html


def test_the_page_offers_the_suggestion_as_a_link_when_it_finds_nothing_either(client, directory):
    """No broker offers befriending either, so the page only offers the suggestion (the page
    shows a suggestion's results itself when they exist: test_directory_findability.py)."""
    html = client.get("/directory?q=befreinding&kind=broker").get_data(as_text=True)
    link = re.search(r'Did you mean <a class="govuk-link" href="([^"]*)">befriending</a>\?', html)
    assert link, "no suggestion"
    assert sorted(link.group(1).split("?")[1].split("&amp;")) == ["kind=broker", "q=befriending"]  # filters kept
    assert "Showing results for" not in html


def test_the_page_marks_entries_that_may_be_out_of_date(client, directory):
    html = client.get("/directory?q=carers+group").get_data(as_text=True)
    assert "Old Carers Group" in html and "May be out of date" in html
    fresh = client.get("/directory?q=carers+network").get_data(as_text=True)
    assert "May be out of date" not in fresh


def test_the_page_pages(client, directory):
    for number in range(25):
        directory_entry(f"Club number {number:02d}", districts=("W11",))
    queue.process_queue()
    html = client.get("/directory?q=club+number&page=2").get_data(as_text=True)
    assert "page 2 of 2" in html
    assert 'href="/directory?page=1&amp;q=club+number"' in html or 'href="/directory?q=club+number&amp;page=1"' in html


@pytest.mark.parametrize("query", ["?page=abc", "?page=-4", "?sort=nonsense", "?kind=robot", "?q=" + "x" * 500,
                                   "?q=(((", '?q="', "?q=*", "?near=ZZ99", "?district=W9&district=<script>"])
def test_odd_input_never_fails(client, directory, query):
    assert client.get("/directory" + query).status_code == 200


def test_an_entry_page(client, directory):
    from sqlalchemy import select

    from app.directory.models import DirectoryEntry
    from app.extensions import db

    entry = db.session.scalar(select(DirectoryEntry).where(DirectoryEntry.name == "Old Carers Group"))
    html = client.get(f"/directory/services/{entry.id}").get_data(as_text=True)
    assert "This information may be out of date" in html
    assert f"/directory/service/{entry.id}/correction" in html


@pytest.mark.parametrize("words", ['"lunch club"', "hairdress*", "Pimlico Lun", "(((", '"', "*", "befriending W9",
                                   "the", "AND OR NOT", "carer's", "lunch OR chat", "befriending -chelsea", "a" * 300])
def test_the_index_answers_every_kind_of_query_itself(directory, words):
    """Odd queries are answered by the index, not by falling back to the database."""
    assert not search.search(words).fallback
    assert not search.search(words, search.Filters(districts=["W9"]), sort="nearest", near="W9").fallback
    assert not search.search(words, sort="rating").fallback
