"""Concurrent edits in real browsers: the second, stale save is refused with a message, never silently kept.

Two browser contexts are two browsers (separate cookies); two pages of one
context are two tabs. In each case the first save wins whole, the second is
answered 409 with the message the UI shows in place, and the stored state is
the first save's, not a mix of both.
"""

from __future__ import annotations

import json
import re
from contextlib import contextmanager

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from optionsmatrix.core.db import create_db_engine
from optionsmatrix.core.security import password_hasher
from optionsmatrix.models import Ballot, Participant
from optionsmatrix.services import accounts
from tests.browser.conftest import BROWSER_PASSWORD, _free_port, log_in_through_the_form
from tests.browser.test_seminar_journey import _score_every_option, _start_session

pytestmark = pytest.mark.browser

MATRIX_CHANGED = "Someone else changed this matrix; reload to see their change."
BALLOT_CHANGED = "Your ballot was changed from another tab or device after this page was loaded."
TIMEOUT = 30_000  # CI shares two CPUs with other work


@pytest.fixture
def open_browser(browser, live_server):
    """Opens a new browser (a context), at desktop width unless told, or a new tab of one.

    Fails the test on console errors other than the expected 409/422 answers."""
    contexts, errors = [], []

    def open_page(context=None, *, width: int = 1280):
        if context is None:
            context = browser.new_context(viewport={"width": width, "height": 800}, base_url=live_server.url)
            contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(TIMEOUT)
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("dialog", lambda dialog: dialog.accept())
        return page

    yield open_page
    for context in contexts:
        context.close()
    # The refused saves are answered 409 (and bad input 422); the browser logs those as failed loads.
    assert [e for e in errors if "409" not in e and "422" not in e] == []


@pytest.fixture(scope="module")
def admin_email(live_server) -> str:
    engine = create_db_engine(live_server.database_url)
    email = f"admin-{_free_port()}@example.org"
    with Session(engine) as session:
        accounts.create_instructor(
            session, email=email, is_admin=True, password=BROWSER_PASSWORD, hasher=password_hasher(fast=True)
        )
    engine.dispose()
    return email


@contextmanager
def _refused_save(page, path: str = ""):
    """The save (a POST to a URL ending in `path`) made inside the block is answered 409, not a success nor a 422."""

    def is_the_save(response) -> bool:
        return response.request.method == "POST" and response.url.endswith(path)

    with page.expect_response(is_the_save, timeout=TIMEOUT) as answer:
        yield
    assert answer.value.status == 409, answer.value.status


def _create_matrix_with_an_option(page, title: str, option: str) -> str:
    page.goto("/")
    page.get_by_label("Title").fill(title)
    page.get_by_role("button", name="Create matrix").click()
    expect(page.locator("h1")).to_have_text(title)
    if not page.locator("#options details[open]").count():
        page.locator("#options summary").click()
    page.locator("#new-option-name").fill(option)
    page.locator("#new-option-escalation_level").fill("1")
    page.get_by_role("button", name="Add option").click()
    expect(page.locator("#options .option-name")).to_have_text([option])
    return page.url.split("#")[0]


def _open_header_edit(page) -> None:
    page.get_by_role("link", name="Edit title and description").click()
    expect(page.locator("#header form.edit-form input[name=title]")).to_be_visible()


def _fill_header(page, title: str, description: str) -> None:
    page.locator("#header form.edit-form input[name=title]").fill(title)
    page.locator("#header form.edit-form textarea[name=description]").fill(description)
    page.locator("#header").get_by_role("button", name="Save").click()


