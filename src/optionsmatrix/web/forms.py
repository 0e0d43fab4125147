"""Form posts validated by the same schemas as the API, with messages per field."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Generic, TypeVar

from fastapi import Depends, Request
from pydantic import BaseModel, ValidationError
from starlette.datastructures import FormData

from optionsmatrix.errors import InvalidInput
from optionsmatrix.schemas.matrices import FORM_CONTEXT

# A hidden field no page of ours could have drawn (a version that is not a number): edited by hand, or mangled.
DAMAGED_FORM = "This form is damaged or out of date; reload the page."

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
    """Validate the schema's own fields from a form; ignore anything else (e.g. the CSRF token).

    Strict, like the API: the numeric fields turn text into numbers themselves
    under FORM_CONTEXT, by the one grammar in numbers.py, so pydantic's lax
    parsing (which takes "1_000", "nan" and "inf") never sees a form value.
    """
    values = {name: str(form[name]) for name in schema.model_fields if name in form}
    try:
        data = schema.model_validate(values, strict=True, context=FORM_CONTEXT)
    except ValidationError as error:
        return FormResult(values=values, errors=_messages(error))
    return FormResult(values=values, data=data)


def errors_from(error: InvalidInput) -> dict[str, str]:
    return {e.field: e.msg for e in error.errors}


def _messages(error: ValidationError) -> dict[str, str]:
    """Pydantic's wording, rephrased for people filling in a form."""
    messages: dict[str, str] = {}
    for item in error.errors():
        name = str(item["loc"][0]) if item["loc"] else "form"
        messages.setdefault(name, _plain(item))
    return messages


def _plain(item) -> str:  # noqa: ANN001
    kind, context = item["type"], item.get("ctx") or {}
    if kind in ("float_parsing", "float_type"):
        return "Enter a number."
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return "Enter a whole number."
    if kind == "finite_number":
        return "Enter a finite number."
    if kind == "missing":
        return "This is required."
    if kind == "greater_than_equal":
        return f"Enter {context['ge']:g} or more."
    if kind == "less_than_equal":
        return f"Enter {context['le']:g} or less."
    if kind == "string_too_long":
        return f"Use at most {context['max_length']} characters."
    if kind == "literal_error":
        return f"Choose one of: {context.get('expected', '').replace(chr(39), '')}."
    message = item["msg"].removeprefix("Value error, ")
    return message[:1].upper() + message[1:] + ("" if message.endswith(".") else ".")
