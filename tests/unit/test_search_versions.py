"""The search masks keep the two latest index versions, even when one has no generation."""

from app.search import facets


def test_an_index_version_without_a_generation_is_forgotten_first(monkeypatch):
    monkeypatch.setattr(facets, "_versions", {("ix", None): "empty", ("ix", 3): "three", ("ix", 1): "one",
                                              ("other", 0): "other"})
    facets._keep_two_latest("ix")  # sorting None with ints used to raise TypeError here
    assert facets._versions == {("ix", 1): "one", ("ix", 3): "three", ("other", 0): "other"}
