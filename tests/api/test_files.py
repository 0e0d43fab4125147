"""Matrices as files over the API: export (JSON, CSV, XLSX), import, and every way a file can be refused."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from optionsmatrix.limits import MAX_BODY_BYTES, MAX_UPLOAD_BYTES
from optionsmatrix.services.matrices import count_matrices

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

GOOD_CSV = (
    "option,Cost,Access\r\n"
    "direction,cost,benefit\r\n"
    "weight,2,1\r\n"
    "scale_min,1,0\r\n"
    "scale_max,5,10\r\n"
    "Riverside,4,7.5\r\n"
    "Old town,,3\r\n"
)


def _import(client, content: bytes | str, filename: str = "Library sites.csv", media_type: str = "text/csv"):
    if isinstance(content, str):
        content = content.encode("utf-8")
    return client.post("/api/v1/matrices/import", files={"file": (filename, content, media_type)})



def scores_by_name(matrix: dict) -> dict[str, dict[str, float]]:
    """A matrix response's `scores`, keyed by option and criterion names instead of ids."""
    options = {str(o["id"]): o["name"] for o in matrix["options"]}
    criteria = {str(c["id"]): c["name"] for c in matrix["criteria"]}
    return {options[o]: {criteria[c]: v for c, v in row.items()} for o, row in matrix["scores"].items()}


def _message(response) -> str:
    assert response.status_code == 422, response.text
    return response.json()["detail"][0]["msg"]


# Export ------------------------------------------------------------------------------


def test_json_round_trip_of_the_case_study_is_lossless(client, case_study_id):
    first = client.get(f"/api/v1/matrices/{case_study_id}/export?format=json")
    assert first.status_code == 200
    assert first.headers["content-type"] == "application/json"

    imported = client.post("/api/v1/matrices/import", json=first.json())
    assert imported.status_code == 201, imported.text
    again = client.get(f"/api/v1/matrices/{imported.json()['id']}/export?format=json")

    assert again.json() == first.json()
    original = client.get(f"/api/v1/matrices/{case_study_id}").json()
    copy = imported.json()
    for item in ("options", "criteria"):
        strip = [{k: v for k, v in x.items() if k != "id"} for x in original[item]]
        assert [{k: v for k, v in x.items() if k != "id"} for x in copy[item]] == strip
    assert copy["is_public"] is False and copy["scores"] == {}


def test_json_export_is_a_versioned_document_keyed_by_names(client, make_matrix):
    matrix = make_matrix(title="Café — sites (2025)")

    response = client.get(f"/api/v1/matrices/{matrix['id']}/export")

    document = response.json()
    assert {k: document[k] for k in ("format", "version", "kind")} == {
        "format": "optionsmatrix", "version": 1, "kind": "matrix",
    }  # fmt: skip
    assert document["matrix"]["title"] == "Café — sites (2025)"
    assert [o["name"] for o in document["matrix"]["options"]] == ["Riverside", "Old town", "Campus"]
    assert document["matrix"]["criteria"][0] == {
        "name": "Cost", "short_name": "", "description": "", "direction": "cost", "weight": 2.0, "scale_min": 1.0,
        "scale_max": 5.0, "scale_low_label": "", "scale_high_label": "", "evidence": "",
    }  # fmt: skip
    assert document["matrix"]["scores"] == {}
    assert '"id"' not in json.dumps(document) and 'created_at' not in json.dumps(document)
    assert response.headers["content-disposition"] == (
        "attachment; filename=\"cafe-sites-2025.json\"; "
        "filename*=UTF-8''Caf%C3%A9%20%E2%80%94%20sites%20%282025%29.json"
    )


