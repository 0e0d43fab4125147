"""The OpenAPI schema states every status an operation can answer, and the rules a name must follow."""

import re

import pytest

WRITES = {"post", "put", "patch", "delete"}
ERROR_STATUSES = {"401", "403", "404", "413", "422", "429"}


@pytest.fixture
def schema(anonymous):
    return anonymous.get("/api/v1/openapi.json").json()


def _operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def _expected_statuses(path, method, operation):
    """What each operation can answer, from what it takes: the rules the handlers follow."""
    expected = set()
    if operation.get("security"):  # it reads the bearer token: a wrong one is always a 401
        expected.add("401")
    if "{" in path:  # it looks an id up
        expected.add("404")
    if operation.get("parameters") or "requestBody" in operation:
        expected.add("422")
    if "requestBody" in operation:
        expected.add("413")
    # Copying a matrix, or starting a session on it, only reads it: anyone who may read it may.
    changes_a_matrix = path.startswith("/api/v1/matrices/{matrix_id}") and not path.endswith(("/copy", "/sessions"))
    if method in WRITES and changes_a_matrix:  # someone else's public matrix is read-only
        expected.add("403")
    if path == "/api/v1/auth/login":
        expected |= {"401", "429"}
    return expected


def test_every_operation_documents_each_error_status_it_can_answer(schema):
    missing = {
        f"{method.upper()} {path}": sorted(_expected_statuses(path, method, operation) - set(operation["responses"]))
        for path, method, operation in _operations(schema)
    }

    assert {operation: statuses for operation, statuses in missing.items() if statuses} == {}


def test_every_write_and_the_token_list_document_401(schema):
    for path, method, operation in _operations(schema):
        token_free = (
            "/api/v1/auth/login",
            "/api/v1/analyze",
            "/api/v1/weights",
            "/api/v1/sensitivity",
            "/api/v1/sessions/join",
        )
        if method in WRITES and path not in token_free:
            assert "401" in operation["responses"], f"{method.upper()} {path}"
    assert "401" in schema["paths"]["/api/v1/tokens"]["get"]["responses"]


@pytest.mark.parametrize("section", ["options", "criteria"])
@pytest.mark.parametrize("method", ["patch", "delete"])
def test_changing_or_removing_an_option_or_criterion_documents_403_and_404(schema, section, method):
    item = "option_id" if section == "options" else "criterion_id"
    responses = schema["paths"][f"/api/v1/matrices/{{matrix_id}}/{section}/{{{item}}}"][method]["responses"]

    assert {"401", "403", "404", "422"} <= set(responses)
    assert ("413" in responses) is (method == "patch")


def test_every_documented_error_has_a_json_shape(schema):
    for path, method, operation in _operations(schema):
        for status, response in operation["responses"].items():
            if status in ERROR_STATUSES:
                assert "schema" in response["content"]["application/json"], f"{status} of {method.upper()} {path}"


def test_operations_without_a_body_do_not_claim_413(schema):
    for path, method, operation in _operations(schema):
        if "requestBody" not in operation:
            assert "413" not in operation["responses"], f"{method.upper()} {path}"


@pytest.mark.parametrize(
    ("model", "field", "max_length"),
    [
        ("OptionCreate", "name", 200),
        ("CriterionUpdate", "name", 200),
        ("MatrixCreate", "title", 200),
        ("MatrixCopy", "title", 200),
        ("TokenCreate", "name", 200),
        ("CriterionIn", "name", 200),
    ],
)
def test_label_rules_are_in_the_schema(schema, model, field, max_length):
    rules = schema["components"]["schemas"][model]["properties"][field]

    assert rules["maxLength"] == max_length and rules["minLength"] == 1
    assert rules["pattern"]
    assert "not blank" in rules["description"] and "NFKC" in rules["description"]


LABEL_SAMPLES = [
    "Cost",
    "  Old town ",
    "Caf\u00e9",
    "Cafe\u0301",
    "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",
    "\U0001f469\u200d\U0001f4bb",
    "a\u00a0b",
    "",
    "   ",
    "\u200b",
    "\ufeff",
    "Co\u200bst",
    "a\nb",
    "a\tb",
    "x\u202e",
    "\u200dab",
    "ab\u200d",
    "a\u200d b",
    "x\u0085",
    "x\u2028y",
    "Cost\n",
]
TEXT_SAMPLES = [
    "",
    "p. 4",
    "one\ntwo",
    "one\r\ntwo",
    "tab\there",
    "x\u0085",
    "x\x1b",
    "left \u202eright",
    "a\u2069",
    "zw\u200bsp",
]


def test_the_published_label_pattern_means_what_the_api_checks(schema, client, make_matrix):
    matrix = make_matrix(options=[])
    pattern = schema["components"]["schemas"]["OptionCreate"]["properties"]["name"]["pattern"]

    for name in LABEL_SAMPLES:
        # JSON Schema's `$` is the very end; Python's also matches before a final newline.
        matches = re.search(pattern, name) is not None and not name.endswith("\n")
        response = client.post(f"/api/v1/matrices/{matrix['id']}/options", json={"name": name})
        assert (response.status_code == 201) is matches, repr(name)
        if matches:  # removed again, so that only the character rules decide, not duplicates
            client.delete(f"/api/v1/matrices/{matrix['id']}/options/{response.json()['id']}")


def test_the_published_text_pattern_means_what_the_api_checks(schema, client, make_matrix):
    matrix = make_matrix(options=[])
    pattern = schema["components"]["schemas"]["OptionCreate"]["properties"]["evidence"]["pattern"]

    for index, text in enumerate(TEXT_SAMPLES):
        matches = re.search(pattern, text) is not None
        body = {"name": f"Option {index}", "evidence": text}  # a new name each time: no duplicates
        status = client.post(f"/api/v1/matrices/{matrix['id']}/options", json=body).status_code
        assert (status == 201) is matches, repr(text)
