"""Schema changes go only through Alembic, and starting several workers at once is safe."""

from concurrent.futures import ThreadPoolExecutor

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from optionsmatrix import migrate
from optionsmatrix.app import prepare_database
from optionsmatrix.db import create_db_engine
from optionsmatrix.models import metadata

APP_TABLES = {"matrix", "option", "criterion"}


def test_upgrade_from_empty_to_head_and_back_to_base(databases):
    engine = create_db_engine(databases.new_url())

    migrate.upgrade(engine)
    assert migrate.current_revision(engine) == migrate.head_revision()
    assert APP_TABLES <= set(inspect(engine).get_table_names())

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
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
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
    from optionsmatrix.db import normalize_database_url

    assert normalize_database_url("postgresql://u@h:5432/db").startswith("postgresql+psycopg://")
    assert normalize_database_url("postgres://u@h/db").startswith("postgresql+psycopg://")
    assert normalize_database_url("sqlite:///x.db") == "sqlite:///x.db"
