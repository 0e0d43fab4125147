"""The one exception the analysis core raises for bad input.

Every message is written for the person who typed the value: it names the
argument, says what was expected and what came. `field` is a dotted path with
list indices in brackets ("weights", "criteria[2].scale_min", "scores[0][3]",
"params.v"), `loc` the same as a tuple, so a caller can point at the input
without parsing the message; `code` names the rule for callers that word
their own message.
"""

from __future__ import annotations

import re

_PATH_PART = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


class AnalysisError(ValueError):
    """Input that the analysis cannot work with; maps to HTTP 422."""

    def __init__(self, message: str, field: str | None = None, *, code: str = "invalid") -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        # A stable name for what went wrong ("scale_reversed"), for callers
        # that word their own message (the web page) or branch on it.
        self.code = code

    @property
    def loc(self) -> tuple[str | int, ...]:
        """The field path as FastAPI `loc` parts: "criteria[2].scale_min" -> ("criteria", 2, "scale_min")."""
        if not self.field:
            return ()
        return tuple(name if name else int(index) for name, index in _PATH_PART.findall(self.field))

    def __repr__(self) -> str:
        return f"AnalysisError({self.message!r}, field={self.field!r}, code={self.code!r})"


def number(value: float) -> str:
    """A number as a person would write it in a message: 7, 0.3333, 1e+200, nan."""
    return format(float(value), ".6g")
