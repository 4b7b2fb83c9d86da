"""The rules for email addresses, web addresses and phone numbers (app/core/contact_details.py)."""

from __future__ import annotations

import pytest
from wtforms import Form, StringField

from app.core.contact_details import (
    EMAIL_FORMAT,
    WEB_FORMAT,
    WEB_SCHEME,
    EmailAddressFormat,
    PhoneNumberFormat,
    WebAddressFormat,
    email_address,
    phone_number,
    web_address,
)
from app.core.errors import DomainError
from app.demo.directory import host_label


def refused(check, value) -> str:
    with pytest.raises(DomainError) as raised:
        check(value, field="here")
    assert raised.value.field == "here"
    return raised.value.message


@pytest.mark.parametrize(("typed", "kept"), [
    ("hello@example.org", "hello@example.org"),
    ("  Hello@Example.ORG ", "Hello@example.org"),
    ("first.last+tag@sub.example.co.uk", "first.last+tag@sub.example.co.uk"),
    ("", ""),
    (None, ""),
])
def test_good_email_addresses(typed, kept):
    assert email_address(typed) == kept


@pytest.mark.parametrize("typed", [
    "hello@carers-coffee-morning,-chelsea.example.org", "hello", "hello@", "@example.org", "a b@example.org",
    "hello@example", "hello@-bad.example.org", "hello@[192.168.0.1]", "hello@example..org", "josé@example.org",
])
def test_email_addresses_that_are_refused(typed):
    assert refused(email_address, typed) == EMAIL_FORMAT


def test_an_international_domain_can_be_published_in_ascii():
    assert email_address("info@münchen.example") == "info@münchen.example"
    assert email_address("info@münchen.example", ascii_only=True) == "info@xn--mnchen-3ya.example"


@pytest.mark.parametrize(("typed", "kept"), [
    ("https://www.example.org", "https://www.example.org"),
    ("www.example.org", "https://www.example.org"),  # a bare address gets https://, as before
    ("example.org/clubs?day=tue#map", "https://example.org/clubs?day=tue#map"),
    ("HTTP://WWW.Example.ORG/Path", "http://www.example.org/Path"),
    ("https://example.org:8443/", "https://example.org:8443/"),
    ("example.org:8080", "https://example.org:8080"),
    ("https://example.org.", "https://example.org"),
    ("//example.org/x", "https://example.org/x"),
    ("https://example.org/caf%C3%A9", "https://example.org/caf%C3%A9"),
    ("https://example.org/café", "https://example.org/caf%C3%A9"),
    ("https://xn--caf-dma.example/", "https://xn--caf-dma.example/"),
    ("", ""),
])
def test_good_web_addresses(typed, kept):
    assert web_address(typed) == kept


@pytest.mark.parametrize("typed", [
    "https://mind-in-the-west:-peer-support.example.org",  # what the demo data used to publish
    "https://carers-coffee-morning,-chelsea.example.org",
    "localhost", "http://intranet", "https://192.168.0.1", "https://[::1]/", "https://-bad.example.org",
    "https://bad-.example.org", "https://exa_mple.org", "https://example.123", "https://example.org:0",
    "https://example.org:99999", "https://example.org:", "https://user:secret@example.org",
    "https://example.org\\@evil.example", "https://exa mple.org", "https://example.org/a b",
    "https://example.org/%zz", "https://example.org/<script>", "https:///example.org", "https://",
    "https://" + "a" * 64 + ".example.org", "https://café.example.org",
])
def test_web_addresses_that_are_refused(typed):
    assert refused(web_address, typed) == WEB_FORMAT


@pytest.mark.parametrize("typed", ["javascript:alert(1)", "ftp://example.org", "mailto:hello@example.org",
                                   "file:///etc/passwd", "data:text/html,hi"])
def test_only_web_pages_are_web_addresses(typed):
    assert refused(web_address, typed) == WEB_SCHEME


def test_a_web_address_must_fit():
    assert web_address("example.org/" + "a" * 280)
    assert refused(web_address, "example.org/" + "a" * 290) == "Web address must be 300 characters or fewer"


@pytest.mark.parametrize(("typed", "kept"), [
    ("020 7946 0123", "020 7946 0123"),
    ("02079460123", "02079460123"),
    ("(020) 7946 0123", "(020) 7946 0123"),
    ("020-7946-0123", "020-7946-0123"),
    ("  020   7946  0123 ", "020 7946 0123"),
    ("0800 123 456", "0800 123 456"),  # some UK numbers have 10 digits
    ("07700 900123", "07700 900123"),
    ("+44 20 7946 0123", "+44 20 7946 0123"),
    ("+44 (0)20 7946 0123", "+44 (0)20 7946 0123"),
    ("0044 20 7946 0123", "0044 20 7946 0123"),
    ("+353 1 234 5678", "+353 1 234 5678"),
    ("", ""),
])
def test_good_phone_numbers(typed, kept):
    assert phone_number(typed) == kept


@pytest.mark.parametrize(("typed", "message"), [
    ("020 7946 0123 ext 4", "Enter a phone number using only numbers, spaces, brackets, hyphens and +"),
    ("020.7946.0123", "Enter a phone number using only numbers, spaces, brackets, hyphens and +"),
    ("call us", "Enter a phone number using only numbers, spaces, brackets, hyphens and +"),
    ("020 7946 +0123", "Enter a phone number in the right format"),
    ("((020)) 7946 0123", "Enter a phone number in the right format"),
    ("020) 7946 (0123", "Enter a phone number in the right format"),
    ("7946 0123", "Enter the full phone number, including the area code"),
    ("020 7946 01", "Enter a UK phone number with 10 or 11 digits"),
    ("020 7946 01234", "Enter a UK phone number with 10 or 11 digits"),
    ("+44 20 7946", "Enter a UK phone number with 10 or 11 digits"),
    ("+1 23", "Enter an international phone number with its country code"),
    ("0" * 41, "Phone number must be 40 characters or fewer"),
])
def test_phone_numbers_that_are_refused(typed, message):
    assert refused(phone_number, typed).startswith(message)


class ContactForm(Form):
    email = StringField(validators=[EmailAddressFormat()])
    website = StringField(validators=[WebAddressFormat()])
    phone = StringField(validators=[PhoneNumberFormat()])


def test_the_form_validators_put_the_message_beside_the_field():
    form = ContactForm(data={"email": "hello@example", "website": "ftp://example.org", "phone": "12"})
    assert not form.validate()
    assert form.errors == {"email": [EMAIL_FORMAT], "website": [WEB_SCHEME],
                           "phone": ["Enter the full phone number, including the area code, like 020 7946 0123"]}
    assert ContactForm(data={"email": "", "website": "", "phone": ""}).validate()  # empty: left to Optional
    assert ContactForm(data={"email": "a@example.org", "website": "example.org", "phone": "020 7946 0123"}).validate()


@pytest.mark.parametrize(("name", "label"), [
    ("Carers' Coffee Morning, Chelsea", "carers-coffee-morning-chelsea"),
    ("Mind in the West: Peer Support", "mind-in-the-west-peer-support"),
    ("Notting Hill Dementia Café", "notting-hill-dementia-cafe"),
    ("St John’s Wood Good Neighbours", "st-johns-wood-good-neighbours"),
    ("Parkinson's Support Group Westminster Kensington", "parkinsons-support-group-westminster"),  # cut at a word
    ("!!!", "service"),
])
def test_demo_host_names_are_made_from_names(name, label):
    assert host_label(name) == label
    assert web_address(f"https://{label}.example.org") == f"https://{label}.example.org"
