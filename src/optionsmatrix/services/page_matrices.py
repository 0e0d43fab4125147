"""Matrices as the pages read them, kept between requests while nothing about them changes.

A matrix page and its scoring fragment (sent while someone types) read the
same matrix again and again: loading it with its options, criteria, link and
scores took four queries and a quarter of the fragment's time. Each request
now reads one short row, the matrix's *stamp*, and takes the matrix loaded
earlier if the stamp is the one it was loaded with. The stamp changes with
every change, whichever worker makes it:

- every edit of a matrix or of its options, criteria or scores bumps
  `version` in the edit's own transaction (`matrix_rows.claim_matrix`, `touch`);
- a new share link has a new secret (its row may reuse the old one's id),
  a revoked one none;
- a deleted owner sets `owner_id` to NULL;
- the creation time tells a new matrix from a deleted one whose id SQLite
  gave out again (both start at version 1; since migration 0007 SQLite
  never does, but a database restored from before it may hold such a pair).

The matrices kept are detached from any database session and shared by every
request of the worker, so they are for reading only: handlers that change a
matrix load their own (`matrix_rows.get_matrix`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, select
from sqlmodel import Session

from optionsmatrix.core.kept import WeightedLRU
from optionsmatrix.errors import NotFound
from optionsmatrix.models import Matrix, ShareLink
from optionsmatrix.services.matrix_rows import get_matrix

# Built once (see matrix_rows): everything that decides what a page shows besides the matrix's own rows.
_STAMP = (
    select(Matrix.created_at, Matrix.version, Matrix.owner_id, Matrix.is_public, ShareLink.secret)  # type: ignore[call-overload]
    .outerjoin(ShareLink, ShareLink.matrix_id == Matrix.id)  # type: ignore[arg-type]
    .where(Matrix.id == bindparam("matrix_id"))
)

Stamp = tuple[datetime, int, int | None, bool, str | None]


class PageMatrices:
    """The matrices pages read last in this worker, each under the stamp it was loaded with.

    Bounded by size, not count: a matrix weighs one per option, criterion and
    cell, and the least recently read go first once `capacity` is passed (the
    largest matrix, 200 × 50, weighs 10,250; the case study 53). What pages
    derive from a kept matrix stays with it (`Matrix.kept_memo`: the scoring
    form's frame, about one and a half times the matrix): the largest matrix
    and its frame take about 2.6 MB, so the default keeps at most ~13 MB.
    """

    def __init__(self, capacity: int = 50_000) -> None:
        self._kept: WeightedLRU[tuple[Stamp, Matrix]] = WeightedLRU(capacity)

    def read(self, session: Session, *, matrix_id: int) -> Matrix:
        """The matrix as stored now: the one kept, if its stamp still matches; else loaded and kept."""
        # On the session's connection, in its transaction, without the ORM's execution layer: plain columns.
        row = session.connection().execute(_STAMP, {"matrix_id": matrix_id}).first()
        if row is None:
            raise NotFound("Matrix", matrix_id)
        stamp: Stamp = tuple(row)  # type: ignore[assignment]
        kept = self._kept.get(matrix_id)
        if kept is not None and kept[0] == stamp:
            return kept[1]
        matrix = _load_detached(session, matrix_id)
        # Kept under its own stamp, read with it: if an edit landed between the two reads,
        # this copy is newer than `stamp` and the next request's stamp will match it.
        link = matrix.share_link.secret if matrix.share_link is not None else None
        own: Stamp = (matrix.created_at, matrix.version, matrix.owner_id, matrix.is_public, link)
        self._kept.put(matrix_id, (own, matrix), (len(matrix.options) + 1) * (len(matrix.criteria) + 1))
        return matrix

    @property
    def weight(self) -> int:
        return self._kept.weight

    def __len__(self) -> int:
        return len(self._kept)


def _load_detached(session: Session, matrix_id: int) -> Matrix:
    """The matrix with everything a page reads of it loaded, then let go of `session`."""
    matrix = get_matrix(session, matrix_id=matrix_id)
    scores = matrix.stored_scores  # read through the session while it is there
    session.expunge(matrix)  # its options, criteria and link go with it (cascade)
    matrix.keep_stored_scores(scores)
    return matrix
