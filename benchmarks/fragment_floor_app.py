"""Ours, with the scoring handler stopped after one stage: for benchmarks/fragment_floor.py only.

`uvicorn benchmarks.fragment_floor_app:app` with FRAGMENT_FLOOR_STAGE (one of
STAGES) and FRAGMENT_FLOOR_ANSWER (a file holding the bytes the whole handler
answered). Everything around the handler is the app as `serve` builds it:
middleware, the CSRF/login dependency, the database session and FastAPI's
parsing of the address. The handler does the stages up to the one named,
then answers the stored bytes, marked with STAGE_HEADER so the benchmark can
tell that the replacement took.
"""

from __future__ import annotations

import os

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from fastapi.routing import APIRoute
from sqlmodel import Session

from optionsmatrix.app import create_app_from_env
from optionsmatrix.services.access import Actor
from optionsmatrix.web.deps import read_page_matrix
from optionsmatrix.web.scoring.form import evaluate

STAGES = ("nothing", "stamp", "evaluate")  # each does what the one before does, and then its own
STAGE_HEADER = "fragment-floor-stage"


def stopped_after(stage: str, answer: bytes):  # noqa: ANN201
    def matrix_score(request: Request, matrix_id: int, actor: Actor, session: Session) -> Response:
        if stage != "nothing":
            matrix = read_page_matrix(request, session, actor, matrix_id)
            if stage == "evaluate" and evaluate(matrix, request.query_params).ranking is None:
                raise RuntimeError("the form did not rank: not the request the benchmark means to measure")
        headers = {"Vary": "HX-Request, Scoring-Edited, Scoring-Drawn", STAGE_HEADER: stage}
        return HTMLResponse(answer, headers=headers)

    return matrix_score


def _app():  # noqa: ANN202
    stage = os.environ.get("FRAGMENT_FLOOR_STAGE", "")
    if stage not in STAGES:
        raise SystemExit(f"FRAGMENT_FLOOR_STAGE must be one of {', '.join(STAGES)}")
    with open(os.environ["FRAGMENT_FLOOR_ANSWER"], "rb") as stored:
        answer = stored.read()
    built = create_app_from_env()
    route = next(r for r in built.router.routes if isinstance(r, APIRoute) and r.name == "matrix_score")
    # The route keeps its parameters and dependencies (what FastAPI resolves before calling it);
    # only the function it calls with them is swapped.
    route.dependant.call = stopped_after(stage, answer)
    return built


app = _app() if "FRAGMENT_FLOOR_STAGE" in os.environ else None
