"""Routes for an ordered, named list inside a matrix: its options or its criteria.

Both lists obey the same rules (services/items.py) and are described once
(services/item_kinds.py), so one function builds either router. The item's
path parameter is named after its kind ({option_id}, {criterion_id}) by an
alias. No `from __future__ import annotations` here: FastAPI reads the
handlers' annotations, which must be real types in this closure.
"""

from typing import Annotated

from fastapi import APIRouter, Path, Response, status
from pydantic import BaseModel, BeforeValidator
from starlette.convertors import StringConvertor, register_url_convertor

from optionsmatrix.api.deps import IfMatch, WritableMatrix
from optionsmatrix.api.responses import (
    MATRIX_NOT_FOUND,
    READ_ONLY,
    STALE_VERSION,
    TOO_LARGE,
    UNAUTHENTICATED,
    UNPROCESSABLE,
    item_not_found,
    responses,
)
from optionsmatrix.api.routing import api_router
from optionsmatrix.http.deps import MAX_ID, SessionDep, plain_digits
from optionsmatrix.schemas.matrices import OrderUpdate
from optionsmatrix.services.item_kinds import ItemKind


class _NotOrder(StringConvertor):
    """Any path segment but "order", which names the list's order, not an item.

    Without it PATCH .../options/order reached the route of one option and
    was a 422 ("option_id" is not an integer); it is a 405 listing PUT.
    Other segments still reach the route, so "abc" stays a 422.
    """

    regex = "(?!order$)[^/]+"


register_url_convertor("not_order", _NotOrder())


def item_router(kind: ItemKind) -> APIRouter:
    router = api_router(prefix=f"/matrices/{{matrix_id}}/{kind.plural}", tags=[kind.plural])
    ItemId = Annotated[  # noqa: N806 - a type
        int,
        Path(alias=f"{kind.singular}_id", ge=1, le=MAX_ID, description=f"The {kind.singular}'s id"),
        BeforeValidator(plain_digits),
    ]

    # Each takes the matrix's version as `If-Match` (optional): a stale one is a 409 and nothing changes.
    def add_item(
        data: kind.create_schema, matrix: WritableMatrix, session: SessionDep, if_match: IfMatch = None  # type: ignore[name-defined]
    ) -> BaseModel:
        return kind.public(kind.add(session, matrix=matrix, data=data, expected_version=if_match))

    def reorder_items(
        order: OrderUpdate, matrix: WritableMatrix, session: SessionDep, if_match: IfMatch = None
    ) -> list[BaseModel]:
        reordered = kind.reorder(session, matrix=matrix, ids=order.ids, expected_version=if_match)
        return [kind.public(item) for item in reordered]

    def update_item(
        item_id: ItemId, changes: kind.update_schema, matrix: WritableMatrix, session: SessionDep,  # type: ignore[name-defined]
        if_match: IfMatch = None,
    ) -> BaseModel:
        updated = kind.update(session, matrix=matrix, item_id=item_id, changes=changes, expected_version=if_match)
        return kind.public(updated)

    def delete_item(item_id: ItemId, matrix: WritableMatrix, session: SessionDep, if_match: IfMatch = None) -> Response:
        kind.delete(session, matrix=matrix, item_id=item_id, expected_version=if_match)
        return Response(status_code=status.HTTP_204_NO_CONTENT)

    # Every route writes to a matrix: a token is needed (401), the matrix must
    # exist and be readable (404) and be the caller's to change (403).
    on_the_matrix = responses(UNAUTHENTICATED, READ_ONLY, MATRIX_NOT_FOUND, STALE_VERSION, UNPROCESSABLE)
    on_an_item = responses(on_the_matrix, item_not_found(kind.singular))
    one = f"{kind.article} {kind.singular}"
    router.add_api_route(
        "",
        add_item,
        methods=["POST"],
        response_model=kind.public_schema,
        status_code=status.HTTP_201_CREATED,
        name=f"add_{kind.singular}",
        summary=f"Add {one}",
        responses=responses(on_the_matrix, TOO_LARGE),
        description=f"Append {one} at the end of the list.",
    )
    router.add_api_route(
        "/order",
        reorder_items,
        methods=["PUT"],
        response_model=list[kind.public_schema],
        name=f"reorder_{kind.plural}",
        summary=f"Reorder the {kind.plural}",
        responses=responses(on_the_matrix, TOO_LARGE),
        description=f"Set the order: `ids` must list every {kind.singular} of the matrix exactly once. "
        "Position is the one order of the list (whatever the options' escalation levels); only the ladder view "
        "sorts by level.",
    )
    router.add_api_route(
        f"/{{{kind.singular}_id:not_order}}",
        update_item,
        methods=["PATCH"],
        response_model=kind.public_schema,
        name=f"update_{kind.singular}",
        summary=f"Change {one}",
        responses=responses(on_an_item, TOO_LARGE),
        description="Omitted fields stay as they are; `null` is refused.",
    )
    router.add_api_route(
        f"/{{{kind.singular}_id:not_order}}",
        delete_item,
        methods=["DELETE"],
        status_code=status.HTTP_204_NO_CONTENT,
        name=f"delete_{kind.singular}",
        summary=f"Remove {one}",
        responses=on_an_item,
        description="The remaining items close the gap in positions.",
    )
    return router
