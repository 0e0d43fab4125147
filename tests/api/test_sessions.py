"""Seminar sessions over the API: start, join, ballots, results, rounds, and the rules around them."""

from __future__ import annotations

import re

import numpy as np
import pytest
from fastapi.testclient import TestClient

from optionsmatrix.app import create_app
from optionsmatrix.services.seminars import JOIN_ALPHABET
from optionsmatrix.settings import Settings


@pytest.fixture
def seminar(client, case_study_id):
    response = client.post(f"/api/v1/matrices/{case_study_id}/sessions", json={"weight_mode": "fixed"})
    assert response.status_code == 201, response.text
    return response.json()


def _join(app_client, code, name=None):
    body = {"join_code": code} if name is None else {"join_code": code, "display_name": name}
    response = app_client.post("/api/v1/sessions/join", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def _as(app, token):
    client = TestClient(app)
    client.headers["Authorization"] = f"Bearer {token}"
    return client


def _full_scores(seminar, value=lambda i, j: 3):
    return {
        str(o["id"]): {str(c["id"]): value(i, j) for j, c in enumerate(seminar["criteria"])}
        for i, o in enumerate(seminar["options"])
    }


# Starting ---------------------------------------------------------------------


def test_a_session_freezes_the_matrix_with_its_own_ids_and_the_source_ids(client, case_study_id, seminar):
    matrix = client.get(f"/api/v1/matrices/{case_study_id}").json()

    assert [o["source_option_id"] for o in seminar["options"]] == [o["id"] for o in matrix["options"]]
    assert [c["source_criterion_id"] for c in seminar["criteria"]] == [c["id"] for c in matrix["criteria"]]
    assert [o["name"] for o in seminar["options"]] == [o["name"] for o in matrix["options"]]
    assert (seminar["status"], seminar["round"], seminar["reveal"], seminar["method"]) == ("open", 1, False, "wsm")
    assert seminar["normalization"] == "scale"  # the method's default, stated


def test_editing_the_matrix_later_changes_neither_the_session_nor_its_results(client, make_matrix):
    matrix = make_matrix()
    started = client.post(f"/api/v1/matrices/{matrix['id']}/sessions", json={}).json()
    criterion = matrix["criteria"][0]

    client.patch(f"/api/v1/matrices/{matrix['id']}/criteria/{criterion['id']}", json={"name": "Renamed", "weight": 9})
    client.delete(f"/api/v1/matrices/{matrix['id']}/options/{matrix['options'][0]['id']}")

    again = client.get(f"/api/v1/sessions/{started['id']}").json()
    assert again["criteria"] == started["criteria"] and again["options"] == started["options"]


def test_the_join_code_has_six_characters_without_look_alikes(seminar):
    code = seminar["join_code"]

    assert len(code) == 6 and set(code) <= set(JOIN_ALPHABET)
    assert not set("01OIL") & set(JOIN_ALPHABET)
    assert seminar["join_url"].endswith(f"/join/{code}")


def test_a_normalization_the_method_does_not_take_is_refused(client, case_study_id):
    response = client.post(
        f"/api/v1/matrices/{case_study_id}/sessions", json={"method": "vikor", "normalization": "sum"}
    )

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "normalization"]


# Joining ----------------------------------------------------------------------


def test_joining_is_case_insensitive_and_blank_names_become_participant_n(anonymous, seminar):
    first = _join(anonymous, seminar["join_code"].lower(), "Ann")
    second = _join(anonymous, f" {seminar['join_code'][:3]}-{seminar['join_code'][3:]} ")

    assert first["participant_token"].startswith("omp_") and first["session_id"] == seminar["id"]
    assert second["participant_id"] != first["participant_id"]


def test_a_code_typed_in_full_width_characters_joins(anonymous, seminar):
    """An East Asian keyboard's default input: ＡＢＣ２３４ for ABC234, with a full-width space or dash."""
    code = seminar["join_code"]
    wide = "".join(chr(ord(ch) + 0xFEE0) for ch in code)

    joined = _join(anonymous, f"{wide[:3]}\u3000{wide[3:]}")
    dashed = _join(anonymous, f"{wide[:3]}\uff0d{wide[3:]}")

    assert joined["session_id"] == dashed["session_id"] == seminar["id"]


def test_a_wrong_code_is_404_and_a_closed_session_409(client, anonymous, seminar):
    assert anonymous.post("/api/v1/sessions/join", json={"join_code": "ZZZZZZ"}).status_code == 404
    client.post(f"/api/v1/sessions/{seminar['id']}/close")

    assert anonymous.post("/api/v1/sessions/join", json={"join_code": seminar["join_code"]}).status_code == 409


