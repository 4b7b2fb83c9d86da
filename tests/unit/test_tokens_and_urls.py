import pytest

from app.core.tokens import hash_token, new_token
from app.core.urls import is_safe_next


def test_tokens_are_random_and_only_hash_is_kept():
    raw1, hash1 = new_token()
    raw2, hash2 = new_token()
    assert raw1 != raw2 and hash1 != hash2
    assert hash_token(raw1) == hash1
    assert raw1 not in hash1
    assert len(raw1) >= 40


@pytest.mark.parametrize("target", ["/", "/account", "/needs?page=2"])
def test_safe_next(target):
    assert is_safe_next(target)


@pytest.mark.parametrize(
    "target", [None, "", "https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)", "account"]
)
def test_unsafe_next(target):
    assert not is_safe_next(target)
