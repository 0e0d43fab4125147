"""Regenerate the README screenshots: `.venv/bin/python docs/screenshots/take.py [OUT_DIR]`.

Starts the app on a throwaway SQLite database (the case study loads on first
start) and photographs pages with Debian's Chromium: the matrix page, and
"Score it yourself" filled in at 390 px (a phone) and 1280 × 800, the
working and the presentation view.
"""

from __future__ import annotations

import json
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode
from urllib.request import urlopen

import uvicorn
from playwright.sync_api import sync_playwright

from optionsmatrix.app import create_app
from optionsmatrix.settings import Settings

HERE = Path(__file__).resolve().parent


def _scored_query(base: str) -> str:
    """The case study scored with varied, made-up scores (for the picture only), and ROC weights."""
    with urlopen(f"{base}/api/v1/matrices/1") as answer:
        matrix = json.load(answer)
    params = {}
    for i, option in enumerate(matrix["options"]):
        for j, criterion in enumerate(matrix["criteria"]):
            params[f"s.{option['id']}.{criterion['id']}"] = str((i * 3 + j * 2) % 5 + 1)
    return urlencode(params)


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE
    with tempfile.TemporaryDirectory() as tmp, socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        probe.close()
        app = create_app(Settings(database_url=f"sqlite:///{tmp}/shots.db"))
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
        threading.Thread(target=server.run, daemon=True).start()
        while not server.started:
            time.sleep(0.05)
        base = f"http://127.0.0.1:{port}"
        scored = f"{base}/matrices/1/score?{_scored_query(base)}"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=["--headless=new", "--no-sandbox", "--disable-gpu"]
            )
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            page.goto(f"{base}/matrices/1")
            page.screenshot(path=out / "matrix.png", full_page=False)
            wide = browser.new_page(viewport={"width": 1280, "height": 800})
            wide.goto(scored)
            wide.locator("[data-sc-grid]").scroll_into_view_if_needed()
            wide.evaluate("document.querySelector('#scoring-form').scrollIntoView({block: 'start'})")
            wide.screenshot(path=out / "scoring-1280.png")
            wide.goto(f"{scored}&present=1")
            wide.screenshot(path=out / "present-1280.png")
            phone = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2)
            phone.goto(f"{base}/matrices/1")
            phone.screenshot(path=out / "matrix-phone.png")
            phone.goto(scored)
            phone.evaluate("document.querySelector('#sc-opt-' + document.querySelector('.sc-opt').dataset.option)"
                           ".scrollIntoView({block: 'start'})")
            phone.screenshot(path=out / "scoring-390.png")
            phone.goto(f"{scored}&explain=1")
            phone.locator(".scoring-working").scroll_into_view_if_needed()
            phone.screenshot(path=out / "scoring-working-390.png")
            browser.close()
        server.should_exit = True


if __name__ == "__main__":
    main()