def test_a_full_session_refuses_the_next_participant(settings, client, session, owner, case_study_id):
    app = create_app(Settings(**{**settings.__dict__, "max_participants": 2}))
    with TestClient(app) as small:
        from tests.conftest import log_in

        log_in(small, session, owner)
        seminar = small.post(f"/api/v1/matrices/{case_study_id}/sessions", json={}).json()
        for _ in range(2):
            _join(small, seminar["join_code"])

        assert small.post("/api/v1/sessions/join", json={"join_code": seminar["join_code"]}).status_code == 409


def test_guessing_codes_is_limited_per_address_but_right_codes_never_count(app, seminar):
    with TestClient(app, client=("10.1.1.1", 4000)) as guesser, TestClient(app, client=("10.1.1.2", 4000)) as room:
        statuses = [guesser.post("/api/v1/sessions/join", json={"join_code": "WRONG2"}).status_code for _ in range(21)]
        for _ in range(30):  # a whole class behind one address, joining at once
            _join(room, seminar["join_code"])
        refused = guesser.post("/api/v1/sessions/join", json={"join_code": seminar["join_code"]})

    assert statuses == [404] * 20 + [429]
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1


# Ballots ----------------------------------------------------------------------


@pytest.fixture
def participant(app, seminar):
    joined = _join(TestClient(app), seminar["join_code"], "Ann")
    return _as(app, joined["participant_token"])


@pytest.mark.parametrize(
    ("make_body", "loc"),
    [
        (lambda s: {"scores": {"999999": {str(s["criteria"][0]["id"]): 3}}}, ["body", "scores", "999999"]),
        (lambda s: {"scores": {str(s["options"][0]["id"]): {"999999": 3}}}, None),
        (lambda s: {"scores": {str(s["options"][0]["id"]): {str(s["criteria"][0]["id"]): 6}}}, None),
        (lambda s: {"scores": {str(s["options"][0]["id"]): {str(s["criteria"][0]["id"]): "3"}}}, None),
        (lambda s: {"weights": {str(s["criteria"][0]["id"]): 1}}, ["body", "weights"]),
        (lambda s: {"scores": {"abc": {}}}, None),
    ],
    ids=["unknown-option", "unknown-criterion", "outside-scale", "not-a-number", "weights-when-fixed", "bad-key"],
)
def test_a_bad_ballot_is_422_and_stores_nothing(participant, seminar, make_body, loc):
    response = participant.put(f"/api/v1/sessions/{seminar['id']}/ballot", json=make_body(seminar))

    assert response.status_code == 422, response.text
    if loc is not None:
        assert response.json()["detail"][0]["loc"] == loc
    assert participant.get(f"/api/v1/sessions/{seminar['id']}/ballot").status_code == 404


def test_nan_in_a_ballot_is_refused(participant, seminar):
    option, criterion = seminar["options"][0]["id"], seminar["criteria"][0]["id"]
    body = '{"scores": {"%s": {"%s": NaN}}}' % (option, criterion)

    response = participant.put(
        f"/api/v1/sessions/{seminar['id']}/ballot", content=body, headers={"content-type": "application/json"}
    )

    assert response.status_code == 422


def test_every_revision_is_kept_and_the_latest_counts(participant, seminar):
    url = f"/api/v1/sessions/{seminar['id']}/ballot"
    first = participant.put(url, json={"scores": _full_scores(seminar)}).json()
    second = participant.put(url, json={"scores": _full_scores(seminar, lambda i, j: 5 if i == 0 else 1)}).json()

    latest = participant.get(url).json()

    assert (first["version"], second["version"], latest["version"]) == (1, 2, 2)
    assert second["complete"] is True and second["ranking"] is not None
    option = str(seminar["options"][0]["id"])
    assert set(latest["scores"][option].values()) == {5}


def test_a_stale_version_is_409_and_stores_nothing(participant, seminar):
    url = f"/api/v1/sessions/{seminar['id']}/ballot"
    participant.put(url, json={"scores": _full_scores(seminar), "version": 0})

    stale = participant.put(url, json={"scores": _full_scores(seminar, lambda i, j: 1), "version": 0})

    assert stale.status_code == 409
    assert participant.get(url).json()["version"] == 1
    assert participant.put(url, json={"scores": _full_scores(seminar), "version": 1}).json()["version"] == 2


def test_a_participants_own_ranking_uses_the_fixed_weights_and_the_session_method(participant, seminar):
    # Option 0 best on every criterion after direction; every other option in between.
    def value(i, j):
        benefit = seminar["criteria"][j]["direction"] == "benefit"
        best, worst = (5, 1) if benefit else (1, 5)
        return best if i == 0 else (worst if i == 1 else 3)

    saved = participant.put(f"/api/v1/sessions/{seminar['id']}/ballot", json={"scores": _full_scores(seminar, value)})

    ranking = saved.json()["ranking"]
    ids = [o["id"] for o in seminar["options"]]
    assert ranking["order"][0] == ids[0] and ranking["order"][-1] == ids[1]
    assert ranking["ranks"][str(ids[0])] == 1 and ranking["method"] == "wsm"


