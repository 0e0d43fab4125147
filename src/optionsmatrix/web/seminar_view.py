"""What an instructor's dashboard shows, built from a session's state: code and QR, who is in, the results.

Everything here is presentation: the numbers come from services. The
disagreement heatmap, the movement between rounds and the group chart are
built in services.session_tables, which the exported report shares.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from markupsafe import Markup

from optionsmatrix.analysis import METHODS
from optionsmatrix.services.labels import display_name
from optionsmatrix.services.session_results import GroupResult
from optionsmatrix.web.scoring.form import NORMALIZATION_NAMES

label = display_name  # the name templates of session pages call it by


def qr_svg(url: str) -> Markup:
    """The join link as a QR code: inline SVG drawn with attributes only (the CSP forbids inline styles)."""
    import segno  # only the dashboard draws one: kept out of every worker's memory until then

    buffer = io.BytesIO()
    segno.make(url, error="m").save(
        buffer, kind="svg", scale=10, border=2, xmldecl=False, svgclass="qr-code", title=f"QR code for {url}",
        omitsize=True,  # a viewBox instead of a fixed 330 × 330: the stylesheet scales it to a phone's width
        dark="#000", light="#fff",
    )  # fmt: skip
    return Markup(buffer.getvalue().decode())  # noqa: S704 - segno's own SVG, the URL escaped by segno


def method_words(result: GroupResult) -> str:
    """The method (and normalisation) in the words the rest of the app uses, not their API identifiers."""
    words = METHODS[result.method].label
    if result.normalization:
        words += f", normalisation: {NORMALIZATION_NAMES.get(result.normalization, result.normalization).lower()}"
    return words


@dataclass(frozen=True)
class Standing:
    """Where one participant's own ranking puts each option, against the group's."""

    option: str
    own_rank: int
    group_rank: int
