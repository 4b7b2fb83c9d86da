"""Signals of the hubs feature, for higher features to follow without hubs knowing them."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# Sent (in the caller's unit of work) when a hub stops trading: sender is the Hub, with
# `reason` (the words the admin gave). Engagements end the hub's work through their own service.
hub_suspended = _signals.signal("hub-suspended")
