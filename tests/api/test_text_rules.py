"""Names and texts: Unicode that looks alike is stored alike, and invisible characters are refused."""

import json

import pytest

CAFE_COMPOSED = "Caf\u00e9"
CAFE_DECOMPOSED = "Cafe\u0301"


def _add(client, matrix_id, section, **fields):
    return client.post(f"/api/v1/matrices/{matrix_id}/{section}", json=fields)


def _messages(response):
    return [error["msg"] for error in response.json()["detail"]]


@pytest.mark.parametrize("section", ["options", "criteria"])
@pytest.mark.parametrize(
    ("existing", "lookalike"),
    [
        ("Cost", "Co\u200bst"),  # a zero-width space inside: refused outright
        (CAFE_COMPOSED, CAFE_DECOMPOSED),  # the same word, the accent typed separately
        (CAFE_DECOMPOSED, CAFE_COMPOSED),
        ("Cost", "\uff23\uff4f\uff53\uff54"),  # full-width letters
        ("Old town", "old\u00a0TOWN"),  # a no-break space and another case
        ("Cost", "Co\u200dst"),  # a joiner between letters is allowed, but not to tell names apart
        ("Cost", "Cost\ufe00"),  # nor a variation selector after one
        ("Cost", "Cost\u180b"),  # (Mongolian's too)
        ("Cost", "Cost\u17b4"),  # a Khmer inherent vowel draws nothing: refused outright
        ("Cost", "Cost\U000e0080"),  # an unassigned default-ignorable code point
    ],
    ids=["zero-width-space", "decomposed", "composed", "full-width", "no-break-space", "joiner", "selector",
         "mongolian-selector", "khmer-inherent-vowel", "unassigned-ignorable"],
)
def test_a_name_that_only_looks_different_is_refused(client, make_matrix, section, existing, lookalike):
    matrix = make_matrix(
        options=[{"name": existing}, {"name": "Other"}], criteria=[{"name": existing}, {"name": "Other"}]
    )

    response = _add(client, matrix["id"], section, name=lookalike)

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "name"]
    assert len(client.get(f"/api/v1/matrices/{matrix['id']}").json()[section]) == 2


def test_the_two_spellings_of_a_name_inside_one_new_matrix_clash(client):
    body = {"title": "T", "options": [{"name": CAFE_COMPOSED}, {"name": CAFE_DECOMPOSED}]}

    response = client.post("/api/v1/matrices", json=body)

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "options", 1, "name"]


def test_names_and_titles_are_stored_in_their_normalised_form(client, make_matrix):
    matrix = make_matrix(
        title="\uff2c\uff49\uff42\uff52\uff41\uff52\uff59",  # full-width "Library"
        options=[{"name": CAFE_DECOMPOSED}],
        criteria=[{"name": "Floor\u00a0space"}],
    )

    assert matrix["title"] == "Library"
    assert matrix["options"][0]["name"] == CAFE_COMPOSED
    assert matrix["criteria"][0]["name"] == "Floor space"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("\u200b", "U+200B (zero width space)"),
        ("\ufeff", "U+FEFF (zero width no-break space)"),
        ("Cost\u202e", "U+202E (right-to-left override)"),
        ("a\u2066b", "U+2066 (left-to-right isolate)"),
        ("Co\u00adst", "U+00AD (soft hyphen)"),
        ("Cost\u0085", "line break"),
        ("Cost\u009b", "U+009B"),
        ("Cost\u2028more", "line break"),
        ("\u200dCost", "a joiner may only stand between two visible characters"),
        ("Cost \u200c", "a joiner may only stand between two visible characters"),
        ("\u3000 ", "Must not be empty"),
        ("\u3164", "U+3164 (hangul filler)"),  # letters and symbols that draw nothing: a blank title
        ("Co\u1160st", "U+1160 (hangul jungseong filler)"),
        ("\u2800", "U+2800 (braille pattern blank)"),
        ("\u034f", "U+034F (combining grapheme joiner)"),
        ("\ufe0f", "U+FE0F (variation selector-16): it may only follow a visible character"),
        ("\ufe0fCost", "it may only follow a visible character"),
    ],
)
def test_invisible_characters_in_a_name_are_refused_with_a_plain_message(client, make_matrix, name, message):
    matrix = make_matrix()

    response = _add(client, matrix["id"], "options", name=name)

    assert response.status_code == 422
    (text,) = _messages(response)
    assert message in text
    assert text[0].isupper() and text.endswith(".")


@pytest.mark.parametrize(
    ("path", "body", "loc"),
    [
        ("/api/v1/matrices", {"title": "\u200b"}, ["body", "title"]),
        ("/api/v1/matrices", {"title": "Seminar\u202eB"}, ["body", "title"]),
        ("/api/v1/tokens", {"name": "\ufeff"}, ["body", "name"]),
        ("/api/v1/tokens", {"name": "script\u200b"}, ["body", "name"]),
    ],
)
def test_titles_and_token_names_follow_the_same_rules(client, path, body, loc):
    response = client.post(path, json=body)

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == loc


@pytest.mark.parametrize(
    "name",
    [
        "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645", "\U0001f469\u200d\U0001f4bb",
        "I \u2764\ufe0f NY", "\u845b\U000e0100",  # a variation selector after the glyph it selects a form of
    ],
)
def test_a_joiner_between_two_visible_characters_or_a_selector_after_one_is_kept(client, make_matrix, name):
    matrix = make_matrix()

    response = _add(client, matrix["id"], "options", name=name)

    assert response.status_code == 201
    assert response.json()["name"] == name


@pytest.mark.parametrize("field", ["description", "evidence"])
@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Quoted\u0085here", "U+0085"),
        ("Quoted\u009bhere", "U+009B"),
        ("Quoted\x1bhere", "U+001B"),
        ("Quoted \u202eereh", "direction overrides and isolates"),
        ("Quoted \u2067here\u2069", "direction overrides and isolates"),
    ],
)
def test_control_characters_and_direction_overrides_in_text_are_refused(client, make_matrix, field, text, message):
    matrix = make_matrix()

    response = _add(client, matrix["id"], "options", name="New", **{field: text})

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", field]
    assert message in response.json()["detail"][0]["msg"]


def test_text_keeps_tabs_newlines_and_joiners_and_ends_lines_with_newline(client, make_matrix):
    matrix = make_matrix()
    evidence = (
        "First line,\r\nsecond\tline;\rthird with a soft\u00adhyphen and "
        "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"
    )

    response = _add(client, matrix["id"], "options", name="New", evidence=evidence)

    assert response.status_code == 201
    assert response.json()["evidence"] == evidence.replace("\r\n", "\n").replace("\r", "\n")


@pytest.mark.parametrize("field", ["title", "description"])
def test_an_unpaired_surrogate_is_a_422_not_a_database_error(client, field):
    body = '{"title": "T", "%s": "broken \\ud800 text"}' % field

    response = client.post("/api/v1/matrices", content=body, headers={"content-type": "application/json"})

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", field]
    assert client.get("/api/v1/matrices").json()["total"] == 0


def test_a_name_that_grows_past_the_limit_when_normalised_is_refused(client, make_matrix):
    matrix = make_matrix()
    name = "\ufdfa" * 12  # one character each, 18 once written out

    response = _add(client, matrix["id"], "options", name=name)

    assert response.status_code == 422
    assert "at most 200 characters" in json.dumps(response.json())