def test_csv_export_has_a_bom_all_seven_attribute_rows_and_imports_back(client, make_matrix):
    matrix = make_matrix()

    response = client.get(f"/api/v1/matrices/{matrix['id']}/export?format=csv")

    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"].startswith('attachment; filename="library-site.csv"')
    assert response.content.startswith(b"\xef\xbb\xbf")
    lines = response.content.decode("utf-8-sig").split("\r\n")
    assert lines[:9] == [
        "option,Cost,Access", "direction,cost,benefit", "weight,2,1", "scale_min,1,1", "scale_max,5,5",
        "short_name,,", "scale_low_label,,", "scale_high_label,,", "Riverside,,",
    ]  # fmt: skip
    imported = _import(client, response.content, filename="library-site.csv")
    assert imported.status_code == 201, imported.text
    again = client.get(f"/api/v1/matrices/{imported.json()['id']}/export?format=csv")
    assert again.content == response.content
    assert imported.json()["title"] == "library-site"


def test_xlsx_export_opens_with_its_sheets_header_values_and_frozen_pane(client, make_matrix):
    matrix = make_matrix(options=[{"name": "=HYPERLINK(\"x\")", "escalation_level": 2, "evidence": "quoted"}])

    response = client.get(f"/api/v1/matrices/{matrix['id']}/export?format=xlsx")

    assert response.headers["content-type"] == XLSX
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Matrix", "Options", "Criteria"]
    grid = workbook["Matrix"]
    rows = [list(r) for r in grid.iter_rows(values_only=True)]
    assert rows[0] == ["option", "Cost", "Access"]
    assert rows[1] == ["direction", "cost", "benefit"]
    assert rows[2] == ["weight", 2, 1]
    assert rows[8] == ['=HYPERLINK("x")', None, None]
    assert grid.cell(9, 1).data_type == "s"  # a name, never a formula a spreadsheet would run
    assert grid.freeze_panes == "B9"
    assert grid.cell(1, 1).font.bold
    options = [list(r) for r in workbook["Options"].iter_rows(values_only=True)]
    assert options == [
        ["name", "short_name", "escalation_level", "description", "evidence"],
        ['=HYPERLINK("x")', None, 2, None, "quoted"],
    ]
    criteria = [list(r) for r in workbook["Criteria"].iter_rows(values_only=True)]
    assert criteria[1][:6] == ["Cost", None, "cost", 2, 1, 5]
    assert workbook.properties.title == "Library site"


def test_xlsx_export_imports_back_with_its_title(client, make_matrix):
    matrix = make_matrix()
    exported = client.get(f"/api/v1/matrices/{matrix['id']}/export?format=xlsx")

    imported = _import(client, exported.content, filename="whatever.xlsx", media_type=XLSX)

    assert imported.status_code == 201, imported.text
    body = imported.json()
    assert body["title"] == "Library site"
    assert [(c["name"], c["direction"], c["weight"]) for c in body["criteria"]] == [
        ("Cost", "cost", 2.0), ("Access", "benefit", 1.0),
    ]  # fmt: skip
    assert [o["name"] for o in body["options"]] == ["Riverside", "Old town", "Campus"]


def test_export_in_another_format_is_refused(client, make_matrix):
    matrix = make_matrix()

    assert client.get(f"/api/v1/matrices/{matrix['id']}/export?format=pdf").status_code == 422


# Import ------------------------------------------------------------------------------


def test_csv_import_reads_attributes_options_and_scores(client, session):
    before = count_matrices(session)

    response = _import(client, GOOD_CSV)

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["title"] == "Library sites"
    assert body["is_public"] is False
    assert [(c["name"], c["direction"], c["weight"], c["scale_min"], c["scale_max"]) for c in body["criteria"]] == [
        ("Cost", "cost", 2.0, 1.0, 5.0), ("Access", "benefit", 1.0, 0.0, 10.0),
    ]  # fmt: skip
    assert [o["name"] for o in body["options"]] == ["Riverside", "Old town"]
    assert scores_by_name(body) == {"Riverside": {"Cost": 4.0, "Access": 7.5}, "Old town": {"Access": 3.0}}
    assert count_matrices(session) == before + 1
    assert client.get(f"/api/v1/matrices/{body['id']}").status_code == 200


def test_semicolon_csv_with_bom_and_decimal_commas(client):
    content = "\ufeffOption;Cost, total;Access\r\nDIRECTION;Cost;BENEFIT\r\nweight;1,5;1\r\nRiverside;2,5;4\r\n"

    response = _import(client, content)

    assert response.status_code == 201, response.text
    body = response.json()
    assert [(c["name"], c["direction"], c["weight"]) for c in body["criteria"]] == [
        ("Cost, total", "cost", 1.5), ("Access", "benefit", 1.0),
    ]  # fmt: skip
    assert scores_by_name(body) == {"Riverside": {"Cost, total": 2.5, "Access": 4.0}}


