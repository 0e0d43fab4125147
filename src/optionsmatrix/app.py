"""The application factory. Nothing connects to a database until `create_app` runs."""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy import Connection
from sqlalchemy.engine import Engine
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from optionsmatrix import __version__, api, web
from optionsmatrix.api.errors import API_ERRORS, API_PREFIX
from optionsmatrix.api.files import IMPORT_PATH as API_IMPORT_PATH
from optionsmatrix.api.session_files import IMPORT_PATH as API_SESSION_IMPORT_PATH
from optionsmatrix.core import migrate
from optionsmatrix.core.db import AdmissionGate, create_db_engine
from optionsmatrix.core.resources import static_dir
from optionsmatrix.core.security import password_hasher
from optionsmatrix.http.errors import install_error_handlers, too_large_responder
from optionsmatrix.http.middleware import BodyLimit, SecurityHeaders
from optionsmatrix.services.accounts import FirstRun, ensure_admin
from optionsmatrix.services.case_study import load_case_study_if_empty
from optionsmatrix.services.page_matrices import PageMatrices
from optionsmatrix.settings import Settings
from optionsmatrix.web.errors import WEB_ERRORS
from optionsmatrix.web.files import IMPORT_PATH as PAGE_IMPORT_PATH
from optionsmatrix.web.rendering import KeptPages

DESCRIPTION = """
A neutral decision-matrix tool for policy seminars.

Matrices hold **options** (with an escalation level) and **criteria** (benefit or
cost, a weight, a scale). Every write takes `Authorization: Bearer <token>`.
Errors use FastAPI's `{"detail": ...}` shape; validation errors name the field.
"""


def prepare_database(
    engine: Engine, *, seed: bool, admin_email: str = "admin@localhost", link_hours: int = 24, issue_link: bool = False
) -> FirstRun | None:
    """Migrate to head, make sure an admin exists, and on a new installation load the case study.

    All under the migration lock, so several workers starting together do it
    once. With `issue_link`, an admin who cannot log in yet gets a one-time
    link to set a password (`optionsmatrix serve` prints it).
    """
    outcome: list[FirstRun | None] = [None]

    def first_run(connection: Connection) -> None:
        with Session(bind=connection, expire_on_commit=False) as session:
            if not seed:
                return
            run = ensure_admin(
                session, email=admin_email, hours=link_hours, hasher=password_hasher(), issue_link=issue_link
            )
            load_case_study_if_empty(session, owner_id=run.admin.id if run else None)
            outcome[0] = run

    migrate.upgrade(engine, then=first_run, admin_email=admin_email)
    return outcome[0]


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    limits = settings.database_limits()
    engine = create_db_engine(settings.database_url, limits)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # A worker `serve` started on the database it has just prepared only looks that it is at head
        # (one read, no lock): a marker left in the environment must never skip a migration.
        prepared = settings.prepared_by_serve and await run_in_threadpool(migrate.at_head, engine)
        if settings.migrate_on_start and not prepared:
            await run_in_threadpool(
                lambda: prepare_database(engine, seed=settings.seed_on_start, admin_email=settings.admin_email)
            )
        yield
        engine.dispose()

    app = FastAPI(
        title="optionsmatrix",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # served by the web layer from vendored assets, so it works offline
        redoc_url=None,
        openapi_url=f"{API_PREFIX}/openapi.json",
    )
    app.state.engine = engine
    app.state.local_database = engine.dialect.name == "sqlite"  # see http/deps.py get_session
    app.state.admission = AdmissionGate(limits)
    app.state.page_matrices = PageMatrices()  # matrices as pages read them, kept while unchanged
    app.state.kept_pages = KeptPages()  # whole pages kept while their key holds (web/rendering.py)
    app.state.settings = settings
    app.state.password_hasher = password_hasher(fast=settings.fast_password_hashing)
    # Every route in the app's own list (see api/routing.py): nothing nested to walk. No page's path
    # can match an API path, so the order between the two only decides how soon each is found.
    app.router.routes.extend([*api.first_routes, *web.routes, *api.routes])
    app.mount("/static", StaticFiles(directory=static_dir()), name="static")
    # Each surface renders its own errors; the API claims its paths, pages the rest.
    surfaces = (API_ERRORS, WEB_ERRORS)
    install_error_handlers(app, surfaces)
    # 413 before anything parses an oversized body; inside SecurityHeaders so the
    # answer carries them (FastAPI's max_body_size would answer outside it).
    # The routes that import a file alone take up to max_upload_bytes.
    import_paths = (API_IMPORT_PATH, API_SESSION_IMPORT_PATH, PAGE_IMPORT_PATH)
    uploads = {("POST", path): settings.max_upload_bytes for path in import_paths}
    app.add_middleware(
        BodyLimit, max_bytes=settings.max_body_bytes, too_large=too_large_responder(surfaces), uploads=uploads
    )
    app.add_middleware(SecurityHeaders)
    return app


def create_app_from_env() -> FastAPI:
    """Factory for `uvicorn --factory` and for several workers."""
    app = create_app(Settings.from_env())
    _quieten_the_collector()
    return app


def _quieten_the_collector() -> None:
    """Shorter, rarer garbage-collector pauses in a serving worker.

    With 16 writers on one matrix the slowest 1% waited behind full
    collections that walked every object made at start (routes, models,
    compiled statements): p99 ~150 ms against a p50 of ~40 ms. Those
    objects live as long as the process, so they are frozen out of the
    collector's sight, and a request's short-lived objects are collected
    in larger batches. A server only: tests and the CLI keep the defaults.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)
