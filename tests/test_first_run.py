"""A new or upgraded installation ends with a usable instructor: the admin and a one-time link."""

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlmodel import Session, select

from optionsmatrix import cli
from optionsmatrix.app import create_app, prepare_database
from optionsmatrix.core import migrate
from optionsmatrix.core.db import create_db_engine
from optionsmatrix.models import Instructor, Matrix, PasswordLink, utcnow
from optionsmatrix.settings import Settings
from tests.conftest import csrf_token_of

CASE_STUDY = "Military options at the U.S.–Mexico border (Heritage Foundation, 2025)"
NEW_PASSWORD = "a long new password"


@pytest.fixture
def fresh_engine(databases):
    engine = create_db_engine(databases.new_url())
    yield engine
    engine.dispose()


def _set_password(client, secret, password=NEW_PASSWORD, confirm=None):
    return client.post(
        f"/setup/{secret}",
        data={"password": password, "confirm": confirm or password, "csrf_token": csrf_token_of(client)},
        follow_redirects=False,
    )


def _client(engine):
    settings = Settings(database_url=engine.url.render_as_string(hide_password=False), fast_password_hashing=True)
    return TestClient(create_app(settings))


def test_a_new_installation_gets_an_admin_a_link_and_the_case_study_owned_by_the_admin(fresh_engine):
    first_run = prepare_database(fresh_engine, seed=True, issue_link=True)

    assert first_run.admin.email == "admin@localhost" and first_run.admin.is_admin
    assert first_run.link_secret
    with Session(fresh_engine) as session:
        (case_study,) = session.exec(select(Matrix)).all()
        assert (case_study.title, case_study.is_public, case_study.owner_id) == (CASE_STUDY, True, first_run.admin.id)


def test_the_link_sets_the_password_logs_in_and_works_only_once(fresh_engine):
    secret = prepare_database(fresh_engine, seed=True, issue_link=True).link_secret
    with _client(fresh_engine) as client:
        assert "admin@localhost" in client.get(f"/setup/{secret}").text

        response = _set_password(client, secret)

        assert response.status_code == 303
        assert "Log out" in client.get("/").text
        assert _set_password(client, secret).status_code == 404


def test_the_link_refuses_a_short_or_mismatched_password(fresh_engine):
    secret = prepare_database(fresh_engine, seed=True, issue_link=True).link_secret
    with _client(fresh_engine) as client:
        assert _set_password(client, secret, password="short").status_code == 422
        assert _set_password(client, secret, confirm="something else entirely").status_code == 422
        assert _set_password(client, secret).status_code == 303  # still usable after the refusals


def test_an_expired_link_is_refused(fresh_engine):
    secret = prepare_database(fresh_engine, seed=True, issue_link=True).link_secret
    with Session(fresh_engine) as session:
        for link in session.exec(select(PasswordLink)).all():
            link.expires_at = utcnow() - timedelta(seconds=1)
            session.add(link)
        session.commit()
    with _client(fresh_engine) as client:
        assert client.get(f"/setup/{secret}").status_code == 404


def test_once_the_admin_has_a_password_no_more_links_are_printed(fresh_engine):
    secret = prepare_database(fresh_engine, seed=True, issue_link=True).link_secret
    with _client(fresh_engine) as client:
        _set_password(client, secret)

    assert prepare_database(fresh_engine, seed=True, issue_link=True).link_secret is None


def test_the_admin_email_can_be_chosen(fresh_engine):
    first_run = prepare_database(fresh_engine, seed=True, issue_link=True, admin_email="Teacher@School.example")

    assert first_run.admin.email == "teacher@school.example"


