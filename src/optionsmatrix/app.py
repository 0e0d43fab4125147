"""The application factory. Nothing connects to a database until `create_app` runs."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Connection
from sqlalchemy.engine import Engine
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from optionsmatrix import __version__, api, migrate, web
from optionsmatrix.db import create_db_engine
from optionsmatrix.error_handlers import install_error_handlers
from optionsmatrix.middleware import SecurityHeaders
from optionsmatrix.resources import static_dir
from optionsmatrix.services.case_study import load_case_study_if_empty
from optionsmatrix.settings import Settings

DESCRIPTION = """
A neutral decision-matrix tool for policy seminars.

Matrices hold **options** (with an escalation level) and **criteria** (benefit or
cost, a weight, a scale). Every write takes `Authorization: Bearer <token>`.
Errors use FastAPI's `{"detail": ...}` shape; validation errors name the field.
"""


def prepare_database(engine: Engine, *, seed: bool) -> None:
    """Migrate to head and, on a new installation, load the case study — under one lock."""

    def seed_case_study(connection: Connection) -> None:
        with Session(bind=connection) as session:
            load_case_study_if_empty(session)

    migrate.upgrade(engine, then=seed_case_study if seed else None)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    engine = create_db_engine(settings.database_url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if settings.migrate_on_start:
            await run_in_threadpool(prepare_database, engine, seed=settings.seed_on_start)
        yield
        engine.dispose()

    app = FastAPI(
        title="optionsmatrix",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # served by the web layer from vendored assets, so it works offline
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
        max_body_size=settings.max_body_bytes,  # 413 before anything parses an oversized body
    )
    app.state.engine = engine
    app.state.settings = settings
    app.include_router(api.router)
    app.include_router(web.router)
    app.mount("/static", StaticFiles(directory=static_dir()), name="static")
    install_error_handlers(app)
    app.add_middleware(SecurityHeaders)
    return app


def create_app_from_env() -> FastAPI:
    """Factory for `uvicorn --factory` and for several workers."""
    return create_app(Settings.from_env())
