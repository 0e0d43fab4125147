"""Which database errors mean "unreachable" (503, Retry-After 5) and which "busy" (503, Retry-After 1),
and that pages and the API answer each without a traceback, on either back end."""

from __future__ import annotations

import sqlite3
from dataclasses import replace

import psycopg
import pytest
from fastapi.testclient import TestClient
from psycopg import errors as pg_errors
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError

from optionsmatrix.app import create_app
from optionsmatrix.core.db import database_unreachable
from tests.conftest import ON_POSTGRES


def _sqlite_error(message: str, name: str) -> sqlite3.OperationalError:
    error = sqlite3.OperationalError(message)
    error.sqlite_errorname = name
    return error


@pytest.mark.parametrize(
    ("error", "unreachable"),
    [
        (OperationalError("SELECT 1", {}, psycopg.OperationalError("connection refused")), True),
        (OperationalError("SELECT 1", {}, pg_errors.AdminShutdown("terminating connection")), True),
        (OperationalError("SELECT 1", {}, pg_errors.ConnectionFailure("connection failure")), True),
        (InterfaceError("SELECT 1", {}, psycopg.InterfaceError("the connection is closed")), True),
        (OperationalError("SELECT 1", {}, pg_errors.LockNotAvailable("lock timeout")), False),
        (OperationalError("SELECT 1", {}, pg_errors.SerializationFailure("could not serialize")), False),
        (OperationalError("SELECT 1", {}, _sqlite_error("database is locked", "SQLITE_BUSY")), False),
        (OperationalError("SELECT 1", {}, _sqlite_error("unable to open database file", "SQLITE_CANTOPEN")), True),
        (IntegrityError("INSERT", {}, psycopg.IntegrityError("duplicate key")), False),
        (RuntimeError("not a database error"), False),
    ],
    ids=["refused", "admin-shutdown", "connection-failure", "closed", "lock-timeout", "serialization",
         "sqlite-busy", "sqlite-cantopen", "integrity", "other"],  # fmt: skip
)
def test_connection_failures_are_told_apart_from_a_busy_database(error, unreachable):
    assert database_unreachable(error) is unreachable


@pytest.fixture
def unreachable_app(settings, tmp_path):
    """The app on a database it cannot reach: an SQLite file in a folder that is not there, or a PostgreSQL
    port where nothing listens (the TCP-proxy test in test_database_down.py cuts a live one)."""
    url = "postgresql://postgres@127.0.0.1:1/test" if ON_POSTGRES else f"sqlite:///{tmp_path / 'gone' / 'x.db'}"
    with TestClient(create_app(replace(settings, database_url=url)), raise_server_exceptions=False) as client:
        yield client


def test_an_api_call_while_the_database_is_unreachable_is_a_503_json_with_retry_after(unreachable_app):
    response = unreachable_app.get("/api/v1/matrices/1")

    assert response.status_code == 503
    assert response.headers["retry-after"] == "5"
    assert response.json() == {"detail": "The database cannot be reached just now; please try again shortly."}


def test_a_page_while_the_database_is_unreachable_is_a_503_page_that_needs_no_database(unreachable_app):
    page = unreachable_app.get("/matrices/1")
    fragment = unreachable_app.get("/matrices/1", headers={"HX-Request": "true"})

    assert page.status_code == 503 and page.headers["retry-after"] == "5"
    assert "<h1>The database is not answering</h1>" in page.text and "Traceback" not in page.text
    assert fragment.status_code == 503 and fragment.headers["hx-retarget"] == "#page-alert"
    assert fragment.text == (
        '<p class="error-message" role="alert">The database cannot be reached just now; please try again shortly.</p>'
    )


def test_health_reports_an_unreachable_database_as_a_503(unreachable_app):
    response = unreachable_app.get("/api/v1/health")

    assert response.status_code == 503 and response.headers["retry-after"] == "5"
    assert response.json()["status"] == "unavailable"
