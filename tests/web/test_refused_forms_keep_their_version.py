"""A form drawn again after a refusal keeps the version it was sent with, so its next save cannot go
through over a change made elsewhere meanwhile (found by a review: each of these saved over it)."""

from __future__ import annotations

import re

from tests.web.test_saved_scores import HTMX, _cells, _save, library  # noqa: F401 (a fixture)

VERSION = r'<input type="hidden" name="version" value="(\d+)"([^>]*)>'


def _grid_version(html: str) -> tuple[str, str]:
    """The scoring grid's save version and the attributes after it (data-matrix-version or none)."""
    return re.search(r'id="scoring-form".*?' + VERSION, html, re.S).groups()


def _someone_else_saves_scores(client, library) -> None:
    (riverside, *_), (cost, _) = library["options"], library["criteria"]
    scores = {str(riverside["id"]): {str(cost["id"]): 5}}
    assert client.put(f"/api/v1/matrices/{library['id']}/scores", json=scores).status_code == 200


def test_scores_refused_as_stale_are_refused_again_and_offer_the_saved_ones(client, library):
    drawn, _ = _grid_version(client.get(f"/matrices/{library['id']}").text)
    _someone_else_saves_scores(client, library)
    typed = _cells(library, [[1, 4], [None, None], [None, None]])

    first = _save(client, library, typed, version=drawn)
    again = _save(client, library, typed, version=_grid_version(first.text)[0])

    assert first.status_code == again.status_code == 409
    assert _grid_version(first.text) == (drawn, "")  # its own version, following no later step
    assert "Start again from the saved scores" in first.text
    assert client.get(f"/api/v1/matrices/{library['id']}").json()["scores"] != {}  # the other save stands


def test_scores_refused_for_a_bad_cell_keep_their_version(client, library):
    drawn, _ = _grid_version(client.get(f"/matrices/{library['id']}").text)
    _someone_else_saves_scores(client, library)

    bad = _save(client, library, _cells(library, [["9", 4], [None, None], [None, None]]), version=drawn)
    fixed = _save(client, library, _cells(library, [[1, 4], [None, None], [None, None]]),
                  version=_grid_version(bad.text)[0])  # fmt: skip

    assert bad.status_code == 422 and _grid_version(bad.text) == (drawn, " data-matrix-version")
    assert fixed.status_code == 409


def test_an_address_with_typed_cells_keeps_the_version_they_were_typed_against(client, library):
    """Reloading the page, as the refusal says, keeps the typed cells (they live in the address)."""
    drawn, _ = _grid_version(client.get(f"/matrices/{library['id']}").text)
    typed = _cells(library, [[1, 4], [None, None], [None, None]])
    _someone_else_saves_scores(client, library)

    reloaded = client.get(f"/matrices/{library['id']}/score", params={**typed, "version": drawn}).text
    plain = client.get(f"/matrices/{library['id']}").text

    assert _grid_version(reloaded)[0] == drawn
    assert _save(client, library, typed, version=drawn).status_code == 409
    assert _grid_version(plain)[0] != drawn  # the page itself starts from the version stored


def test_a_save_overtaken_before_its_answer_draws_the_grid_at_its_own_version(client, library, monkeypatch):
    from optionsmatrix.web.scoring import saving

    drawn, _ = _grid_version(client.get(f"/matrices/{library['id']}").text)
    (riverside, *_), (cost, _) = library["options"], library["criteria"]
    real = saving.matrix_scores.replace_scores

    def overtaken(session, *, matrix, scores, expected_version=None):
        real(session, matrix=matrix, scores=scores, expected_version=expected_version)
        return real(session, matrix=matrix, scores={str(riverside["id"]): {str(cost["id"]): 5}})  # someone else

    monkeypatch.setattr(saving.matrix_scores, "replace_scores", overtaken)
    typed = _cells(library, [[1, 4], [None, None], [None, None]])
    answer = _save(client, library, typed, version=drawn)
    monkeypatch.setattr(saving.matrix_scores, "replace_scores", real)

    assert answer.status_code == 200 and _grid_version(answer.text)[0] == str(int(drawn) + 1)
    assert "matrix-version" not in answer.headers.get("HX-Trigger", "")  # two steps: none announced
    assert _save(client, library, typed, version=_grid_version(answer.text)[0]).status_code == 409


def test_a_header_refused_for_a_blank_title_keeps_its_version(client, library):
    base = f"/matrices/{library['id']}"
    drawn = re.search(VERSION, client.get(f"{base}/edit").text).group(1)
    assert client.patch(f"/api/v1/matrices/{library['id']}", json={"title": "Title from elsewhere"}).status_code == 200

    blank = client.post(base, data={"title": " ", "description": "mine", "source": "", "version": drawn}, headers=HTMX)
    kept = re.search(VERSION, blank.text)
    fixed = client.post(base, data={"title": "Mine", "description": "mine", "source": "", "version": kept.group(1)},
                        headers=HTMX)  # fmt: skip

    assert blank.status_code == 422 and kept.groups() == (drawn, " data-matrix-version")
    assert fixed.status_code == 409
    assert client.get(f"/api/v1/matrices/{library['id']}").json()["title"] == "Title from elsewhere"


def test_an_option_refused_for_a_blank_name_keeps_its_version(client, library):
    option = library["options"][0]
    url = f"/matrices/{library['id']}/options/{option['id']}"
    drawn = re.search(VERSION, client.get(f"{url}/edit").text).group(1)
    renamed = client.patch(f"/api/v1/matrices/{library['id']}/options/{option['id']}", json={"name": "Elsewhere"})
    assert renamed.status_code == 200
    fields = {"short_name": "", "escalation_level": "1", "description": "", "evidence": ""}

    blank = client.post(url, data={**fields, "name": " ", "version": drawn}, headers=HTMX)
    kept = re.search(r'aria-label="Edit option".*?' + VERSION, blank.text, re.S).group(1)
    fixed = client.post(url, data={**fields, "name": "Mine", "version": kept}, headers=HTMX)

    assert blank.status_code == 422 and kept == drawn
    assert fixed.status_code == 409