def test_an_incomplete_ballot_has_no_ranking(participant, seminar):
    option, criterion = seminar["options"][0]["id"], seminar["criteria"][0]["id"]

    saved = participant.put(
        f"/api/v1/sessions/{seminar['id']}/ballot", json={"scores": {str(option): {str(criterion): 2}}}
    )

    assert saved.json() == {"version": 1, "complete": False, "ranking": None}


def test_no_ballot_changes_once_the_session_is_closed(client, participant, seminar):
    client.post(f"/api/v1/sessions/{seminar['id']}/close")

    response = participant.put(f"/api/v1/sessions/{seminar['id']}/ballot", json={"scores": _full_scores(seminar)})

    assert response.status_code == 409


def test_a_participant_token_opens_only_its_own_session(app, client, case_study_id, participant, seminar):
    other = client.post(f"/api/v1/matrices/{case_study_id}/sessions", json={}).json()

    assert participant.get(f"/api/v1/sessions/{other['id']}").status_code == 404
    assert participant.put(f"/api/v1/sessions/{other['id']}/ballot", json={"scores": {}}).status_code == 404
    assert participant.post(f"/api/v1/sessions/{seminar['id']}/reveal").status_code == 403
    assert participant.get("/api/v1/matrices").status_code == 401  # not an instructor's token


# Group results ------------------------------------------------------------------


def test_results_aggregate_ballots_with_holes_as_an_independent_numpy_computation(app, client, make_matrix):
    matrix = make_matrix(
        options=[{"name": n} for n in "ABCD"],
        criteria=[{"name": "X", "weight": 2}, {"name": "Y", "direction": "cost"}, {"name": "Z", "weight": 0.5}],
    )
    seminar = client.post(f"/api/v1/matrices/{matrix['id']}/sessions", json={}).json()
    rng = np.random.default_rng(3)
    grid = rng.integers(1, 6, size=(7, 4, 3)).astype(float)
    grid[rng.random(grid.shape) < 0.25] = np.nan
    grid[:, 0, 0] = np.nan  # nobody scores A on X
    grid[3] = np.nan  # a participant who scores nothing
    for p in range(7):
        participant = _as(app, _join(TestClient(app), seminar["join_code"])["participant_token"])
        scores = {
            str(o["id"]): {str(c["id"]): float(grid[p, i, j]) for j, c in enumerate(seminar["criteria"])
                           if not np.isnan(grid[p, i, j])}
            for i, o in enumerate(seminar["options"])
        }  # fmt: skip
        participant.put(f"/api/v1/sessions/{seminar['id']}/ballot", json={"scores": scores})

    for how, oracle in (("mean", np.nanmean), ("median", np.nanmedian)):
        result = client.get(f"/api/v1/sessions/{seminar['id']}/results", params={"aggregation": how}).json()
        for i, o in enumerate(seminar["options"]):
            for j, c in enumerate(seminar["criteria"]):
                cell = grid[:, i, j]
                expected = None if np.isnan(cell).all() else float(oracle(cell))
                got = result["group_scores"][str(o["id"])][str(c["id"])]
                assert got == pytest.approx(expected), (how, i, j)
                spread = result["spread"][str(o["id"])][str(c["id"])]
                present = cell[~np.isnan(cell)]
                assert spread["n"] == present.size
                if present.size >= 2:
                    assert spread["sd"] == pytest.approx(float(np.std(present, ddof=1)))
                    assert spread["iqr"] == pytest.approx(float(np.subtract(*np.percentile(present, [75, 25]))))
                else:
                    assert spread["sd"] is None and spread["iqr"] is None
        assert result["ballots"] == 6 and result["ranking"] is None  # A on X is empty
        assert result["group_weights"] == pytest.approx(
            {str(c["id"]): w / 3.5 for c, w in zip(seminar["criteria"], [2, 1, 0.5], strict=True)}
        )


def test_results_rank_the_group_and_measure_agreement(app, client, case_study_id):
    seminar = client.post(f"/api/v1/matrices/{case_study_id}/sessions", json={}).json()
    for _ in range(3):
        participant = _as(app, _join(TestClient(app), seminar["join_code"])["participant_token"])
        participant.put(f"/api/v1/sessions/{seminar['id']}/ballot", json={"scores": _full_scores(
            seminar, lambda i, j: [5, 4, 3, 2, 1][i] if seminar["criteria"][j]["direction"] == "benefit" else
            [1, 2, 3, 4, 5][i])})  # fmt: skip

    result = client.get(f"/api/v1/sessions/{seminar['id']}/results").json()

    assert result["complete_ballots"] == 3 and result["consensus"]["kendall_w"] == pytest.approx(1.0)
    ids = [o["id"] for o in seminar["options"]]
    assert result["ranking"]["order"] == ids
    assert result["rank_distribution"][str(ids[0])] == [3, 0, 0, 0, 0]
    assert (result["method"], result["aggregation"], result["round"]) == ("wsm", "mean", 1)


