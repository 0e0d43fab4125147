"""The scoring form's frame (web/scoring/frame.py): built once for a kept matrix, never stale, the same words."""

from __future__ import annotations

import html

from sqlmodel import Session

from optionsmatrix.services.matrix_rows import get_matrix
from optionsmatrix.services.page_matrices import PageMatrices
from optionsmatrix.web.scoring.form import evaluate
from optionsmatrix.web.scoring.frame import scoring_frame

FRAGMENT = {"HX-Request": "true"}


def _ids(matrix: dict) -> tuple[dict[str, int], dict[str, int]]:
    return {o["name"]: o["id"] for o in matrix["options"]}, {c["name"]: c["id"] for c in matrix["criteria"]}


def test_a_kept_matrix_is_framed_once_and_its_next_version_afresh(app, client, make_matrix):
    matrix = make_matrix()
    options, _ = _ids(matrix)
    kept = PageMatrices()
    with Session(app.state.engine) as session:
        first = kept.read(session, matrix_id=matrix["id"])
    assert scoring_frame(first) is scoring_frame(first)  # kept with the matrix
    assert "Riverside" in scoring_frame(first).option_labels

    renamed = client.patch(
        f"/api/v1/matrices/{matrix['id']}/options/{options['Riverside']}", json={"short_name": "River"}
    )
    assert renamed.status_code == 200, renamed.text
    with Session(app.state.engine) as session:
        second = kept.read(session, matrix_id=matrix["id"])
    assert second is not first
    assert "River" in scoring_frame(second).option_labels
    assert "Riverside" in scoring_frame(first).option_labels  # the old copy is not changed under a request using it


def test_a_matrix_that_is_not_kept_is_framed_on_each_use(session, make_matrix):
    matrix = make_matrix()
    loaded = get_matrix(session, matrix_id=matrix["id"])
    before = scoring_frame(loaded)
    assert scoring_frame(loaded) is not before
    loaded.options[0].short_name = "Changed here"  # a handler may change a matrix it loaded, then show it
    assert "Changed here" in scoring_frame(loaded).option_labels
    session.rollback()


def test_every_field_keeps_the_label_its_messages_use(session, make_matrix):
    matrix = make_matrix()
    options, criteria = _ids(matrix)
    state = evaluate(get_matrix(session, matrix_id=matrix["id"]), {})
    cost, access = criteria["Cost"], criteria["Access"]
    assert state.labels[f"s.{options['Campus']}.{cost}"] == "Campus — Cost"
    assert state.labels[f"w.{cost}"] == "Weight of Cost"
    assert state.labels[f"r.{access}"] == "Importance rank of Access"
    assert state.labels[f"p.{cost}"] == "Swing points of Cost"
    assert state.labels[f"a.{cost}.{access}"] == "Cost against Access"
    assert [state.labels[n] for n in ("method", "v", "weighting", "ties")] == [
        "Method", "VIKOR's v", "Weighting", "Let criteria share a place",
    ]  # fmt: skip
    assert state.values[f"w.{cost}"] == "2" and state.values[f"p.{access}"] == "50"  # the matrix's own weights
    assert state.values[f"r.{cost}"] == "1" and state.values[f"r.{access}"] == "2"


def test_messages_name_cells_by_their_labels_before_and_after_a_rename(client, make_matrix):
    matrix = make_matrix()
    options, criteria = _ids(matrix)
    cell, weight = f"s.{options['Campus']}.{criteria['Cost']}", f"w.{criteria['Access']}"

    def summary() -> str:
        answer = client.get(f"/matrices/{matrix['id']}/score", params={cell: "12", weight: "x"}, headers=FRAGMENT)
        assert answer.status_code == 422
        return html.unescape(answer.text)

    assert "Campus — Cost" in summary() and "Weight of Access" in summary()
    api = f"/api/v1/matrices/{matrix['id']}"
    assert client.patch(f"{api}/options/{options['Campus']}", json={"short_name": "Uni"}).status_code == 200
    assert client.patch(f"{api}/criteria/{criteria['Access']}", json={"name": "Reach"}).status_code == 200
    text = summary()
    assert "Uni — Cost" in text and "Weight of Reach" in text and "Campus — Cost" not in text


def test_criterion_rows_show_each_weighting_and_keep_a_bounded_few(session, make_matrix):
    frame = scoring_frame(get_matrix(session, matrix_id=make_matrix()["id"]))
    assert [r.weight_text for r in frame.criterion_rows(None)] == ["—", "—"]
    assert [r.weight_text for r in frame.criterion_rows([0.25, 0.75])] == ["25.0%", "75.0%"]
    assert frame.criterion_rows([0.25, 0.75]) == frame.criterion_rows([0.25, 0.75])
    assert [r.weight_text for r in frame.criterion_rows([1.0])] == ["100.0%", "—"]  # a share missing shows none
    for step in range(200):
        frame.criterion_rows([step / 200, 1 - step / 200])
    assert len(frame._rows_by_weights) <= 8
    assert [r.weight_text for r in frame.criterion_rows([0.5, 0.5])] == ["50.0%", "50.0%"]


def test_field_labels_answer_for_this_grids_fields_only(session, make_matrix):
    matrix = make_matrix()
    options, criteria = _ids(matrix)
    labels = scoring_frame(get_matrix(session, matrix_id=matrix["id"])).labels
    cost, access = criteria["Cost"], criteria["Access"]
    assert labels.get(f"a.{cost}.{access}") == "Cost against Access"
    assert labels.get(f"a.{access}.{cost}") is None  # the form asks each pair once, the first way round
    for name in (f"s.{options['Campus']}.999999", f"w.{cost}.1", "s.1", "x.1", f"q.{cost}", ""):
        assert labels.get(name, name) == name
    assert len(labels) == len(list(labels)) == len(dict(labels.items()))
    assert all(labels[name] for name in labels)
