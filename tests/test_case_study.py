"""The built-in case study: what a new installation shows."""

import json
import re

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from optionsmatrix.app import create_app
from optionsmatrix.core.db import create_db_engine
from optionsmatrix.core.resources import CASE_STUDY_FILE
from optionsmatrix.models import Matrix
from optionsmatrix.settings import Settings

TITLE = "Military options at the U.S.–Mexico border (Heritage Foundation, 2025)"

OPTIONS = [
    (1, "Bolster CBP capacity with military support (infrastructure construction, logistics support, surveillance)"),
    (2, "Military transport and facilities for detention and repatriation"),
    (3, "Interception of cartel drones around the border"),
    (4, "Joint military action against cartels, with Mexico's approval"),
    (5, "Unilateral U.S. military action on Mexican territory"),
]

CRITERIA = [
    ("Disruption of cartel supply chains", "benefit"),
    ("Leverage over the Mexican government and cartels", "benefit"),
    ("Risk of an undesirable response (Mexican government, cartels)", "cost"),
    ("Cost to military readiness elsewhere", "cost"),
    ("Funding and resources required", "cost"),
    ("Legal authority and precedent", "benefit"),
    ("Scalability of the response", "benefit"),
    ("Progress toward the stated end state (Mexico re-assumes the primary role against the cartels)", "benefit"),
]


@pytest.fixture
def first_start_client(databases):
    """An app started the way `optionsmatrix serve` starts it, on a brand-new database."""
    settings = Settings(database_url=databases.new_url())
    with TestClient(create_app(settings)) as client:
        yield client


def test_first_start_loads_exactly_one_matrix_the_case_study(first_start_client):
    listing = first_start_client.get("/api/v1/matrices").json()

    assert listing["total"] == 1
    assert listing["items"][0]["title"] == TITLE


def test_case_study_has_the_five_options_on_the_escalation_ladder(first_start_client):
    matrix = first_start_client.get("/api/v1/matrices").json()["items"][0]
    options = first_start_client.get(f"/api/v1/matrices/{matrix['id']}").json()["options"]

    assert [(o["escalation_level"], o["name"]) for o in options] == OPTIONS
    assert all(o["evidence"] and o["description"] for o in options)


def test_case_study_has_the_eight_criteria_with_directions_scales_and_equal_weights(first_start_client):
    matrix_id = first_start_client.get("/api/v1/matrices").json()["items"][0]["id"]
    criteria = first_start_client.get(f"/api/v1/matrices/{matrix_id}").json()["criteria"]

    assert [(c["name"], c["direction"]) for c in criteria] == CRITERIA
    assert {(c["scale_min"], c["scale_max"], c["weight"]) for c in criteria} == {(1.0, 5.0, 1.0)}
    assert all(c["evidence"] and c["description"] for c in criteria)


def test_case_study_quotes_the_report_and_cites_it(first_start_client):
    matrix_id = first_start_client.get("/api/v1/matrices").json()["items"][0]["id"]
    matrix = first_start_client.get(f"/api/v1/matrices/{matrix_id}").json()

    assert "Greenway" in matrix["source"] and "January 27, 2025" in matrix["source"]
    assert "Heritage Foundation Special Report" in matrix["source"]
    risk = next(c for c in matrix["criteria"] if c["direction"] == "cost")
    assert (
        risk["evidence"]
        == "“there are high risks of undesirable response from the Mexican government and drug cartels”"
    )
    legal = next(c for c in matrix["criteria"] if c["name"] == "Legal authority and precedent")
    assert legal["evidence"].split("\n\n") == [
        "“A broad and diverse set of options and legal authorities are available”",
        "“substantial historical precedent for an active U.S. military role in border security”",
    ]


def test_case_study_ships_no_scores_and_recommends_nothing():
    data = json.loads(CASE_STUDY_FILE.read_text(encoding="utf-8"))

    assert not {"scores", "recommended", "ranking"} & set(data)
    assert all(set(o) == {"name", "short_name", "description", "escalation_level", "evidence"} for o in data["options"])


def test_case_study_option_descriptions_say_what_an_option_does_not_what_it_achieves():
    """In the tool's own voice an option is described, never argued for or against: its merits are the
    criteria's to weigh and the seminar's to score (quotations from the report live in `evidence`)."""
    data = json.loads(CASE_STUDY_FILE.read_text(encoding="utf-8"))
    arguing = re.compile(r"\b(freeing|frees|effective|ideal|better|best|worse|worst|benefits?|helps?|costly|risky|"
                         r"dangerous|safe|successful|fails?|needed|necessary)\b", re.I)  # fmt: skip

    assert [o["description"] for o in data["options"] if arguing.search(o["description"])] == []


def test_case_study_ships_the_short_labels_people_use_and_its_scale_meanings(client, case_study_id):
    matrix = client.get(f"/api/v1/matrices/{case_study_id}").json()

    assert [o["short_name"] for o in matrix["options"]] == [
        "CBP support", "Logistics", "Drone interception", "Joint action", "Unilateral action",
    ]  # fmt: skip
    assert all(0 < len(c["short_name"]) <= 40 for c in matrix["criteria"])
    risk = next(c for c in matrix["criteria"] if c["name"].startswith("Risk of an undesirable response"))
    assert (risk["short_name"], risk["scale_low_label"], risk["scale_high_label"]) == ("Risk", "low risk", "high risk")
    assert all(c["scale_low_label"] and c["scale_high_label"] for c in matrix["criteria"])


def test_a_second_start_does_not_load_it_again(databases):
    settings = Settings(database_url=databases.new_url())
    with TestClient(create_app(settings)):
        pass
    engine = create_db_engine(settings.database_url)
    with Session(engine) as session:
        for matrix in session.exec(select(Matrix)).all():
            session.delete(matrix)
        session.add(Matrix(title="Our own"))
        session.commit()

    with TestClient(create_app(settings)):
        pass

    with Session(engine) as session:
        assert [m.title for m in session.exec(select(Matrix)).all()] == ["Our own"]
    engine.dispose()


def test_the_case_study_data_lives_inside_the_package():
    assert CASE_STUDY_FILE.is_file()
    assert "optionsmatrix" in CASE_STUDY_FILE.parts
