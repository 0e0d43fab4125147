"""Database tables. Every persistent shape lives here and changes only through Alembic.

No `from __future__ import annotations` here: SQLModel resolves relationship
types at class creation, so forward references are written as strings.
"""

import enum
from datetime import UTC, datetime
from typing import Optional

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
    inspect,
    select,
    text,
)
from sqlalchemy.orm import object_session
from sqlmodel import Field, Relationship, SQLModel

from optionsmatrix.vocabulary import Direction  # the one definition of benefit / cost

# Stable constraint names so Alembic can drop and alter them, especially in
# SQLite batch mode, where unnamed constraints cannot be addressed.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata: MetaData = SQLModel.metadata

NAME_MAX = 200
TITLE_MAX = 200
SHORT_NAME_MAX = 40  # fits a table header or a chart label
SCALE_LABEL_MAX = 200


def _text_column(length: int) -> Column:
    """A NOT NULL string that rows written before the column existed hold as ''."""
    return Column(String(length), nullable=False, server_default="")


def _short_name_index(table: str) -> Index:
    """A short name, when set, names one item of its matrix (a partial index: '' repeats freely).

    The service enforces the fuller rule under the matrix's lock (regardless of
    case and Unicode form, and against the other items' full names, since a
    header shows one or the other); this is the database's backstop. Partial
    unique indexes work alike on SQLite and PostgreSQL (see seminar_session).
    """
    return _partial_unique_index(f"uq_{table}_matrix_id_short_name", "matrix_id", "short_name",
                                 where="short_name <> ''")  # fmt: skip


# SQLite gives a new row the highest id plus one, so the newest row's id came back after a delete;
# these tables' ids outlive their rows elsewhere (a session's snapshot, a file, a link). PostgreSQL's
# sequences never repeat. Migration 0007.
NEVER_REUSED_IDS = {"sqlite_autoincrement": True}

# Each partial index and its condition. SQLite's copy is declared with the index;
# PostgreSQL's only when a PostgreSQL engine is made (`declare_postgresql_conditions`),
# because naming `postgresql_where` loads SQLAlchemy's PostgreSQL dialect, 2 MiB of a
# worker that serves SQLite (issue 14). Both only shape DDL; migrations write their own.
_PARTIAL_INDEXES: list[tuple[Index, str]] = []


def _partial_unique_index(name: str, *columns: str, where: str) -> Index:
    index = Index(name, *columns, unique=True, sqlite_where=text(where))
    _PARTIAL_INDEXES.append((index, where))
    return index


def declare_postgresql_conditions() -> None:
    """Give every partial index its condition on PostgreSQL too (idempotent)."""
    for index, where in _PARTIAL_INDEXES:
        index.dialect_options["postgresql"]["where"] = text(where)


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """The same moment in UTC, with the offset stated.

    SQLite hands back naive datetimes even for timezone-aware columns (we only
    ever store UTC, so naive means UTC); PostgreSQL hands back aware ones in
    the connection's time zone, which need not be UTC.
    """
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _timestamp(*, nullable: bool = False) -> Column:
    return Column(DateTime(timezone=True), nullable=nullable)


class TokenKind(str, enum.Enum):
    API = "api"  # made by an instructor for a script; long-lived, listed, revocable
    LOGIN = "login"  # from POST /api/v1/auth/login; short-lived
    SESSION = "session"  # the browser's login cookie; never accepted as a bearer token


# Access ----------------------------------------------------------------------


