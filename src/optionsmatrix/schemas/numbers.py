"""Numbers typed as text — form fields, query strings — read by one grammar everywhere.

Python's `float()` and pydantic's lax mode accept far more than people mean
to type or the API's JSON accepts: "1_000", "nan", "infinity", "１２"
(full-width digits), " 1e3 ". Here a number is plain decimal notation with
ASCII digits: an optional sign, digits with at most one decimal point, and
an optional exponent. That is JSON's number grammar (which the API's bodies
use), relaxed only where people type differently from JSON: a leading "+",
and ".5" or "5." — and the exponent stays, because JSON allows it and so
does a browser's number input. Whole numbers (an escalation level, a count
of days) are digits with an optional sign, as a JSON integer is: the API's
strict integers refuse 3.0 and 3e0, so the forms do too.

Messages are sentences for the person at the form.
"""

from __future__ import annotations

import math
import re
import unicodedata

DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
WHOLE = re.compile(r"[+-]?[0-9]+")
# Thousands separators people type; a comma is left out, since it is the decimal mark in many countries.
_SEPARATORS = re.compile(r"(?<=[0-9])[_ '\u00a0\u202f](?=[0-9])")
_NOT_FINITE = {"nan", "inf", "infinity"}


class NotANumber(ValueError):
    """The message says what to type instead."""


def parse_decimal(text: str) -> float:
    """A finite float from plain decimal notation, or NotANumber."""
    text = text.strip()
    if not DECIMAL.fullmatch(text):
        raise NotANumber(
            _explain(
                text,
                DECIMAL,
                "Enter a number.",
                "Enter a number with a point for decimals and no commas, like 1.5 or 1000.",
            )
        )
    value = float(text)
    if not math.isfinite(value):  # "1e999"
        raise NotANumber("Enter a finite number.")
    return value


def parse_whole(text: str) -> int:
    """An int from digits with an optional sign, or NotANumber."""
    text = text.strip()
    if not WHOLE.fullmatch(text):
        if DECIMAL.fullmatch(text):
            raise NotANumber("Enter a whole number.")
        raise NotANumber(
            _explain(text, WHOLE, "Enter a whole number.", "Enter a whole number without commas, like 1000.")
        )
    try:
        return int(text)
    except ValueError:  # more digits than Python converts (over 4,300)
        raise NotANumber("Enter a smaller whole number.") from None


def _explain(text: str, grammar: re.Pattern[str], fallback: str, with_comma: str) -> str:
    """Say what went wrong when the intended number is clear, else the plain request."""
    if text.lstrip("+-").casefold() in _NOT_FINITE:
        return "Enter a finite number."
    if "," in text:
        return with_comma
    # Full-width, Arabic-Indic, Devanagari... digits, as their ASCII counterparts.
    ascii_digits = "".join(
        str(unicodedata.decimal(c)) if c.isdecimal() else c for c in unicodedata.normalize("NFKC", text)
    )
    if ascii_digits != text and grammar.fullmatch(ascii_digits):
        return f"Enter the number in the digits 0 to 9, like {ascii_digits}."
    unseparated = _SEPARATORS.sub("", ascii_digits)
    if unseparated != ascii_digits and grammar.fullmatch(unseparated):
        return f"Enter the number without separators, like {unseparated}."
    return fallback
