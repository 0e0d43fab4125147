"""Journey: a new installation's one-time link -> set a password -> log in -> copy -> make a token -> log out."""

import re

import pytest
from playwright.sync_api import expect

from optionsmatrix.app import prepare_database
from optionsmatrix.core.db import create_db_engine

pytestmark = pytest.mark.browser

CASE_STUDY = "Military options at the U.S.–Mexico border (Heritage Foundation, 2025)"
PASSWORD = "the admin's new password"


def test_first_run_link_to_a_token_and_back_out(page, live_server):
    engine = create_db_engine(live_server.database_url)
    first_run = prepare_database(engine, seed=True, issue_link=True)  # what `optionsmatrix serve` prints
    engine.dispose()

    page.goto(f"/setup/{first_run.link_secret}")
    expect(page.get_by_text("admin@localhost")).to_be_visible()
    page.get_by_label("New password").fill(PASSWORD)
    page.get_by_label("The same password again").fill(PASSWORD)
    page.get_by_role("button", name="Set password and log in").click()
    expect(page.get_by_role("button", name=re.compile("^Log out"))).to_be_visible()

    # Log out and in again with the new password, as the admin will next time.
    page.get_by_role("button", name=re.compile("^Log out")).click()
    expect(page.get_by_role("navigation").get_by_role("link", name="Log in")).to_be_visible()
    page.get_by_role("navigation").get_by_role("link", name="Log in").click()
    page.get_by_label("Email").fill("admin@localhost")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.get_by_role("link", name=CASE_STUDY).click()
    page.get_by_role("button", name="Copy this matrix").click()
    expect(page.locator("h1")).to_have_text(CASE_STUDY + " (copy)")

    page.get_by_role("link", name="Tokens").click()
    page.get_by_label("Name").fill("grading script")
    page.get_by_role("button", name="Create token").click()
    secret = page.locator("#new-token").inner_text()
    assert len(secret) >= 43
    expect(page.get_by_role("cell", name="grading script", exact=True)).to_be_visible()

    # The token shown once works over the API.
    response = page.request.get("/api/v1/tokens", headers={"Authorization": f"Bearer {secret}"})
    assert response.status == 200 and response.json()[0]["name"] == "grading script"

    page.get_by_role("button", name=re.compile("^Log out")).click()
    expect(page.get_by_role("navigation").get_by_role("link", name="Log in")).to_be_visible()
    page.goto("/tokens")
    expect(page).to_have_url(re.compile(r"/login\?next=/tokens$"))
