"""A real `optionsmatrix serve` in a child process, for load tests and benchmarks.

A child process, not a thread: the load generator must not share the
server's interpreter lock, or the measurement would be of both at once.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlmodel import Session

from optionsmatrix.core.db import create_db_engine, normalize_database_url
from optionsmatrix.core.security import password_hasher
from optionsmatrix.models import TokenKind
from optionsmatrix.services import accounts, tokens


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fresh_postgres_url(base_url: str) -> tuple[str, str]:
    """A URL that works in a new, empty schema of `base_url`'s database, and the schema's name."""
    schema = f"load_{uuid.uuid4().hex[:12]}"
    admin = create_db_engine(base_url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    url = make_url(normalize_database_url(base_url)).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False), schema


def drop_postgres_schema(base_url: str, schema: str) -> None:
    admin = create_db_engine(base_url)
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()


class ServerProcess:
    """`optionsmatrix serve` on a free port with its own database; the case study is matrix 1.

    `database` is "sqlite" (a file in a temporary folder) or a PostgreSQL URL
    (a fresh schema in it, dropped afterwards).
    """

    def __init__(self, database: str = "sqlite", *, workers: int = 1, env: dict[str, str] | None = None) -> None:
        self.workers = workers
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._folder = tempfile.TemporaryDirectory(prefix="optionsmatrix-server-")
        self._postgres_base = None if database == "sqlite" else database
        self._schema: str | None = None
        if self._postgres_base is None:
            self.database_url = f"sqlite:///{Path(self._folder.name) / 'optionsmatrix.db'}"
        else:
            self.database_url, self._schema = fresh_postgres_url(self._postgres_base)
        self._env = {**os.environ, **(env or {})}
        self._process: subprocess.Popen[bytes] | None = None
        self.log_path = Path(self._folder.name) / "server.log"

    @property
    def backend(self) -> str:
        return "sqlite" if self._postgres_base is None else "postgresql"

    def __enter__(self) -> ServerProcess:
        self._log = open(self.log_path, "wb")  # noqa: SIM115 - closed in __exit__
        self._start()
        return self

    def command(self) -> list[str]:
        """What starts the server (a subclass may start it another way, e.g. under gunicorn)."""
        return [
            sys.executable, "-m", "optionsmatrix", "serve",
            "--port", str(self.port), "--database-url", self.database_url, "--workers", str(self.workers),
        ]

    def _start(self) -> None:
        command = self.command()
        # A session of its own, so that crash() can kill the server and its workers together.
        self._process = subprocess.Popen(
            command, cwd=self._folder.name, env=self._env, stdout=self._log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        self.wait_until_healthy(60)

    def wait_until_healthy(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"the server exited: {self.log_path.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/api/v1/health", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"the server did not answer /api/v1/health within {seconds:g} s")

    # Crashes ---------------------------------------------------------------------------

    def crash(self) -> None:
        """`kill -9` the server and every worker it started: no shutdown, no cleanup, as when a machine dies."""
        assert self._process is not None
        os.killpg(self._process.pid, signal.SIGKILL)
        self._process.wait()

    def restart(self) -> None:
        """Start the server again on the same database and port, after crash()."""
        self._start()

    def worker_pids(self) -> list[int]:
        """The worker processes of a server started with several workers (uvicorn's supervisor is the parent)."""
        assert self._process is not None
        workers = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
                command = (stat.parent / "cmdline").read_bytes()
            except (OSError, IndexError, ValueError):
                continue  # gone meanwhile
            if parent == self._process.pid and b"spawn_main" in command:
                workers.append(int(stat.parent.name))
        return workers

    def kill_workers(self) -> list[int]:
        """`kill -9` every worker, leaving the supervisor, which starts new ones; returns the pids killed."""
        killed = self.worker_pids()
        for pid in killed:
            os.kill(pid, signal.SIGKILL)
        return killed

    def instructor_token(self, email: str = "load@example.org") -> str:
        """A bearer token of a new instructor, made directly in the server's database."""
        engine = create_db_engine(self.database_url)
        with Session(engine, expire_on_commit=False) as session:
            instructor = accounts.create_instructor(
                session, email=email, password="a password for load tests", hasher=password_hasher(fast=True)
            )
            secret = tokens.issue(session, instructor=instructor, kind=TokenKind.API, name="load").secret
        engine.dispose()
        return secret

    @property
    def pid(self) -> int:
        """The `optionsmatrix serve` process (with several workers, their parent)."""
        assert self._process is not None, "the server is not running"
        return self._process.pid

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def __exit__(self, *_exc: object) -> None:
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self._process.pid, signal.SIGKILL)  # the workers too, not only their supervisor
                self._process.wait()
        self._log.close()
        if self._postgres_base is not None and self._schema is not None:
            drop_postgres_schema(self._postgres_base, self._schema)
        self._folder.cleanup()
