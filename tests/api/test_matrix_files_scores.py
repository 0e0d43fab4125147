"""A matrix's stored scores in its files: exports write them, imports store them, and a round trip keeps them."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MEDIA = {"json": "application/json", "csv": "text/csv", "xlsx": XLSX}


@pytest.fixture
def scored(client, make_matrix) -> dict:
    """Every attribute the grid carries set, and scores with a blank cell and a score between the points."""
    matrix = make_matrix(
        title="Library site",
        criteria=[
            {"name": "Cost", "short_name": "€", "direction": "cost", "weight": 2, "scale_low_label": "cheap",
             "scale_high_label": "dear"},
            {"name": "Access", "direction": "benefit", "scale_min": 0, "scale_max": 10},
        ],
    )  # fmt: skip
    (riverside, old_town, campus), (cost, access) = (
        [str(o["id"]) for o in matrix["options"]], [str(c["id"]) for c in matrix["criteria"]],
    )  # fmt: skip
    response = client.put(
        f"/api/v1/matrices/{matrix['id']}/scores",
        json={riverside: {cost: 4, access: 7.5}, old_town: {access: 0}, campus: {cost: 1, access: 10}},
    )
    assert response.status_code == 200, response.text
    return response.json()


def _export(client, matrix_id: int, format: str):  # noqa: A002
    response = client.get(f"/api/v1/matrices/{matrix_id}/export", params={"format": format})
    assert response.status_code == 200, response.text
    return response


def _round_trip(client, matrix: dict, format: str) -> tuple[bytes, bytes, dict]:  # noqa: A002
    first = _export(client, matrix["id"], format).content
    imported = client.post(
        "/api/v1/matrices/import", files={"file": (f"Library site.{format}", first, MEDIA[format])}
    )
    assert imported.status_code == 201, imported.text
    second = _export(client, imported.json()["id"], format).content
    return first, second, imported.json()


def _scores_by_name(matrix: dict) -> dict:
    options = {str(o["id"]): o["name"] for o in matrix["options"]}
    criteria = {str(c["id"]): c["name"] for c in matrix["criteria"]}
    return {options[o]: {criteria[c]: v for c, v in row.items()} for o, row in matrix["scores"].items()}


EXPECTED = {
    "Riverside": {"Cost": 4.0, "Access": 7.5}, "Old town": {"Access": 0.0}, "Campus": {"Cost": 1.0, "Access": 10.0},
}  # fmt: skip


def test_the_json_document_carries_the_scores_by_name(client, scored):
    document = _export(client, scored["id"], "json").json()

    assert document["matrix"]["scores"] == {
        "Riverside": {"Cost": 4, "Access": 7.5}, "Old town": {"Access": 0}, "Campus": {"Cost": 1, "Access": 10},
    }  # fmt: skip


def test_the_csv_option_rows_carry_the_scores(client, scored):
    rows = _export(client, scored["id"], "csv").content.decode("utf-8-sig").splitlines()

    assert rows[0] == "option,Cost,Access"
    assert rows[-3:] == ["Riverside,4,7.5", "Old town,,0", "Campus,1,10"]


def test_the_xlsx_first_sheet_carries_the_scores_as_numbers(client, scored):
    workbook = load_workbook(io.BytesIO(_export(client, scored["id"], "xlsx").content))
    sheet = workbook.worksheets[0]

    assert [list(row) for row in sheet.iter_rows(min_row=9, values_only=True)] == [
        ["Riverside", 4, 7.5], ["Old town", None, 0], ["Campus", 1, 10],
    ]  # fmt: skip


def test_json_export_import_export_is_the_same_document_scores_included(client, scored):
    first, second, imported = _round_trip(client, scored, "json")

    assert second == first
    assert _scores_by_name(imported) == EXPECTED
    assert imported["id"] != scored["id"] and set(imported["scores"]).isdisjoint(scored["scores"])


def test_csv_export_import_export_is_the_same_file_scores_included(client, scored):
    first, second, imported = _round_trip(client, scored, "csv")

    assert second == first
    assert _scores_by_name(imported) == EXPECTED


def test_xlsx_export_import_export_gives_the_same_sheets_scores_included(client, scored):
    """Every sheet's cells are equal: what the grid carries comes back, and this matrix holds nothing else.

    (An import reads the first sheet only, so descriptions, evidence and the options' short names and levels,
    which only the Options and Criteria sheets hold, would not come back; this matrix has none.)
    """
    first, second, imported = _round_trip(client, scored, "xlsx")

    def cells(content: bytes) -> dict[str, list[list[object]]]:
        workbook = load_workbook(io.BytesIO(content))
        return {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in workbook}

    assert cells(second) == cells(first)
    assert list(cells(first)) == ["Matrix", "Options", "Criteria"]
    assert _scores_by_name(imported) == EXPECTED


def test_an_export_from_the_shared_link_and_the_page_carries_the_scores_too(client, anonymous, scored):
    secret = client.post(f"/api/v1/matrices/{scored['id']}/share-link").json()["url"].rsplit("/", 1)[-1]

    shared = anonymous.get(f"/shared/{secret}/export", params={"format": "csv"})
    page = client.get(f"/matrices/{scored['id']}/export", params={"format": "csv"})

    assert shared.content == page.content == _export(client, scored["id"], "csv").content
    assert shared.content.decode("utf-8-sig").splitlines()[-1] == "Campus,1,10"


def test_an_import_with_an_out_of_scale_score_creates_nothing(client, session):
    from optionsmatrix.services.matrices import count_matrices

    before = count_matrices(session)
    response = client.post(
        "/api/v1/matrices/import",
        files={"file": ("x.csv", b"option,Cost\nscale_max,3\nRiverside,4\n", "text/csv")},
    )

    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"] == 'row 3, column "Cost": 4 is outside the scale 1 to 3'
    assert count_matrices(session) == before