def test_participants_see_results_only_once_revealed(client, participant, seminar):
    url = f"/api/v1/sessions/{seminar['id']}/results"
    assert participant.get(url).status_code == 403

    client.post(f"/api/v1/sessions/{seminar['id']}/reveal")
    assert participant.get(url).status_code == 200

    client.post(f"/api/v1/sessions/{seminar['id']}/hide")
    assert participant.get(url).status_code == 403


def test_the_geometric_mean_needs_scales_above_zero(client, make_matrix):
    matrix = make_matrix(criteria=[{"name": "X", "scale_min": 0, "scale_max": 10}])
    seminar = client.post(f"/api/v1/matrices/{matrix['id']}/sessions", json={}).json()

    response = client.get(f"/api/v1/sessions/{seminar['id']}/results", params={"aggregation": "geometric"})

    assert response.status_code == 422


# Rounds, participants, lifecycle -----------------------------------------------


def test_a_new_round_starts_empty_and_leaves_round_one_as_it_was(client, participant, seminar):
    participant.put(f"/api/v1/sessions/{seminar['id']}/ballot", json={"scores": _full_scores(seminar)})
    before = client.get(f"/api/v1/sessions/{seminar['id']}/results").json()

    started = client.post(f"/api/v1/sessions/{seminar['id']}/rounds")
    participant.put(f"/api/v1/sessions/{seminar['id']}/ballot", json={"scores": _full_scores(seminar, lambda i, j: 1)})

    assert started.status_code == 201 and started.json()["round"] == 2
    assert client.get(f"/api/v1/sessions/{seminar['id']}/results", params={"round": 1}).json() == before
    rounds = client.get(f"/api/v1/sessions/{seminar['id']}/rounds").json()
    assert [(r["number"], r["ballots"], r["closed_at"] is not None) for r in rounds["items"]] == [
        (1, 1, True),
        (2, 1, False),
    ]


def test_the_instructor_sees_who_joined_and_may_remove_a_prank_name(client, participant, seminar):
    participant.put(f"/api/v1/sessions/{seminar['id']}/ballot", json={"scores": _full_scores(seminar)})
    listed = client.get(f"/api/v1/sessions/{seminar['id']}/participants").json()
    entry = listed["items"][0]

    assert (entry["display_name"], entry["complete"], entry["scored_cells"], entry["total_cells"]) == (
        "Ann",
        True,
        40,
        40,
    )
    assert client.delete(f"/api/v1/sessions/{seminar['id']}/participants/{entry['id']}").status_code == 204
    assert client.get(f"/api/v1/sessions/{seminar['id']}/results").json()["ballots"] == 0
    assert participant.get(f"/api/v1/sessions/{seminar['id']}").status_code == 401  # the token died with them


def test_reopening_issues_a_new_code_when_the_old_one_was_taken(client, session, seminar):
    from sqlalchemy import update

    from optionsmatrix.models import SeminarSession

    client.post(f"/api/v1/sessions/{seminar['id']}/close")
    other = client.post(f"/api/v1/matrices/{seminar['matrix_id']}/sessions", json={}).json()
    session.execute(
        update(SeminarSession).where(SeminarSession.id == other["id"]).values(join_code=seminar["join_code"])
    )
    session.commit()

    reopened = client.post(f"/api/v1/sessions/{seminar['id']}/reopen").json()

    assert reopened["status"] == "open" and reopened["join_code"] != seminar["join_code"]
    assert re.fullmatch(f"[{JOIN_ALPHABET}]{{6}}", reopened["join_code"])


def test_deleting_a_session_removes_its_ballots_and_participants(client, participant, seminar):
    participant.put(f"/api/v1/sessions/{seminar['id']}/ballot", json={"scores": _full_scores(seminar)})

    assert client.delete(f"/api/v1/sessions/{seminar['id']}").status_code == 204
    assert client.get(f"/api/v1/sessions/{seminar['id']}").status_code == 404
    assert client.get("/api/v1/sessions").json()["total"] == 0


def test_another_instructor_never_sees_a_session(app, session, make_instructor, seminar):
    from tests.conftest import log_in

    with TestClient(app) as stranger:
        log_in(stranger, session, make_instructor("stranger@example.org"))
        assert stranger.get(f"/api/v1/sessions/{seminar['id']}").status_code == 404
        assert stranger.post(f"/api/v1/sessions/{seminar['id']}/reveal").status_code == 404
        assert stranger.get("/api/v1/sessions").json()["total"] == 0
