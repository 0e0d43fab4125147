"""In Chromium: a score tapped or typed brings back only what scores change; anything else the whole section.

static/js/scoring.js names the changed cells (Scoring-Edited) and htmx 4 swaps each <hx-partial> into its
place; the ranking, that cell's message and the counts follow, focus and the typed text stay put.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlmodel import Session

from optionsmatrix.core.db import create_db_engine
from optionsmatrix.schemas.matrices import MatrixCreate, OptionCreate
from optionsmatrix.services import matrices

pytestmark = pytest.mark.browser

CASE_STUDY = "Military options at the U.S.–Mexico border (Heritage Foundation, 2025)"


def _cell(page, option: int, criterion: int):
    return page.locator("[data-sc-grid] tbody tr").nth(criterion).locator("td.sc-cell").nth(option)


def _answers(page) -> list[dict]:
    """What the page asked the scoring form for, and the first bytes of each answer, as they come."""
    seen: list[dict] = []

    def on_response(response) -> None:
        if "/score" in response.url:
            seen.append({"edited": response.request.headers.get("scoring-edited"), "body": response.text()})

    page.on("response", on_response)
    return seen


def _public_matrix(live_server, data: MatrixCreate) -> int:
    """A public matrix stored straight into the live server's database (no one owns it)."""
    engine = create_db_engine(live_server.database_url)
    with Session(engine) as session:
        matrix_id = matrices.create_matrix(session, data=data, owner_id=None, is_public=True).id
    engine.dispose()
    return matrix_id


@pytest.fixture(scope="module")
def percent_matrix(live_server) -> int:
    """A public matrix scored 0–100 (typed, not tapped): Quiet street and Main road on Noise and Price."""
    data = MatrixCreate(
        title="Typed scores",
        options=[{"name": "Quiet street"}, {"name": "Main road"}],
        criteria=[
            {"name": "Noise", "direction": "cost", "scale_min": 0, "scale_max": 100},
            {"name": "Price", "direction": "cost", "scale_min": 0, "scale_max": 100},
        ],
    )
    return _public_matrix(live_server, data)


def test_a_tapped_score_brings_back_the_ranking_and_that_cell_only(page):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/")
    page.get_by_role("link", name=CASE_STUDY, exact=True).click()
    page.evaluate("window.__same_document = true")
    answers = _answers(page)
    result = page.locator("#scoring-result")

    with page.expect_response(lambda response: "/score" in response.url):
        _cell(page, 2, 0).locator("label.sc-step", has_text="4").click()

    expect(result).to_contain_text("1 of 40 cells filled")
    expect(page.locator("th.sc-opt").nth(2).locator(".sc-progress")).to_contain_text("1 of 8 scored")
    expect(page.locator(".sc-bar-progress")).to_have_text("1 of 40 scored")
    expect(_cell(page, 2, 0).locator("input[type=radio][value='4']")).to_be_checked()
    expect(page.locator("[data-sc-grid] input:checked")).to_have_count(1)
    last = [a for a in answers if a["edited"]][-1]
    assert last["edited"].split() == [_cell(page, 2, 0).locator("input").first.get_attribute("name")]
    assert "<hx-partial" in last["body"] and '<section id="scoring"' not in last["body"]

    # A weight is no score: the whole section comes back.
    with page.expect_response(lambda response: "/score" in response.url) as weighed:
        page.locator('#scoring input[name^="w."]').first.fill("5")
    expect(page.locator("#scoring .weight-shares")).to_contain_text("41.7%")  # 5 of 12
    assert weighed.value.request.headers.get("scoring-edited") is None
    assert '<section id="scoring"' in weighed.value.text()
    assert page.evaluate("window.__same_document") is True, "the page reloaded"


