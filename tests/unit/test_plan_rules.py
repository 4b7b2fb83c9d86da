"""The support plan's own rules, without a database: the fingerprint of a version's text, the
word-by-word comparison, and the review dates."""

from __future__ import annotations

from datetime import date, timedelta

from app.plans.compare import diff
from app.plans.content import PlanContent, canonical, content_hash
from app.plans.reviews import a_year_after, first_review_date


def test_the_fingerprint_is_of_the_exact_text_whatever_the_key_order():
    one = {"sections": {"about_me": "Grace", "risks": "Falls"}, "lines": []}
    two = {"lines": [], "sections": {"risks": "Falls", "about_me": "Grace"}}
    assert canonical(one) == canonical(two)
    assert content_hash(one) == content_hash(two) and len(content_hash(one)) == 64
    assert content_hash({**one, "sections": {"about_me": "Grace ", "risks": "Falls"}}) != content_hash(one)
    assert content_hash({"sections": {"about_me": "Zoë"}}) != content_hash({"sections": {"about_me": "Zoe"}})


def test_the_comparison_marks_words_added_and_removed_and_keeps_the_rest():
    pieces = diff("I can fall in the shower.", "I can slip in the bath.")
    assert [(p.kind, p.text) for p in pieces] == [
        ("same", "I can "), ("removed", "fall"), ("added", "slip"), ("same", " in the "), ("removed", "shower."),
        ("added", "bath."),
    ]
    assert [p.kind for p in diff("", "New text")] == ["added"]
    assert [p.kind for p in diff("Same", "Same")] == ["same"]


def test_outcomes_are_one_per_line_without_bullets_or_blank_lines():
    content = PlanContent({"sections": {"outcomes": "- Get up by 9\n\n• Go to church\n   \nSee friends"}})
    assert content.outcomes == ["Get up by 9", "Go to church", "See friends"]


def test_the_first_review_is_the_chosen_weeks_after_support_starts():
    class Plan:
        services_start_on = date(2027, 1, 4)
        review_weeks = 8

    assert first_review_date(Plan, date(2026, 12, 20)) == date(2027, 3, 1)
    # Support that started before the plan was signed: the weeks count from the signing.
    assert first_review_date(Plan, date(2027, 2, 1)) == date(2027, 2, 1) + timedelta(weeks=8)


def test_a_year_after_29_february_is_28_february():
    assert a_year_after(date(2028, 2, 29)) == date(2029, 2, 28)
    assert a_year_after(date(2026, 12, 4)) == date(2027, 12, 4)
