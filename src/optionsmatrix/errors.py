"""Domain errors that carry their HTTP meaning.

Services raise these; one handler per surface (JSON for the API, an inline
fragment for htmx, a page for plain browsers) turns them into responses.
`HTTPException` appears only in the web layer.
"""

from __future__ import annotations

from dataclasses import dataclass


class OptionsMatrixError(Exception):
    status_code = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(OptionsMatrixError):
    status_code = 404

    def __init__(self, resource: str, identifier: object) -> None:
        super().__init__(f"{resource} {identifier} not found")


class Conflict(OptionsMatrixError):
    """The request was understood but the state it needs has moved on (a stale version, a closed session)."""

    status_code = 409


class StaleVersion(Conflict):
    """The client changed a version it had read, and someone changed it since."""


@dataclass(frozen=True)
class FieldError:
    """One problem with one input field; `loc` is the field's path in the input ("criteria", 2, "scale_max").

    The API places it in the request ("body", ...); a page flags the input named by the last part.
    """

    loc: tuple[str | int, ...]
    msg: str
    type: str = "value_error"

    @property
    def field(self) -> str:
        return str(self.loc[-1]) if self.loc else ""


class InvalidInput(OptionsMatrixError):
    """Input that parsed but breaks a rule (a duplicate name, an inverted scale...)."""

    status_code = 422

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("; ".join(e.msg for e in errors))
        self.errors = errors

    @classmethod
    def on(cls, field: str, message: str, *, loc_prefix: tuple[str | int, ...] = ()) -> InvalidInput:
        return cls([FieldError((*loc_prefix, field), message)])