def test_a_database_from_before_accounts_gets_an_admin_who_owns_its_matrices(fresh_engine):
    migrate.upgrade(fresh_engine, "0001")
    with fresh_engine.begin() as connection:
        for title in (CASE_STUDY, "Our budget"):
            connection.execute(
                text("INSERT INTO matrix (title, description, source, created_at, updated_at) "
                     "VALUES (:title, '', '', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"),
                {"title": title},
            )

    first_run = prepare_database(fresh_engine, seed=True, issue_link=True)

    assert first_run.link_secret and first_run.admin.email == "admin@localhost"
    with Session(fresh_engine) as session:
        matrices = {m.title: m for m in session.exec(select(Matrix)).all()}
        assert set(matrices) == {CASE_STUDY, "Our budget"}  # nothing lost, no second case study
        assert {m.owner_id for m in matrices.values()} == {first_run.admin.id}
        assert (matrices[CASE_STUDY].is_public, matrices["Our budget"].is_public) == (True, False)
        assert len(session.exec(select(Instructor)).all()) == 1


def test_admin_link_command_prints_a_fresh_working_link(fresh_engine, capsys):
    url = fresh_engine.url.render_as_string(hide_password=False)

    assert cli.main(["admin-link", "--database-url", url, "--base-url", "http://seminar.example:8000"]) == 0

    printed = capsys.readouterr().out
    secret = printed.rsplit("/setup/", 1)[1].strip()
    assert "http://seminar.example:8000/setup/" in printed
    with _client(fresh_engine) as client:
        assert _set_password(client, secret).status_code == 303


def test_admin_link_uses_the_base_url_serve_stored(fresh_engine, capsys):
    from optionsmatrix.app import prepare_database
    from optionsmatrix.services.app_settings import remember_base_url

    url = fresh_engine.url.render_as_string(hide_password=False)
    prepare_database(fresh_engine, seed=False)  # as `serve` does before it stores the address
    with Session(fresh_engine) as session:
        remember_base_url(session, "https://seminar.example.org/", replace=False)
        # A later start without --base-url keeps the first one; --base-url replaces it.
        assert remember_base_url(session, "http://127.0.0.1:9000", replace=False) == "https://seminar.example.org"

    assert cli.main(["admin-link", "--database-url", url]) == 0

    printed = capsys.readouterr().out
    assert "https://seminar.example.org/setup/" in printed
    assert cli.main(["admin-link", "--database-url", url, "--base-url", "http://other.example"]) == 0
    assert "http://other.example/setup/" in capsys.readouterr().out


def test_admin_link_without_a_stored_base_url_falls_back_to_localhost(fresh_engine, capsys):
    url = fresh_engine.url.render_as_string(hide_password=False)

    assert cli.main(["admin-link", "--database-url", url]) == 0

    assert "http://127.0.0.1:8000/setup/" in capsys.readouterr().out


def test_instructor_and_token_commands_for_scripts(fresh_engine, capsys, monkeypatch):
    import io

    url = fresh_engine.url.render_as_string(hide_password=False)
    monkeypatch.setattr("sys.stdin", io.StringIO("a script's password\n"))
    assert cli.main(["instructor", "create", "Script@Example.org", "--password-stdin", "--database-url", url]) == 0
    capsys.readouterr()

    assert (
        cli.main(
            ["token", "create", "script@example.org", "--name", "ci", "--expires-days", "7", "--database-url", url]
        )
        == 0
    )

    token = capsys.readouterr().out.strip()
    assert "\n" not in token and len(token) >= 43
    with _client(fresh_engine) as client:
        response = client.get("/api/v1/tokens", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200 and response.json()[0]["name"] == "ci"


def test_instructor_create_refuses_a_short_password(fresh_engine, capsys, monkeypatch):
    import io

    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    url = fresh_engine.url.render_as_string(hide_password=False)

    assert cli.main(["instructor", "create", "a@example.org", "--password-stdin", "--database-url", url]) == 2
    assert "at least 10 characters" in capsys.readouterr().err


def test_an_upgraded_database_lowercases_the_admin_email(fresh_engine):
    migrate.upgrade(fresh_engine, "0001")
    with fresh_engine.begin() as connection:
        connection.execute(text("INSERT INTO matrix (title, description, source, created_at, updated_at) "
                                "VALUES ('M', '', '', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))

    first_run = prepare_database(fresh_engine, seed=True, issue_link=True, admin_email=" Admin@Example.ORG ")

    assert first_run.admin.email == "admin@example.org"
