"""Shared fixtures: one migrated database per test run, emptied after every test.

SQLite by default; PostgreSQL when OPTIONSMATRIX_TEST_DATABASE_URL is set, in
a fresh schema created for this run and dropped at the end. Tests never
re-migrate the shared database: they truncate it.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session

from optionsmatrix.app import create_app
from optionsmatrix.core import migrate
from optionsmatrix.core.db import create_db_engine, normalize_database_url
from optionsmatrix.core.security import password_hasher
from optionsmatrix.models import Instructor, TokenKind, metadata
from optionsmatrix.services import accounts, tokens
from optionsmatrix.services.case_study import load_case_study
from optionsmatrix.settings import Settings
from optionsmatrix.web.guard import CSRF_HEADER, SESSION_COOKIE

TEST_DATABASE_URL = os.environ.get("OPTIONSMATRIX_TEST_DATABASE_URL")
ON_POSTGRES = bool(TEST_DATABASE_URL)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Browser tests drive their own server on SQLite; running them again on
    # the PostgreSQL leg would only repeat them.
    if ON_POSTGRES:
        skip = pytest.mark.skip(reason="browser tests run on the SQLite leg")
        for item in items:
            if "browser" in item.keywords:
                item.add_marker(skip)


class DatabaseFactory:
    """Makes fresh, empty databases (a file on SQLite, a schema on PostgreSQL)."""

    def __init__(self, tmp_path_factory: pytest.TempPathFactory) -> None:
        self._tmp = tmp_path_factory
        self._schemas: list[str] = []

    def new_url(self) -> str:
        if not ON_POSTGRES:
            return f"sqlite:///{self._tmp.mktemp('db') / 'optionsmatrix.db'}"
        schema = f"test_{uuid.uuid4().hex[:16]}"
        admin = create_db_engine(TEST_DATABASE_URL)  # type: ignore[arg-type]
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        admin.dispose()
        self._schemas.append(schema)
        url = make_url(normalize_database_url(TEST_DATABASE_URL))  # type: ignore[arg-type]
        return url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(hide_password=False)

    def drop_all(self) -> None:
        if not self._schemas:
            return
        admin = create_db_engine(TEST_DATABASE_URL)  # type: ignore[arg-type]
        with admin.begin() as connection:
            for schema in self._schemas:
                connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(scope="session")
def databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DatabaseFactory]:
    factory = DatabaseFactory(tmp_path_factory)
    yield factory
    factory.drop_all()


@pytest.fixture(scope="session")
def database_url(databases: DatabaseFactory) -> str:
    return databases.new_url()


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = create_db_engine(database_url)
    migrate.upgrade(engine)
    yield engine
    engine.dispose()


def _empty_all_tables(engine: Engine) -> None:
    tables = [table.name for table in reversed(metadata.sorted_tables)]
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                connection.execute(text(f'DELETE FROM "{table}"'))


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session:
        yield session


@pytest.fixture(autouse=True)
def _clean_database(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if "engine" in request.fixturenames:
        _empty_all_tables(request.getfixturevalue("engine"))


@pytest.fixture(scope="session")
def settings(database_url: str, engine: Engine) -> Settings:
    return Settings(
        database_url=database_url,
        migrate_on_start=False,
        seed_on_start=False,
        fast_password_hashing=True,
        secret_key="test-secret-key",
    )


@pytest.fixture(scope="session")
def app(settings: Settings) -> FastAPI:
    """One app for the run: it keeps no state between requests that the emptied tables do not
    (its engine, the generated secret key, which tests pin); building one per test cost more than most tests."""
    return create_app(settings)


PASSWORD = "correct horse battery staple"
FAST_HASHER = password_hasher(fast=True)


@pytest.fixture
def make_instructor(session: Session):  # noqa: ANN201
    """An active instructor with PASSWORD as password."""

    def make(email: str = "owner@example.org", *, is_admin: bool = False) -> Instructor:
        return accounts.create_instructor(
            session, email=email, is_admin=is_admin, password=PASSWORD, hasher=FAST_HASHER
        )

    return make


def log_in(client: TestClient, session: Session, instructor: Instructor) -> TestClient:
    """Give `client` a bearer token (for /api/v1) and a browser session with its CSRF token (for pages)."""
    api = tokens.issue(session, instructor=instructor, kind=TokenKind.API, name="tests")
    browser = tokens.issue(session, instructor=instructor, kind=TokenKind.SESSION)
    client.headers["Authorization"] = f"Bearer {api.secret}"
    client.cookies.set(SESSION_COOKIE, browser.secret)
    client.headers[CSRF_HEADER] = csrf_token_of(client)
    return client


def csrf_token_of(client: TestClient) -> str:
    page = client.get("/login")
    match = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert match, "the login page carries a CSRF token"
    return match.group(1)


@pytest.fixture
def owner(make_instructor) -> Instructor:  # noqa: ANN001
    return make_instructor("owner@example.org")


@pytest.fixture
def client(app: FastAPI, session: Session, owner: Instructor) -> Iterator[TestClient]:
    """Logged in as `owner`, an ordinary instructor, for both the API and the pages."""
    with TestClient(app) as test_client:
        yield log_in(test_client, session, owner)


@pytest.fixture
def anonymous(app: FastAPI) -> Iterator[TestClient]:
    """No credentials at all (it still picks up a CSRF cookie like any browser)."""
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def case_study_id(session: Session) -> int:
    return load_case_study(session).id  # type: ignore[return-value]


@pytest.fixture
def make_matrix(client: TestClient):  # noqa: ANN201
    """Create a matrix through the API, with sensible defaults for what a test does not care about."""

    def make(**fields: object) -> dict:
        body = {
            "title": "Library site",
            "options": [{"name": "Riverside"}, {"name": "Old town"}, {"name": "Campus"}],
            "criteria": [
                {"name": "Cost", "direction": "cost", "weight": 2},
                {"name": "Access", "direction": "benefit"},
            ],
        }
        body.update(fields)
        response = client.post("/api/v1/matrices", json=body)
        assert response.status_code == 201, response.text
        return response.json()

    return make


REPO_ROOT = Path(__file__).resolve().parent.parent
