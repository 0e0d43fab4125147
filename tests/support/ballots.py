"""Participants' ballots against a real server: random full ballots, and checks that what was
acknowledged is what is stored. Shared by benchmarks/session_burst.py and tests/test_crash_safety.py."""

from __future__ import annotations

import random

import httpx2 as httpx


def random_scores(seminar: dict, rng: random.Random) -> dict[str, dict[str, int]]:
    """A complete ballot: every option scored on every criterion, within each criterion's scale."""
    return {
        str(o["id"]): {str(c["id"]): rng.randint(int(c["scale_min"]), int(c["scale_max"])) for c in seminar["criteria"]}
        for o in seminar["options"]
    }


def as_stored(scores: dict[str, dict[str, int]]) -> dict[str, dict[str, float]]:
    """How the API returns a ballot's scores: the same cells, as numbers with a fraction."""
    return {o: {c: float(v) for c, v in row.items()} for o, row in scores.items()}


def stored_ballot(client: httpx.Client, seminar: dict, token: str) -> dict | None:
    """A participant's latest ballot as the server returns it (None when there is none)."""
    answer = client.get(f"/api/v1/sessions/{seminar['id']}/ballot", headers={"Authorization": f"Bearer {token}"})
    if answer.status_code == 404:
        return None
    answer.raise_for_status()
    return answer.json()


def count_not_stored_as_sent(base_url: str, seminar: dict, acknowledged: list[tuple[str, dict]]) -> int:
    """How many acknowledged ballots (token, scores sent) are not each participant's stored ballot, exactly."""
    lost = 0
    with httpx.Client(base_url=base_url, timeout=30) as client:
        for token, scores in acknowledged:
            stored = stored_ballot(client, seminar, token)
            if stored is None or stored["scores"] != as_stored(scores):
                lost += 1
    return lost
