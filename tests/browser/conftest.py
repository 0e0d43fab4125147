"""A real server in a thread and Debian's Chromium driven by Playwright.

Never `playwright install`: it downloads a browser, and this machine has no
internet. `.ci/run` installs Debian's `chromium` package when it is missing.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn
from sqlmodel import Session

from optionsmatrix.app import create_app
from optionsmatrix.core.db import create_db_engine
from optionsmatrix.core.security import password_hasher
from optionsmatrix.services import accounts
from optionsmatrix.settings import Settings

CHROMIUM = os.environ.get("OPTIONSMATRIX_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",  # the closed network refuses Google's hosts
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LiveServer:
    def __init__(self, database_url: str) -> None:
        self.database_url = database_url
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        app = create_app(Settings(database_url=database_url, fast_password_hashing=True))
        self._server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning"))
        self._thread = threading.Thread(target=self._server.run, daemon=True)

    def __enter__(self) -> LiveServer:
        self._thread.start()
        deadline = time.monotonic() + 20
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *_exc: object) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)


@pytest.fixture(scope="module")
def live_server(databases) -> Iterator[LiveServer]:
    with LiveServer(databases.new_url()) as server:
        yield server


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package (.ci/run does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh page at phone width that fails the test on any console error (e.g. a CSP violation)."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, base_url=live_server.url)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("dialog", lambda dialog: dialog.accept())
    page.set_default_timeout(10_000)
    yield page
    context.close()
    # 422 answers are expected in some journeys; the browser logs them as failed loads.
    unexpected = [e for e in errors if "422" not in e]
    assert unexpected == [], f"console errors: {unexpected}"


BROWSER_PASSWORD = "a password for browser tests"


@pytest.fixture(scope="module")
def instructor_email(live_server) -> str:
    """An instructor account in the live server's database (one per module)."""
    engine = create_db_engine(live_server.database_url)
    email = f"instructor-{_free_port()}@example.org"
    with Session(engine) as session:
        accounts.create_instructor(session, email=email, password=BROWSER_PASSWORD, hasher=password_hasher(fast=True))
    engine.dispose()
    return email


def log_in_through_the_form(page, email: str, password: str = BROWSER_PASSWORD) -> None:
    page.goto("/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("button", name=re.compile("^Log out")).wait_for()
