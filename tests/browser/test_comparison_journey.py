"""Journey: after two seminar groups scored the same matrix, the instructor ticks both on the matrix's page and
reads the comparison, on a 390 px phone and a 1280 px screen; then compares one session's rounds from its dashboard.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlmodel import Session

from optionsmatrix.core.db import create_db_engine
from optionsmatrix.schemas.matrices import MatrixCreate
from optionsmatrix.schemas.sessions import BallotIn, SessionCreate
from optionsmatrix.services import accounts, ballots, seminars
from optionsmatrix.services.matrices import create_matrix, get_matrix
from tests.browser.conftest import log_in_through_the_form
from tests.support.axe import serious_axe_violations

pytestmark = pytest.mark.browser

OPTIONS = ["Status quo", "Joint border task force", "Unilateral deployment", "Targeted strikes", "Negotiation"]


def _ballot(session, snapshot, order):  # noqa: ANN001, ANN202
    """One participant whose scores put the options in `order` (best first) on every criterion."""
    joined = ballots.join(session, code=snapshot.seminar.join_code, display_name=None)
    value = {name: 5 - place for place, name in enumerate(order)}
    scores = {str(o.id): {str(c.id): float(value[o.name]) for c in snapshot.criteria} for o in snapshot.options}
    ballots.save_ballot(session, participant=joined.participant, body=BallotIn(scores=scores))
    return joined


@pytest.fixture(scope="module")
def two_groups(live_server, instructor_email):
    engine = create_db_engine(live_server.database_url)
    with Session(engine, expire_on_commit=False) as session:
        owner = accounts.find_by_email(session, email=instructor_email)
        data = MatrixCreate(
            title="Border options to compare",
            options=[{"name": n} for n in OPTIONS],
            criteria=[{"name": "Cost", "direction": "cost"}, {"name": "Legitimacy"}, {"name": "Speed"}],
        )
        matrix = get_matrix(session, matrix_id=create_matrix(session, data=data, owner_id=owner.id).id)
        groups = []
        for title, order in (("Monday group", OPTIONS), ("Thursday group", [*OPTIONS[2:], *OPTIONS[:2]])):
            snapshot = seminars.start_session(session, matrix=matrix, owner=owner, data=SessionCreate(title=title),
                                              max_participants=50)  # fmt: skip
            _ballot(session, snapshot, order)
            groups.append(snapshot.seminar.id)
        seminars.new_round(session, seminar=snapshot.seminar)
        _ballot(session, seminars.get_snapshot(session, groups[1]), OPTIONS[::-1])
        matrix_id = matrix.id
    engine.dispose()
    return matrix_id, groups


@pytest.mark.parametrize("width", [390, 1280])
def test_two_groups_compared_from_the_matrix_page(page, instructor_email, two_groups, width):
    matrix_id, (monday, thursday) = two_groups
    page.set_viewport_size({"width": width, "height": 844 if width == 390 else 800})
    log_in_through_the_form(page, instructor_email)
    page.goto(f"/matrices/{matrix_id}")

    page.get_by_label("Compare Monday group").check()
    page.get_by_label("Compare Thursday group").check()
    page.get_by_role("button", name="Compare the sessions ticked").click()

    expect(page.locator("h1")).to_have_text("Comparing Monday group and Thursday group")
    table = page.locator(".compare-table")
    expect(table.locator("tbody tr")).to_have_count(5)
    expect(table.locator("thead th").nth(1)).to_contain_text("Monday group, round 1")
    expect(table.locator("thead th").nth(2)).to_contain_text("Thursday group, round 2")  # its latest round
    expect(page.locator(".agreement-list li")).to_contain_text("The two rankings")
    expect(table.locator("tr.moved-most").first).to_be_visible()
    # The page itself never scrolls sideways; the table does, under its option column.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    sticky = table.locator("tbody th").first.evaluate("cell => getComputedStyle(cell).position")
    assert sticky == "sticky"
    expect(page.get_by_role("link", name="Download CSV")).to_have_attribute(
        "href", re.compile(rf"/comparisons/export\?sessions={monday}%2C{thursday}&format=csv$")
    )
    assert serious_axe_violations(page) == []


def test_the_rounds_of_a_session_from_its_dashboard(page, instructor_email, two_groups):
    _matrix_id, (_monday, thursday) = two_groups
    log_in_through_the_form(page, instructor_email)
    page.goto(f"/sessions/{thursday}")

    page.get_by_role("link", name="Compare rounds").click()

    expect(page.locator("h1")).to_have_text("Comparing the rounds of Thursday group")
    expect(page.locator(".agreement-list li")).to_have_text(
        "Round 1 and Round 2: The two rankings agree weakly (τ-b 0.20)."
    )
    page.get_by_label("Ranked by").select_option("all")
    page.get_by_role("button", name="Show").click()
    expect(page.locator(".compare-table thead th")).to_have_count(7)  # option, five methods, difference
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert serious_axe_violations(page) == []
