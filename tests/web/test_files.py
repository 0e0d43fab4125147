"""Matrix files on the pages: the Export menu, and the import form with its inline errors."""

import re

from optionsmatrix.limits import MAX_BODY_BYTES, MAX_UPLOAD_BYTES
from optionsmatrix.services.matrices import count_matrices

CSV = "option,Cost,Access\ndirection,cost,benefit\nRiverside,4,2\nOld town,,\n"


def _browser_only(client):
    """The pages know the browser by its cookie; drop the API's bearer token so it cannot help."""
    client.headers.pop("Authorization", None)
    return client


def test_matrix_page_has_an_export_menu_with_three_links(client, make_matrix):
    matrix = make_matrix()

    page = client.get(f"/matrices/{matrix['id']}")

    menu = page.text[page.text.index('id="export"'):]
    menu = menu[: menu.index("</details>")]
    assert re.findall(r'href="([^"]+)"', menu) == [
        f"http://testserver/matrices/{matrix['id']}/export?format={f}" for f in ("json", "csv", "xlsx")
    ]


def test_export_link_downloads_a_private_matrix_for_its_owner_only(client, anonymous, make_matrix):
    matrix = make_matrix()
    _browser_only(client)

    mine = client.get(f"/matrices/{matrix['id']}/export?format=csv")
    theirs = anonymous.get(f"/matrices/{matrix['id']}/export?format=csv")

    assert mine.status_code == 200
    assert mine.headers["content-disposition"].startswith('attachment; filename="library-site.csv"')
    assert mine.headers["cache-control"] == "no-store"
    assert mine.content.decode("utf-8-sig").startswith("option,Cost,Access\r\n")
    assert theirs.status_code == 404


def test_list_page_offers_the_import_form_to_instructors_only(client, anonymous):
    form = client.get("/").text

    assert 'enctype="multipart/form-data"' in form and 'name="file"' in form and 'name="csrf_token"' in form
    assert "Import a matrix" not in anonymous.get("/").text


def test_import_form_creates_the_matrix_and_opens_it(client, session):
    _browser_only(client)

    response = client.post(
        "/matrices/import", files={"file": ("Library sites.csv", CSV.encode(), "text/csv")}, follow_redirects=False
    )

    assert response.status_code == 303
    matrix_id = int(response.headers["location"].rsplit("/", 1)[1])
    page = client.get(f"/matrices/{matrix_id}")
    assert "<h1>Library sites</h1>" in page.text


def test_import_form_shows_a_bad_file_beside_the_form_and_creates_nothing(client, session):
    _browser_only(client)
    before = count_matrices(session)

    response = client.post("/matrices/import", files={"file": ("m.csv", b"option,Leverage\nA,high\n", "text/csv")})

    assert response.status_code == 422
    assert (
        '<p class="field-error" id="import-file-error" role="alert">row 2, column &#34;Leverage&#34;: '
        "&#34;high&#34; is not a number</p>" in response.text
    )
    assert count_matrices(session) == before


def test_import_form_without_a_file(client):
    response = client.post("/matrices/import", files={"file": ("", b"", "application/octet-stream")})

    assert response.status_code == 422
    assert "Choose a file to import." in response.text


def test_import_form_refuses_a_file_over_5_mib_inline(client, session):
    before = count_matrices(session)
    content = CSV.encode() + b"\n" * (MAX_UPLOAD_BYTES + 1 - len(CSV))

    response = client.post("/matrices/import", files={"file": ("big.csv", content, "text/csv")})

    assert response.status_code == 413
    assert "The file is too large: at most 5 MiB may be imported." in response.text
    assert count_matrices(session) == before


def test_other_forms_still_refuse_over_1_mib(client):
    response = client.post("/matrices", data={"title": "x", "description": "y" * MAX_BODY_BYTES})

    assert response.status_code == 413


def test_import_needs_the_csrf_token(client, session):
    del client.headers["x-csrf-token"]
    before = count_matrices(session)

    response = client.post("/matrices/import", files={"file": ("m.csv", CSV.encode(), "text/csv")})

    assert response.status_code == 403
    assert count_matrices(session) == before
