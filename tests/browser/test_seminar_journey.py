"""Journey: a seminar runs start to finish in two browsers.

The instructor's dashboard on a 1280 px screen (the projector), a participant
on a 390 px phone: start a session on the case study, join by typing the
code, score with the scale buttons, submit, the dashboard fills in without a
reload, reveal, the participant sees the group ranking, a second round, and
the instructor sees how the options moved.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in_through_the_form
from tests.support.axe import serious_axe_violations

pytestmark = pytest.mark.browser

CASE_STUDY = "Military options at the U.S.–Mexico border (Heritage Foundation, 2025)"


def _watch_errors(page, errors: list[str]) -> None:
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.set_default_timeout(15_000)


def _start_session(dashboard, title: str) -> str:
    dashboard.goto("/")
    dashboard.get_by_role("link", name=CASE_STUDY).click()
    dashboard.get_by_label("Title").fill(title)
    dashboard.get_by_role("button", name="Start a session").click()
    expect(dashboard.locator("h1")).to_have_text(title)
    code = dashboard.locator(".join-code").inner_text().strip()
    assert re.fullmatch(r"[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{6}", code), code
    return code


def _score_every_option(phone, pick, *, first_ballot: bool = False) -> None:
    """On the phone: one option at a time, a scale button per criterion, "Next option", then submit."""
    rows = phone.locator("[data-sc-grid] tbody tr")
    for i in range(5):
        expect(phone.locator("[data-sc-grid] thead th.sc-opt.is-current .sc-progress")).to_contain_text(
            f"{i + 1} of 5 options"
        )
        for j in range(rows.count()):
            rows.nth(j).locator("td.sc-cell.is-current label.sc-step", has_text=str(pick(i, j))).click()
        if i < 4:
            phone.locator("[data-sc-grid] tfoot td.is-current").get_by_role("button", name="Next option").click()
    expect(phone.locator(".sc-bar-progress")).to_have_text("40 of 40 scored")
    if first_ballot:  # no ranking before the first submit: the panel's count follows each tap, as the bar's does
        expect(phone.locator(".sc-filled-count")).to_have_text("40 of 40")
    phone.locator(".sc-bar").get_by_role("button", name="Submit my ballot").click()


def test_a_seminar_from_start_to_the_second_round(browser, live_server, instructor_email):
    errors: list[str] = []
    projector = browser.new_context(viewport={"width": 1280, "height": 800}, base_url=live_server.url)
    phone_context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=live_server.url)
    dashboard, phone = projector.new_page(), phone_context.new_page()
    _watch_errors(dashboard, errors)
    _watch_errors(phone, errors)

    log_in_through_the_form(dashboard, instructor_email)
    code = _start_session(dashboard, "Border options — seminar 1")
    dashboard_url = dashboard.url
    expect(dashboard.locator(".join-qr svg")).to_be_visible()
    expect(dashboard.get_by_text("Nobody has joined yet.")).to_be_visible()

    # The participant types the code in lower case, as people do on phones.
    phone.goto("/join")
    phone.get_by_label("Session code").fill(code.lower())
    phone.get_by_role("button", name="Continue").click()
    phone.get_by_label(re.compile("^Your name")).fill("Ada <b>")
    phone.get_by_role("button", name="Join").click()
    expect(phone.locator(".session-header .name").first).to_have_text("Ada <b>")  # text, never markup
    assert serious_axe_violations(phone) == []

    # The dashboard notices the new participant by itself (polling), no reload.
    expect(dashboard.locator(".participant-table")).to_contain_text("Ada <b>", timeout=15_000)
    assert dashboard.url == dashboard_url

    # Option i scored high on early criteria: a clear order, so the ranking is not a tie.
    _score_every_option(phone, lambda i, j: 5 - i if j % 2 == 0 else 1 + i % 5, first_ballot=True)
    expect(phone.get_by_role("status").first).to_contain_text("Your ballot was saved")
    expect(phone.get_by_text("Your ballot was saved")).to_be_in_viewport()  # where the submit lands, not far above
    expect(phone.locator("#scoring-result .plain-ranking li")).to_have_count(5)
    expect(phone.get_by_text("The group's result appears here when the instructor reveals it.")).to_be_visible()

    expect(dashboard.locator(".participant-table")).to_contain_text("complete", timeout=15_000)
    expect(dashboard.locator(".room-counts")).to_contain_text("1 complete")

    # Reveal: the phone notices within its polling interval, without a reload.
    dashboard.get_by_role("button", name="Reveal results").click()
    expect(dashboard.get_by_role("button", name="Hide results")).to_be_visible()
    expect(phone.get_by_role("heading", name=re.compile("The group's ranking, round 1"))).to_be_visible(timeout=20_000)
    expect(phone.locator("table.standing tbody tr")).to_have_count(5)
    assert serious_axe_violations(phone) == []

    # Round 2 (asked first: a round cannot be taken back): the form starts from round 1's ballot;
    # the participant changes their mind.
    asked: list[str] = []
    dashboard.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    dashboard.get_by_role("button", name="Start round 2").click()
    expect(dashboard.locator(".session-state")).to_contain_text("Round 2")
    assert asked and asked[0].startswith("Start round 2? Round 1 ends with the ballots it has"), asked
    expect(dashboard.locator(".session-state")).to_contain_text("Round 2")
    phone.reload()
    expect(phone.get_by_text("your form starts from your ballot of round 1")).to_be_visible()
    expect(phone.get_by_role("heading", name="The group's result in round 1")).to_be_visible()
    _score_every_option(phone, lambda i, j: 1 + i if j % 2 == 0 else 5 - i % 5)
    expect(phone.get_by_role("status").first).to_contain_text("Your ballot was saved")

    # The movement between rounds, on the projector.
    expect(dashboard.locator("table.movement")).to_be_visible(timeout=15_000)
    expect(dashboard.locator("table.movement")).to_contain_text(re.compile("up|down"))
    expect(dashboard.locator("table.heatmap")).to_be_visible()

    # How sure is this? Opened on the projector, computed then, not before.
    dashboard.get_by_text("How sure is this?").click()
    expect(dashboard.locator("#how-sure .interval-chart li")).to_have_count(8)
    expect(dashboard.locator("#how-sure .acceptability-chart li")).to_have_count(5)
    assert serious_axe_violations(dashboard) == []

    phone_context.close()
    projector.close()
    assert [e for e in errors if "422" not in e] == []


def test_deleting_a_session_asks_before_every_ballot_goes(page, instructor_email):
    asked: list[str] = []
    page.on("dialog", lambda dialog: asked.append(dialog.message))  # the fixture's handler accepts it
    log_in_through_the_form(page, instructor_email)
    _start_session(page, "Border options — to delete")

    page.get_by_role("button", name="Delete this session and every ballot in it").click()

    expect(page).to_have_url(re.compile(r"/sessions$"))
    assert asked == ["Delete “Border options — to delete” and every ballot in it? This cannot be undone."]


def test_taps_not_yet_sent_survive_a_reload_of_the_phone_until_the_ballot_is_sent(browser, live_server,
                                                                                  instructor_email, page):
    """A phone that locks or reclaims the tab reloads the page: the taps come back, kept on the device."""
    log_in_through_the_form(page, instructor_email)
    code = _start_session(page, "Border options — a phone reloads")
    phone = browser.new_context(viewport={"width": 390, "height": 844}, base_url=live_server.url).new_page()
    phone.goto(f"/join/{code}")
    phone.get_by_role("button", name="Join").click()
    rows = phone.locator("[data-sc-grid] tbody tr")
    for j in range(3):
        rows.nth(j).locator("td.sc-cell.is-current label.sc-step", has_text=str(j + 2)).click()
    expect(phone.locator(".sc-bar-progress")).to_have_text("3 of 40 scored")

    phone.reload()

    expect(phone.locator(".sc-draft-note")).to_contain_text("Your taps not yet sent were kept on this device")
    expect(phone.locator(".sc-bar-progress")).to_have_text("3 of 40 scored")
    for j in range(3):
        expect(rows.nth(j).locator("td.sc-cell.is-current input:checked")).to_have_value(str(j + 2))
    _score_every_option(phone, lambda i, j: 1 + (i + j) % 5)
    expect(phone.get_by_role("status").first).to_contain_text("Your ballot was saved")
    phone.reload()
    expect(phone.locator(".sc-draft-note")).to_have_count(0)  # sent: the device keeps nothing more
    assert phone.evaluate("Object.keys(localStorage).filter(k => k.startsWith('optionsmatrix:'))") == []
    phone.context.close()


def test_a_phone_left_open_learns_by_itself_that_the_session_closed(browser, live_server, instructor_email, page):
    log_in_through_the_form(page, instructor_email)
    _start_session(page, "Border options — closed while a phone is open")
    code = page.locator(".join-code").inner_text().strip()
    phone = browser.new_context(viewport={"width": 390, "height": 844}, base_url=live_server.url).new_page()
    phone.goto(f"/join/{code}")
    phone.get_by_role("button", name="Join").click()
    expect(phone.locator(".sc-bar").get_by_role("button", name="Submit my ballot")).to_be_enabled()

    page.get_by_role("button", name="Close the session").click()

    expect(phone.get_by_text("This session is closed: your ballot shows as you last sent it")).to_be_visible(
        timeout=20_000  # the phone's poll, every few seconds
    )
    expect(phone.locator(".sc-bar").get_by_role("button", name="Submit my ballot")).to_be_disabled()
    phone.context.close()
