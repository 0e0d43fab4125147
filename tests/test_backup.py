"""`optionsmatrix backup FILE` and `optionsmatrix restore FILE` on the suite's back end.

The source is filled through the API; the backup is restored into an empty
database (SQLite: a new file; PostgreSQL: a throwaway database, dropped
afterwards) and an app started on it must find every matrix, session and ballot.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import make_url

from optionsmatrix.app import create_app
from optionsmatrix.cli import main
from optionsmatrix.core import backup as backups
from optionsmatrix.core import migrate, pg_tools
from optionsmatrix.core.db import create_db_engine, normalize_database_url
from optionsmatrix.settings import Settings
from tests.conftest import ON_POSTGRES, TEST_DATABASE_URL
from tests.support.ballots import ballot_table_problems, join_participants, start_session, stream_ballots_until
from tests.support.load import run_async
from tests.support.server import ServerProcess


@pytest.fixture(scope="module")
def restore_database() -> Iterator[str | None]:
    """PostgreSQL: a throwaway database to restore into, dropped at the end (once per module: dropping a
    database forces a checkpoint, seconds on a busy machine)."""
    if not ON_POSTGRES:
        yield None
        return
    name = f"restore_{uuid.uuid4().hex[:12]}"
    _admin_execute(f'CREATE DATABASE "{name}"')
    yield name
    _admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def empty_database(tmp_path: Path, restore_database: str | None) -> Iterator[callable]:
    """Makes empty databases to restore into, on the suite's back end: a new SQLite file, or on PostgreSQL
    the throwaway database with `like_url`'s search_path, whose schema (made by the restore) goes afterwards."""
    made: list[str] = []

    def make(like_url: str) -> str:
        if not ON_POSTGRES:
            return f"sqlite:///{tmp_path / f'restored-{uuid.uuid4().hex[:8]}.db'}"
        url = make_url(normalize_database_url(like_url)).set(database=restore_database)
        made.append(url.render_as_string(hide_password=False))
        return made[-1]

    yield make
    for url in made:
        engine = create_db_engine(url)
        with engine.begin() as connection:
            schema = connection.execute(text("SHOW search_path")).scalar().split(",")[0].strip()
            connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        engine.dispose()


def _admin_execute(statement: str) -> None:
    admin = create_db_engine(TEST_DATABASE_URL)  # type: ignore[arg-type]
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(statement))
    admin.dispose()


def _fill_through_the_api(client: TestClient, make_matrix) -> dict:  # noqa: ANN001
    """Two matrices, a session on the second with three participants, two of whom submit (one twice)."""
    first = make_matrix(title="Library site")
    second = make_matrix(title="Flood barriers", options=[{"name": "Dyke"}, {"name": "Wetland"}])
    seminar = client.post(f"/api/v1/matrices/{second['id']}/sessions", json={}).json()
    ballots = {}
    for number, name in enumerate(["Ada", "Ben", "Cy"]):
        joined = client.post("/api/v1/sessions/join", json={"join_code": seminar["join_code"], "display_name": name})
        assert joined.status_code == 201, joined.text
        token = joined.json()["participant_token"]
        if name == "Cy":
            ballots[token] = None  # joined, never submitted
            continue
        for revision in range(2 if name == "Ada" else 1):
            scores = {
                str(o["id"]): {str(c["id"]): float(1 + (number + revision + i + j) % 5)
                               for j, c in enumerate(seminar["criteria"])}
                for i, o in enumerate(seminar["options"])
            }  # fmt: skip
            saved = client.put(f"/api/v1/sessions/{seminar['id']}/ballot", json={"scores": scores},
                               headers={"Authorization": f"Bearer {token}"})  # fmt: skip
            assert saved.status_code == 200, saved.text
        ballots[token] = scores
    return {"matrices": [first, second], "seminar": seminar, "ballots": ballots}


def _serve(url: str) -> TestClient:
    settings = Settings(database_url=url, migrate_on_start=False, seed_on_start=False, fast_password_hashing=True,
                        secret_key="test-secret-key")  # fmt: skip
    return TestClient(create_app(settings))


