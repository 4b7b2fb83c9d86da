"""Signals other features subscribe to, so accounts never needs to know their tables.

`account_closing(user, now=...)` is sent inside the closing transaction: a feature scrubs the
personal data it holds about that user and keeps what must be kept (money, audit).
"""

from blinker import Namespace

_signals = Namespace()

account_closing = _signals.signal("account-closing")
