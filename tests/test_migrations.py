"""Schema changes go only through Alembic, and starting several workers at once is safe."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from optionsmatrix.app import prepare_database
from optionsmatrix.core import migrate
from optionsmatrix.core.db import DEFAULT_LIMITS, create_db_engine
from optionsmatrix.models import metadata

APP_TABLES = {"matrix", "option", "criterion", "score"}


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


def _insert_case_study_as_0004_left_it(connection, *, edit: bool = False) -> int:
    """The case study as loading it at revision 0004 stored it (no short names or scale meanings yet)."""
    from optionsmatrix.services.case_study import case_study_definition

    definition = case_study_definition()
    matrix_id = connection.execute(
        text(
            "INSERT INTO matrix (title, description, source, created_at, updated_at, is_public) "
            "VALUES (:t, :d, :s, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, :p) RETURNING id"
        ),
        {"t": definition.title, "d": definition.description, "s": definition.source, "p": True},
    ).scalar_one()
    for position, option in enumerate(definition.options):
        description = option.description + (" (edited)" if edit and position == 2 else "")
        connection.execute(
            text(
                "INSERT INTO option (matrix_id, name, description, escalation_level, position, evidence) "
                "VALUES (:m, :n, :d, :l, :p, :e)"
            ),
            {"m": matrix_id, "n": option.name, "d": description, "l": option.escalation_level, "p": position,
             "e": option.evidence},
        )  # fmt: skip
    for position, criterion in enumerate(definition.criteria):
        connection.execute(
            text(
                "INSERT INTO criterion (matrix_id, name, description, direction, weight, scale_min, scale_max, "
                "position, evidence) VALUES (:m, :n, :d, :dir, :w, :lo, :hi, :p, :e)"
            ),
            {"m": matrix_id, "n": criterion.name, "d": criterion.description, "dir": criterion.direction,
             "w": criterion.weight, "lo": criterion.scale_min, "hi": criterion.scale_max, "p": position,
             "e": criterion.evidence},
        )  # fmt: skip
    return matrix_id


def test_upgrading_from_0004_fills_an_unedited_case_study_and_leaves_an_edited_one_alone(databases):
    from optionsmatrix.services.case_study import case_study_definition

    engine = create_db_engine(databases.new_url())
    migrate.upgrade(engine, "0004")
    with engine.begin() as connection:
        unedited = _insert_case_study_as_0004_left_it(connection)
        edited = _insert_case_study_as_0004_left_it(connection, edit=True)
        connection.execute(text(
            "INSERT INTO matrix (id, title, description, source, created_at, updated_at) "
            "VALUES (99, 'Budget', '', '', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
        ))
        connection.execute(text("INSERT INTO option (matrix_id, name, description, escalation_level, position, "
                                "evidence) VALUES (99, 'Raise taxes', '', 2, 0, '')"))  # fmt: skip

    migrate.upgrade(engine)

    definition = case_study_definition()
    with engine.connect() as connection:
        def labels(matrix_id):
            options = connection.execute(
                text("SELECT short_name FROM option WHERE matrix_id = :m ORDER BY position"), {"m": matrix_id}
            ).scalars().all()
            criteria = connection.execute(
                text("SELECT short_name, scale_low_label, scale_high_label FROM criterion WHERE matrix_id = :m "
                     "ORDER BY position"), {"m": matrix_id}
            ).all()  # fmt: skip
            return options, [tuple(c) for c in criteria]

        # The migration's values are the shipped case study's: a new installation and an upgraded one agree.
        assert labels(unedited) == (
            [o.short_name for o in definition.options],
            [(c.short_name, c.scale_low_label, c.scale_high_label) for c in definition.criteria],
        )
        assert labels(edited) == ([""] * 5, [("", "", "")] * 8)
        assert connection.execute(text("SELECT short_name FROM option WHERE matrix_id = 99")).scalar() == ""
        versions = dict(connection.execute(text("SELECT id, version FROM matrix")).all())
        assert versions == {unedited: 2, edited: 1, 99: 1}
        assert connection.execute(text("SELECT count(*) FROM share_link")).scalar() == 0

    migrate.downgrade(engine, "0004")
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM option")).scalar() == 11
        assert "short_name" not in {c["name"] for c in inspect(connection).get_columns("option")}
        assert "share_link" not in inspect(connection).get_table_names()
    engine.dispose()


def test_the_short_name_index_lets_empty_short_names_repeat_but_not_set_ones(engine):
    from sqlalchemy.exc import IntegrityError

    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO matrix (id, title, description, source, created_at, updated_at) "
            "VALUES (1, 'M', '', '', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
        ))
        for position, (name, short) in enumerate([("A", ""), ("B", ""), ("C", "S")]):
            connection.execute(
                text("INSERT INTO option (matrix_id, name, short_name, description, escalation_level, position, "
                     "evidence) VALUES (1, :n, :s, '', 1, :p, '')"), {"n": name, "s": short, "p": position}
            )  # fmt: skip
    with engine.begin() as connection, pytest.raises(IntegrityError):
        connection.execute(text("INSERT INTO option (matrix_id, name, short_name, description, escalation_level, "
                                "position, evidence) VALUES (1, 'D', 'S', '', 1, 3, '')"))  # fmt: skip


def test_upgrading_from_0005_adds_an_empty_score_table_that_cascades_and_downgrading_drops_it(databases):
    from sqlalchemy.exc import IntegrityError

    engine = create_db_engine(databases.new_url())
    migrate.upgrade(engine, "0005")
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO matrix (id, title, description, source, created_at, updated_at) "
            "VALUES (1, 'Budget', '', '', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
        ))
        for option_id, name in ((1, "Raise taxes"), (2, "Cut spending")):
            connection.execute(text(
                "INSERT INTO option (id, matrix_id, name, description, escalation_level, position, evidence) "
                "VALUES (:id, 1, :n, '', 1, :id, '')"
            ), {"id": option_id, "n": name})
        connection.execute(text(
            "INSERT INTO criterion (id, matrix_id, name, description, direction, weight, scale_min, scale_max, "
            "position, evidence) VALUES (1, 1, 'Fairness', '', 'benefit', 1, 1, 5, 0, '')"
        ))

    migrate.upgrade(engine)

    with engine.begin() as connection:
        assert connection.execute(text("SELECT count(*) FROM score")).scalar() == 0  # no matrix gains scores
        connection.execute(text("INSERT INTO score (option_id, criterion_id, value) VALUES (1, 1, 4), (2, 1, 2)"))
    with engine.begin() as connection, pytest.raises(IntegrityError):
        connection.execute(text("INSERT INTO score (option_id, criterion_id, value) VALUES (1, 1, 3)"))
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM option WHERE id = 1"))
        assert connection.execute(text("SELECT option_id FROM score")).scalars().all() == [2]
        connection.execute(text("DELETE FROM criterion WHERE id = 1"))
        assert connection.execute(text("SELECT count(*) FROM score")).scalar() == 0

    migrate.downgrade(engine, "0005")
    with engine.connect() as connection:
        assert "score" not in inspect(connection).get_table_names()
        assert connection.execute(text("SELECT name FROM option")).scalars().all() == ["Cut spending"]
    engine.dispose()


def test_partial_indexes_keep_their_condition_on_postgresql():
    from sqlalchemy.dialects import postgresql
    from sqlalchemy.schema import CreateIndex

    create_db_engine("postgresql://nobody@127.0.0.1:1/nothing").dispose()  # declares them; connects to nothing

    partial = {
        str(CreateIndex(index).compile(dialect=postgresql.dialect()))
        for table in metadata.tables.values()
        for index in table.indexes
        if index.dialect_options["sqlite"]["where"] is not None
    }
    assert partial == {
        "CREATE UNIQUE INDEX uq_option_matrix_id_short_name ON option (matrix_id, short_name) WHERE short_name <> ''",
        "CREATE UNIQUE INDEX uq_criterion_matrix_id_short_name ON criterion (matrix_id, short_name) "
        "WHERE short_name <> ''",
        "CREATE UNIQUE INDEX uq_seminar_session_open_join_code ON seminar_session (join_code) WHERE status = 'open'",
    }
