"""Journey: score the case study, open "How sure is this?" and read the ranges, the acceptabilities and the methods."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_scoring_component import _open_case_study, _scored_url
from tests.support.axe import serious_axe_violations

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [390, 1280])
def test_how_sure_opens_under_the_ranking_with_its_charts_and_table(page, width):
    page.set_viewport_size({"width": width, "height": 844 if width == 390 else 800})
    page.goto(_scored_url(page, _open_case_study(page)))
    section = page.locator("#how-sure")
    expect(section.locator(".interval-chart")).to_have_count(0)  # not computed before it is opened

    section.locator("summary").click()

    expect(section.locator(".interval-chart li")).to_have_count(8)
    expect(section.locator(".acceptability-chart li")).to_have_count(5)
    expect(section.locator(".methods-table tbody tr")).to_have_count(5)
    expect(section.locator(".sentences li").first).to_contain_text("points")
    section.locator(".methods-table").scroll_into_view_if_needed()
    expect(section.locator(".methods-table")).to_be_visible()
    if width == 1280:  # below the grid at the page's width, not squeezed into the ranking's column beside it
        assert section.bounding_box()["width"] > 2 * page.locator("#scoring-result").bounding_box()["width"]
        table, box = section.locator(".methods-table").bounding_box(), section.bounding_box()
        assert table["x"] + table["width"] <= box["x"] + box["width"] + 1, (table, box)
    expect(page.locator("#scoring-result .how-sure-pointer a")).to_have_attribute("href", "#how-sure")
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert serious_axe_violations(page) == []


def test_the_link_beside_the_ranking_opens_how_sure_below_the_grid(page):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(_scored_url(page, _open_case_study(page)))

    page.locator("#scoring-result .how-sure-pointer a").click()

    expect(page.locator("#how-sure .methods-table")).to_be_visible()
    expect(page.locator("#how-sure summary")).to_be_in_viewport()
