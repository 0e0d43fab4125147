"""Database tables. Every persistent shape lives here and changes only through Alembic.

No `from __future__ import annotations` here: SQLModel resolves relationship
types at class creation, so forward references are written as strings.
"""

import enum
from typing import Optional
from datetime import UTC, datetime

from sqlalchemy import CheckConstraint, Column, DateTime, Float, ForeignKey, Integer, MetaData, Text, UniqueConstraint
from sqlmodel import Field, Relationship, SQLModel

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


def utcnow() -> datetime:
    return datetime.now(UTC)


class Direction(str, enum.Enum):
    BENEFIT = "benefit"
    COST = "cost"


def _timestamp() -> Column:
    return Column(DateTime(timezone=True), nullable=False)


class Matrix(SQLModel, table=True):
    __tablename__ = "matrix"

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=TITLE_MAX)
    description: str = Field(default="", sa_type=Text)
    source: str = Field(default="", sa_type=Text)
    created_at: datetime = Field(default_factory=utcnow, sa_column=_timestamp())
    updated_at: datetime = Field(default_factory=utcnow, sa_column=_timestamp())

    options: list["Option"] = Relationship(
        back_populates="matrix",
        sa_relationship_kwargs={"order_by": "Option.position", "cascade": "all, delete-orphan"},
    )
    criteria: list["Criterion"] = Relationship(
        back_populates="matrix",
        sa_relationship_kwargs={"order_by": "Criterion.position", "cascade": "all, delete-orphan"},
    )


class Option(SQLModel, table=True):
    __tablename__ = "option"
    __table_args__ = (
        UniqueConstraint("matrix_id", "name", name="uq_option_matrix_id_name"),
        CheckConstraint("escalation_level >= 1", name="escalation_level_positive"),
    )

    id: int | None = Field(default=None, primary_key=True)
    matrix_id: int = Field(
        sa_column=Column(Integer, ForeignKey("matrix.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    name: str = Field(max_length=NAME_MAX)
    description: str = Field(default="", sa_type=Text)
    escalation_level: int = Field(default=1)
    position: int = Field(default=0)
    evidence: str = Field(default="", sa_type=Text)

    matrix: Optional["Matrix"] = Relationship(back_populates="options")


class Criterion(SQLModel, table=True):
    __tablename__ = "criterion"
    __table_args__ = (
        UniqueConstraint("matrix_id", "name", name="uq_criterion_matrix_id_name"),
        CheckConstraint("direction IN ('benefit', 'cost')", name="direction_known"),
        CheckConstraint("weight >= 0", name="weight_non_negative"),
        CheckConstraint("scale_min < scale_max", name="scale_ordered"),
    )

    id: int | None = Field(default=None, primary_key=True)
    matrix_id: int = Field(
        sa_column=Column(Integer, ForeignKey("matrix.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    name: str = Field(max_length=NAME_MAX)
    description: str = Field(default="", sa_type=Text)
    direction: str = Field(default=Direction.BENEFIT.value, max_length=10)
    weight: float = Field(default=1.0, sa_type=Float)
    scale_min: float = Field(default=1.0, sa_type=Float)
    scale_max: float = Field(default=5.0, sa_type=Float)
    position: int = Field(default=0)
    evidence: str = Field(default="", sa_type=Text)

    matrix: Optional["Matrix"] = Relationship(back_populates="criteria")
