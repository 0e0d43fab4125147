"""Lookups shared by the page handlers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path

from optionsmatrix.api.deps import MAX_ID, SessionDep
from optionsmatrix.models import Matrix
from optionsmatrix.services.matrices import get_matrix

PageMatrixId = Annotated[int, Path(ge=1, le=MAX_ID)]


def page_matrix(matrix_id: PageMatrixId, session: SessionDep) -> Matrix:
    return get_matrix(session, matrix_id=matrix_id)


PageMatrix = Annotated[Matrix, Depends(page_matrix)]
