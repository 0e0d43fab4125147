"""Journey: open the case study, copy it, edit the copy in place, see a bad edit refused in place."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in_through_the_form

pytestmark = pytest.mark.browser

CASE_STUDY = "Military options at the U.S.–Mexico border (Heritage Foundation, 2025)"


def test_case_study_shows_five_options_in_ladder_order_with_their_evidence(page):
    page.goto("/")
    page.get_by_role("link", name=CASE_STUDY).click()

    rungs = page.locator("#options .rung")
    expect(rungs).to_have_count(5)
    assert [rungs.nth(i).get_attribute("data-level") for i in range(5)] == ["1", "2", "3", "4", "5"]
    expect(rungs.nth(4).locator(".option-name")).to_have_text("Unilateral U.S. military action on Mexican territory")
    expect(rungs.nth(3).locator(".evidence")).to_contain_text("“Joint military action, coordinated with the approval")
    expect(page.locator("#criteria .criterion")).to_have_count(8)


def test_copy_then_rename_a_criterion_inline_and_see_a_bad_edit_refused(page, instructor_email):
    log_in_through_the_form(page, instructor_email)
    page.goto("/")
    page.get_by_role("link", name=CASE_STUDY).click()
    page.get_by_role("button", name="Copy this matrix").click()
    expect(page.locator("h1")).to_have_text(CASE_STUDY + " (copy)")
    copy_url = page.url
    # On a phone the ↑ ↓ Edit Remove row is thumb-sized: 44 × 44 px at least.
    boxes = page.locator("#options .item-actions").first.locator("a, button").evaluate_all(
        "els => els.map(e => { const b = e.getBoundingClientRect(); return [b.width, b.height]; })"
    )
    assert boxes and all(w >= 44 and h >= 44 for w, h in boxes), boxes

    # Rename inline: htmx swaps the criteria section, the page does not reload.
    page.evaluate("window.__same_document = true")
    first = page.locator("#criteria .criterion").first
    first.get_by_role("link", name=re.compile("^Edit")).click()
    name_input = page.locator("#criteria li form.edit-form input[name=name]")
    expect(name_input).to_be_focused()
    name_input.fill("Disruption of supply chains")
    page.get_by_role("button", name="Save criterion").click()
    expect(page.locator("#criteria .criterion-name").first).to_have_text("Disruption of supply chains")
    # Keyboard focus comes back to the saved criterion's Edit link, not the top of the page...
    expect(page.locator("#criteria .criterion").first.get_by_role("link", name=re.compile("^Edit"))).to_be_focused()
    # ...and the scoring section below re-renders with the new name.
    expect(page.locator("#scoring")).to_contain_text("Disruption of supply chains")
    assert page.evaluate("window.__same_document") is True
    assert page.url == copy_url

    # A bad edit: the scale's lower end above its upper end is refused in place.
    page.locator("#criteria .criterion").nth(1).get_by_role("link", name=re.compile("^Edit")).click()
    page.locator("#criteria li form.edit-form input[name=scale_min]").fill("9")
    page.get_by_role("button", name="Save criterion").click()
    expect(page.locator("#criteria .field-error")).to_contain_text("its low end (9) must be less than its high end (5)")
    expect(page.locator("#criteria li form.edit-form input[name=scale_min]")).to_have_attribute("aria-invalid", "true")
    assert page.evaluate("window.__same_document") is True

    # Nothing was stored: reload and the criterion still reads 1–5.
    page.reload()
    expect(page.locator("#criteria .criterion").nth(1)).to_contain_text("1–5")

    # The original case study is untouched by the copy's edits.
    page.goto("/")
    page.get_by_role("link", name=CASE_STUDY, exact=True).click()
    expect(page.locator("#criteria .criterion-name").first).to_have_text("Disruption of cartel supply chains")
    # ...and read-only for an ordinary instructor: no edit controls on it.
    expect(page.locator("#criteria .item-actions")).to_have_count(0)


def test_add_reorder_and_remove_options_in_place(page, instructor_email):
    log_in_through_the_form(page, instructor_email)
    page.goto("/")
    page.get_by_label("Title").fill("Library site")
    page.get_by_role("button", name="Create matrix").click()
    expect(page.locator("h1")).to_have_text("Library site")

    for name in ("Riverside", "Campus"):
        page.locator("#options summary").click() if not page.locator("#options details[open]").count() else None
        page.locator("#new-option-name").fill(name)
        page.locator("#new-option-escalation_level").fill("1")
        page.get_by_role("button", name="Add option").click()
        expect(page.locator("#options .option-name").last).to_have_text(name)

    page.get_by_role("button", name="Move Campus up").click()
    expect(page.locator("#options .option-name")).to_have_text(["Campus", "Riverside"])
    expect(page.get_by_role("link", name="Edit Campus")).to_be_focused()  # Campus is now first: no "up" button

    page.get_by_role("button", name="Remove Riverside").click()
    expect(page.locator("#options .option-name")).to_have_text(["Campus"])


def test_a_refused_import_lands_on_its_message(page, instructor_email, tmp_path):
    """The list page reloaded at its top; the message was a long scroll below, out of sight."""
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in_through_the_form(page, instructor_email)
    bad = tmp_path / "bad.csv"
    bad.write_text("foo,bar\n1,2\n")
    page.goto("/")
    page.set_input_files("#import-file", str(bad))
    page.get_by_role("button", name="Import").click()

    expect(page.locator("#import-file-error")).to_be_in_viewport()  # and role=alert reads it out


def test_edits_in_one_section_leave_the_others_forms_current(page, instructor_email):
    """Each edit redraws its own section only; the other sections' forms take the new version, so the next
    edit elsewhere is not refused as if someone else had changed the matrix. The scoring grid, a placeholder
    while the matrix has no option or criterion, appears once it has both."""
    log_in_through_the_form(page, instructor_email)
    page.goto("/")
    page.get_by_label("Title").fill("Transit plan")
    page.get_by_role("button", name="Create matrix").click()
    expect(page.locator("#scoring")).to_contain_text("needs at least one option and one criterion")
    page.evaluate("window.__same_document = true")

    page.locator("#options summary").click()
    page.locator("#new-option-name").fill("Bus lanes")
    page.locator("#new-option-escalation_level").fill("1")
    page.get_by_role("button", name="Add option").click()
    expect(page.locator("#options .option-name")).to_have_text(["Bus lanes"])

    page.locator("#criteria summary").click()
    page.locator("#new-criterion-name").fill("Cost")
    page.get_by_role("button", name="Add criterion").click()
    expect(page.locator("#criteria .criterion-name")).to_have_text(["Cost"])
    expect(page.locator("#scoring table[data-sc-grid]")).to_be_visible()  # the grid, no reload

    page.locator("#options summary").click() if not page.locator("#options details[open]").count() else None
    page.locator("#new-option-name").fill("Tram")
    page.locator("#new-option-escalation_level").fill("2")
    page.get_by_role("button", name="Add option").click()
    expect(page.locator("#options .option-name")).to_have_text(["Bus lanes", "Tram"])
    page.get_by_role("button", name="Move Tram up").click()
    expect(page.locator("#options .option-name")).to_have_text(["Tram", "Bus lanes"])

    page.get_by_role("button", name="Make it public").click()
    expect(page.locator("#sharing")).to_contain_text("This matrix is public")
    page.get_by_role("button", name="Save these scores").click()  # the grid's own form follows too
    expect(page.locator("#scoring")).to_contain_text("Saved. Everyone who opens this matrix now starts from")
    page.get_by_role("button", name="Remove Cost").click()
    expect(page.locator("#criteria .criterion-name")).to_have_count(0)
    expect(page.locator("#page-alert")).not_to_contain_text("Someone else changed this matrix")
    assert page.evaluate("window.__same_document") is True


def test_starting_a_session_on_an_empty_matrix_lands_on_a_sentence_saying_why(page, instructor_email):
    """On a phone the page came back at its top, the message 1,500 px below, in lower case, under Weights."""
    page.set_viewport_size({"width": 390, "height": 844})
    log_in_through_the_form(page, instructor_email)
    page.goto("/")
    page.get_by_label("Title").fill("Nothing yet")
    page.get_by_role("button", name="Create matrix").click()
    radios = page.locator("#sessions input[name=weight_mode]")
    first, second = radios.nth(0).bounding_box(), radios.nth(1).bounding_box()
    assert second["y"] > first["y"] + first["height"], (first, second)  # one choice per line

    page.get_by_role("button", name="Start a session").click()

    message = page.locator("#session-form-error")
    expect(message).to_have_text("A session needs a matrix with at least one option and one criterion.")
    expect(message).to_be_in_viewport()