def test_attribute_defaults_and_names_normalised(client):
    response = _import(client, "option,Ｃｏｓｔ\nCafe\u0301,\n")

    assert response.status_code == 201, response.text
    criterion = response.json()["criteria"][0]
    # Only the fields this branch knows: short names and scale meanings arrive with migration 0005.
    assert {k: criterion[k] for k in ("name", "direction", "weight", "scale_min", "scale_max", "evidence")} == {
        "name": "Cost", "direction": "benefit", "weight": 1.0, "scale_min": 1.0, "scale_max": 5.0, "evidence": "",
    }  # fmt: skip
    body = response.json()
    assert body["options"][0]["name"] == "Café"


def test_json_body_import_takes_the_documents_title_and_stores_the_scores(client):
    document = {
        "format": "optionsmatrix", "version": 1, "kind": "matrix",
        "matrix": {
            "title": "Sites", "options": [{"name": "A"}, {"name": "B"}], "criteria": [{"name": "C"}],
            "scores": {"A": {"C": 2}, "B": {"C": 5}},
        },
    }  # fmt: skip

    response = client.post("/api/v1/matrices/import", json=document)

    assert response.status_code == 201, response.text
    assert response.json()["title"] == "Sites"
    assert scores_by_name(response.json()) == {"A": {"C": 2.0}, "B": {"C": 5.0}}


def test_json_file_import(client):
    document = {"format": "optionsmatrix", "version": 1, "kind": "matrix", "matrix": {"title": "From a file"}}

    response = _import(client, json.dumps(document), filename="x.json", media_type="application/json")

    assert response.status_code == 201, response.text
    assert response.json()["title"] == "From a file"


# Refused files: the exact message, and nothing created ---------------------------------------

BAD_CSV = [
    ("option,Cost\nweight,1\nA,1\nB,2\nC,3\nD,high\n", 'row 6, column "Cost": "high" is not a number'),
    ("option,Cost\nA,9\n", 'row 2, column "Cost": 9 is outside the scale 1 to 5'),
    ("option,Cost\nscale_max,10\nA,11\n", 'row 3, column "Cost": 11 is outside the scale 1 to 10'),
    ("name,Cost\nA,1\n", 'row 1, column A: the first cell must be "option" (then one column per criterion); '
                         'it holds "name"'),
    ("option,Cost,cost\nA,1,1\n", 'row 1, column C: criterion "cost" appears more than once (also column B)'),
    ("option,Cost,,Access\nA,1,,1\n", "row 1, column C: the criterion's name is blank"),
    ("option,Cost\nRiverside,1\nRIVERSIDE,2\n", 'row 3, column A: option "RIVERSIDE" appears more than once '
                                                "(also row 2)"),
    ("option,Cost\nCafe\u0301,1\nCafé,2\n", 'row 3, column A: option "Café" appears more than once (also row 2)'),
    ("option,Cost\ndirection,up\n", 'row 2, column "Cost": "up" is not a direction: use benefit or cost'),
    ("option,Cost\nweight,1\nweight,2\n", 'row 3, column A: "weight" appears twice (also row 2)'),
    ("option,Cost\nweight,-1\n", 'row 2, column "Cost": -1 is not a valid weight: '
                                 "Input should be greater than or equal to 0"),
    ("option,Cost\nscale_min,5\nscale_max,1\n", 'column "Cost": the scale must run from a lower to a higher '
                                                "number: scale_min (5) must be less than scale_max (1)"),
    ("option,Cost\nA,1,2\n", "row 2, column C: this value has no criterion above it in row 1"),
    (",Cost\n", 'row 1, column A: the first cell must be "option" (then one column per criterion); it is blank'),
    ("", "the file is empty: the first row must be \"option\" followed by the criteria's names"),
    ("\n\n ,  \n", "the file is empty: the first row must be \"option\" followed by the criteria's names"),
]