class Instructor(SQLModel, table=True):
    __tablename__ = "instructor"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=320, sa_column_kwargs={"unique": True})
    # None until the account's owner sets a password through a one-time link.
    password_hash: str | None = Field(default=None, max_length=200)
    is_admin: bool = Field(default=False, sa_column=Column(Boolean, nullable=False, server_default=false()))
    is_active: bool = Field(default=True, sa_column=Column(Boolean, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_column=_timestamp())


class AuthToken(SQLModel, table=True):
    """A bearer token or a browser session. Only a SHA-256 digest of the secret is kept."""

    __tablename__ = "auth_token"
    __table_args__ = (CheckConstraint("kind IN ('api', 'login', 'session')", name="kind_known"),)

    id: int | None = Field(default=None, primary_key=True)
    instructor_id: int = Field(
        sa_column=Column(Integer, ForeignKey("instructor.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    kind: str = Field(max_length=10)
    name: str = Field(default="", max_length=200)
    digest: str = Field(max_length=64, sa_column_kwargs={"unique": True})
    created_at: datetime = Field(default_factory=utcnow, sa_column=_timestamp())
    last_used_at: datetime | None = Field(default=None, sa_column=_timestamp(nullable=True))
    expires_at: datetime | None = Field(default=None, sa_column=_timestamp(nullable=True))
    revoked_at: datetime | None = Field(default=None, sa_column=_timestamp(nullable=True))


class PasswordLink(SQLModel, table=True):
    """A one-time link to set a password (first run, new account, reset)."""

    __tablename__ = "password_link"

    id: int | None = Field(default=None, primary_key=True)
    instructor_id: int = Field(
        sa_column=Column(Integer, ForeignKey("instructor.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    digest: str = Field(max_length=64, sa_column_kwargs={"unique": True})
    created_at: datetime = Field(default_factory=utcnow, sa_column=_timestamp())
    expires_at: datetime = Field(sa_column=_timestamp())
    used_at: datetime | None = Field(default=None, sa_column=_timestamp(nullable=True))


class RateLimitEvent(SQLModel, table=True):
    """One attempt counted against a limit; in the database so every worker sees it."""

    __tablename__ = "rate_limit_event"
    __table_args__ = (Index("ix_rate_limit_event_key_at", "key", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=200)
    at: datetime = Field(default_factory=utcnow, sa_column=_timestamp())


class AppSetting(SQLModel, table=True):
    """Installation-wide values shared by all workers, e.g. the generated secret key."""

    __tablename__ = "app_setting"

    key: str = Field(sa_column=Column(String(100), primary_key=True))
    value: str = Field(sa_type=Text)


class Matrix(SQLModel, table=True):
    __tablename__ = "matrix"
    __table_args__ = (NEVER_REUSED_IDS,)

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=TITLE_MAX)
    description: str = Field(default="", sa_type=Text)
    source: str = Field(default="", sa_type=Text)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_timestamp())
    updated_at: datetime = Field(default_factory=utcnow, sa_column=_timestamp())
    # None for a matrix nobody owns (only admins may change it).
    owner_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("instructor.id", ondelete="SET NULL"), nullable=True, index=True),
    )
    # Readable by everyone (the list shows anonymous visitors only these).
    is_public: bool = Field(default=False, sa_column=Column(Boolean, nullable=False, server_default=false()))
    # Bumped in the same transaction as every change of the matrix or of its
    # options and criteria; a write sent with a stale `If-Match` is refused (409).
    version: int = Field(default=1, sa_column=Column(Integer, nullable=False, server_default=text("1")))

    options: list["Option"] = Relationship(
        back_populates="matrix",
        sa_relationship_kwargs={"order_by": "Option.position", "cascade": "all, delete-orphan"},
    )
    criteria: list["Criterion"] = Relationship(
        back_populates="matrix",
        sa_relationship_kwargs={"order_by": "Criterion.position", "cascade": "all, delete-orphan"},
    )
    # The read-only link, if any (the owner's page shows it).
    share_link: Optional["ShareLink"] = Relationship(
        back_populates="matrix", sa_relationship_kwargs={"uselist": False, "cascade": "all, delete-orphan"}
    )

    @property
    def stored_scores(self) -> dict[int, dict[int, float]]:
        """The owner's scores, option id → criterion id → score, in list order; only scored cells.

        Read fresh from the database at each use, as plain rows: a full matrix
        holds 10,000 scores, which as ORM objects took longer to load than the
        rest of the matrix together, on every write that locks it too.
        """
        kept = self.__dict__.get(_KEPT_SCORES)
        if kept is not None:
            return kept
        identity = inspect(self).identity
        if identity is None:
            return {}  # not stored yet: no scores either
        session = object_session(self)
        if session is None:  # an empty answer here would look like "no scores"
            raise RuntimeError("a matrix's stored scores are read through its database session, which has closed")
        rows = session.execute(
            select(Score.option_id, Score.criterion_id, Score.value)  # type: ignore[call-overload]
            .join(Option, Option.id == Score.option_id)  # type: ignore[arg-type]
            .join(Criterion, Criterion.id == Score.criterion_id)  # type: ignore[arg-type]
            .where(Option.matrix_id == identity[0])
            .order_by(Option.position, Option.id, Criterion.position, Criterion.id)
        )
        table: dict[int, dict[int, float]] = {}
        for option_id, criterion_id, value in rows:
            table.setdefault(option_id, {})[criterion_id] = value
        return table

    def keep_stored_scores(self, scores: dict[int, dict[int, float]]) -> None:
        """Answer `stored_scores` with `scores` from now on: for a matrix read once and kept, detached
        from its session (services/page_matrices.py), whose scores cannot be read afresh."""
        self.__dict__[_KEPT_SCORES] = scores
        self.__dict__[_KEPT_MEMO] = {}

    @property
    def kept_memo(self) -> dict[str, object] | None:
        """For a matrix kept between requests (`keep_stored_scores`), which nobody changes: a place for what
        pages derive from it, to derive it once. None for any other matrix, whose rows may still change."""
        return self.__dict__.get(_KEPT_MEMO)


# Not columns: SQLAlchemy and pydantic leave them alone.
_KEPT_SCORES = "_kept_stored_scores"
_KEPT_MEMO = "_kept_memo"


class Option(SQLModel, table=True):
    __tablename__ = "option"
    __table_args__ = (
        UniqueConstraint("matrix_id", "name", name="uq_option_matrix_id_name"),
        CheckConstraint("escalation_level >= 1", name="escalation_level_positive"),
        _short_name_index("option"),
        NEVER_REUSED_IDS,  # sessions name the option they froze by its id (`source_option_id`)
    )

    id: int | None = Field(default=None, primary_key=True)
    matrix_id: int = Field(
        sa_column=Column(Integer, ForeignKey("matrix.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    name: str = Field(max_length=NAME_MAX)
    # '' = none: headers and charts then show `name` (see services/labels.py).
    short_name: str = Field(default="", sa_column=_text_column(SHORT_NAME_MAX))
    description: str = Field(default="", sa_type=Text)
    escalation_level: int = Field(default=1)
    position: int = Field(default=0)
    evidence: str = Field(default="", sa_type=Text)

    matrix: Optional["Matrix"] = Relationship(back_populates="options")
    # The owner's scores of this option. The database deletes them with the option
    # (ON DELETE CASCADE); the ORM deletes the ones it has loaded, not fetching the rest.
    scores: list["Score"] = Relationship(
        back_populates="option", sa_relationship_kwargs={"cascade": "all, delete-orphan", "passive_deletes": True}
    )


class Criterion(SQLModel, table=True):
    __tablename__ = "criterion"
    __table_args__ = (
        UniqueConstraint("matrix_id", "name", name="uq_criterion_matrix_id_name"),
        CheckConstraint("direction IN ('benefit', 'cost')", name="direction_known"),
        CheckConstraint("weight >= 0", name="weight_non_negative"),
        CheckConstraint("scale_min < scale_max", name="scale_ordered"),
        _short_name_index("criterion"),
        NEVER_REUSED_IDS,
    )

    id: int | None = Field(default=None, primary_key=True)
    matrix_id: int = Field(
        sa_column=Column(Integer, ForeignKey("matrix.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    name: str = Field(max_length=NAME_MAX)
    short_name: str = Field(default="", sa_column=_text_column(SHORT_NAME_MAX))
    description: str = Field(default="", sa_type=Text)
    direction: str = Field(default=Direction.BENEFIT.value, max_length=10)
    weight: float = Field(default=1.0, sa_type=Float)
    scale_min: float = Field(default=1.0, sa_type=Float)
    scale_max: float = Field(default=5.0, sa_type=Float)
    # What the ends of the scale mean ("low risk", "high risk"); '' = not said.
    scale_low_label: str = Field(default="", sa_column=_text_column(SCALE_LABEL_MAX))
    scale_high_label: str = Field(default="", sa_column=_text_column(SCALE_LABEL_MAX))
    position: int = Field(default=0)
    evidence: str = Field(default="", sa_type=Text)

    matrix: Optional["Matrix"] = Relationship(back_populates="criteria")
    scores: list["Score"] = Relationship(
        back_populates="criterion", sa_relationship_kwargs={"cascade": "all, delete-orphan", "passive_deletes": True}
    )


class Score(SQLModel, table=True):
    """The matrix owner's own score of one option on one criterion (optional; no row = not scored).

    Both ends belong to the same matrix: services/matrix_scores.py writes them
    only under the matrix's lock. No matrix_id of its own, so a score cannot
    disagree with its option about which matrix it is in; a matrix's scores
    load with its options.
    """

    __tablename__ = "score"
    __table_args__ = (UniqueConstraint("option_id", "criterion_id", name="uq_score_option_id_criterion_id"),)

    id: int | None = Field(default=None, primary_key=True)
    # The unique constraint's index, option first, serves lookups by option.
    option_id: int = Field(sa_column=Column(Integer, ForeignKey("option.id", ondelete="CASCADE"), nullable=False))
    criterion_id: int = Field(
        sa_column=Column(Integer, ForeignKey("criterion.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    value: float = Field(sa_column=Column(Float, nullable=False))

    option: Optional["Option"] = Relationship(back_populates="scores")
    criterion: Optional["Criterion"] = Relationship(back_populates="scores")


class ShareLink(SQLModel, table=True):
    """A revocable read-only link to one matrix for people without an account; one per matrix at most.

    The secret itself is stored, not a digest: the owner's page and
    GET .../share-link show the link again so it can be copied later, which a
    digest could not. It only grants reading one matrix, which its owner could
    equally make public, and anyone who can read this table can read the
    matrix anyway. Replacing or revoking the link deletes the row.
    """

    __tablename__ = "share_link"

    id: int | None = Field(default=None, primary_key=True)
    matrix_id: int = Field(
        sa_column=Column(Integer, ForeignKey("matrix.id", ondelete="CASCADE"), nullable=False, unique=True)
    )
    secret: str = Field(max_length=64, sa_column_kwargs={"unique": True})
    created_at: datetime = Field(default_factory=utcnow, sa_column=_timestamp())

    matrix: Optional["Matrix"] = Relationship(back_populates="share_link")


# Seminar sessions ---------------------------------------------------------------
#
# A session freezes its matrix's options and criteria into rows of its own, so
# later edits of the matrix never change a session or its results. Ballots
# store their scores as JSON arrays in the snapshot's order (null where left
# empty): a round's ballots then load straight into one participants ×
# options × criteria numpy array.


class SeminarSession(SQLModel, table=True):
    """A room scoring one matrix together (not the database session, not a browser login)."""

    __tablename__ = "seminar_session"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'closed')", name="status_known"),
        CheckConstraint("weight_mode IN ('fixed', 'participant')", name="weight_mode_known"),
        # A join code names one session among those not closed.
        _partial_unique_index("uq_seminar_session_open_join_code", "join_code", where="status = 'open'"),
        NEVER_REUSED_IDS,
    )

    id: int | None = Field(default=None, primary_key=True)
    owner_id: int = Field(
        sa_column=Column(Integer, ForeignKey("instructor.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    # The matrix it was started from; kept only to compare its sessions later.
    matrix_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("matrix.id", ondelete="SET NULL"), nullable=True, index=True),
    )
    title: str = Field(max_length=TITLE_MAX)
    join_code: str = Field(max_length=6)
    status: str = Field(default="open", max_length=10)
    weight_mode: str = Field(default="fixed", max_length=12)
    method: str = Field(max_length=20)
    normalization: str | None = Field(default=None, max_length=20)
    reveal_new_rounds: bool = Field(default=False, sa_column=Column(Boolean, nullable=False, server_default=false()))
    current_round: int = Field(default=1)
    max_participants: int = Field(default=500)
    # Bumped by every instructor action (reveal, close, new round...), for the dashboard's ETag.
    version: int = Field(default=1)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_timestamp())


class SessionOption(SQLModel, table=True):
    __tablename__ = "session_option"

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(
        sa_column=Column(Integer, ForeignKey("seminar_session.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    source_option_id: int | None = Field(default=None)  # no foreign key: the option may be deleted later
    name: str = Field(max_length=NAME_MAX)
    short_name: str = Field(default="", max_length=NAME_MAX)
    description: str = Field(default="", sa_type=Text)
    escalation_level: int = Field(default=1)
    evidence: str = Field(default="", sa_type=Text)
    position: int = Field(default=0)


class SessionCriterion(SQLModel, table=True):
    __tablename__ = "session_criterion"

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(
        sa_column=Column(Integer, ForeignKey("seminar_session.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    source_criterion_id: int | None = Field(default=None)
    name: str = Field(max_length=NAME_MAX)
    short_name: str = Field(default="", max_length=NAME_MAX)
    description: str = Field(default="", sa_type=Text)
    direction: str = Field(default=Direction.BENEFIT.value, max_length=10)
    weight: float = Field(default=1.0, sa_type=Float)
    scale_min: float = Field(default=1.0, sa_type=Float)
    scale_max: float = Field(default=5.0, sa_type=Float)
    scale_low_label: str = Field(default="", max_length=NAME_MAX)
    scale_high_label: str = Field(default="", max_length=NAME_MAX)
    evidence: str = Field(default="", sa_type=Text)
    position: int = Field(default=0)


class SessionRound(SQLModel, table=True):
    __tablename__ = "session_round"
    __table_args__ = (UniqueConstraint("session_id", "number", name="uq_session_round_session_id_number"),)

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(
        sa_column=Column(Integer, ForeignKey("seminar_session.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    number: int
    revealed: bool = Field(default=False, sa_column=Column(Boolean, nullable=False, server_default=false()))
    opened_at: datetime = Field(default_factory=utcnow, sa_column=_timestamp())
    closed_at: datetime | None = Field(default=None, sa_column=_timestamp(nullable=True))


class Participant(SQLModel, table=True):
    """Someone who joined with the code: no account, known by a secret stored only as a digest."""

    __tablename__ = "participant"
    __table_args__ = (NEVER_REUSED_IDS,)

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(
        sa_column=Column(Integer, ForeignKey("seminar_session.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    display_name: str = Field(max_length=40)
    digest: str = Field(max_length=64, sa_column_kwargs={"unique": True})
    joined_at: datetime = Field(default_factory=utcnow, sa_column=_timestamp())


class Ballot(SQLModel, table=True):
    """One revision of one participant's judgement in one round; the highest version counts."""

    __tablename__ = "ballot"
    __table_args__ = (
        UniqueConstraint("participant_id", "round_id", "version", name="uq_ballot_participant_id_round_id_version"),
    )

    id: int | None = Field(default=None, primary_key=True)
    participant_id: int = Field(
        sa_column=Column(Integer, ForeignKey("participant.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    round_id: int = Field(
        sa_column=Column(Integer, ForeignKey("session_round.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    version: int
    # JSON arrays in snapshot order: scores m × n, weights n (participant mode), rationales m; null = empty.
    scores: str = Field(sa_type=Text)
    weights: str | None = Field(default=None, sa_type=Text)
    rationales: str = Field(default="[]", sa_type=Text)
    scored_cells: int = Field(default=0)
    complete: bool = Field(default=False, sa_column=Column(Boolean, nullable=False, server_default=false()))
    submitted_at: datetime = Field(default_factory=utcnow, sa_column=_timestamp())
