"""Regenerate the README's seminar screenshots: `.venv/bin/python docs/screenshots/take_seminar.py`.

Starts the app on a throwaway SQLite database, starts a session on the case
study, lets twelve made-up participants submit ballots over the API (seeded,
so the pictures are reproducible), and photographs the instructor's dashboard
at 1280 px and a participant's ballot and result at 390 px in Debian's Chromium.
"""

from __future__ import annotations

import socket
import tempfile
import threading
import time
from pathlib import Path

import httpx2 as httpx
import numpy as np
import uvicorn
from playwright.sync_api import sync_playwright
from sqlmodel import Session

from optionsmatrix.app import create_app
from optionsmatrix.core.db import create_db_engine
from optionsmatrix.core.security import password_hasher
from optionsmatrix.services import accounts
from optionsmatrix.settings import Settings

HERE = Path(__file__).resolve().parent
EMAIL, PASSWORD = "instructor@example.org", "a password for screenshots"
NAMES = ["Ada", "Bo", "Chen", "Dana", "Eli", "Fatima", "Gus", "Hana", "Ivo", "Jun", "Kemal", "Lea"]


def _serve(database_url: str) -> tuple[uvicorn.Server, str]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app = create_app(Settings(database_url=database_url))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return server, f"http://127.0.0.1:{port}"


def _room_votes(base: str, code: str, session_id: int) -> None:
    """Twelve ballots that agree on some cells and split on others, as a room does."""
    rng = np.random.default_rng(7)
    centre = None
    for name in NAMES:
        joined = httpx.post(f"{base}/api/v1/sessions/join", json={"join_code": code, "display_name": name}).json()
        headers = {"Authorization": f"Bearer {joined['participant_token']}"}
        if centre is None:  # a participant may read the session's snapshot
            shape = httpx.get(f"{base}/api/v1/sessions/{session_id}", headers=headers).json()
            options, criteria = shape["options"], shape["criteria"]
            centre = rng.integers(1, 6, size=(len(options), len(criteria)))
        noise = rng.integers(-1, 2, size=centre.shape) * rng.integers(0, 3, size=centre.shape)
        scores = np.clip(centre + noise, 1, 5)
        body = {
            "scores": {
                str(o["id"]): {str(c["id"]): int(scores[i, j]) for j, c in enumerate(criteria)}
                for i, o in enumerate(options)
            }
        }
        httpx.put(f"{base}/api/v1/sessions/{session_id}/ballot", json=body, headers=headers).raise_for_status()


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        database_url = f"sqlite:///{tmp}/shots.db"
        server, base = _serve(database_url)
        engine = create_db_engine(database_url)
        with Session(engine) as session:
            accounts.create_instructor(session, email=EMAIL, password=PASSWORD, hasher=password_hasher(fast=True))
        engine.dispose()
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=["--headless=new", "--no-sandbox", "--disable-gpu"]
            )
            projector = browser.new_page(viewport={"width": 1280, "height": 800})
            projector.goto(f"{base}/login")
            projector.get_by_label("Email").fill(EMAIL)
            projector.get_by_label("Password").fill(PASSWORD)
            projector.get_by_role("button", name="Log in").click()
            projector.goto(f"{base}/matrices/1")
            projector.get_by_label("Title").fill("Border options — Tuesday seminar")
            projector.get_by_role("button", name="Start a session").click()
            projector.locator(".join-code").wait_for()
            projector.screenshot(path=HERE / "session-dashboard.png")

            session_id = int(projector.url.rstrip("/").rsplit("/", 1)[1])
            code = projector.locator(".join-code").inner_text().strip()
            phone = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2)
            phone.goto(f"{base}/join/{code}")
            phone.get_by_label("Your name", exact=False).fill("Mina")
            phone.get_by_role("button", name="Join").click()
            phone.locator("[data-sc-grid]").wait_for()
            rows = phone.locator("[data-sc-grid] tbody tr")
            for j in range(3):  # a participant part-way through the first option
                rows.nth(j).locator("td.sc-cell.is-current label.sc-step", has_text=str(2 + j)).click()
            phone.locator("#ballot-heading").scroll_into_view_if_needed()
            phone.screenshot(path=HERE / "session-phone.png")

            _room_votes(base, code, session_id)
            projector.get_by_role("button", name="Reveal results").click()
            projector.locator("table.heatmap").wait_for()
            projector.locator("#results-heading").scroll_into_view_if_needed()
            projector.screenshot(path=HERE / "session-results.png")
            projector.get_by_text("How sure is this?").click()
            projector.locator(".how-sure-body .interval-chart").wait_for()
            projector.locator("#how-sure").screenshot(path=HERE / "session-how-sure.png")
            browser.close()
        server.should_exit = True


if __name__ == "__main__":
    main()