@pytest.mark.parametrize(("content", "message"), BAD_CSV, ids=[m for _, m in BAD_CSV])
def test_bad_csv_is_refused_with_the_row_and_column_and_nothing_is_created(client, session, content, message):
    before = count_matrices(session)

    response = _import(client, content)

    assert _message(response) == message
    assert response.json()["detail"][0]["loc"] == ["body", "file"]
    assert count_matrices(session) == before


def test_several_bad_cells_are_reported_together(client):
    response = _import(client, "option,Cost,Access\nA,high,1\nB,2,low\n")

    assert [d["msg"] for d in response.json()["detail"]] == [
        'row 2, column "Cost": "high" is not a number', 'row 3, column "Access": "low" is not a number',
    ]  # fmt: skip


def test_not_a_spreadsheet_at_all(client, session):
    before = count_matrices(session)

    png = _import(client, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", filename="photo.png", media_type="image/png")
    xls = _import(client, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, filename="old.xls")
    fake = _import(client, "option,Cost\n", filename="book.xlsx", media_type=XLSX)
    other_zip = io.BytesIO()
    with zipfile.ZipFile(other_zip, "w") as archive:
        archive.writestr("readme.txt", "hello")
    zipped = _import(client, other_zip.getvalue(), filename="archive.zip", media_type="application/zip")

    assert _message(png).startswith("the file is neither an XLSX workbook nor UTF-8 text (a CSV)")
    assert _message(xls) == (
        "this is an old-style Excel file (.xls); save it as an Excel workbook (.xlsx) or as CSV"
    )
    assert _message(fake) == "the file is named .xlsx but is not an XLSX workbook"
    assert _message(zipped) == "the file is a zip archive but not an XLSX workbook (it has no xl/workbook.xml)"
    assert count_matrices(session) == before


def _workbook(rows) -> bytes:  # noqa: ANN001
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_import_reads_the_first_sheet_with_numbers_and_blank_cells(client):
    rows = [["option", "Cost", "Access"], ["weight", 2, None], ["Riverside", 3, None], [None], ["B", 1, 5]]
    content = _workbook(rows)

    response = _import(client, content, filename="Sites.xlsx", media_type=XLSX)

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["title"] == "Sites"
    assert [c["weight"] for c in body["criteria"]] == [2.0, 1.0]
    assert scores_by_name(body) == {"Riverside": {"Cost": 3.0}, "B": {"Cost": 1.0, "Access": 5.0}}


def test_xlsx_bad_cell_names_row_and_column(client, session):
    before = count_matrices(session)
    content = _workbook([["option", "Leverage"], ["A", 1], ["B", 2], ["C", 3], ["D", 4], ["E", "high"]])

    response = _import(client, content, filename="Sites.xlsx", media_type=XLSX)

    assert _message(response) == 'row 6, column "Leverage": "high" is not a number'
    assert count_matrices(session) == before


def test_xlsx_with_too_many_criteria_or_options_is_refused_early(client):
    wide = _workbook([["option", *(f"C{i}" for i in range(51))]])
    long = _workbook([["option", "C"], *([f"O{i}", 1] for i in range(201))])

    assert _message(_import(client, wide, filename="w.xlsx")) == (
        "row 1: a matrix holds at most 50 criteria; this file has 51 columns after the first"
    )
    assert _message(_import(client, long, filename="l.xlsx")) == (
        "row 202: a matrix holds at most 200 options; this file has more"
    )


def test_a_zip_bomb_is_refused_before_it_is_unpacked(client, session):
    before = count_matrices(session)
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (60 * 1024 * 1024))
    assert len(bomb.getvalue()) < MAX_UPLOAD_BYTES

    response = _import(client, bomb.getvalue(), filename="bomb.xlsx", media_type=XLSX)

    assert _message(response) == "the workbook would unpack to 60 MiB; at most 50 MiB are accepted"
    assert count_matrices(session) == before


