"""Signals of the brokerage feature, for higher features to follow without brokerage knowing them.

`engagement_started(engagement)` is sent inside the transaction that starts an engagement.
"""

from blinker import Namespace

_signals = Namespace()

engagement_started = _signals.signal("engagement-started")
