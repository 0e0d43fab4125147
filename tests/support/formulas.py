"""A tiny evaluator for the formulas our workbooks write, so tests can check them without a spreadsheet program.

It knows exactly what session_workbook.py writes: numbers, "text", cell
references and ranges (optionally on another sheet, with $ anchors), + - * /,
comparisons, and IF, SUM, SUMPRODUCT, MIN, MAX, ABS. Ranges are numpy arrays and
operators work element by element, as inside Excel's SUMPRODUCT. Anything else
raises, so a formula shape the evaluator does not know fails the test instead
of passing it.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
from openpyxl.utils import column_index_from_string

TOKEN = re.compile(
    r'\s*(?:(?P<string>"[^"]*")|(?P<ref>(?:[A-Za-z_]+!)?\$?[A-Z]{1,3}\$?\d+(?::\$?[A-Z]{1,3}\$?\d+)?)'
    r"|(?P<func>[A-Z]+)\(|(?P<number>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?)|(?P<op><=|>=|<>|[-+*/=<>(),]))"
)
CELL = re.compile(r"\$?([A-Z]{1,3})\$?(\d+)")
COMPARISONS = {"=": np.equal, "<>": np.not_equal, "<": np.less, ">": np.greater, "<=": np.less_equal,
               ">=": np.greater_equal}  # fmt: skip


def tokens(text: str) -> list[tuple[str, str]]:
    found, position = [], 0
    while position < len(text):
        match = TOKEN.match(text, position)
        if match is None:
            raise ValueError(f"cannot read the formula {text!r} at {text[position:]!r}")
        kind = match.lastgroup
        found.append((kind, match.group(kind)))  # type: ignore[arg-type]
        position = match.end()
    return found


class Parser:
    def __init__(self, text: str) -> None:
        self.items = tokens(text.removeprefix("="))
        self.at = 0

    def peek(self) -> tuple[str, str] | None:
        return self.items[self.at] if self.at < len(self.items) else None

    def take(self, value: str | None = None) -> tuple[str, str]:
        item = self.items[self.at]
        if value is not None and item[1] != value:
            raise ValueError(f"expected {value!r}, found {item[1]!r}")
        self.at += 1
        return item

    def parse(self) -> Any:
        tree = self.comparison()
        if self.peek() is not None:
            raise ValueError(f"unexpected {self.peek()}")
        return tree

    def comparison(self) -> Any:
        left = self.additive()
        if self.peek() and self.peek()[1] in COMPARISONS:  # type: ignore[index]
            return ("cmp", self.take()[1], left, self.additive())
        return left

    def additive(self) -> Any:
        left = self.term()
        while self.peek() and self.peek()[1] in "+-" and self.peek()[0] == "op":  # type: ignore[index]
            left = ("op", self.take()[1], left, self.term())
        return left

    def term(self) -> Any:
        left = self.unary()
        while self.peek() and self.peek()[1] in "*/" and self.peek()[0] == "op":  # type: ignore[index]
            left = ("op", self.take()[1], left, self.unary())
        return left

    def unary(self) -> Any:
        if self.peek() and self.peek()[0] == "op" and self.peek()[1] in "+-":  # type: ignore[index]
            sign = self.take()[1]
            inner = self.unary()
            return ("neg", inner) if sign == "-" else inner
        return self.primary()

    def primary(self) -> Any:
        kind, value = self.take()
        if kind == "number":
            return ("value", float(value))
        if kind == "string":
            return ("value", value[1:-1])
        if kind == "ref":
            return ("ref", value)
        if kind == "func":
            args = []
            if self.peek()[1] != ")":  # type: ignore[index]
                args.append(self.comparison())
                while self.peek()[1] == ",":  # type: ignore[index]
                    self.take(",")
                    args.append(self.comparison())
            self.take(")")
            return ("call", value, args)
        if value == "(":
            inner = self.comparison()
            self.take(")")
            return inner
        raise ValueError(f"unexpected {value!r}")


class Evaluator:
    """Values of a workbook's cells (opened with formulas, not cached values), formulas evaluated on demand."""

    def __init__(self, workbook: Any) -> None:
        self.workbook = workbook
        self.cache: dict[tuple[str, int, int], Any] = {}

    def cell(self, sheet: str, row: int, column: int) -> Any:
        key = (sheet, row, column)
        if key not in self.cache:
            cell = self.workbook[sheet].cell(row=row, column=column)
            if cell.data_type == "f":
                self.cache[key] = self.formula(cell.value, sheet)
            else:
                self.cache[key] = 0.0 if cell.value is None else cell.value
        return self.cache[key]

    def value(self, sheet: str, coordinate: str) -> Any:
        column, row = CELL.fullmatch(coordinate).groups()  # type: ignore[union-attr]
        return self.cell(sheet, int(row), column_index_from_string(column))

    def formula(self, text: str, sheet: str) -> Any:
        result = self.eval(Parser(text).parse(), sheet)
        return float(result) if isinstance(result, np.generic) else result

    def ref(self, text: str, sheet: str) -> Any:
        if "!" in text:
            sheet, text = text.split("!")
        corners = [CELL.fullmatch(part).groups() for part in text.split(":")]  # type: ignore[union-attr]
        if len(corners) == 1:
            return self.value(sheet, text.replace("$", ""))
        (c1, r1), (c2, r2) = corners
        rows = range(int(r1), int(r2) + 1)
        columns = range(column_index_from_string(c1), column_index_from_string(c2) + 1)
        return np.array([[float(self.cell(sheet, r, c)) for c in columns] for r in rows])

    def eval(self, node: Any, sheet: str) -> Any:
        kind = node[0]
        if kind == "value":
            return node[1]
        if kind == "ref":
            return self.ref(node[1], sheet)
        if kind == "neg":
            return -np.asarray(self.eval(node[1], sheet), dtype=float)
        if kind == "op":
            left, right = (np.asarray(self.eval(n, sheet), dtype=float) for n in node[2:])
            return {"+": np.add, "-": np.subtract, "*": np.multiply, "/": np.divide}[node[1]](left, right)
        if kind == "cmp":
            left, right = (self.eval(n, sheet) for n in node[2:])
            if isinstance(left, str) or isinstance(right, str):
                same = str(left).casefold() == str(right).casefold()
                return same if node[1] == "=" else not same if node[1] == "<>" else _refuse(node)
            return COMPARISONS[node[1]](left, right)
        return self.call(node[1], node[2], sheet)

    def call(self, name: str, args: list[Any], sheet: str) -> Any:
        if name == "IF":  # lazy, as in a spreadsheet: the branch not taken is never computed
            return self.eval(args[1] if bool(self.eval(args[0], sheet)) else args[2], sheet)
        values = [np.asarray(self.eval(a, sheet), dtype=float) for a in args]
        if name == "SUM":
            return float(sum(v.sum() for v in values))
        if name == "SUMPRODUCT":
            return float(np.prod(np.broadcast_arrays(*values), axis=0).sum())
        if name == "MIN":
            return float(min(v.min() for v in values))
        if name == "MAX":
            return float(max(v.max() for v in values))
        if name == "ABS":
            return np.abs(values[0])
        raise ValueError(f"the evaluator does not know {name}()")


def _refuse(node: Any) -> Any:
    raise ValueError(f"cannot compare text with {node[1]}")
