"""What schema fuzzing (tests/test_schema_fuzzing.py) found, pinned as ordinary tests."""

from __future__ import annotations

import json
import re

import pytest
from pydantic_core import PydanticCustomError

from optionsmatrix.schemas.matrices import read_version


@pytest.fixture
def schema(anonymous):
    return anonymous.get("/api/v1/openapi.json").json()


def _walk(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def test_no_schema_uses_a_name_rule_as_a_regex_key(schema):
    # The name rule's pattern holds a lone-surrogate range that regex engines
    # without surrogates (Rust's, Go's) cannot compile: as a `pattern` a
    # validator may skip it, as a `patternProperties` key it rejects the whole
    # document (schemathesis refused to test export and import).
    keys = [key for node in _walk(schema) for key in node.get("patternProperties", {})]
    assert keys  # ids as keys (ballots) keep their plain pattern
    assert [key for key in keys if "\ud800" in key or not key.isascii()] == []


def test_a_documents_scores_still_refuse_a_name_that_breaks_the_name_rule(client):
    document = {
        "format": "optionsmatrix", "version": 1, "kind": "matrix",
        "matrix": {"title": "T", "options": [{"name": "A"}], "criteria": [{"name": "Cost"}],
                   "scores": {"A\u200b": {"Cost": 3}}},
    }  # fmt: skip

    response = client.post("/api/v1/matrices/import", json=document)

    assert response.status_code == 422
    assert "U+200B" in response.text


def _if_match_schema(schema):
    operation = schema["paths"]["/api/v1/matrices/{matrix_id}"]["patch"]
    [header] = [p for p in operation["parameters"] if p["name"] == "If-Match"]
    return header["schema"]


def test_if_match_is_published_as_the_text_the_server_takes(schema):
    # It was `integer | null`: a fuzzer sent "If-Match: null", schema-valid, and got a 422.
    published = _if_match_schema(schema)
    assert published["type"] == "string"
    pattern = re.compile(published["pattern"])

    for value in ["7", '"7"', 'W/"7"', "*", "007", "123456789", "0", "00", "1234567890", "null", "7.0", "-1", "", '"'
                  , "W/", "1e3"]:  # fmt: skip
        try:
            read_version(value)
            accepted = True
        except PydanticCustomError:
            accepted = False
        assert bool(pattern.fullmatch(value)) == accepted, value


def test_if_match_null_is_a_422_naming_the_header(client, make_matrix):
    matrix = make_matrix()

    response = client.patch(f"/api/v1/matrices/{matrix['id']}", json={"title": "New"}, headers={"If-Match": "null"})

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["header", "If-Match"]


def test_an_import_with_too_many_multipart_fields_is_a_422_not_an_undocumented_400(client):
    fields = {f"extra{i}": "x" for i in range(6)}
    files = {"file": ("m.json", json.dumps({"format": "optionsmatrix"}), "application/json")}

    response = client.post("/api/v1/matrices/import", data=fields, files=files)

    assert response.status_code == 422, response.text
    [problem] = response.json()["detail"]
    assert problem["loc"][-1] == "file" and "multipart" in problem["msg"]
