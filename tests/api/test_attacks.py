"""Defects found by attacking the API (schemathesis and by hand), each pinned through HTTP."""

from urllib.parse import quote

import pytest

# Path ids ------------------------------------------------------------------------

# Each spelling of an existing id (here 12) that int() or pydantic's lax mode would read as it.
LAX_SPELLINGS = {
    "underscore": lambda n: f"{str(n)[0]}_{str(n)[1:]}",
    "plus": lambda n: f"+{n}",
    "leading-space": lambda n: f" {n}",
    "trailing-space": lambda n: f"{n} ",
    "newline": lambda n: f"\n{n}",
    "decimal-point": lambda n: f"{n}.0",
    "full-width": lambda n: "".join(chr(0xFF10 + int(d)) for d in str(n)),
    "hex": hex,
}


def _at_least_two_digit_id(make) -> int:
    ids = [make() for _ in range(12)]
    return next(i for i in ids if i >= 10)


@pytest.mark.parametrize("spell", LAX_SPELLINGS.values(), ids=LAX_SPELLINGS.keys())
def test_a_matrix_id_in_the_path_is_plain_digits_not_anything_int_accepts(client, make_matrix, spell):
    matrix_id = _at_least_two_digit_id(lambda: make_matrix(title="M", options=[], criteria=[])["id"])

    response = client.get(f"/api/v1/matrices/{quote(spell(matrix_id), safe='')}")

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["path", "matrix_id"]


@pytest.mark.parametrize("spell", LAX_SPELLINGS.values(), ids=LAX_SPELLINGS.keys())
def test_an_item_id_in_the_path_is_plain_digits(client, make_matrix, spell):
    matrix = make_matrix(options=[{"name": f"O{n}"} for n in range(12)])
    option_id = _at_least_two_digit_id(iter(o["id"] for o in matrix["options"]).__next__)
    path = f"/api/v1/matrices/{matrix['id']}/options/{quote(spell(option_id), safe='')}"

    patched = client.patch(path, json={"name": "Renamed"})
    deleted = client.delete(path)

    assert (patched.status_code, deleted.status_code) == (422, 422)
    assert client.get(f"/api/v1/matrices/{matrix['id']}").json() == matrix


@pytest.mark.parametrize("spell", LAX_SPELLINGS.values(), ids=LAX_SPELLINGS.keys())
def test_a_token_id_in_the_path_is_plain_digits(client, spell):
    token_id = _at_least_two_digit_id(lambda: client.post("/api/v1/tokens", json={"name": "spare"}).json()["id"])

    response = client.delete(f"/api/v1/tokens/{quote(spell(token_id), safe='')}")

    assert response.status_code == 422
    assert next(t for t in client.get("/api/v1/tokens").json() if t["id"] == token_id)["revoked_at"] is None


def test_plain_digit_ids_still_work(client, make_matrix):
    matrix = make_matrix()

    assert client.get(f"/api/v1/matrices/{matrix['id']}").status_code == 200
    assert client.get(f"/api/v1/matrices/00{matrix['id']}").status_code == 200  # leading zeros are still digits
    assert client.get("/api/v1/matrices/2147483647").status_code == 404
    assert client.get("/api/v1/matrices/2147483648").status_code == 422


# Who may call what, as the schema says it -------------------------------------------


def _token_optional(operation) -> bool:
    security = operation.get("security")
    return not security or {} in security


def test_the_schema_says_the_token_is_optional_exactly_where_anonymous_reads_succeed(anonymous, case_study_id):
    schema = anonymous.get("/api/v1/openapi.json").json()
    reads = {
        "/api/v1/matrices": "/api/v1/matrices",
        "/api/v1/matrices/{matrix_id}": f"/api/v1/matrices/{case_study_id}",
        "/api/v1/tokens": "/api/v1/tokens",
    }

    for documented, concrete in reads.items():
        operation = schema["paths"][documented]["get"]
        anonymous_answer = anonymous.get(concrete).status_code
        assert _token_optional(operation) is (anonymous_answer == 200), (documented, anonymous_answer)
        assert {"HTTPBearer": []} in operation["security"], documented  # a token is always understood


# The Authorization header -------------------------------------------------------------

