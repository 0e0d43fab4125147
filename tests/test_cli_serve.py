"""`optionsmatrix serve`: what it hands to uvicorn.

uvicorn.run is replaced by a recorder, so these tests see the exact keyword
arguments the command passes, then build uvicorn's own Config from them to
see what uvicorn would do with them.
"""

import logging
import os

import pytest
import uvicorn
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from optionsmatrix import cli
from optionsmatrix.settings import PREPARED_BY_SERVE, Settings
from tests.conftest import ON_POSTGRES


@pytest.fixture
def uvicorn_runs(monkeypatch, databases):
    """Every call `serve` makes to uvicorn.run, as (args, kwargs); the database is a fresh one."""
    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: calls.append((args, kwargs)))
    monkeypatch.setenv("OPTIONSMATRIX_DATABASE_URL", databases.new_url())
    monkeypatch.delenv("FORWARDED_ALLOW_IPS", raising=False)  # uvicorn's own fallback for a None
    monkeypatch.setenv(PREPARED_BY_SERVE, "")  # restored after the test, whatever `serve` sets
    return calls


def _loaded_app(args, kwargs):
    config = uvicorn.Config(*args, **kwargs)
    config.load()
    return config.loaded_app


def test_serve_does_not_trust_forwarded_headers_unless_told_to(uvicorn_runs, capsys):
    assert cli.main(["serve", "--port", "8123"]) == 0

    [(args, kwargs)] = uvicorn_runs
    # uvicorn's own default is proxy_headers=True, trusting X-Forwarded-For from 127.0.0.1:
    # behind nothing, a local client could then pick any address and dodge the login rate limit.
    assert kwargs["proxy_headers"] is False
    assert kwargs["forwarded_allow_ips"] is None
    assert (args, kwargs["factory"], kwargs["port"]) == (("optionsmatrix.app:create_app_from_env",), True, 8123)
    assert not isinstance(_loaded_app(args, kwargs), ProxyHeadersMiddleware)


def test_serve_trusts_forwarded_headers_from_exactly_the_proxies_it_is_given(uvicorn_runs, capsys):
    assert cli.main(["serve", "--forwarded-allow-ips", "10.1.2.3,10.1.2.4"]) == 0

    [(args, kwargs)] = uvicorn_runs
    assert kwargs["proxy_headers"] is True
    assert kwargs["forwarded_allow_ips"] == "10.1.2.3,10.1.2.4"
    app = _loaded_app(args, kwargs)
    assert isinstance(app, ProxyHeadersMiddleware)
    assert "10.1.2.3" in app.trusted_hosts and "10.1.2.4" in app.trusted_hosts
    assert "127.0.0.1" not in app.trusted_hosts


def test_serve_logs_every_line_with_the_pid_of_the_worker_that_wrote_it(uvicorn_runs, capsys):
    assert cli.main(["serve", "--workers", "1"]) == 0

    [(_args, kwargs)] = uvicorn_runs
    formats = {name: f["fmt"] for name, f in kwargs["log_config"]["formatters"].items()}
    assert set(formats) == {"default", "access"} and all("[worker %(process)d]" in f for f in formats.values())
    record = logging.LogRecord("uvicorn.error", logging.INFO, __file__, 1, "Started", None, None)
    assert f"[worker {os.getpid()}] Started" in logging.Formatter(formats["default"].replace("%(levelprefix)s ", "")
                                                                  ).format(record)  # fmt: skip


def test_serve_refuses_several_workers_on_sqlite_and_points_to_postgresql(monkeypatch, tmp_path, capsys):
    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: calls.append(kwargs))
    database = tmp_path / "refused.db"

    assert cli.main(["serve", "--workers", "2", "--database-url", f"sqlite:///{database}"]) == 2

    assert calls == []  # nothing started
    assert not database.exists()  # nor migrated
    message = capsys.readouterr().err
    assert "--workers 2 needs PostgreSQL" in message and "postgresql://" in message


def test_serve_starts_one_worker_on_sqlite(uvicorn_runs, capsys):
    assert cli.main(["serve", "--workers", "1"]) == 0

    [(_args, kwargs)] = uvicorn_runs
    assert kwargs["workers"] == 1


@pytest.mark.skipif(not ON_POSTGRES, reason="several workers need PostgreSQL")
def test_serve_starts_several_workers_on_postgresql(uvicorn_runs, capsys):
    assert cli.main(["serve", "--workers", "3"]) == 0

    [(_args, kwargs)] = uvicorn_runs
    assert kwargs["workers"] == 3


def test_serve_tells_its_workers_that_it_prepared_their_database_and_only_that_one(uvicorn_runs, monkeypatch, capsys):
    assert cli.main(["serve"]) == 0

    # The workers read their settings from the environment `serve` leaves them.
    assert Settings.from_env().prepared_by_serve is True
    assert Settings.from_env(database_url="sqlite:///another.db").prepared_by_serve is False
    monkeypatch.setenv("OPTIONSMATRIX_DATABASE_URL", "sqlite:///another.db")
    assert Settings.from_env().prepared_by_serve is False


def test_serve_prints_the_one_time_setup_link_of_a_fresh_database_prepared_by_a_child_process(uvicorn_runs, capsys):
    assert cli.main(["serve", "--port", "8124"]) == 0

    printed = capsys.readouterr().out
    assert "is running at http://127.0.0.1:8124/" in printed
    assert "Set the password for admin@localhost here" in printed and "http://127.0.0.1:8124/setup/" in printed


def test_serve_keeps_the_stored_base_url_unless_given_another(uvicorn_runs, capsys):
    assert cli.main(["serve", "--base-url", "https://seminar.example.org/"]) == 0
    assert "is running at https://seminar.example.org/" in capsys.readouterr().out

    assert cli.main(["serve", "--port", "8125"]) == 0  # where this start listens, but the stored one stays
    assert "is running at http://127.0.0.1:8125/" in capsys.readouterr().out
    assert cli.main(["admin-link"]) == 0
    assert "https://seminar.example.org/setup/" in capsys.readouterr().out


def test_serve_says_why_it_cannot_prepare_the_database_and_starts_nothing(monkeypatch, tmp_path, capsys):
    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: calls.append(kwargs))

    assert cli.main(["serve", "--database-url", f"sqlite:///{tmp_path / 'no-such-folder' / 'x.db'}"]) == 1

    assert calls == []
    assert "optionsmatrix: cannot prepare the database: " in capsys.readouterr().err
