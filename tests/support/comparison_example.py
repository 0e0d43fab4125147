"""The comparisons' worked example (see tests/api/test_comparisons.py for the hand computation), shared by
the API, page and authorization tests."""

from __future__ import annotations

import math

from fastapi.testclient import TestClient

TAU_HAND = 3 / math.sqrt(30)


def join_and_score(app, seminar: dict, values: dict[str, float]) -> str:
    with TestClient(app) as room:
        joined = room.post("/api/v1/sessions/join", json={"join_code": seminar["join_code"]}).json()
        room.headers["Authorization"] = f"Bearer {joined['participant_token']}"
        score(room, seminar, values)
        return joined["participant_token"]


def score(room: TestClient, seminar: dict, values: dict[str, float]) -> None:
    criterion = str(seminar["criteria"][0]["id"])
    scores = {str(o["id"]): {criterion: values[o["name"]]} for o in seminar["options"]}
    response = room.put(f"/api/v1/sessions/{seminar['id']}/ballot", json={"scores": scores})
    assert response.status_code == 200, response.text


def worked_example(app, client, make_matrix) -> dict:  # noqa: ANN001
    """Two sessions of one matrix scored as in the docstring of tests/api/test_comparisons.py."""
    matrix = make_matrix(
        title="Library site",
        options=[{"name": n} for n in "ABCD"],
        criteria=[{"name": "Quality", "direction": "benefit", "weight": 1}],
    )
    first = client.post(f"/api/v1/matrices/{matrix['id']}/sessions", json={"title": "Seminar A"}).json()
    token = join_and_score(app, first, {"A": 5, "B": 4, "C": 3, "D": 2})
    client.post(f"/api/v1/matrices/{matrix['id']}/options", json={"name": "E"})
    second = client.post(f"/api/v1/matrices/{matrix['id']}/sessions", json={"title": "Seminar B"}).json()
    join_and_score(app, second, {"A": 4, "B": 5, "C": 2, "D": 2, "E": 3})
    return {"matrix": matrix, "first": first, "second": second, "first_token": token}
