"""Neighbouring postcode districts, for sorting the directory by "nearest".

Approximate, hand-kept, for the hubs' areas; districts not listed fall back to "same postcode
area". Add rows as hubs open in new areas.
"""

from __future__ import annotations

import re

NEIGHBOURS: dict[str, set[str]] = {
    "W2": {"W1", "W8", "W9", "W11", "NW1", "NW8"},
    "W8": {"W2", "W11", "W14", "SW5", "SW7"},
    "W9": {"W2", "W10", "NW6", "NW8"},
    "W10": {"W9", "W11", "W12", "NW6", "NW10"},
    "W11": {"W2", "W8", "W10", "W12", "W14"},
    "W12": {"W10", "W11", "W14", "W3", "W6", "NW10"},
    "W14": {"W6", "W8", "W11", "W12", "SW5", "SW6"},
    "NW1": {"NW3", "NW5", "NW8", "W1", "W2", "WC1", "N1", "N7"},
    "NW6": {"NW2", "NW3", "NW8", "NW10", "W9", "W10"},
    "NW8": {"NW1", "NW3", "NW6", "W2", "W9"},
    "SW1": {"SW3", "SW7", "SW8", "W1", "WC2", "SE1", "SE11"},
    "SW3": {"SW1", "SW7", "SW10", "SW11"},
    "SW5": {"SW6", "SW7", "SW10", "W8", "W14"},
    "SW7": {"SW1", "SW3", "SW5", "SW10", "W8"},
    "SW10": {"SW3", "SW5", "SW6", "SW7", "SW11"},
}


def neighbours(district: str) -> set[str]:
    return NEIGHBOURS.get(district.upper(), set())


def area(district: str) -> str:
    match = re.match(r"[A-Z]+", district.upper())
    return match.group(0) if match else ""
