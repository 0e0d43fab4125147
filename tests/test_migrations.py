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


# Option descriptions the case study shipped with until revision 0008 rewrote them (what older databases hold).
SHIPPED_UP_TO_0007 = {
    "Military transport and facilities for detention and repatriation": (
        "Military aircraft, vehicles and bases are used to hold and return people who crossed illegally, "
        "freeing civilian agencies for other work."
    ),
}


def _insert_case_study_as_0004_left_it(connection, *, edit: bool = False) -> int:
    """The case study as loading it at revision 0004 stored it (no short names or scale meanings yet)."""
    from optionsmatrix.services.case_study import case_study_definition

    definition = case_study_definition()
    shipped = {**{o.name: o.description for o in definition.options}, **SHIPPED_UP_TO_0007}
    matrix_id = connection.execute(
        text(
            "INSERT INTO matrix (title, description, source, created_at, updated_at, is_public) "
            "VALUES (:t, :d, :s, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, :p) RETURNING id"
        ),
        {"t": definition.title, "d": definition.description, "s": definition.source, "p": True},
    ).scalar_one()
    for position, option in enumerate(definition.options):
        description = shipped[option.name] + (" (edited)" if edit and position == 2 else "")
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
        # 0005 filled the unedited one's labels; 0008 rewrote the logistics description both left as shipped.
        assert versions == {unedited: 3, edited: 2, 99: 1}
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


def test_upgrading_from_0006_keeps_every_row_and_never_hands_out_an_id_again(databases):
    """SQLite gave a new row the highest id plus one: the newest option, deleted, came back as a new one under
    the same id, and comparisons took it for the option a session had frozen. (PostgreSQL never reused one.)"""
    from sqlalchemy.exc import IntegrityError

    engine = create_db_engine(databases.new_url())
    migrate.upgrade(engine, "0006")
    with engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO instructor (id, email, is_admin, is_active, created_at) "
            "VALUES (1, 'a@example.org', true, true, CURRENT_TIMESTAMP)"
        ))
        connection.execute(text(
            "INSERT INTO matrix (id, title, description, source, created_at, updated_at, owner_id) "
            "VALUES (1, 'Budget', '', '', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1)"
        ))
        ids = [
            connection.execute(text(
                "INSERT INTO option (matrix_id, name, short_name, description, escalation_level, position, "
                "evidence) VALUES (1, :n, :s, '', 1, :p, '') RETURNING id"
            ), {"n": name, "s": name.split()[0], "p": position}).scalar()
            for position, name in enumerate(("Raise taxes", "Cut spending", "Borrow"))
        ]  # fmt: skip
        connection.execute(text(
            "INSERT INTO criterion (id, matrix_id, name, description, direction, weight, scale_min, scale_max, "
            "position, evidence) VALUES (1, 1, 'Fairness', '', 'benefit', 1, 1, 5, 0, '')"
        ))
        connection.execute(text("INSERT INTO score (option_id, criterion_id, value) VALUES (:o, 1, 4)"), {"o": ids[1]})
        connection.execute(text(
            "INSERT INTO seminar_session (id, owner_id, matrix_id, title, join_code, status, weight_mode, method, "
            "reveal_new_rounds, current_round, max_participants, version, created_at) "
            "VALUES (1, 1, 1, 'S', 'ABCDEF', 'open', 'fixed', 'wsm', false, 1, 500, 1, CURRENT_TIMESTAMP)"
        ))
        connection.execute(text(
            "INSERT INTO session_option (session_id, source_option_id, name, short_name, description, "
            "escalation_level, position, evidence) VALUES (1, :o, 'Borrow', '', '', 1, 0, '')"
        ), {"o": ids[2]})
        connection.execute(text("DELETE FROM option WHERE id = :o"), {"o": ids[2]})  # gone; a session names it

    migrate.upgrade(engine)

    with engine.begin() as connection:
        assert connection.execute(text("SELECT id, name FROM option ORDER BY id")).all() == [
            (ids[0], "Raise taxes"), (ids[1], "Cut spending")
        ]
        assert connection.execute(text("SELECT option_id, value FROM score")).all() == [(ids[1], 4.0)]
        new = connection.execute(text(
            "INSERT INTO option (matrix_id, name, description, escalation_level, position, evidence) "
            "VALUES (1, 'Print money', '', 1, 3, '') RETURNING id"
        )).scalar()
        assert new > ids[2]  # not the id the session's snapshot names
        connection.execute(text("DELETE FROM option WHERE id = :id"), {"id": new})
        again = connection.execute(text(
            "INSERT INTO option (matrix_id, name, description, escalation_level, position, evidence) "
            "VALUES (1, 'Print money', '', 1, 3, '') RETURNING id"
        )).scalar()
        assert again > new  # the newest row deleted: its id does not come back either
    for statement in (  # the constraints and indexes came through the rebuild
        "INSERT INTO option (matrix_id, name, short_name, description, escalation_level, position, evidence) "
        "VALUES (1, 'Other', 'Raise', '', 1, 9, '')",  # a short name is unique within its matrix (partial index)
        "INSERT INTO option (matrix_id, name, description, escalation_level, position, evidence) "
        "VALUES (1, 'Raise taxes', '', 1, 9, '')",  # so is a name
        "INSERT INTO option (matrix_id, name, description, escalation_level, position, evidence) "
        "VALUES (7, 'Orphan', '', 1, 9, '')",  # the matrix must exist
    ):
        with engine.begin() as connection, pytest.raises(IntegrityError):
            connection.execute(text(statement))
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM matrix WHERE id = 1"))  # its options and their scores go with it
        assert connection.execute(text("SELECT count(*) FROM score")).scalar() == 0

    migrate.downgrade(engine, "0006")
    assert migrate.current_revision(engine) == "0006"
    engine.dispose()


def test_upgrading_to_0008_rewrites_the_shipped_argument_for_an_option_and_leaves_an_edited_one(databases):
    from optionsmatrix.services.case_study import case_study_definition

    logistics = "Military transport and facilities for detention and repatriation"
    engine = create_db_engine(databases.new_url())
    migrate.upgrade(engine, "0007")
    with engine.begin() as connection:
        shipped = _insert_case_study_as_0004_left_it(connection)
        rewritten = _insert_case_study_as_0004_left_it(connection)
        connection.execute(text("UPDATE option SET description = 'Our own words.' WHERE matrix_id = :m AND name = :n"),
                           {"m": rewritten, "n": logistics})  # fmt: skip

    migrate.upgrade(engine)

    neutral = next(o.description for o in case_study_definition().options if o.name == logistics)
    with engine.connect() as connection:
        def described(matrix_id):
            return connection.execute(text("SELECT description FROM option WHERE matrix_id = :m AND name = :n"),
                                      {"m": matrix_id, "n": logistics}).scalar()  # fmt: skip

        assert described(shipped) == neutral and "freeing" not in neutral
        assert described(rewritten) == "Our own words."
        versions = dict(connection.execute(text("SELECT id, version FROM matrix")).all())
        assert versions[shipped] == versions[rewritten] + 1  # the edit is counted where it was made

    migrate.downgrade(engine, "0007")
    with engine.connect() as connection:
        assert described(shipped) == SHIPPED_UP_TO_0007[logistics]
    engine.dispose()
