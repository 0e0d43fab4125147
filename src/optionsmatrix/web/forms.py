"""Form posts validated by the same schemas as the API, with messages per field."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Generic, TypeVar

from fastapi import Depends, Request
from pydantic import BaseModel, ValidationError
from starlette.datastructures import FormData

from optionsmatrix.errors import InvalidInput

Schema = TypeVar("Schema", bound=BaseModel)


async def submitted_form(request: Request) -> FormData:
    """Read the body on the event loop (it is I/O); handlers that take it can then be plain
    `def`s, which FastAPI runs in a thread, so their database work never blocks the loop."""
    return await request.form()


SubmittedForm = Annotated[FormData, Depends(submitted_form)]


@dataclass
class FormResult(Generic[Schema]):
    values: dict[str, str]
    data: Schema | None = None
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.data is not None and not self.errors


def parse_form(schema: type[Schema], form: FormData) -> FormResult[Schema]:
    """Validate the schema's own fields from a form; ignore anything else (e.g. the CSRF token)."""
    values = {name: str(form[name]) for name in schema.model_fields if name in form}
    try:
        data = schema.model_validate(values, strict=False)
    except ValidationError as error:
        return FormResult(values=values, errors=_messages(error))
    return FormResult(values=values, data=data)


def errors_from(error: InvalidInput) -> dict[str, str]:
    return {e.field: e.msg for e in error.errors}


def _messages(error: ValidationError) -> dict[str, str]:
    messages: dict[str, str] = {}
    for item in error.errors():
        name = str(item["loc"][0]) if item["loc"] else "form"
        message = item["msg"].removeprefix("Value error, ")
        if item["type"] in ("float_parsing", "int_parsing", "float_type", "int_type"):
            message = "enter a number" if "float" in item["type"] else "enter a whole number"
        messages.setdefault(name, message)
    return messages