def test_a_typed_score_out_of_range_shows_its_message_in_the_cell_while_the_cursor_stays(page, percent_matrix):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"/matrices/{percent_matrix}")
    answers = _answers(page)
    noise = _cell(page, 0, 0).locator("input.sc-number")

    noise.click()
    page.keyboard.type("250")

    cell = _cell(page, 0, 0)
    expect(cell.locator(".field-error")).to_have_text("Enter a whole number from 0 to 100.")
    expect(cell).to_have_class("sc-cell is-current has-error")
    expect(noise).to_be_focused()  # typing goes on where it was
    expect(noise).to_have_value("250")
    expect(noise).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#scoring-result .error-summary")).to_contain_text("Quiet street — Noise")
    assert answers and all(a["edited"] == noise.get_attribute("name") for a in answers)

    page.keyboard.press("Backspace")  # 25: fine again, and the message goes
    expect(cell.locator(".field-error")).to_have_count(0)
    expect(noise).not_to_have_attribute("aria-invalid", "true")
    expect(page.locator("#scoring-result")).to_contain_text("1 of 4 cells filled")
    expect(noise).to_be_focused()
    expect(noise).to_have_value("25")


def test_a_score_tapped_right_after_a_weight_still_redraws_the_weights(page):
    """The tap's request overtakes the weight's (one queue, the later one wins): it must ask for the whole section."""
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/")
    page.get_by_role("link", name=CASE_STUDY, exact=True).click()
    answers = _answers(page)

    page.locator('#scoring input[name^="w."]').first.fill("5")
    _cell(page, 1, 1).locator("label.sc-step", has_text="2").click()  # well within the weight's 400 ms

    expect(page.locator("#scoring .weight-shares")).to_contain_text("41.7%")  # 5 of 12
    expect(page.locator("[data-sc-grid] tbody tr").first.locator(".sc-facts")).to_contain_text("41.7%")
    expect(page.locator("#scoring-result")).to_contain_text("1 of 40 cells filled")
    assert answers[0]["edited"] is None  # drawn whole

    # Now a score alone: the small answer. (The whole answer's bookkeeping ends just after its swap;
    # a tap in that millisecond would, correctly, ask for the whole section again.)
    page.wait_for_timeout(100)
    with page.expect_response(lambda response: "/score" in response.url) as tapped:
        _cell(page, 1, 2).locator("label.sc-step", has_text="4").click()
    expect(page.locator("#scoring-result")).to_contain_text("2 of 40 cells filled")
    assert tapped.value.request.headers.get("scoring-edited")


def test_an_option_added_elsewhere_appears_with_the_next_score(page, live_server):
    data = MatrixCreate(
        title="Grows elsewhere",
        options=[{"name": "First"}],
        criteria=[{"name": "Only", "scale_min": 1, "scale_max": 5}],
    )
    matrix_id = _public_matrix(live_server, data)
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"/matrices/{matrix_id}")
    expect(page.locator("[data-sc-grid] thead th.sc-opt")).to_have_count(1)

    engine = create_db_engine(live_server.database_url)
    with Session(engine) as session:  # another tab, another owner: the grid here does not know
        matrices.add_option(
            session, matrix=matrices.get_matrix(session, matrix_id=matrix_id), data=OptionCreate(name="Second")
        )
    engine.dispose()
    _cell(page, 0, 0).locator("label.sc-step", has_text="3").click()

    expect(page.locator("[data-sc-grid] thead th.sc-opt")).to_have_count(2)
    expect(page.locator("[data-sc-grid] thead")).to_contain_text("Second")
    expect(page.locator("#scoring-result")).to_contain_text("1 of 2 cells filled")


def test_leaving_a_typed_cell_asks_for_nothing_more_than_that_cell(page, percent_matrix):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"/matrices/{percent_matrix}")
    answers = _answers(page)
    price = _cell(page, 0, 1).locator("input.sc-number")

    price.click()
    page.keyboard.type("40")
    expect(page.locator("#scoring-result")).to_contain_text("1 of 4 cells filled")
    page.keyboard.press("Tab")  # the field's change event: still only a score
    expect(_cell(page, 1, 1).locator("input.sc-number")).to_be_focused()

    page.keyboard.type("60")
    expect(page.locator("#scoring-result")).to_contain_text("2 of 4 cells filled")
    assert answers and all(a["edited"] for a in answers), [a["edited"] for a in answers]
