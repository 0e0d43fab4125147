"""Text cells every export writes, kept apart from the spreadsheet codec (spreadsheet.py).

Exports of sessions and comparisons, and the CLI's sniffing of a file, need
only these few lines; the codec, with its validators, loads when a matrix file
is actually read or written, so a serving worker does without it until then.
"""

from __future__ import annotations

XLSX_MAGIC = b"PK\x03\x04"  # an XLSX file is a ZIP archive

# A spreadsheet program opening a CSV runs a cell that starts with one of these as a formula
# (=HYPERLINK(...) sends whoever clicks it anywhere, =cmd|... has run programs): CSV injection.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(text: str) -> str:
    """A text cell that a spreadsheet would run as a formula, prefixed with an apostrophe (shown as text).

    Text already starting with apostrophes before such a character gets one more, so that
    `restore_formula` gives back exactly what was written.
    """
    return "'" + text if text.lstrip("'").startswith(FORMULA_STARTS) else text


def restore_formula(text: str) -> str:
    """The inverse of `neutralise_formula`, for CSV cells read back."""
    return text[1:] if text.startswith("'") and text.lstrip("'").startswith(FORMULA_STARTS) else text