def test_the_owner_in_two_browsers_second_header_save_is_refused_and_the_first_kept_whole(
    open_browser, instructor_email
):
    first, second = open_browser(), open_browser()
    log_in_through_the_form(first, instructor_email)
    log_in_through_the_form(second, instructor_email)
    url = _create_matrix_with_an_option(first, "Two browsers", "Riverside")
    second.goto(url)

    _open_header_edit(first)
    _open_header_edit(second)  # both forms now carry the same matrix version
    _fill_header(first, "Title from the laptop", "Description from the laptop")
    expect(first.locator("h1")).to_have_text("Title from the laptop", timeout=TIMEOUT)

    with _refused_save(second):
        _fill_header(second, "Title from the tablet", "Description from the tablet")
    expect(second.locator("#header .form-error")).to_contain_text(MATRIX_CHANGED, timeout=TIMEOUT)
    # The form stays open with what was typed, so nothing the user wrote is lost either.
    expect(second.locator("#header form.edit-form input[name=title]")).to_have_value("Title from the tablet")

    # A second try from the same stale form is refused too, until the page is reloaded.
    with _refused_save(second):
        second.locator("#header").get_by_role("button", name="Save").click()
    expect(second.locator("#header .form-error")).to_contain_text(MATRIX_CHANGED, timeout=TIMEOUT)

    second.reload()
    expect(second.locator("h1")).to_have_text("Title from the laptop")
    expect(second.locator("#header .lede")).to_have_text("Description from the laptop")


def test_a_refused_make_it_public_far_down_a_phone_page_shows_its_message_in_view(open_browser, instructor_email):
    """The message goes to the alert area at the top of the page; the button is a long scroll below it."""
    first, second = open_browser(), open_browser(width=390)
    log_in_through_the_form(first, instructor_email)
    log_in_through_the_form(second, instructor_email)
    url = _create_matrix_with_an_option(first, "Far down", "Riverside")
    second.goto(url)
    first.get_by_role("button", name="Make it public").click()
    expect(first.locator("#sharing")).to_contain_text("This matrix is public")

    second.get_by_role("button", name="Make it public").scroll_into_view_if_needed()
    expect(second.locator("#page-alert")).not_to_be_in_viewport()
    with _refused_save(second, "/sharing/visibility"):
        second.get_by_role("button", name="Make it public").click()
    expect(second.locator("#page-alert")).to_contain_text(MATRIX_CHANGED, timeout=TIMEOUT)
    expect(second.locator("#page-alert")).to_be_in_viewport()


def test_an_admin_and_the_owner_at_once_the_later_option_save_is_refused(open_browser, instructor_email, admin_email):
    owner, admin = open_browser(), open_browser()
    log_in_through_the_form(owner, instructor_email)
    log_in_through_the_form(admin, admin_email)
    url = _create_matrix_with_an_option(owner, "Owner and admin", "Riverside")
    admin.goto(url)
    expect(admin.get_by_role("link", name="Edit Riverside")).to_be_visible()  # an admin may edit any matrix

    for page in (owner, admin):
        page.get_by_role("link", name="Edit Riverside").click()
        expect(page.locator("#options li form.edit-form input[name=name]")).to_be_visible()

    admin.locator("#options li form.edit-form input[name=name]").fill("Riverside (admin)")
    admin.get_by_role("button", name="Save option").click()
    expect(admin.locator("#options .option-name")).to_have_text(["Riverside (admin)"], timeout=TIMEOUT)

    owner.locator("#options li form.edit-form input[name=name]").fill("Riverside (owner)")
    with _refused_save(owner):
        owner.get_by_role("button", name="Save option").click()
    expect(owner.locator("#options .form-error")).to_contain_text(MATRIX_CHANGED, timeout=TIMEOUT)
    expect(owner.locator("#options li form.edit-form input[name=name]")).to_have_value("Riverside (owner)")

    owner.reload()
    expect(owner.locator("#options .option-name")).to_have_text(["Riverside (admin)"])


def _stored_ballots(database_url: str, display_name: str) -> list[Ballot]:
    engine = create_db_engine(database_url)
    try:
        with Session(engine) as session:
            participant = session.exec(select(Participant).where(Participant.display_name == display_name)).one()
            return list(session.exec(select(Ballot).where(Ballot.participant_id == participant.id)).all())
    finally:
        engine.dispose()


