"""Sessions built through the API as a room would build them: join, score, start another round, score again."""

from __future__ import annotations

import numpy as np
from fastapi.testclient import TestClient

from tests.api.test_sessions import _as, _join

ROOM = ("Ann", "Bao", "Chidi", "Dana")


def ballot_body(seminar: dict, grid: np.ndarray, weights: np.ndarray | None = None) -> dict:
    """A ballot from an options × criteria grid (NaN: left empty) and, in participant mode, criterion weights."""
    body: dict = {
        "scores": {
            str(o["id"]): {str(c["id"]): float(grid[i, j]) for j, c in enumerate(seminar["criteria"])
                           if not np.isnan(grid[i, j])}
            for i, o in enumerate(seminar["options"])
        }
    }  # fmt: skip
    if weights is not None:
        body["weights"] = {str(c["id"]): float(w) for c, w in zip(seminar["criteria"], weights, strict=True)}
    return body


def run_session(
    app, client: TestClient, matrix_id: int, *, weight_mode: str = "fixed", names=ROOM, seed: int = 7, **start
) -> tuple[dict, dict[int, np.ndarray]]:
    """A session of `matrix_id` with everyone in `names` scoring two rounds; the last person leaves round 2 blank.

    Returns the session as the API shows it and each round's stacked ballots (participants × options × criteria).
    """
    seminar = client.post(f"/api/v1/matrices/{matrix_id}/sessions", json={"weight_mode": weight_mode, **start})
    assert seminar.status_code == 201, seminar.text
    seminar = seminar.json()
    rng = np.random.default_rng(seed)
    m, n = len(seminar["options"]), len(seminar["criteria"])
    people = [_as(app, _join(TestClient(app), seminar["join_code"], name)["participant_token"]) for name in names]
    grids: dict[int, np.ndarray] = {}
    for number in (1, 2):
        if number == 2:
            assert client.post(f"/api/v1/sessions/{seminar['id']}/rounds").status_code == 201
        voting = people if number == 1 else people[:-1]
        lows = np.array([c["scale_min"] for c in seminar["criteria"]])
        highs = np.array([c["scale_max"] for c in seminar["criteria"]])
        grid = rng.integers(lows, highs + 1, size=(len(voting), m, n)).astype(float)
        for person, scores in zip(voting, grid, strict=True):
            weights = rng.integers(1, 5, size=n) if weight_mode == "participant" else None
            saved = person.put(f"/api/v1/sessions/{seminar['id']}/ballot", json=ballot_body(seminar, scores, weights))
            assert saved.status_code in (200, 201), saved.text
        grids[number] = grid
    return seminar, grids
