"""The built-in case study, shipped as data inside the package."""

from __future__ import annotations

import json

from sqlmodel import Session

from optionsmatrix.core.resources import CASE_STUDY_FILE
from optionsmatrix.models import Matrix
from optionsmatrix.schemas.matrices import MatrixCreate
from optionsmatrix.services.matrices import count_matrices, create_matrix

# Quotations are kept as a list in the data file; a matrix stores evidence as
# text, one quotation per paragraph, in quotation marks. The marks belong to
# the text, not the page: evidence an instructor adds may be a note of their
# own, which must not be dressed up as a quotation from the report.
EVIDENCE_SEPARATOR = "\n\n"


def case_study_definition() -> MatrixCreate:
    raw = json.loads(CASE_STUDY_FILE.read_text(encoding="utf-8"))
    for item in (*raw["options"], *raw["criteria"]):
        item["evidence"] = EVIDENCE_SEPARATOR.join(f"“{quote}”" for quote in item["evidence"])
    return MatrixCreate.model_validate(raw)


def load_case_study(session: Session, *, owner_id: int | None = None) -> Matrix:
    """Public, so everyone can read and copy it; only its owner (the first admin) and admins may change it."""
    return create_matrix(session, data=case_study_definition(), owner_id=owner_id, is_public=True)


def load_case_study_if_empty(session: Session, *, owner_id: int | None = None) -> Matrix | None:
    """First start: give a new installation something to look at."""
    if count_matrices(session) > 0:
        return None
    return load_case_study(session, owner_id=owner_id)
