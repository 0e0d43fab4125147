"""Schema changes go only through Alembic, and starting several workers at once is safe."""

from concurrent.futures import ThreadPoolExecutor

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from optionsmatrix.app import prepare_database
from optionsmatrix.core import migrate
from optionsmatrix.core.db import DEFAULT_LIMITS, create_db_engine
from optionsmatrix.models import metadata

APP_TABLES = {"matrix", "option", "criterion"}


def test_upgrade_from_empty_to_head_and_back_to_base(databases):
    engine = create_db_engine(databases.new_url())

    migrate.upgrade(engine)
    assert migrate.current_revision(engine) == migrate.head_revision()
    assert set(inspect(engine).get_table_names()) >= APP_TABLES

    migrate.downgrade(engine, "base")
    assert migrate.current_revision(engine) is None
    assert not APP_TABLES & set(inspect(engine).get_table_names())
    engine.dispose()


def test_models_and_migrations_agree(engine):
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata)

    assert differences == []


def test_sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout(databases):
    engine = create_db_engine(databases.new_url())
    if engine.dialect.name != "sqlite":
        engine.dispose()
        return
    migrate.upgrade(engine)  # migrations switch foreign keys off for a while; they must come back on
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        # Another process's writer is waited for as long as an in-process one (db.DatabaseLimits).
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == DEFAULT_LIMITS.lock_wait * 1000
    engine.dispose()


def test_several_workers_starting_at_once_migrate_once_and_load_one_case_study(databases):
    url = databases.new_url()

    def start_worker(_: int) -> None:
        engine = create_db_engine(url)
        try:
            prepare_database(engine, seed=True)
        finally:
            engine.dispose()

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(start_worker, range(4)))

    engine = create_db_engine(url)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM matrix")).scalar() == 1
    assert migrate.current_revision(engine) == migrate.head_revision()
    engine.dispose()


def test_plain_postgresql_urls_get_the_psycopg3_driver():
    from optionsmatrix.core.db import normalize_database_url

    assert normalize_database_url("postgresql://u@h:5432/db").startswith("postgresql+psycopg://")
    assert normalize_database_url("postgres://u@h/db").startswith("postgresql+psycopg://")
    assert normalize_database_url("sqlite:///x.db") == "sqlite:///x.db"


def test_upgrading_from_the_previous_revision_keeps_matrices_options_and_criteria(databases):
    engine = create_db_engine(databases.new_url())
    migrate.upgrade(engine, "0001")
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO matrix (id, title, description, source, created_at, updated_at) "
            "VALUES (1, 'Budget', 'd', 's', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
        ))
        connection.execute(text(
            "INSERT INTO option (matrix_id, name, description, escalation_level, position, evidence) "
            "VALUES (1, 'Raise taxes', '', 2, 0, 'quote')"
        ))
        connection.execute(
            text(
                "INSERT INTO criterion (matrix_id, name, description, direction, weight, scale_min, scale_max, "
                "position, evidence) "
                "VALUES (1, 'Fairness', '', 'benefit', 2.5, 0, 10, 0, '')"
            )
        )

    migrate.upgrade(engine)

    with engine.connect() as connection:
        assert connection.execute(text("SELECT title, is_public FROM matrix")).one() == ("Budget", False)
        assert connection.execute(text("SELECT name, escalation_level FROM option")).one() == ("Raise taxes", 2)
        assert connection.execute(text("SELECT weight, scale_max FROM criterion")).one() == (2.5, 10)
    migrate.downgrade(engine, "0001")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT title FROM matrix")).scalar() == "Budget"
    engine.dispose()
