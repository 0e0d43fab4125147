"""Regenerate the README screenshots: `.venv/bin/python docs/screenshots/take.py`.

Starts the app on a throwaway SQLite database (the case study loads on first
start) and photographs pages with Debian's Chromium.
"""

from __future__ import annotations

import socket
import tempfile
import threading
import time
from pathlib import Path

import uvicorn
from playwright.sync_api import sync_playwright

from optionsmatrix.app import create_app
from optionsmatrix.settings import Settings

HERE = Path(__file__).resolve().parent


def main() -> None:
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
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=["--headless=new", "--no-sandbox", "--disable-gpu"]
            )
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            page.goto(f"{base}/matrices/1")
            page.screenshot(path=HERE / "matrix.png", full_page=False)
            phone = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2)
            phone.goto(f"{base}/matrices/1")
            phone.screenshot(path=HERE / "matrix-phone.png")
            browser.close()
        server.should_exit = True


if __name__ == "__main__":
    main()