def test_a_member_that_compresses_too_well_is_refused(client):
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b" " * (20 * 1024 * 1024))

    response = _import(client, bomb.getvalue(), filename="bomb.xlsx", media_type=XLSX)

    assert "compresses" in _message(response) and "zip bomb" in _message(response)


BAD_DOCUMENTS = [
    ({"format": "other"}, 'this JSON is not an optionsmatrix document: it needs "format": "optionsmatrix", '
                          '"version": 1 and "kind": "matrix"'),
    ({"format": "optionsmatrix", "version": 2, "kind": "matrix"},
     "this document is version 2 of the optionsmatrix format; this installation reads version 1"),
    ({"format": "optionsmatrix", "version": 1, "kind": "matrix", "matrix": {"title": "T", "extra": 1}},
     "matrix.extra: Extra inputs are not permitted"),
    ({"format": "optionsmatrix", "version": 1, "kind": "matrix",
      "matrix": {"title": "T", "options": [{"name": "A"}, {"name": " a "}]}},
     "matrix.options[1].name: 'a' appears more than once in options (also at [0])"),
    ({"format": "optionsmatrix", "version": 1, "kind": "matrix",
      "matrix": {"title": "T", "options": [{"name": "A"}], "criteria": [{"name": "C"}], "scores": {"A": {"C": 6}}}},
     "matrix.scores['A']['C']: 6 is outside the scale 1 to 5"),
    ({"format": "optionsmatrix", "version": 1, "kind": "matrix",
      "matrix": {"title": "T", "options": [{"name": "A"}], "criteria": [{"name": "C"}], "scores": {"B": {"C": 1}}}},
     "matrix.scores: there is no option named 'B'"),
    ({"format": "optionsmatrix", "version": 1, "kind": "matrix",
      "matrix": {"title": "T", "options": [{"name": "A"}], "criteria": [{"name": "C"}], "scores": {"A": {"C": "4"}}}},
     "matrix.scores.A.C: Input should be a valid number"),
]  # fmt: skip


@pytest.mark.parametrize(("document", "message"), BAD_DOCUMENTS, ids=[m for _, m in BAD_DOCUMENTS])
def test_bad_json_documents_name_the_path(client, session, document, message):
    before = count_matrices(session)

    as_body = client.post("/api/v1/matrices/import", json=document)
    as_file = _import(client, json.dumps(document), filename="m.json", media_type="application/json")

    assert _message(as_body) == message
    assert _message(as_file) == message
    assert count_matrices(session) == before


def test_multipart_without_a_file_field_or_another_content_type(client):
    no_file = client.post("/api/v1/matrices/import", data={"other": "x"}, files={"document": ("a.csv", b"x")})
    text = client.post("/api/v1/matrices/import", content=GOOD_CSV, headers={"content-type": "text/csv"})

    assert _message(no_file) == "send the file as the multipart field 'file'"
    assert _message(text).startswith("send the file as multipart/form-data")


# Sizes -------------------------------------------------------------------------------


def test_a_file_over_5_mib_is_413_and_nothing_is_created(client, session):
    before = count_matrices(session)
    content = GOOD_CSV.encode() + b"\n" * (MAX_UPLOAD_BYTES + 1 - len(GOOD_CSV))  # blank rows
    assert len(content) == MAX_UPLOAD_BYTES + 1

    response = _import(client, content)

    assert response.status_code == 413
    assert response.json() == {"detail": "The file is too large: at most 5 MiB may be imported."}
    assert count_matrices(session) == before


def test_a_body_far_over_5_mib_is_refused_unread(client):
    response = _import(client, b"x" * (MAX_UPLOAD_BYTES + 100 * 1024))

    assert response.status_code == 413
    assert response.json() == {"detail": "The request is too large: this site accepts at most 5 MiB."}


def test_a_file_just_under_5_mib_is_accepted(client):
    content = GOOD_CSV.encode() + b"\n" * (MAX_UPLOAD_BYTES - len(GOOD_CSV))
    assert len(content) == MAX_UPLOAD_BYTES

    assert _import(client, content).status_code == 201