def test_one_participant_in_two_tabs_the_stale_tab_is_refused_and_the_first_ballot_kept_whole(
    open_browser, live_server, instructor_email
):
    dashboard = open_browser()
    log_in_through_the_form(dashboard, instructor_email)
    code = _start_session(dashboard, "Two tabs")

    tab_a = open_browser(width=390)  # a phone: the ballot shows one option at a time
    tab_a.goto("/join")
    tab_a.get_by_label("Session code").fill(code)
    tab_a.get_by_role("button", name="Continue").click()
    name = f"Two-tabs {_free_port()}"
    tab_a.get_by_label(re.compile("^Your name")).fill(name)
    tab_a.get_by_role("button", name="Join").click()
    expect(tab_a.locator(".session-header .name").first).to_have_text(name)
    tab_b = open_browser(tab_a.context)  # same cookies: the same participant
    tab_b.goto(tab_a.url)
    expect(tab_b.locator(".session-header .name").first).to_have_text(name)

    def first(i: int, j: int) -> int:
        return 5 - i if j % 2 == 0 else 1 + i

    def second(i: int, j: int) -> int:
        return 1 + i if j % 2 == 0 else 5 - i

    _score_every_option(tab_a, first, first_ballot=True)
    expect(tab_a.get_by_role("status").first).to_contain_text("Your ballot was saved", timeout=TIMEOUT)

    with _refused_save(tab_b, "/ballot"):
        _score_every_option(tab_b, second, first_ballot=True)
    expect(tab_b.get_by_role("alert").filter(has_text=BALLOT_CHANGED)).to_be_visible(timeout=TIMEOUT)

    ballots = _stored_ballots(live_server.database_url, name)
    assert [b.version for b in ballots] == [1]  # the stale tab added no revision
    scores = json.loads(ballots[0].scores)
    criteria = len(scores[0])
    assert scores == [[first(i, j) for j in range(criteria)] for i in range(5)]
    assert ballots[0].complete

    # The first tab, reloaded, shows its own ballot as the saved one.
    tab_a.reload()
    expect(tab_a.locator(".sc-bar-progress")).to_have_text("40 of 40 scored")


def _header_save_refused_then_the_laptops_title_kept(first, second) -> None:
    with _refused_save(second):
        _fill_header(second, "Title from the tablet", "Description from the tablet")
    expect(second.locator("#header .form-error")).to_contain_text(MATRIX_CHANGED, timeout=TIMEOUT)
    first.reload()
    expect(first.locator("h1")).to_have_text("Title from the laptop")


def _tablet_header_open_while_the_laptop_saves(open_browser, instructor_email, title: str):
    """Two browsers on one new matrix; the tablet opens the header form, then the laptop saves a new title."""
    first, second = open_browser(), open_browser()
    log_in_through_the_form(first, instructor_email)
    log_in_through_the_form(second, instructor_email)
    second.goto(_create_matrix_with_an_option(first, title, "Riverside"))
    _open_header_edit(second)
    _open_header_edit(first)
    _fill_header(first, "Title from the laptop", "Description from the laptop")
    expect(first.locator("h1")).to_have_text("Title from the laptop", timeout=TIMEOUT)
    return first, second


def test_a_link_made_in_the_stale_browser_does_not_bring_its_old_forms_up_to_date(open_browser, instructor_email):
    """The forms of a page follow only the versions its own writes step through (static/js/matrix.js):
    a read-only link counts no version, so the tablet's header form still carries the one it was drawn at."""
    first, second = _tablet_header_open_while_the_laptop_saves(open_browser, instructor_email, "Two browsers, a link")

    second.get_by_role("button", name="Make a read-only link").click()
    expect(second.locator("#share-url")).to_be_visible()

    _header_save_refused_then_the_laptops_title_kept(first, second)


def test_a_fresh_form_saved_in_the_stale_browser_does_not_bring_its_older_forms_up_to_date(
    open_browser, instructor_email
):
    """An option's Edit form is drawn at the current version and saves; the header form, drawn before the
    laptop's change, is not moved on by that save and is still refused."""
    first, second = _tablet_header_open_while_the_laptop_saves(
        open_browser, instructor_email, "Two browsers, a fresh form"
    )

    second.get_by_role("link", name="Edit Riverside").click()
    second.locator("#options li form.edit-form input[name=name]").fill("Riverside 2")
    second.get_by_role("button", name="Save option").click()
    expect(second.locator("#options .option-name")).to_have_text(["Riverside 2"], timeout=TIMEOUT)

    _header_save_refused_then_the_laptops_title_kept(first, second)
