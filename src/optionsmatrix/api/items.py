"""Routes for an ordered, named list inside a matrix: its options or its criteria.

Both lists obey the same rules (see services/items.py), so their routes are
built by one function. No `from __future__ import annotations` here: FastAPI
reads the handlers' annotations, which must be real types in this closure.
"""

import inspect
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Response, status
from pydantic import BaseModel
from starlette.convertors import StringConvertor, register_url_convertor

from optionsmatrix.api.deps import ItemId, SessionDep, WritableMatrix
from optionsmatrix.api.responses import (
    MATRIX_NOT_FOUND,
    READ_ONLY,
    TOO_LARGE,
    UNAUTHENTICATED,
    UNPROCESSABLE,
    item_not_found,
    responses,
)
from optionsmatrix.schemas import OrderUpdate


class _NotOrder(StringConvertor):
    """Any path segment but "order", which names the list's order, not an item.

    Without it PATCH .../options/order reached the route of one option and
    was a 422 ("option_id" is not an integer); it is a 405 listing PUT.
    Other segments still reach the route, so "abc" stays a 422.
    """

    regex = "(?!order$)[^/]+"


register_url_convertor("not_order", _NotOrder())


def item_router(
    *,
    plural: str,
    singular: str,
    create_schema: type[BaseModel],
    update_schema: type[BaseModel],
    public_schema: type[BaseModel],
    add: Callable[..., Any],
    update: Callable[..., Any],
    delete: Callable[..., None],
    reorder: Callable[..., list[Any]],
) -> APIRouter:
    router = APIRouter(prefix=f"/matrices/{{matrix_id}}/{plural}", tags=[plural])
    item_id = f"{singular}_id"

    def public(item: Any) -> BaseModel:
        return public_schema.model_validate(item, from_attributes=True)

    def add_item(data: create_schema, matrix: WritableMatrix, session: SessionDep) -> BaseModel:  # type: ignore[valid-type]
        return public(add(session, matrix=matrix, data=data))

    def reorder_items(order: OrderUpdate, matrix: WritableMatrix, session: SessionDep) -> list[BaseModel]:
        return [public(item) for item in reorder(session, matrix=matrix, ids=order.ids)]

    def update_item(id_: ItemId, changes: update_schema, matrix: WritableMatrix, session: SessionDep) -> BaseModel:  # type: ignore[valid-type]
        return public(update(session, matrix=matrix, changes=changes, **{item_id: id_}))

    def delete_item(id_: ItemId, matrix: WritableMatrix, session: SessionDep) -> Response:
        delete(session, matrix=matrix, **{item_id: id_})
        return Response(status_code=status.HTTP_204_NO_CONTENT)

    # Every route writes to a matrix: a token is needed (401), the matrix must
    # exist and be readable (404) and be the caller's to change (403).
    on_the_matrix = responses(UNAUTHENTICATED, READ_ONLY, MATRIX_NOT_FOUND, UNPROCESSABLE)
    on_an_item = responses(on_the_matrix, item_not_found(singular))

    # The path parameter is named after the item ({option_id}, {criterion_id}).
    update_item = _with_first_parameter_named(update_item, item_id)
    delete_item = _with_first_parameter_named(delete_item, item_id)

    router.add_api_route(
        "", add_item, methods=["POST"], response_model=public_schema, status_code=status.HTTP_201_CREATED,
        name=f"add_{singular}", summary=f"Add {_article(singular)} {singular}",
        responses=responses(on_the_matrix, TOO_LARGE),
        description=f"Append {_article(singular)} {singular} at the end of the list.",
    )
    router.add_api_route(
        "/order", reorder_items, methods=["PUT"], response_model=list[public_schema],
        name=f"reorder_{plural}", summary=f"Reorder the {plural}",
        responses=responses(on_the_matrix, TOO_LARGE),
        description=f"Set the order: `ids` must list every {singular} of the matrix exactly once.",
    )
    router.add_api_route(
        f"/{{{item_id}:not_order}}", update_item, methods=["PATCH"], response_model=public_schema,
        name=f"update_{singular}", summary=f"Change {_article(singular)} {singular}",
        responses=responses(on_an_item, TOO_LARGE),
        description="Omitted fields stay as they are; `null` is refused.",
    )
    router.add_api_route(
        f"/{{{item_id}:not_order}}", delete_item, methods=["DELETE"], status_code=status.HTTP_204_NO_CONTENT,
        name=f"delete_{singular}", summary=f"Remove {_article(singular)} {singular}",
        responses=on_an_item,
        description="The remaining items close the gap in positions.",
    )
    return router


def _article(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"


def _with_first_parameter_named(function: Callable[..., Any], name: str) -> Callable[..., Any]:
    """The same handler, but FastAPI sees (and passes) its first parameter as `name`."""
    signature = inspect.signature(function)
    parameters = list(signature.parameters.values())
    original = parameters[0].name

    def renamed(**values: Any) -> Any:
        values[original] = values.pop(name)
        return function(**values)

    renamed.__signature__ = signature.replace(parameters=[parameters[0].replace(name=name), *parameters[1:]])  # type: ignore[attr-defined]
    renamed.__doc__ = function.__doc__
    return renamed