def test_other_routes_still_refuse_over_1_mib(client, make_matrix):
    matrix = make_matrix()
    big = {"title": "x", "description": "y" * (MAX_BODY_BYTES + 10)}

    assert client.post("/api/v1/matrices", json=big).status_code == 413
    assert client.patch(f"/api/v1/matrices/{matrix['id']}", json=big).status_code == 413
    # A path that only starts like the import route gets no exception either.
    assert client.post("/api/v1/matrices/import/", json=big).status_code == 413


# Access ------------------------------------------------------------------------------


def test_anonymous_import_is_401_even_with_a_bad_file(anonymous):
    assert _import(anonymous, "not,a,matrix").status_code == 401


def test_another_instructors_private_matrix_cannot_be_exported(client, app, session, make_instructor):
    from fastapi.testclient import TestClient

    from tests.conftest import log_in

    other = make_instructor("other@example.org")
    with TestClient(app) as other_client:
        log_in(other_client, session, other)
        theirs = other_client.post("/api/v1/matrices", json={"title": "Theirs"}).json()

    assert client.get(f"/api/v1/matrices/{theirs['id']}/export?format=csv").status_code == 404


def test_the_imported_matrix_belongs_to_the_importer(client, app, session, make_instructor):
    from fastapi.testclient import TestClient

    from tests.conftest import log_in

    matrix_id = _import(client, GOOD_CSV).json()["id"]
    other = make_instructor("other@example.org")
    with TestClient(app) as other_client:
        log_in(other_client, session, other)
        assert other_client.get(f"/api/v1/matrices/{matrix_id}").status_code == 404
    assert client.patch(f"/api/v1/matrices/{matrix_id}", json={"title": "Mine"}).status_code == 200


def test_openapi_documents_both_routes(anonymous):
    schema = anonymous.get("/api/v1/openapi.json").json()
    export = schema["paths"]["/api/v1/matrices/{matrix_id}/export"]["get"]
    upload = schema["paths"]["/api/v1/matrices/import"]["post"]

    assert set(export["responses"]) == {"200", "401", "404", "422"}
    assert set(export["responses"]["200"]["content"]) == {"application/json", "text/csv", XLSX}
    assert set(upload["responses"]) == {"201", "401", "413", "422"}
    assert set(upload["requestBody"]["content"]) == {"multipart/form-data", "application/json"}
    assert upload["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/MatrixDocument"
    }
    assert "MatrixDocument" in schema["components"]["schemas"]
    assert upload["responses"]["201"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/MatrixPublic"
    }
    assert "scores" in schema["components"]["schemas"]["MatrixPublic"]["properties"]


def test_other_methods_on_the_import_path_are_405_not_a_matrix_id(client):
    response = client.get("/api/v1/matrices/import")

    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert client.get("/api/v1/matrices/abc").status_code == 422  # any other segment is still a bad id


def test_an_empty_first_sheet_is_refused_even_if_another_sheet_has_data(client, session):
    workbook = Workbook()
    workbook.create_sheet("Second").append(["option", "Cost"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    before = count_matrices(session)

    response = _import(client, buffer.getvalue(), filename="empty.xlsx", media_type=XLSX)

    assert _message(response) == "the file is empty: the first row must be \"option\" followed by the criteria's names"
    assert count_matrices(session) == before


def test_a_sheet_naming_a_shared_string_that_is_not_there_is_refused_not_a_server_error(client, session):
    """openpyxl raises IndexError for a cell pointing past the workbook's shared strings."""
    good = io.BytesIO(_workbook([["option", "Cost"], ["Riverside", 3]]))
    damaged = io.BytesIO()
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(damaged, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = re.sub(rb"<sheetData>.*</sheetData>", b'<sheetData><row r="1"><c r="A1" t="s"><v>5000</v>'
                                 b"</c></row></sheetData>", content, flags=re.S)  # fmt: skip
            target.writestr(item, content)
    before = count_matrices(session)

    response = _import(client, damaged.getvalue(), filename="damaged.xlsx", media_type=XLSX)
    page = client.post("/matrices/import", files={"file": ("damaged.xlsx", damaged.getvalue(), XLSX)})

    assert _message(response) == "the first sheet of the workbook cannot be read"
    assert page.status_code == 422
    assert count_matrices(session) == before