NO_BEARER_TOKEN = {
    "bearer-alone": "Bearer",
    "bearer-and-spaces": "Bearer   ",
    "basic": "Basic b3duZXI6cGFzc3dvcmQ=",
    "other-scheme": "Token {secret}",
    "bare-secret": "{secret}",
    "tab-not-space": "Bearer\t{secret}",
    "empty": "",
}


@pytest.mark.parametrize("header", NO_BEARER_TOKEN.values(), ids=NO_BEARER_TOKEN.keys())
def test_an_authorization_header_without_a_bearer_token_is_refused_not_read_as_anonymous(
    client, anonymous, make_matrix, case_study_id, header
):
    own = make_matrix()
    secret = client.headers["Authorization"].removeprefix("Bearer ")
    sent = {"Authorization": header.format(secret=secret)}

    answers = [
        anonymous.get("/api/v1/matrices", headers=sent),
        anonymous.get(f"/api/v1/matrices/{case_study_id}", headers=sent),
        anonymous.get(f"/api/v1/matrices/{own['id']}", headers=sent),  # not a misleading 404
    ]

    assert [answer.status_code for answer in answers] == [401, 401, 401]
    assert all(answer.headers["www-authenticate"] == "Bearer" for answer in answers)


@pytest.mark.parametrize("header", ["Bearer {secret}", "bearer {secret}", "BEARER {secret}", "Bearer   {secret}  "])
def test_a_bearer_token_is_read_whatever_the_case_of_the_scheme_and_the_spacing(client, anonymous, make_matrix, header):
    own = make_matrix()
    secret = client.headers["Authorization"].removeprefix("Bearer ")

    response = anonymous.get(f"/api/v1/matrices/{own['id']}", headers={"Authorization": header.format(secret=secret)})

    assert response.status_code == 200


@pytest.mark.parametrize("token", ["x" * 8000, "\u00e9t\u00e9", "a b c", "\x00"])
def test_a_huge_or_strange_bearer_token_is_a_plain_401(anonymous, token):
    response = anonymous.get("/api/v1/matrices", headers={"Authorization": f"Bearer {token}".encode()})

    assert response.status_code == 401


# Methods a path does not serve ----------------------------------------------------------


def _allow(response) -> set[str]:
    return {method.strip() for method in response.headers["allow"].split(",")}


def test_every_documented_path_answers_an_unserved_method_with_405_listing_all_it_serves(client, make_matrix):
    matrix = make_matrix()
    ids = {
        "matrix_id": matrix["id"],
        "option_id": matrix["options"][0]["id"],
        "criterion_id": matrix["criteria"][0]["id"],
        "token_id": client.get("/api/v1/tokens").json()[0]["id"],
    }
    seminar = client.post(f"/api/v1/matrices/{matrix['id']}/sessions", json={}).json()
    joined = client.post("/api/v1/sessions/join", json={"join_code": seminar["join_code"]}).json()
    ids |= {"session_id": seminar["id"], "participant_id": joined["participant_id"], "secret": "no-such-link"}
    schema = client.get("/api/v1/openapi.json").json()

    for documented, operations in schema["paths"].items():
        path = documented.format(**ids)
        served = {method.upper() for method in operations}
        for method in {"GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"} - served:
            response = client.request(method, path)
            assert response.status_code == 405, (method, documented, response.status_code, response.text)
            assert _allow(response) == served, (method, documented)
            assert response.json() == {"detail": "Method Not Allowed"}


@pytest.mark.parametrize("section", ["options", "criteria"])
@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
def test_changing_or_removing_the_order_of_a_list_is_405_not_an_item_id_error(client, make_matrix, section, method):
    matrix = make_matrix()

    response = client.request(method, f"/api/v1/matrices/{matrix['id']}/{section}/order", json={"name": "X"})

    assert response.status_code == 405
    assert _allow(response) == {"PUT"}
    assert client.get(f"/api/v1/matrices/{matrix['id']}").json() == matrix


@pytest.mark.parametrize("segment", ["orders", "order1", "0order", "abc"])
def test_other_non_numeric_item_ids_are_still_422(client, make_matrix, segment):
    matrix = make_matrix()

    response = client.patch(f"/api/v1/matrices/{matrix['id']}/options/{segment}", json={"name": "X"})

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["path", "option_id"]


def test_a_page_answers_an_unserved_method_with_405_and_allow(anonymous):
    response = anonymous.delete("/login")

    assert response.status_code == 405
    assert _allow(response) == {"GET", "POST"}
