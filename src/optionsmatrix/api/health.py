from __future__ import annotations

from typing import Literal

from fastapi import Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool

from optionsmatrix import __version__
from optionsmatrix.api.routing import api_router
from optionsmatrix.core.db import DatabaseUnavailable, backend_of

router = api_router(tags=["health"])


class Health(BaseModel):
    status: Literal["ok", "unavailable"]
    database: Literal["sqlite", "postgresql"]
    version: str


@router.get(
    "/health",
    response_model=Health,
    responses={503: {"model": Health, "description": "The database cannot be reached (answered within seconds)"}},
)
async def health(request: Request) -> Health | JSONResponse:
    """Liveness and database reachability, for load balancers and the CI smoke test."""
    engine = request.app.state.engine
    result = Health(status="ok", database=backend_of(engine), version=__version__)
    # Its own few connections of the pool (core/db.py): it answers while requests fill the rest.
    async with request.app.state.admission.admit_reserved():
        reachable = await run_in_threadpool(_reachable, engine)
    if not reachable:
        # Promptly: a PostgreSQL that does not answer fails the connection after a few seconds (db.py).
        return JSONResponse(
            result.model_copy(update={"status": "unavailable"}).model_dump(),
            status_code=503,
            headers={"Retry-After": str(DatabaseUnavailable.retry_after_seconds)},
        )
    return result


def _reachable(engine: Engine) -> bool:
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError:
        return False
    return True
