"""What a participant's page shows: their ballot, their own ranking, and, once revealed, the group's.

In a new round (Delphi) the form starts from their ballot of the round
before, and the page shows that round's group result while they score again.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from pydantic import ValidationError
from sqlmodel import Session

from optionsmatrix.analysis import METHODS
from optionsmatrix.analysis.explain import significant
from optionsmatrix.errors import NotFound
from optionsmatrix.models import Participant
from optionsmatrix.schemas.numbers import NotANumber, parse_decimal
from optionsmatrix.schemas.sessions import BallotIn
from optionsmatrix.services import ballots
from optionsmatrix.services.seminars import SessionSnapshot, get_snapshot
from optionsmatrix.services.session_ranking import SnapshotRanking
from optionsmatrix.services.session_results import GroupResult, group_result
from optionsmatrix.services.session_tables import group_chart
from optionsmatrix.web.forms import DAMAGED_FORM
from optionsmatrix.web.scoring.component import RankingPanel, ballot_view, score_name
from optionsmatrix.web.seminar_view import label, method_words

RATIONALE_MAX = 280
STATUS_SECONDS = 6  # participants check for a reveal no more often than every 5 s


def ballot_from_form(snapshot: SessionSnapshot, form: Mapping[str, object]) -> tuple[BallotIn, dict[str, str]]:
    """The posted form as the API's ballot body; `errors` names the fields that are not numbers."""
    errors: dict[str, str] = {}
    scores: dict[str, dict[str, float]] = {}
    for option in snapshot.options:
        for criterion in snapshot.criteria:
            name = score_name(option.id, criterion.id)  # type: ignore[arg-type]
            text = str(form.get(name, "")).strip()
            if not text:
                continue
            try:
                scores.setdefault(str(option.id), {})[str(criterion.id)] = parse_decimal(text)
            except NotANumber as wrong:
                errors[name] = str(wrong)
    weights = None
    if snapshot.seminar.weight_mode == "participant":
        weights = {}
        for criterion in snapshot.criteria:
            text = str(form.get(f"w.{criterion.id}", "")).strip()
            if text:
                try:
                    weights[str(criterion.id)] = parse_decimal(text)
                except NotANumber as wrong:
                    errors[f"w.{criterion.id}"] = str(wrong)
    rationales = {}
    for option in snapshot.options:
        text = " ".join(str(form.get(f"why.{option.id}", "")).split())
        if len(text) > RATIONALE_MAX:
            errors[f"why.{option.id}"] = f"Use at most {RATIONALE_MAX} characters."
        elif text:
            rationales[str(option.id)] = text
    # The version the page was loaded with (0: no ballot yet), so a second tab cannot silently overwrite the first.
    version = str(form.get("version", "")).strip()
    seen = int(version) if version.isascii() and version.isdigit() and len(version) <= 9 else None
    if version and seen is None:  # sent, but not a version this page could have drawn: never skip the check
        errors["form"] = DAMAGED_FORM
    try:
        body = BallotIn.model_validate(
            {"scores": scores, "weights": weights, "rationales": rationales or None, "version": seen}
        )
    except ValidationError as refused:  # the API's own rules: weights' bounds, a rationale's characters
        for problem in refused.errors():
            loc = [str(part) for part in problem["loc"]]
            field = {"weights": "w", "rationales": "why"}.get(loc[0], "s")
            name = f"{field}.{'.'.join(loc[1:])}" if len(loc) > 1 else "form"
            errors.setdefault(name, problem["msg"].removeprefix("Value error, "))
        body = BallotIn()
    return body, errors


def form_field(loc: tuple[str | int, ...]) -> str:
    """The form field a ballot rule is about: ("scores", o, c) is s.o.c, and so on."""
    prefix = {"scores": "s", "weights": "w", "rationales": "why"}.get(str(loc[0])) if loc else None
    return ".".join([prefix, *map(str, loc[1:])]) if prefix and len(loc) > 1 else "form"


@dataclass(frozen=True)
class Standing:
    option: str
    own_rank: int | None
    group_rank: int | None


def _standing(snapshot: SessionSnapshot, own: SnapshotRanking | None, group: SnapshotRanking | None) -> list[Standing]:
    rows = [
        Standing(label(o), own.ranks[str(o.id)] if own else None, group.ranks[str(o.id)] if group else None)
        for o in snapshot.options
    ]
    return sorted(rows, key=lambda r: (r.group_rank is None, r.group_rank or 0))


