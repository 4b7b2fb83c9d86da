"""Signals other features subscribe to, so accounts never needs to know their tables.

`account_closing(user, now=...)` is sent inside the closing transaction: a feature scrubs the
personal data it holds about that user and keeps what must be kept (money, audit).

`account_closed(user, now=...)` is sent at the end of closing, once every feature has done its
part: a feature removes the memberships and pseudonymises the records it keeps.

`name_changed(user, name=...)` is sent when a person changes their name: features that show it
on their own records follow.

`closing_summary(user)` is sent when the person is about to close their account: each feature
returns a list of sentences saying what closing will do to what it holds (shown before they
confirm).
"""

from blinker import Namespace

_signals = Namespace()

account_closing = _signals.signal("account-closing")
account_closed = _signals.signal("account-closed")
name_changed = _signals.signal("name-changed")
closing_summary = _signals.signal("closing-summary")


def what_closing_will_do(user) -> list[str]:
    return [line for _, lines in closing_summary.send(user) for line in (lines or [])]
