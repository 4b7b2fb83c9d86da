"""Email addresses, web addresses and phone numbers that people can actually use.

One set of rules for every way contact details arrive: a form (the WTForms validators below), a
service called without a form (demo data, imports), and the Open Referral API, which leaves out
anything stored before these rules that does not pass them. Each check returns the tidied
value, or raises a `DomainError` whose plain-English message goes beside the field.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import quote, urlsplit, urlunsplit

from email_validator import EmailNotValidError, validate_email
from wtforms.validators import ValidationError

from app.core.errors import DomainError

EMAIL_FORMAT = "Enter an email address in the right format, like name@example.org"
WEB_FORMAT = "Enter a web address in the right format, like www.example.org"
WEB_SCHEME = "Enter a web address that starts with https:// or http://, like https://www.example.org"
PHONE_CHARACTERS = "Enter a phone number using only numbers, spaces, brackets, hyphens and +, like 020 7946 0123"
PHONE_FORMAT = "Enter a phone number in the right format, like 020 7946 0123 or +44 20 7946 0123"
PHONE_AREA_CODE = "Enter the full phone number, including the area code, like 020 7946 0123"
PHONE_UK_LENGTH = "Enter a UK phone number with 10 or 11 digits, like 020 7946 0123"
PHONE_INTERNATIONAL = "Enter an international phone number with its country code, like +353 1 234 5678"

WEB_ADDRESS_MAX = 300  # the longest web address we store
PHONE_MAX = 40

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")
_SCHEME_WITHOUT_SLASHES = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:(?![0-9])")  # mailto:, javascript:...
_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
_TOP_LEVEL = re.compile(r"[a-z]{2,63}|xn--[a-z0-9-]{1,59}")  # never all digits: no IP addresses
_PORT = re.compile(r"[0-9]{1,5}")
# What RFC 3986 allows in a path, query or fragment (the letters, digits, marks and %XX escapes).
_URI_PART = re.compile(r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})*")
_PHONE_ALLOWED = re.compile(r"[0-9 +()\-]+")


def _invalid(message: str, field: str | None):
    return DomainError(message, field=field)


def email_address(value: str | None, *, field: str | None = None, ascii_only: bool = False) -> str:
    """The address as email-validator normalises it ("" when empty). With `ascii_only`, an
    internationalised domain comes back in its ASCII (punycode) form, as open data needs."""
    text = (value or "").strip()
    if not text:
        return ""
    try:
        checked = validate_email(text, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError as exc:
        raise _invalid(EMAIL_FORMAT, field) from exc
    return (checked.ascii_email or checked.normalized) if ascii_only else checked.normalized


def _hostname(host: str) -> str | None:
    host = host.lower()
    if host.endswith("."):  # "example.org." is the same place; people type it at the end of a sentence
        host = host[:-1]
    labels = host.split(".")
    if len(host) > 253 or len(labels) < 2 or not all(_LABEL.fullmatch(label) for label in labels):
        return None
    return host if _TOP_LEVEL.fullmatch(labels[-1]) else None


def _uri_part(part: str) -> str | None:
    """The part with any non-ASCII letters %-encoded (as browsers do), or None if it holds
    characters a web address cannot."""
    encoded = "".join(quote(char) if ord(char) > 127 else char for char in part)
    return encoded if _URI_PART.fullmatch(encoded) else None


def web_address(value: str | None, *, field: str | None = None, max_length: int = WEB_ADDRESS_MAX) -> str:
    """An http or https address with a real host name ("" when empty). A bare address such
    as www.example.org gets https:// in front."""
    text = (value or "").strip()
    if not text:
        return ""
    if any(char.isspace() for char in text):
        raise _invalid(WEB_FORMAT, field)
    scheme = _SCHEME.match(text)
    if scheme is None:
        if _SCHEME_WITHOUT_SLASHES.match(text):
            raise _invalid(WEB_SCHEME, field)
        text = "https:" + text if text.startswith("//") else "https://" + text
    elif scheme.group(1).lower() not in ("http", "https"):
        raise _invalid(WEB_SCHEME, field)
    try:
        parts = urlsplit(text)
    except ValueError as exc:
        raise _invalid(WEB_FORMAT, field) from exc
    netloc = parts.netloc
    if not netloc or "@" in netloc:  # no user names or passwords in a public address
        raise _invalid(WEB_FORMAT, field)
    host, colon, port = netloc.partition(":")
    hostname = _hostname(host)
    if hostname is None or (colon and not (_PORT.fullmatch(port) and 0 < int(port) <= 65535)):
        raise _invalid(WEB_FORMAT, field)
    path, query, fragment = (_uri_part(p) for p in (parts.path, parts.query, parts.fragment))
    if path is None or query is None or fragment is None:
        raise _invalid(WEB_FORMAT, field)
    address = urlunsplit((parts.scheme.lower(), hostname + (f":{port}" if colon else ""), path, query, fragment))
    if len(address) > max_length:
        raise _invalid(f"Web address must be {max_length} characters or fewer", field)
    return address


def phone_number(value: str | None, *, field: str | None = None) -> str:
    """A UK number (10 or 11 digits starting with 0, or +44) or an international one starting
    with + or 00, written as the person wrote it, with the spacing tidied ("" when empty)."""
    text = " ".join((value or "").split())
    if not text:
        return ""
    if len(text) > PHONE_MAX:
        raise _invalid(f"Phone number must be {PHONE_MAX} characters or fewer", field)
    if not _PHONE_ALLOWED.fullmatch(text):
        raise _invalid(PHONE_CHARACTERS, field)
    if "+" in text[1:] or not _brackets_pair(text):
        raise _invalid(PHONE_FORMAT, field)
    digits = re.sub(r"[^0-9]", "", text)
    if text.startswith("+") or digits.startswith("00"):  # +44 ..., or 0044 ... as dialled from abroad
        digits = digits if text.startswith("+") else digits[2:]
        if digits.startswith("44"):
            national = digits[2:]
            if national.startswith("0"):  # +44 (0)20 ...: the 0 is only dialled inside the UK
                national = national[1:]
            if not 9 <= len(national) <= 10:
                raise _invalid(PHONE_UK_LENGTH, field)
        elif not 7 <= len(digits) <= 15:  # the longest number the international plan allows
            raise _invalid(PHONE_INTERNATIONAL, field)
        return text
    if not digits.startswith("0"):
        raise _invalid(PHONE_AREA_CODE, field)
    if not 10 <= len(digits) <= 11:
        raise _invalid(PHONE_UK_LENGTH, field)
    return text


def _brackets_pair(text: str) -> bool:
    depth = 0
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth not in (0, 1):
            return False
    return depth == 0


# --- WTForms validators (they check; the service stores the tidied value) ---------------------------


class _ContactCheck:
    check: Callable[[str], str]

    def __call__(self, form, field) -> None:
        if not (field.data or "").strip() or field.errors:  # one message a field (Length may have spoken)
            return
        try:
            self.check(field.data)
        except DomainError as error:
            raise ValidationError(error.message) from error


class EmailAddressFormat(_ContactCheck):
    """An email address in the right format (empty is left to Optional/DataRequired)."""

    check = staticmethod(email_address)


class WebAddressFormat(_ContactCheck):
    """An http or https web address with a real host name."""

    check = staticmethod(web_address)


class PhoneNumberFormat(_ContactCheck):
    """A UK or international phone number."""

    check = staticmethod(phone_number)