def _saved_notice(snapshot: SessionSnapshot) -> str:
    if snapshot.seminar.status != "open":
        return "Your ballot was saved. The session is closed now: it can no longer be changed."
    return "Your ballot was saved. You can change it until the session closes."


def _values_of(snapshot: SessionSnapshot, stored: ballots.StoredBallot | None) -> dict[str, str]:
    """A stored ballot as form values, to start the form from."""
    if stored is None:
        return {}
    values: dict[str, str] = {}
    for i, option in enumerate(snapshot.options):
        for j, criterion in enumerate(snapshot.criteria):
            value = stored.arrays.scores[i, j]
            if not math.isnan(value):
                values[score_name(option.id, criterion.id)] = f"{value:g}"  # type: ignore[arg-type]
        if stored.arrays.rationales[i]:
            values[f"why.{option.id}"] = str(stored.arrays.rationales[i])
    if stored.arrays.weights is not None:
        for j, criterion in enumerate(snapshot.criteria):
            if not math.isnan(stored.arrays.weights[j]):
                values[f"w.{criterion.id}"] = f"{stored.arrays.weights[j]:g}"
    return values


def _latest(session: Session, participant: Participant, number: int) -> ballots.StoredBallot | None:
    try:
        return ballots.latest_ballot(session, participant=participant, round_number=number)
    except NotFound:
        return None


def _own_panel(snapshot: SessionSnapshot, own: SnapshotRanking | None) -> RankingPanel | None:
    if own is None:
        return None
    by_id = {o.id: o for o in snapshot.options}
    rows = tuple((own.ranks[str(i)], label(by_id[i]), significant(own.scores[str(i)])) for i in own.order)
    better = "higher" if own.higher_is_better else "lower"
    return RankingPanel(rows=rows, description=f"{METHODS[own.method].label}; the {better} the score, the better.")


def participant_context(
    session: Session,
    participant: Participant,
    *,
    action_url: str,
    form: Mapping[str, object] | None = None,
    errors: dict[str, str] | None = None,
    saved: bool = False,
) -> dict[str, object]:
    snapshot = get_snapshot(session, participant.session_id)
    number = snapshot.round.number
    current = _latest(session, participant, number)
    earlier = _latest(session, participant, number - 1) if current is None and number > 1 else None
    values = {k: str(v) for k, v in form.items()} if form is not None else _values_of(snapshot, current or earlier)
    shown = snapshot.round.revealed or snapshot.seminar.status == "closed"
    group: GroupResult | None = group_result(session, snapshot) if shown else None
    previous: GroupResult | None = None
    if number > 1:  # Delphi: the round before's result, always visible once a new round began
        previous = group_result(session, snapshot, round_number=number - 1)
    own = current.ranking if current is not None else None
    # The version this page shows (0: none yet), so a second tab's stale submit is refused, not silently kept.
    version = str(current.ballot.version) if current is not None else "0"
    view = ballot_view(
        snapshot.options, snapshot.criteria,
        action_url=action_url, values=values, errors=errors or {},
        weights_editable=snapshot.seminar.weight_mode == "participant",
        method_label=METHODS[snapshot.seminar.method].label,
        ranking=_own_panel(snapshot, own), disabled=snapshot.seminar.status != "open",
        hidden={"version": version},
        # Taps not yet sent are kept on the phone until this ballot (round and version) is sent: static/js/ballot.js.
        draft=f"{snapshot.seminar.id}:{number}:{version}",
        notice=_saved_notice(snapshot) if saved and current is not None else "",
    )  # fmt: skip
    return {
        "snapshot": snapshot,
        "seminar": snapshot.seminar,
        "round": snapshot.round,
        "participant": participant,
        "values": values,
        "errors": errors or {},
        "saved": saved,
        "ballot": current,
        "started_from_earlier": earlier is not None,
        "own": own,
        "group": group,
        "group_chart": group_chart(group, snapshot) if group is not None else None,
        "method_words": method_words,
        "standing": _standing(snapshot, own, group.ranking if group else None) if group and group.ranking else [],
        "previous": previous,
        "previous_chart": group_chart(previous, snapshot) if previous is not None else None,
        "status_seconds": STATUS_SECONDS,
        "label": label,
        "ballot_form": view,
    }