def _assert_all_there(url: str, owner_token: str, filled: dict) -> None:
    with _serve(url) as restored:
        owner = {"Authorization": f"Bearer {owner_token}"}
        for matrix in filled["matrices"]:
            assert restored.get(f"/api/v1/matrices/{matrix['id']}", headers=owner).json() == matrix
        seminar = filled["seminar"]
        got = restored.get(f"/api/v1/sessions/{seminar['id']}", headers=owner).json()
        assert (got["join_code"], got["options"], got["criteria"]) == (
            seminar["join_code"], seminar["options"], seminar["criteria"]
        )
        listed = restored.get(f"/api/v1/sessions/{seminar['id']}/participants", headers=owner).json()
        assert {p["display_name"]: (p["submitted"], p["complete"]) for p in listed["items"]} == {
            "Ada": (True, True), "Ben": (True, True), "Cy": (False, False)
        }
        for token, scores in filled["ballots"].items():
            participant = {"Authorization": f"Bearer {token}"}
            ballot = restored.get(f"/api/v1/sessions/{seminar['id']}/ballot", headers=participant)
            if scores is None:
                assert ballot.status_code == 404
            else:
                assert ballot.status_code == 200 and ballot.json()["scores"] == scores


def test_a_backup_restored_into_an_empty_database_has_every_matrix_session_and_ballot(
    client, make_matrix, database_url, empty_database, tmp_path, capsys
):
    filled = _fill_through_the_api(client, make_matrix)
    backup_file, target = tmp_path / "seminar.backup", empty_database(database_url)

    assert main(["backup", str(backup_file), "--database-url", database_url]) == 0  # the app is still running
    assert main(["restore", str(backup_file), "--database-url", target]) == 0

    out = capsys.readouterr().out
    assert "which is empty" in out
    assert out.endswith("restored: 2 matrices, 1 session, 3 participants, 3 ballots\n")
    _assert_all_there(target, client.headers["Authorization"].removeprefix("Bearer "), filled)


def test_restore_refuses_a_database_that_holds_data_unless_forced(
    client, make_matrix, database_url, empty_database, tmp_path, capsys
):
    _fill_through_the_api(client, make_matrix)
    backup_file, target = tmp_path / "seminar.backup", empty_database(database_url)
    assert main(["backup", str(backup_file), "--database-url", database_url]) == 0
    assert main(["restore", str(backup_file), "--database-url", target]) == 0
    with _serve(target) as restored:  # something happens in the restored database
        headers = {"Authorization": client.headers["Authorization"]}
        extra = restored.post("/api/v1/matrices", json={"title": "Made after the backup"}, headers=headers)
        assert extra.status_code == 201
    capsys.readouterr()

    assert main(["restore", str(backup_file), "--database-url", target]) == 1
    assert "holds data" in capsys.readouterr().err
    assert backups.count_rows(target)["matrix"] == 3

    assert main(["restore", str(backup_file), "--database-url", target, "--force"]) == 0
    assert "replaces everything" in capsys.readouterr().out
    assert backups.count_rows(target)["matrix"] == 2


def test_a_backup_of_an_older_schema_is_migrated_after_restoring(databases, empty_database, tmp_path, capsys):
    old_url = databases.new_url()
    old = create_db_engine(old_url)
    migrate.upgrade(old, "0004")
    old.dispose()
    backup_file, target = tmp_path / "old.backup", empty_database(old_url)

    assert main(["backup", str(backup_file), "--database-url", old_url]) == 0
    assert main(["restore", str(backup_file), "--database-url", target]) == 0

    assert f"migrated from revision 0004 to {migrate.head_revision()}" in capsys.readouterr().out
    engine = create_db_engine(target)
    assert migrate.current_revision(engine) == migrate.head_revision()
    engine.dispose()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"option,Cost\nRiverside,3\n", "is not an optionsmatrix backup"),
        (b"", "is not an optionsmatrix backup"),
        (b"PGDMP\x01\x0e\x00\x04\x08\x01\x01truncated", "cannot be read"),
        (b"SQLite format 3\x00" + b"\x00" * 84, "cannot be read as an SQLite database"),
    ],
    ids=["csv", "empty", "broken-pg-dump", "broken-sqlite"],
)
def test_a_file_that_is_not_a_backup_is_refused_with_exit_2_and_changes_nothing(
    client, make_matrix, database_url, tmp_path, capsys, content, message
):
    _fill_through_the_api(client, make_matrix)
    before = backups.count_rows(database_url)
    bogus = tmp_path / "not-a-backup"
    bogus.write_bytes(content)

    assert main(["restore", str(bogus), "--database-url", database_url, "--force"]) == 2

    err = capsys.readouterr().err
    assert message in err and err.rstrip().endswith("nothing was changed")
    assert backups.count_rows(database_url) == before


