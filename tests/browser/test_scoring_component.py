"""The scoring component in Chromium: the wide matrix beside its ranking at 1280 × 800, one option at a time
on a phone, ROC by choosing places with no 422 on the way, the presentation view, long words, and axe."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect
from sqlmodel import Session

from optionsmatrix.core.db import create_db_engine
from optionsmatrix.schemas.matrices import MatrixCreate
from optionsmatrix.services import matrices
from tests.support.axe import serious_axe_violations

pytestmark = pytest.mark.browser

CASE_STUDY = "Military options at the U.S.–Mexico border (Heritage Foundation, 2025)"


def _open_case_study(page) -> str:
    page.goto("/")
    page.get_by_role("link", name=CASE_STUDY, exact=True).click()
    page.wait_for_url(re.compile(r"/matrices/\d+$"))
    return page.url


def _scored_url(page, matrix_url: str, **extra: str) -> str:
    matrix_id = matrix_url.rstrip("/").rsplit("/", 1)[1]
    matrix = page.request.get(f"/api/v1/matrices/{matrix_id}").json()
    scores = {
        f"s.{o['id']}.{c['id']}": str((i * 3 + j * 2) % 5 + 1)
        for i, o in enumerate(matrix["options"])
        for j, c in enumerate(matrix["criteria"])
    }
    return f"/matrices/{matrix_id}/score?{urlencode({**scores, **extra})}"


def _no_horizontal_overflow(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_on_a_wide_screen_the_whole_grid_and_the_ranking_are_in_view_together(page):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(_scored_url(page, _open_case_study(page)))
    grid = page.locator("[data-sc-grid]")
    chart = page.locator("#scoring-result svg.bar-chart")
    expect(chart).to_be_visible()

    page.evaluate("document.querySelector('[data-sc-grid]').scrollIntoView({block: 'start'})")

    g, c = grid.bounding_box(), chart.bounding_box()
    assert g["y"] >= -1 and g["y"] + g["height"] <= 800, g
    assert c["y"] >= 0 and c["y"] + c["height"] <= 800, c
    assert c["x"] >= g["x"] + g["width"]  # beside the grid, not below it
    assert page.locator("[data-sc-grid] tbody tr").count() == 8
    assert page.locator("[data-sc-grid] thead th.sc-opt").count() == 5
    # Text on the chart prints at 16 px or more.
    size = page.evaluate(
        "(() => { const svg = document.querySelector('#scoring-result svg.bar-chart');"
        " return svg.getBoundingClientRect().width / svg.viewBox.baseVal.width"
        " * parseFloat(svg.getAttribute('font-size')); })()"
    )
    assert size >= 16
    _no_horizontal_overflow(page, 1280)


def test_on_a_phone_one_option_at_a_time_with_scale_buttons_and_the_ranking_one_tap_away(page):
    _open_case_study(page)
    page.evaluate("window.__same_document = true")
    bar_link = page.locator(".sc-bar").get_by_role("link", name="Ranking")
    rows = page.locator("[data-sc-grid] tbody tr")
    for option in range(5):
        heading = page.locator("[data-sc-grid] thead th.sc-opt.is-current")
        expect(heading).to_have_count(1)
        expect(heading.locator(".sc-progress")).to_contain_text(f"{option + 1} of 5 options")
        expect(page.locator("[data-sc-grid] tbody td.sc-cell:visible")).to_have_count(8)
        for criterion in range(8):
            cell = rows.nth(criterion).locator("td.sc-cell.is-current")
            expect(cell.locator(".sc-ends")).to_contain_text("1 = ")
            button = cell.locator("label.sc-step", has_text=str((option + criterion) % 5 + 1))
            box = button.bounding_box()
            assert box["width"] >= 44 and box["height"] >= 44  # a thumb's target
            button.click()
            expect(cell.locator("input:checked")).to_have_value(str((option + criterion) % 5 + 1))
        # The sticky bar never covers the input that has focus.
        last = rows.nth(7).locator("td.sc-cell.is-current input").first
        last.focus()
        bar = page.locator(".sc-bar").bounding_box()
        assert last.bounding_box()["y"] + last.bounding_box()["height"] <= bar["y"] + 1
        # The ranking is one tap away at any time.
        box = bar_link.bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= 844
        _no_horizontal_overflow(page, 390)
        if option < 4:
            page.locator("[data-sc-grid] tfoot td.is-current").get_by_role("button", name="Next option").click()

    expect(page.locator(".sc-bar-progress")).to_have_text("40 of 40 scored")
    bar_link.click()
    result = page.locator("#scoring-result")
    expect(result.locator(".ranking-table tbody tr")).to_have_count(5)
    assert result.bounding_box()["y"] < 844
    assert page.evaluate("window.__same_document") is True


def test_without_javascript_every_option_is_on_a_phone_page_and_submits(browser, live_server):
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url,
                                  viewport={"width": 390, "height": 844})  # fmt: skip
    page = context.new_page()
    try:
        _open_case_study(page)
        expect(page.locator("[data-sc-grid] tbody td.sc-cell:visible")).to_have_count(40)
        page.locator("[data-sc-grid] tbody tr").nth(2).locator("td.sc-cell").nth(4).locator(
            "label.sc-step", has_text="2"
        ).click()
        page.locator(".sc-bar").get_by_role("button", name="Rank").click()
        expect(page).to_have_url(re.compile(r"/score\?.*#scoring$"))
        expect(page.locator(".sc-bar-progress")).to_have_text("1 of 40 scored")
        _no_horizontal_overflow(page, 390)
    finally:
        context.close()


def test_rank_the_criteria_by_choosing_places_with_no_422_on_the_way(page):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(_scored_url(page, _open_case_study(page)))
    statuses: list[int] = []
    page.on("response", lambda response: statuses.append(response.status) if "/score" in response.url else None)

    page.locator("#sc-weighting").select_option("roc")
    expect(page.get_by_label("Let criteria in the same place share it (a tie)")).to_be_checked()
    page.get_by_label("Let criteria in the same place share it (a tie)").uncheck()
    result = page.locator("#scoring-result")
    expect(result).to_contain_text("Eight criteria share rank 1 and none is ranked 2")
    expect(result.locator(".stale-badge")).to_have_text("out of date")
    expect(result.locator(".ranking-table tbody tr")).to_have_count(5)  # the last valid ranking stays

    selects = page.locator("#scoring select[name^='r.']")
    assert selects.count() == 8
    for place in range(8):
        selects.nth(place).select_option(str(place + 1))
    expect(result.locator(".stale-badge")).to_have_count(0)
    expect(result.locator(".ranking-table tbody tr")).to_have_count(5)
    expect(page.locator("#scoring .weight-shares")).to_contain_text("34.0%")  # ROC: the 1st of 8 weighs 0.3397
    assert statuses and 422 not in statuses, statuses


def test_the_presentation_view_shows_the_ranking_alone_in_large_type(page):
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(_scored_url(page, _open_case_study(page)))

    page.get_by_role("link", name="Present this ranking").click()

    expect(page).to_have_url(re.compile(r"present=1"))
    chart = page.locator("svg.bar-chart")
    expect(chart).to_be_visible()
    expect(page.locator(".site-header")).to_have_count(0)
    box = chart.bounding_box()
    assert box["width"] >= 1000 and box["y"] + box["height"] <= 800
    name_height = page.locator("svg.bar-chart text.bar-name").first.bounding_box()["height"]
    assert name_height >= 28  # large type
    page.get_by_role("link", name="Leave the presentation").click()
    expect(page.locator("#scoring-form")).to_be_visible()


@pytest.fixture(scope="module")
def long_word_matrix(live_server) -> int:
    """A public matrix whose option and criterion names are one 200-character word each."""
    engine = create_db_engine(live_server.database_url)
    word = "Verwaltungs" * 18 + "ab"  # 200 characters, no space
    data = MatrixCreate(
        title="Long words",
        options=[{"name": word}, {"name": "Short"}],
        criteria=[{"name": word[::-1]}, {"name": "Cost", "direction": "cost"}],
    )
    with Session(engine) as session:
        matrix = matrices.create_matrix(session, data=data, owner_id=None, is_public=True)
        matrix_id = matrix.id
    engine.dispose()
    return matrix_id


@pytest.mark.parametrize("width", [390, 1280])
def test_a_200_character_word_does_not_widen_the_page(page, long_word_matrix, width):
    page.set_viewport_size({"width": width, "height": 844})
    page.goto(f"/matrices/{long_word_matrix}/score?" + urlencode({"method": "wsm"}))
    expect(page.locator("[data-sc-grid]")).to_be_visible()
    _no_horizontal_overflow(page, width)




@pytest.mark.parametrize("width", [390, 1280])
def test_axe_finds_nothing_serious_on_the_matrix_page_with_the_working_open(browser, live_server, width):
    context = browser.new_context(base_url=live_server.url, viewport={"width": width, "height": 800}, bypass_csp=True)
    page = context.new_page()
    try:
        matrix_url = _open_case_study(page)
        assert serious_axe_violations(page) == []  # nothing scored: a long list of what is missing
        page.goto(_scored_url(page, matrix_url, explain="1"))
        expect(page.locator(".scoring-working .step-table").first).to_be_visible()
        assert serious_axe_violations(page) == []
        page.goto(page.url + "&present=1")
        assert serious_axe_violations(page) == []
    finally:
        context.close()


FOCUSED_BOX = """(() => { const b = document.activeElement.getBoundingClientRect();
  return [document.activeElement.textContent.trim().slice(0, 30), b.width, b.height]; })()"""


def test_on_a_wide_screen_every_tab_stop_in_the_grid_is_visible(page):
    """The option headers' "What the source says" and the bar's "Ranking" link were clipped to 1 px but focusable."""
    page.set_viewport_size({"width": 1280, "height": 800})
    _open_case_study(page)
    page.locator("#scoring-form input[type=radio]").first.focus()
    for _ in range(6):  # back through the header row's five "What the source says"
        page.keyboard.press("Shift+Tab")
    sizes = []
    for _ in range(60):  # the header row, the first rows of scale buttons, the side panel and the bar
        page.keyboard.press("Tab")
        sizes.append(page.evaluate(FOCUSED_BOX))
    assert [s for s in sizes if s[1] < 4 or s[2] < 4] == []
    assert any("What the source says" in s[0] for s in sizes)


def test_on_a_phone_every_button_is_at_least_44_px_tall(page):
    """"Rank", "Present this ranking" and the instructor's ↑ ↓ Remove were `.small`: 40 px, under the 44 px to tap."""
    page.goto(_scored_url(page, _open_case_study(page)))
    heights = page.locator("main button:visible, main .button:visible, main .checkbox label:visible").evaluate_all(
        "els => els.map(e => [e.textContent.trim().slice(0, 30), e.getBoundingClientRect().height])"
    )
    assert heights and [h for h in heights if h[1] < 44] == []
