"""Comparisons: what may be asked (`?sessions=3,5` or `?session=3&rounds=1,2`, a method or `all`) and the answer.

The query arrives as text, from the API and from the page alike; `parse_query`
reads it once, here, and names the parameter of every problem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from optionsmatrix.analysis import METHOD_NAMES
from optionsmatrix.errors import FieldError, InvalidInput
from optionsmatrix.schemas.sessions import AGGREGATIONS

MAX_COLUMNS = 6  # sessions, rounds or methods side by side: more does not fit a table anyone reads
ALL_METHODS = "all"  # `method=all`: one column per ranking method, on one round of one session
ComparisonKind = Literal["sessions", "rounds", "methods"]
_ID = re.compile(r"[1-9][0-9]{0,9}")
_MAX_ID = 2**31 - 1


@dataclass(frozen=True)
class ComparisonQuery:
    session_ids: tuple[int, ...]
    rounds: tuple[int, ...] | None  # None: the default rounds (see services/comparisons.py)
    method: str | None  # None: each session's own; ALL_METHODS: every method
    aggregation: str = "mean"

    @property
    def kind(self) -> ComparisonKind:
        if len(self.session_ids) > 1:
            return "sessions"
        return "methods" if self.method == ALL_METHODS else "rounds"


def _id_list(field: str, text: str, noun: str, example: str = "3,5") -> tuple[int, ...]:
    """Comma-separated positive integers; `noun` is one of them ("session id")."""
    parts = [p.strip() for p in text.split(",")]
    if not text.strip() or any(not _ID.fullmatch(p) or int(p) > _MAX_ID for p in parts):
        what = f"one {noun}" if "," not in example else f"{noun}s separated by commas"
        raise InvalidInput.on(field, f"'{field}' takes {what}, such as {example}; got {text[:40]!r}")
    values = tuple(int(p) for p in parts)
    if len(set(values)) != len(values):
        raise InvalidInput.on(field, f"'{field}' names the same {noun} twice")
    if len(values) > MAX_COLUMNS:
        raise InvalidInput.on(field, f"'{field}' takes at most {MAX_COLUMNS} {noun}s; got {len(values)}")
    return values


def parse_query(
    *,
    sessions: str | None = None,
    session: str | None = None,
    rounds: str | None = None,
    method: str | None = None,
    aggregation: str | None = None,
) -> ComparisonQuery:
    """The comparison asked for, or InvalidInput naming each parameter that is wrong."""
    problems: list[FieldError] = []

    def check(step) -> object:  # noqa: ANN001
        try:
            return step()
        except InvalidInput as error:
            problems.extend(error.errors)
            return None

    ids: tuple[int, ...] | None = None
    if sessions is not None and session is not None:
        problems.append(FieldError(("session",), "send either 'sessions' (two or more) or 'session', not both"))
    elif sessions is not None:
        ids = check(lambda: _id_list("sessions", sessions, "session id"))  # type: ignore[assignment]
        if ids is not None and len(ids) < 2:
            problems.append(FieldError(("sessions",), "'sessions' compares two or more sessions, such as 3,5; "
                                       "for the rounds of one session send 'session'"))  # fmt: skip
    elif session is not None:
        ids = check(lambda: _id_list("session", session, "session id", "3"))  # type: ignore[assignment]
        if ids is not None and len(ids) != 1:
            problems.append(FieldError(("session",), "'session' names one session; to compare several send "
                                       "'sessions'"))  # fmt: skip
    else:
        problems.append(FieldError(("sessions",), "name the sessions to compare ('sessions=3,5'), or one session "
                                   "whose rounds or methods to compare ('session=3')"))  # fmt: skip
    round_numbers = check(lambda: _id_list("rounds", rounds, "round number", "1,2")) if rounds is not None else None
    chosen = method or None
    if chosen is not None and chosen != ALL_METHODS and chosen not in METHOD_NAMES:
        problems.append(FieldError(("method",), f"unknown method {chosen[:40]!r}; choose one of "
                                   f"{', '.join(METHOD_NAMES)}, or {ALL_METHODS!r} to compare them"))  # fmt: skip
    how = aggregation or "mean"
    if how not in AGGREGATIONS:
        problems.append(FieldError(("aggregation",), f"'aggregation' is one of {', '.join(AGGREGATIONS)}; "
                                   f"got {how[:40]!r}"))  # fmt: skip
    if sessions is not None and rounds is not None:
        problems.append(FieldError(("rounds",), "'rounds' goes with 'session' (the rounds of one session); two "
                                   "sessions are compared on each one's latest round with ballots"))  # fmt: skip
    if sessions is not None and chosen == ALL_METHODS:
        problems.append(FieldError(("method",), "methods are compared on one session at a time: send "
                                   "'session' with method=all"))  # fmt: skip
    if session is not None and chosen == ALL_METHODS and round_numbers is not None and len(round_numbers) > 1:
        problems.append(FieldError(("rounds",), "methods are compared on one round at a time: send one round "
                                   "number with method=all"))  # fmt: skip
    if problems:
        raise InvalidInput(problems)
    return ComparisonQuery(ids, round_numbers, chosen, how)  # type: ignore[arg-type]


# The answer ---------------------------------------------------------------------------------------------


class ComparisonColumn(BaseModel):
    session_id: int
    session_title: str
    round: int
    method: str
    method_label: str
    normalization: str | None
    higher_is_better: bool = Field(description="Whether the method's higher score is better (VIKOR's Q: lower)")
    label: str = Field(description="How the column is headed: the session, the round or the method")
    ballots: int
    complete_ballots: int
    empty: bool = Field(description="No ranking in this column; `empty_reason` says why")
    empty_reason: str | None


class ComparedOption(BaseModel):
    key: int = Field(description="What matches the option across columns: its matrix option id (sessions) or "
                     "its session option id (rounds, methods)")  # fmt: skip
    name: str
    short_name: str
    option_ids: list[int | None] = Field(description="The session option's id in each column (null: not there)")
    ranks: list[int | None] = Field(description="Per column, 1 = best among the compared options (null: empty)")
    scores: list[float | None] = Field(description="Per column, the method's own score")
    spread: int | None = Field(description="Largest rank minus smallest over the columns with a ranking")


class OnlyInSome(BaseModel):
    key: int | None
    name: str
    short_name: str
    option_ids: list[int | None]
    ranks: list[int | None] = Field(description="Its place in its own session's full ranking (null: not there)")


class Agreement(BaseModel):
    columns: list[int] = Field(description="The two columns' positions in `columns`")
    tau_b: float | None = Field(description="Kendall's τ-b, −1 (reversed) to 1 (identical); null when undefined")
    words: str = Field(description="The same in a sentence, e.g. 'The two rankings agree strongly (τ-b 0.80).'")


class Comparison(BaseModel):
    kind: ComparisonKind
    aggregation: str
    columns: list[ComparisonColumn]
    options: list[ComparedOption] = Field(
        description="The options every column has, the largest difference in position first"
    )
    only_in_some: list[OnlyInSome] = Field(
        description="Options not in every session compared (the matrix changed between them): not ranked above"
    )
    agreement: list[Agreement] = Field(description="Each pair of columns")
    notes: list[str] = Field(description="What to keep in mind reading it, e.g. sessions ranked by different methods")

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "kind": "sessions",
                    "aggregation": "mean",
                    "columns": [
                        {"session_id": 3, "session_title": "Seminar A", "round": 1, "method": "wsm",
                         "method_label": "Weighted sum", "normalization": "scale", "higher_is_better": True,
                         "label": "Seminar A, round 1", "ballots": 12, "complete_ballots": 11, "empty": False,
                         "empty_reason": None},
                        {"session_id": 5, "session_title": "Seminar B", "round": 2, "method": "wsm",
                         "method_label": "Weighted sum", "normalization": "scale", "higher_is_better": True,
                         "label": "Seminar B, round 2", "ballots": 9, "complete_ballots": 9, "empty": False,
                         "empty_reason": None},
                    ],
                    "options": [
                        {"key": 11, "name": "Riverside", "short_name": "", "option_ids": [31, 41], "ranks": [1, 3],
                         "scores": [0.71, 0.52], "spread": 2},
                        {"key": 12, "name": "Old town", "short_name": "", "option_ids": [32, 42], "ranks": [2, 1],
                         "scores": [0.64, 0.66], "spread": 1},
                        {"key": 13, "name": "Campus", "short_name": "", "option_ids": [33, 43], "ranks": [3, 2],
                         "scores": [0.40, 0.61], "spread": 1},
                    ],
                    "only_in_some": [],
                    "agreement": [
                        {"columns": [0, 1], "tau_b": -0.33,
                         "words": "The two rankings disagree somewhat (τ-b −0.33)."}
                    ],
                    "notes": [],
                }
            ]
        }
    )  # fmt: skip
