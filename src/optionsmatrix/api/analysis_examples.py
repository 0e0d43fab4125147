"""OpenAPI example bodies for /analyze (one per method) and /weights (one per scheme).

They share one small problem, so a reader of the docs can compare what each
method makes of the same scores.
"""

from __future__ import annotations

from typing import Any

_OPTIONS = ["Riverside", "Old town", "Campus"]
_SCORES = [[3, 4, 5], [2, 5, 1], [4, 3, 4]]


def _criteria(**preferences: dict[str, Any]) -> list[dict[str, Any]]:
    criteria: list[dict[str, Any]] = [
        {"name": "Cost", "direction": "cost", "weight": 2, "scale_min": 1, "scale_max": 5},
        {"name": "Access", "direction": "benefit", "weight": 1, "scale_min": 1, "scale_max": 5},
        {"name": "Floor space", "direction": "benefit", "weight": 1, "scale_min": 0, "scale_max": 10},
    ]
    for criterion in criteria:
        key = criterion["name"].lower().replace(" ", "_")
        if key in preferences:
            criterion["preference"] = preferences[key]
    return criteria


def _body(method: str, **extra: Any) -> dict[str, Any]:
    return {
        "options": _OPTIONS,
        "criteria": _criteria(**extra.pop("preferences", {})),
        "scores": _SCORES,
        "method": method,
        **extra,
    }


ANALYZE_EXAMPLES: dict[str, dict[str, Any]] = {
    "wsm": {
        "summary": "Weighted sum (WSM) on the declared scales",
        "description": "Each score becomes its position on the criterion's scale (cost criteria turned around), "
        "then a weighted sum. Higher is better.",
        "value": _body("wsm", normalization="scale"),
    },
    "wpm": {
        "summary": "Weighted product (WPM)",
        "description": "A weighted geometric mean of the raw scores (1/x for a cost). Every score must be > 0.",
        "value": _body("wpm"),
    },
    "topsis": {
        "summary": "TOPSIS, with the working shown",
        "description": "Closeness to the ideal option after vector normalisation. `explain` adds every "
        "intermediate table to the answer as `steps`.",
        "value": _body("topsis", normalization="vector", explain=True),
    },
    "vikor": {
        "summary": "VIKOR compromise ranking",
        "description": "Q combines group utility and individual regret (v = 0.5 weighs them equally). "
        "Lower Q is better; `details.compromise_set` lists the compromise options.",
        "value": _body("vikor", params={"v": 0.5}),
    },
    "promethee2": {
        "summary": "PROMETHEE II with preference functions",
        "description": "Net outranking flows from pairwise comparisons. Criteria without a preference "
        "function use 'usual' (any advantage counts fully); thresholds are in the criterion's units.",
        "value": _body(
            "promethee2",
            preferences={
                "access": {"function": "v_shape", "p": 2},
                "floor_space": {"function": "linear", "q": 1, "p": 4},
            },
        ),
    },
}

WEIGHTS_EXAMPLES: dict[str, dict[str, Any]] = {
    "roc": {
        "summary": "Rank order centroid (ROC)",
        "description": "Importance ranks, 1 = most important; tied criteria share a rank and the next skips.",
        "value": {"scheme": "roc", "ranks": [1, 2, 2, 4]},
    },
    "rank_sum": {
        "summary": "Rank sum",
        "description": "Weights proportional to n − rank + 1.",
        "value": {"scheme": "rank_sum", "ranks": [2, 1, 3]},
    },
    "swing": {
        "summary": "Swing weighting",
        "description": "The most important swing scores exactly 100; the others 0–100 relative to it.",
        "value": {"scheme": "swing", "points": [100, 60, 25]},
    },
    "ahp": {
        "summary": "AHP pairwise comparisons",
        "description": "pairwise[i][j]: how much more important criterion i is than j (Saaty's 1/9…9 scale); "
        "the answer includes the consistency ratio.",
        "value": {
            "scheme": "ahp",
            "pairwise": [[1, 3, 5], [1 / 3, 1, 2], [1 / 5, 1 / 2, 1]],
            "priority": "eigenvector",
        },
    },
    "direct": {
        "summary": "Weights typed in",
        "description": "Any non-negative numbers, not all zero; they are scaled to sum to 1.",
        "value": {"scheme": "direct", "weights": [2, 1, 1]},
    },
    "equal": {
        "summary": "Equal weights",
        "description": "n weights of 1/n.",
        "value": {"scheme": "equal", "n": 4},
    },
}

SENSITIVITY_EXAMPLES: dict[str, dict[str, Any]] = {
    "weights": {
        "summary": "How far can each weight move before the top option changes?",
        "description": "Per criterion, the interval of its weight (the others rescaled in proportion) within "
        "which the top option stays first, and who is first beyond each end. Exact for wsm, wpm and promethee2.",
        "value": {**_body("wsm"), "analysis": "weights"},
    },
    "smaa": {
        "summary": "SMAA-2 over weights within bounds",
        "description": "10,000 weight vectors sampled uniformly within the bounds; per option the share of "
        "samples at each rank, its central weights and confidence factor. Omit `seed` and the server picks one.",
        "value": {
            **_body("topsis"),
            "analysis": "smaa",
            "samples": 10000,
            "seed": 20240601,
            "weight_bounds": [[0.3, 0.7], [0.1, 0.5], [0.1, 0.5]],
        },
    },
    "smaa_order": {
        "summary": "SMAA-2 knowing only which criteria matter more",
        "description": "Weights sampled uniformly among those consistent with an importance order "
        "(competition ranks, 1 = most important; ties share a rank).",
        "value": {**_body("wsm"), "analysis": "smaa", "criteria_order": [1, 2, 2]},
    },
    "dominance": {
        "summary": "Dominated options and the efficient set",
        "description": "An option is dominated when another is no worse on every criterion and better on one.",
        "value": {**_body("wsm"), "analysis": "dominance"},
    },
    "methods": {
        "summary": "Every method side by side",
        "description": "Each method's ranks and Kendall's τ-b between every pair of rankings.",
        "value": {**_body("wsm"), "analysis": "methods"},
    },
}
