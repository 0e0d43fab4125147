"""Regenerate the README's pictures of a session's exports: `.venv/bin/python docs/screenshots/take_exports.py`.

Starts the app on a throwaway SQLite database, runs a two-round session on
the case study with twelve made-up participants over the API (seeded, so the
pictures are reproducible), writes the session's workbook and printable
report, and photographs:
- session-workbook.png: the Results sheet as LibreOffice computes it (the
  weighted sum's live formulas beside our values), through LibreOffice's own
  HTML export, and session-workbook-chart.png, the workbook's native chart as
  LibreOffice draws it (needs Debian's libreoffice-calc);
- session-report.png: the report's group ranking section at A4 width with its
  print styles, in Debian's Chromium.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import httpx2 as httpx
import numpy as np
from playwright.sync_api import sync_playwright
from sqlmodel import Session, select
from take_seminar import EMAIL, NAMES, PASSWORD, _serve

from optionsmatrix.core.db import create_db_engine
from optionsmatrix.core.security import password_hasher
from optionsmatrix.models import Instructor, Matrix, SeminarSession
from optionsmatrix.schemas.sessions import SessionCreate
from optionsmatrix.services import accounts, seminars
from optionsmatrix.services.session_report import write_session_report
from optionsmatrix.services.session_workbook import write_session_workbook

HERE = Path(__file__).resolve().parent
A4_WIDTH_PX = 794  # 210 mm at 96 px per inch


def _ballots(base: str, tokens: list[str], snapshot: dict, rng: np.random.Generator, shift: int) -> None:
    """Ballots around a shared centre; in round 2 the room moves one option up and agrees a little more."""
    options, criteria = snapshot["options"], snapshot["criteria"]
    centre = rng.integers(2, 5, size=(len(options), len(criteria)))
    centre[-1] = np.clip(centre[-1] + shift, 1, 5)
    for token in tokens:
        noise = rng.integers(-1, 2, size=centre.shape) * rng.integers(0, 3 - shift, size=centre.shape)
        scores = np.clip(centre + noise, 1, 5)
        body = {"scores": {str(o["id"]): {str(c["id"]): int(scores[i, j]) for j, c in enumerate(criteria)}
                           for i, o in enumerate(options)}}  # fmt: skip
        httpx.put(f"{base}/api/v1/sessions/{snapshot['id']}/ballot", json=body,
                  headers={"Authorization": f"Bearer {token}"}).raise_for_status()  # fmt: skip


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        database_url = f"sqlite:///{tmp}/shots.db"
        server, base = _serve(database_url)
        engine = create_db_engine(database_url)
        with Session(engine) as session:
            accounts.create_instructor(session, email=EMAIL, password=PASSWORD, hasher=password_hasher(fast=True))
            owner = session.exec(select(Instructor).where(Instructor.email == EMAIL)).one()
            matrix = session.exec(select(Matrix).order_by(Matrix.id)).first()  # the case study, loaded on first start
            started = seminars.start_session(session, matrix=matrix, owner=owner, max_participants=500,
                                             data=SessionCreate(title="Border options — Tuesday seminar"))  # fmt: skip
            code, session_id = started.seminar.join_code, started.seminar.id
            tokens = [
                httpx.post(f"{base}/api/v1/sessions/join", json={"join_code": code, "display_name": name}).json()[
                    "participant_token"]
                for name in NAMES
            ]  # fmt: skip
            snapshot = httpx.get(f"{base}/api/v1/sessions/{session_id}",
                                 headers={"Authorization": f"Bearer {tokens[0]}"}).json()  # fmt: skip
            rng = np.random.default_rng(7)
            _ballots(base, tokens, snapshot, rng, shift=0)
            seminars.new_round(session, seminar=started.seminar)
            _ballots(base, tokens, snapshot, rng, shift=1)
            seminar = session.get(SeminarSession, session_id)
            workbook = Path(tmp) / "session.xlsx"
            workbook.write_bytes(write_session_workbook(session, seminar))
            report = write_session_report(session, seminar).decode("utf-8")
        engine.dispose()
        server.should_exit = True

        rendered = None
        if shutil.which("soffice"):
            subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation={Path(tmp, 'lo').as_uri()}",
                            "--convert-to", "html", "--outdir", str(Path(tmp, "lo-html")), str(workbook)],
                           check=True, capture_output=True, timeout=120)  # fmt: skip
            rendered = Path(tmp, "lo-html", "session.html")
            charts = sorted(Path(tmp, "lo-html").glob("*.png"))
            if charts:
                shutil.copy(charts[0], HERE / "session-workbook-chart.png")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=["--headless=new", "--no-sandbox", "--disable-gpu"]
            )
            page = browser.new_page(viewport={"width": A4_WIDTH_PX, "height": 1123})
            page.set_content(report)
            page.emulate_media(media="print")
            page.locator("section[aria-labelledby=ranking]").screenshot(path=HERE / "session-report.png")
            if rendered is not None:
                sheet = browser.new_page(viewport={"width": 1280, "height": 800})
                sheet.goto(rendered.as_uri())
                results = sheet.locator("h1", has_text="Results").locator("xpath=following::table[1]")
                results.screenshot(path=HERE / "session-workbook.png")
            browser.close()


if __name__ == "__main__":
    main()
