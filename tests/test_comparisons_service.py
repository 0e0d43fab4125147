"""services/comparisons.py on the database: the hand-worked example, defaults, who may, and τ-b in words."""

from __future__ import annotations

import math

import pytest

from optionsmatrix.errors import InvalidInput, NotFound
from optionsmatrix.schemas.comparisons import parse_query
from optionsmatrix.schemas.matrices import MatrixCreate
from optionsmatrix.schemas.sessions import BallotIn, SessionCreate
from optionsmatrix.services import ballots, seminars
from optionsmatrix.services.access import Actor
from optionsmatrix.services.comparisons import agreement_words, compare
from optionsmatrix.services.matrices import create_matrix, get_matrix


def _matrix(session, owner_id):  # noqa: ANN001, ANN202
    data = MatrixCreate(title="Library site", options=[{"name": n} for n in "ABC"],
                        criteria=[{"name": "Cost", "direction": "cost"}, {"name": "Access"}])  # fmt: skip
    return get_matrix(session, matrix_id=create_matrix(session, data=data, owner_id=owner_id).id)


def _start(session, matrix, owner, title):  # noqa: ANN001, ANN202
    return seminars.start_session(session, matrix=matrix, owner=owner, data=SessionCreate(title=title),
                                  max_participants=50)  # fmt: skip


def _ballot(session, snapshot, rows):  # noqa: ANN001, ANN202
    """`rows`: per option (snapshot order) its (cost, access) scores."""
    joined = ballots.join(session, code=snapshot.seminar.join_code, display_name=None)
    scores = {str(o.id): {str(c.id): float(v) for c, v in zip(snapshot.criteria, row, strict=True)}
              for o, row in zip(snapshot.options, rows, strict=True)}  # fmt: skip
    ballots.save_ballot(session, participant=joined.participant, body=BallotIn(scores=scores))
    return joined


@pytest.fixture
def two_groups(session, make_instructor):  # noqa: ANN001, ANN201
    owner = make_instructor("owner@example.org")
    matrix = _matrix(session, owner.id)
    first, second = _start(session, matrix, owner, "Group 1"), _start(session, matrix, owner, "Group 2")
    # Weighted sum, equal weights, scale normalisation: (5 − cost)/4 / 2 + (access − 1)/4 / 2.
    _ballot(session, first, [(1, 5), (3, 3), (5, 1)])  # A 1.0, B 0.5, C 0.0 → A, B, C
    _ballot(session, second, [(5, 1), (3, 3), (1, 5)])  # A 0.0, B 0.5, C 1.0 → C, B, A
    return owner, first, second


def test_two_groups_with_opposite_ballots_are_exactly_reversed(session, two_groups):
    owner, first, second = two_groups
    query = parse_query(sessions=f"{first.seminar.id},{second.seminar.id}")

    found = compare(session, actor=Actor(owner), query=query)

    assert [(o.name, o.ranks, o.spread) for o in found.options] == [
        ("A", (1, 3), 2), ("C", (3, 1), 2), ("B", (2, 2), 0),
    ]  # fmt: skip
    assert [o.scores for o in found.options] == [(1.0, 0.0), (0.0, 1.0), (0.5, 0.5)]
    [pair] = found.agreement
    assert pair.tau_b == pytest.approx(-1.0)
    assert found.largest_spread == 2 and found.only_in_some == []


def test_a_session_is_compared_on_its_latest_round_with_ballots(session, two_groups):
    owner, first, second = two_groups
    seminars.new_round(session, seminar=second.seminar)  # round 2 opens, empty

    found = compare(session, actor=Actor(owner), query=parse_query(sessions=f"{first.seminar.id},{second.seminar.id}"))

    assert [c.round for c in found.columns] == [1, 1]
    assert all(c.ranking is not None for c in found.columns)


def test_an_admin_may_compare_and_another_instructor_finds_nothing(session, make_instructor, two_groups):
    _owner, first, second = two_groups
    admin = make_instructor("admin@example.org", is_admin=True)
    other = make_instructor("other@example.org")
    query = parse_query(sessions=f"{first.seminar.id},{second.seminar.id}")

    assert len(compare(session, actor=Actor(admin), query=query).columns) == 2
    with pytest.raises(NotFound):
        compare(session, actor=Actor(other), query=query)


def test_the_titles_of_two_sessions_called_alike_are_told_apart(session, make_instructor):
    owner = make_instructor("owner@example.org")
    matrix = _matrix(session, owner.id)
    first, second = _start(session, matrix, owner, "Seminar"), _start(session, matrix, owner, "Seminar")

    found = compare(session, actor=Actor(owner), query=parse_query(sessions=f"{first.seminar.id},{second.seminar.id}"))

    assert [c.label for c in found.columns] == [
        f"Seminar (session {first.seminar.id}), round 1", f"Seminar (session {second.seminar.id}), round 1",
    ]  # fmt: skip
    assert [c.empty_reason for c in found.columns] == ["no ballots in round 1 yet"] * 2
    assert found.notes == ["Fewer than two columns have a ranking, so there is nothing to compare yet."]


def test_a_method_that_cannot_rank_the_scores_empties_its_column_with_the_reason(session, make_instructor):
    owner = make_instructor("owner@example.org")
    data = MatrixCreate(title="Zeros", options=[{"name": "A"}, {"name": "B"}],
                        criteria=[{"name": "Q", "scale_min": 0, "scale_max": 5}])  # fmt: skip
    matrix = get_matrix(session, matrix_id=create_matrix(session, data=data, owner_id=owner.id).id)
    snapshot = _start(session, matrix, owner, "Zeros")
    _ballot(session, snapshot, [(0,), (4,)])

    found = compare(session, actor=Actor(owner), query=parse_query(session=str(snapshot.seminar.id), method="all"))

    wpm = next(c for c in found.columns if c.method == "wpm")
    assert wpm.ranking is None and wpm.empty_reason.startswith("Weighted product")
    assert sum(c.ranking is not None for c in found.columns) == 4


def test_both_sessions_and_session_name_every_problem_at_once():
    with pytest.raises(InvalidInput) as raised:
        parse_query(sessions="1,2", session="3", method="nope", aggregation="mode")

    assert [e.loc for e in raised.value.errors] == [("session",), ("method",), ("aggregation",)]


@pytest.mark.parametrize(
    ("tau", "words"),
    [
        (1.0, "The two rankings are identical (τ-b 1.00)."),
        (0.8, "The two rankings agree strongly (τ-b 0.80)."),
        (0.5477, "The two rankings agree moderately (τ-b 0.55)."),
        (0.2, "The two rankings agree weakly (τ-b 0.20)."),
        (0.0, "The two rankings show no clear agreement (τ-b 0.00)."),
        (-0.33, "The two rankings disagree somewhat (τ-b −0.33)."),
        (-0.6, "The two rankings largely run in opposite orders (τ-b −0.60)."),
        (-1.0, "The two rankings are exactly reversed (τ-b −1.00)."),
    ],
)
def test_tau_b_in_neutral_words(tau, words):
    assert agreement_words(tau) == words


def test_an_undefined_tau_b_is_said_so():
    assert agreement_words(math.nan).startswith("Agreement cannot be measured")
