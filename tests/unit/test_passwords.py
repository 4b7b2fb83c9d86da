import pytest

from app.accounts.passwords import hash_password, password_problem, verify_password


@pytest.mark.parametrize("password", ["short", "123456789"])
def test_too_short(password):
    assert "10 characters" in password_problem(password)


@pytest.mark.parametrize(
    "password", ["password123", "1234567890", "qwertyuiop", "Password1234!", "iloveyou12345", "aaaaaaaaaaaa"]
)
def test_common_or_trivial_passwords_are_refused(password):
    problem = password_problem(password)
    assert problem is not None and "guess" in problem


def test_password_containing_email_is_refused():
    assert "email" in password_problem("grace.okafor-2026", email="grace.okafor@example.org")


def test_password_mostly_the_name_is_refused():
    assert "name" in password_problem("okafor12345", name="Grace Okafor")


@pytest.mark.parametrize("password", ["correct horse battery staple", "kettle-tuesday-violin", "ourchoice-demo"])
def test_good_passwords_pass(password):
    assert password_problem(password, email="someone@example.org", name="Grace Okafor") is None


def test_hash_is_argon2id_and_verifies(app):
    hashed = hash_password("kettle-tuesday-violin")
    assert hashed.startswith("$argon2id$")
    assert verify_password(hashed, "kettle-tuesday-violin")
    assert not verify_password(hashed, "kettle-tuesday-violon")
    assert not verify_password(None, "anything")
    assert not verify_password("not-a-hash", "anything")
