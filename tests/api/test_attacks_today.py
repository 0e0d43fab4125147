"""Attacks on the surface that landed with sharing, versions, short names, files and sensitivity."""

SENSITIVITY = "/api/v1/sensitivity"


def _smaa_body(n_criteria, **changes):
    body = {
        "options": ["A", "B"],
        "criteria": [{"name": f"c{j}", "direction": "benefit", "weight": 1} for j in range(n_criteria)],
        "scores": [[1 + (i + j) % 5 for j in range(n_criteria)] for i in range(2)],
        "method": "wsm",
        "analysis": "smaa",
        "seed": 1,
    }
    body.update(changes)
    return body


# Sensitivity: one anonymous call must not take the CPU for long ---------------------------


def test_hit_and_run_sampling_is_capped_by_its_own_work_not_only_by_samples_times_options(anonymous):
    """Tight bounds force hit-and-run, whose chains restart every 500 samples: 100,000 samples of 2 options
    × 50 criteria (10,000,000 numbers, under MAX_SMAA_WORK) took 40 s; with an importance order in two tied
    groups (625 order pairs per step) 2,000 samples took 3 s and 100,000 more than 2 minutes."""
    tight = [[0.0199, 0.0201]] * 50
    for extra in ({}, {"criteria_order": [1] * 25 + [26] * 25}):
        response = anonymous.post(SENSITIVITY, json=_smaa_body(50, samples=2000 if extra else 100_000,
                                                                weight_bounds=tight, **extra))  # fmt: skip

        assert response.status_code == 422, response.text[:200]
        (detail,) = response.json()["detail"]
        assert detail["loc"] == ["body", "samples"] and detail["code"] == "samples_too_many"
        assert "at most" in detail["msg"]


def test_rejection_sampling_is_counted_by_its_acceptance(anonymous):
    """Bounds that accept about 2.5% of uniform draws: 100,000 samples drew 250 million numbers (2.4 s)."""
    response = anonymous.post(SENSITIVITY, json=_smaa_body(50, samples=100_000, weight_bounds=[[0, 0.059]] * 50))

    assert response.status_code == 422, response.text[:200]
    assert response.json()["detail"][0]["code"] == "samples_too_many"


def test_loose_bounds_and_small_problems_are_still_answered(anonymous):
    response = anonymous.post(SENSITIVITY, json=_smaa_body(3, samples=10_000, weight_bounds=[[0.2, 0.5]] * 3))

    assert response.status_code == 200, response.text[:200]
    assert response.json()["samples"] == 10_000
