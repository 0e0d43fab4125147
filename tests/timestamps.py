"""Checking that a JSON answer states every timestamp as UTC with an explicit offset."""

from __future__ import annotations

from datetime import datetime, timedelta


def timestamps_in(value: object, path: str = "") -> dict[str, str]:
    """Every non-null `*_at` field anywhere in a JSON value, by where it was found."""
    found: dict[str, str] = {}
    if isinstance(value, dict):
        for key, item in value.items():
            here = f"{path}.{key}"
            if key.endswith("_at") and item is not None:
                found[here] = item
            else:
                found.update(timestamps_in(item, here))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.update(timestamps_in(item, f"{path}[{index}]"))
    return found


def assert_utc_with_offset(value: object) -> int:
    """Fails unless each timestamp parses with an offset of zero; returns how many it checked."""
    found = timestamps_in(value)
    for where, text in found.items():
        moment = datetime.fromisoformat(text)
        assert moment.utcoffset() == timedelta(0), f"{where} = {text!r} has no UTC offset"
    return len(found)
