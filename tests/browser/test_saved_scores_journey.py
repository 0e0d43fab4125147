"""Journey: on a phone, a matrix's owner scores it, saves the scores, and an anonymous reader opens with them."""

import re

import pytest
from playwright.sync_api import expect
from sqlmodel import Session

from optionsmatrix.core.db import create_db_engine
from optionsmatrix.schemas.matrices import MatrixCreate
from optionsmatrix.services import accounts
from optionsmatrix.services.matrices import create_matrix
from tests.browser.conftest import log_in_through_the_form

pytestmark = pytest.mark.browser


@pytest.fixture
def public_matrix(live_server, instructor_email) -> int:
    """A public matrix of the instructor's: two sites, two criteria on 1–5, no scores yet."""
    engine = create_db_engine(live_server.database_url)
    with Session(engine) as session:
        owner = accounts.find_by_email(session, email=instructor_email)
        matrix = create_matrix(
            session,
            data=MatrixCreate(
                title="Library site",
                options=[{"name": "Riverside"}, {"name": "Campus"}],
                criteria=[{"name": "Cost", "direction": "cost"}, {"name": "Access"}],
            ),
            owner_id=owner.id,  # type: ignore[union-attr]
            is_public=True,
        )
        matrix_id = matrix.id
    engine.dispose()
    return matrix_id  # type: ignore[return-value]


def _cell(page, option: int, criterion: int):
    return page.locator("[data-sc-grid] tbody tr").nth(criterion).locator("td.sc-cell").nth(option)


def test_the_owner_saves_scores_on_a_phone_and_an_anonymous_reader_opens_with_them(
    page, browser, live_server, instructor_email, public_matrix
):
    log_in_through_the_form(page, instructor_email)
    page.goto(f"/matrices/{public_matrix}")
    page.evaluate("window.__same_document = true")
    grid = {(0, 0): "2", (0, 1): "5", (1, 0): "4", (1, 1): "3"}

    # One option at a time on a phone: score Riverside, then "Next option", then Campus.
    for option in range(2):
        for criterion in range(2):
            _cell(page, option, criterion).locator("label.sc-step", has_text=grid[option, criterion]).click()
        if option == 0:
            page.locator("[data-sc-grid] tfoot td.sc-cell").nth(0).get_by_role("button", name="Next option").click()
    result = page.locator("#scoring-result")
    expect(result.locator(".ranking-table tbody tr")).to_have_count(2)

    save = page.get_by_role("button", name="Save these scores")
    box = save.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390, box  # within a phone's width
    save.click()
    expect(page.locator("#sc-save .notice")).to_contain_text("Saved. Everyone who opens this matrix")
    assert page.evaluate("window.__same_document") is True, "the page reloaded"

    # Someone without an account, on their own phone, opens the public matrix: the grid starts from the scores.
    context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=live_server.url)
    reader = context.new_page()
    try:
        reader.goto(f"/matrices/{public_matrix}")
        expect(reader.locator("#scoring")).to_contain_text("The grid opens with the scores saved with this matrix.")
        for (option, criterion), value in grid.items():
            checked = _cell(reader, option, criterion).locator("input[type=radio]:checked")
            expect(checked).to_have_value(value)
        expect(reader.get_by_role("button", name="Save these scores")).to_have_count(0)
        # Riverside costs less (2 against 4) and is easier to reach (5 against 3): first.
        expect(reader.locator("#scoring-result .ranking-table tbody tr").first.locator("th")).to_have_text("Riverside")
        # The reader's own change stays in the address; the stored scores do not move.
        _cell(reader, 0, 0).locator("label.sc-step", has_text="1").click()
        expect(reader).to_have_url(re.compile(r"s\.\d+\.\d+=1"))
        fresh = context.new_page()
        fresh.goto(f"/matrices/{public_matrix}")
        expect(_cell(fresh, 0, 0).locator("input[type=radio]:checked")).to_have_value("2")
    finally:
        context.close()