def test_an_sqlite_database_of_something_else_is_not_a_backup(database_url, tmp_path, capsys):
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE notes (body TEXT)")

    assert main(["restore", str(other), "--database-url", database_url]) == 2
    assert "is an SQLite database, but not one of optionsmatrix" in capsys.readouterr().err


@pytest.mark.skipif(not ON_POSTGRES, reason="needs both back ends")
def test_an_sqlite_backup_is_not_restored_into_postgresql(database_url, tmp_path, capsys):
    sqlite_url = f"sqlite:///{tmp_path / 'small.db'}"
    engine = create_db_engine(sqlite_url)
    migrate.upgrade(engine)
    engine.dispose()
    assert main(["backup", str(tmp_path / "small.backup"), "--database-url", sqlite_url]) == 0

    assert main(["restore", str(tmp_path / "small.backup"), "--database-url", database_url]) == 2
    err = capsys.readouterr().err
    assert "is a backup of an SQLite database, and the database to restore into is PostgreSQL" in err


def test_the_password_reaches_pg_tools_through_the_environment_not_the_command_line():
    conninfo, env = pg_tools.libpq_connection("postgresql://ann:s3cret%21@db.example.org:6543/om?sslmode=require")

    assert "s3cret" not in conninfo
    assert env["PGPASSWORD"] == "s3cret!"
    assert "host=db.example.org" in conninfo and "port=6543" in conninfo and "sslmode=require" in conninfo


def test_backup_will_not_overwrite_a_file_unless_forced(database_url, tmp_path, capsys):
    existing = tmp_path / "yesterday.backup"
    existing.write_bytes(b"yesterday's backup")

    assert main(["backup", str(existing), "--database-url", database_url]) == 1
    assert existing.read_bytes() == b"yesterday's backup"
    assert main(["backup", str(existing), "--database-url", database_url, "--force"]) == 0
    assert backups.inspect_backup(existing).revision == migrate.head_revision()


@pytest.mark.slow
def test_a_backup_taken_while_ballots_pour_in_is_whole_and_holds_every_ballot_acknowledged_before_it(
    empty_database, tmp_path
):
    backup_file = tmp_path / "live.backup"
    with ServerProcess(TEST_DATABASE_URL if ON_POSTGRES else "sqlite") as server:  # type: ignore[arg-type]
        seminar = start_session(server)
        ids = run_async(join_participants(server.url, seminar, 30))

        def back_up() -> None:
            backups.backup(server.database_url, backup_file)

        stream = run_async(stream_ballots_until(server.url, seminar, list(ids), acknowledged=60, interruption=back_up))
        target = empty_database(server.database_url)

    assert stream.refused == [] and stream.total_unknown == 0  # the server never noticed
    assert main(["restore", str(backup_file), "--database-url", target]) == 0
    assert sum(map(len, stream.acknowledged_before.values())) >= 60
    assert ballot_table_problems(target, seminar, stream.acknowledged_before, ids) == []


def test_a_database_that_cannot_be_reached_is_a_clear_message_not_a_traceback(engine, database_url, tmp_path, capsys):
    assert main(["backup", str(tmp_path / "b.backup"), "--database-url", database_url]) == 0
    unreachable = "postgresql://postgres@127.0.0.1:1/test" if ON_POSTGRES else f"sqlite:///{tmp_path / 'gone' / 'x.db'}"

    assert main(["backup", str(tmp_path / "c.backup"), "--database-url", unreachable]) == 1
    assert main(["restore", str(tmp_path / "b.backup"), "--database-url", unreachable]) == 1

    err = capsys.readouterr().err
    assert "Traceback" not in err and not (tmp_path / "c.backup").exists()
    assert err.count("optionsmatrix backup: ") == 1 and err.count("optionsmatrix restore: ") == 1


def test_missing_postgresql_tools_are_named_with_how_to_install_them(monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(pg_tools.shutil, "which", lambda _name: None)
    monkeypatch.setattr(pg_tools.glob, "glob", lambda _pattern: [])

    with pytest.raises(pg_tools.ToolFailed, match=r"\(pg_dump, pg_restore, psql\) are not on the PATH.*apt install"):
        pg_tools.postgresql_tools()
    if ON_POSTGRES:
        assert main(["backup", str(tmp_path / "x.backup"), "--database-url", TEST_DATABASE_URL]) == 1
        assert "apt install postgresql-client" in capsys.readouterr().err
