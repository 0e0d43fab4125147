"""Journey: a newcomer scores the case study alone, moves a weight, watches the ranking change, opens the working.

All of it in one document (htmx swaps the section in place), anonymously, under the strict CSP: the
`page` fixture fails the test on any console error.
"""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

CASE_STUDY = "Military options at the U.S.–Mexico border (Heritage Foundation, 2025)"
BOLSTER_CBP = (
    "Bolster CBP capacity with military support (infrastructure construction, logistics support, surveillance)"
)
TRANSPORT = "Military transport and facilities for detention and repatriation"


def _score(option: int, criterion: int) -> str:
    # Everyone 3, except: the first option is best on "Disruption" and good on "Leverage";
    # the second is best on "Leverage" and middling on "Disruption". Both criteria are benefits.
    special = {(0, 0): "5", (0, 1): "4", (1, 0): "3", (1, 1): "5"}
    return special.get((option, criterion), "3")


def _cell(page, option: int, criterion: int):
    return page.locator("[data-sc-grid] tbody tr").nth(criterion).locator("td.sc-cell").nth(option)


def test_score_alone_move_a_weight_and_show_the_working(page):
    page.set_viewport_size({"width": 1280, "height": 800})  # the whole matrix at once
    page.goto("/")
    page.get_by_role("link", name=CASE_STUDY, exact=True).click()
    page.evaluate("window.__same_document = true")
    result = page.locator("#scoring-result")
    expect(result).to_contain_text("0 of 40 cells filled")

    expect(page.locator("[data-sc-grid] thead th.sc-opt")).to_have_count(5)
    for option in range(5):
        for criterion in range(8):
            if (option, criterion) != (4, 7):
                _cell(page, option, criterion).locator("label.sc-step", has_text=_score(option, criterion)).click()
    expect(result).to_contain_text("39 of 40 cells filled")
    expect(result).to_contain_text("Unilateral action")  # named as unscored, by its short name

    _cell(page, 4, 7).locator("label.sc-step", has_text="3").click()
    rows = result.locator(".ranking-table tbody tr")
    expect(rows).to_have_count(5)
    expect(rows.first.locator("th")).to_have_text("CBP support")
    expect(rows.first.locator("th")).to_have_attribute("title", BOLSTER_CBP)  # the full name in the tooltip
    expect(result.locator("svg.bar-chart title").first).to_contain_text("Weighted sum (WSM)")

    # Weigh "Leverage" ten times the rest: the second option overtakes the first.
    page.locator('#scoring input[name^="w."]').nth(1).fill("10")
    expect(rows.first.locator("th")).to_have_attribute("title", TRANSPORT)
    expect(page.locator("#scoring .weight-shares")).to_contain_text("58.8%")  # 10 of 17

    page.get_by_label("Show the working").check()
    captions = page.locator(".scoring-working .step-title strong")
    expect(captions.first).to_have_text("Step 1. Normalised scores r")
    expect(captions).to_have_count(2)

    page.locator("#sc-method").select_option("topsis")
    expect(result).to_contain_text("TOPSIS (closeness to the ideal option)")
    expect(captions).to_have_count(4)

    assert page.evaluate("window.__same_document") is True, "the page reloaded"


def test_the_scale_buttons_work_from_the_keyboard_without_a_reload(page):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto("/")
    page.get_by_role("link", name=CASE_STUDY, exact=True).click()
    page.evaluate("window.__same_document = true")

    first = _cell(page, 0, 0).locator("input[type=radio]")
    first.first.focus()
    page.keyboard.press("Space")
    expect(first.first).to_be_checked()
    page.keyboard.press("ArrowRight")
    expect(first.nth(1)).to_be_checked()
    expect(page.locator("#scoring-result")).to_contain_text("1 of 40 cells filled")
    expect(first.nth(1)).to_be_focused()  # the morph keeps focus where it was
    assert page.evaluate("window.__same_document") is True


def test_with_javascript_off_the_form_ranks_as_a_plain_get(browser, live_server):
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    page = context.new_page()
    try:
        page.goto("/")
        page.get_by_role("link", name=CASE_STUDY, exact=True).click()
        page.locator("[data-sc-grid] tbody td.sc-cell").first.locator("label.sc-step", has_text="4").click()
        page.get_by_role("button", name="Rank").click()

        expect(page).to_have_url(re.compile(r"/matrices/\d+/score\?.*#scoring$"))
        expect(page.locator("#scoring-result")).to_contain_text("1 of 40 cells filled")
        expect(page.locator("[data-sc-grid] tbody td.sc-cell").first.locator("input:checked")).to_have_value("4")
    finally:
        context.close()
