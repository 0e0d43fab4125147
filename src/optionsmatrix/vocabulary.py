"""Words every layer shares, with no heavy imports (the database models must not load numpy)."""

import enum


class Direction(str, enum.Enum):
    BENEFIT = "benefit"  # more is better
    COST = "cost"  # less is better
