"""How an option or criterion is labelled where space is short (table headers, charts, the ladder).

Neutral ground: the matrix page, the scoring component and session pages all
ask here, for stored items and for session snapshots alike.
"""

from __future__ import annotations

from typing import Protocol


class Named(Protocol):
    name: str
    short_name: str


def display_name(item: Named) -> str:
    """The short name when one is set, else the full name (which then belongs in a tooltip too)."""
    return item.short_name or item.name


def has_short_name(item: Named) -> bool:
    """Whether the compact label differs from the full name, so the full name needs showing in a tooltip."""
    return bool(item.short_name) and item.short_name != item.name
