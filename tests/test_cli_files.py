"""`optionsmatrix export matrix`, `optionsmatrix import`, and `optionsmatrix rank` on CSV and XLSX files."""

from __future__ import annotations

import io
import json

import pytest
from openpyxl import Workbook, load_workbook

from optionsmatrix.cli import main

SCORED_CSV = "option,Cost,Access\ndirection,cost,benefit\nweight,2,1\nRiverside,4,2\nOld town,1,5\nCampus,3,3\n"


@pytest.fixture
def url(databases):
    """A fresh database: the commands migrate it and load the case study (matrix 1) on first use."""
    return databases.new_url()


def test_export_then_import_then_export_gives_the_same_document(url, tmp_path, capsys):
    first, second = tmp_path / "first.json", tmp_path / "second.json"

    assert main(["export", "matrix", "1", "-o", str(first), "--database-url", url]) == 0
    assert main(["import", str(first), "--database-url", url]) == 0
    out = capsys.readouterr().out
    assert out.startswith('imported matrix 2 "Military options at the U.S.–Mexico border')
    assert "for admin@localhost: 5 options, 8 criteria" in out
    assert main(["export", "matrix", "2", "-o", str(second), "--database-url", url]) == 0

    assert json.loads(second.read_text(encoding="utf-8")) == json.loads(first.read_text(encoding="utf-8"))
    assert json.loads(first.read_text(encoding="utf-8"))["kind"] == "matrix"


def test_export_format_follows_the_extension_or_the_option(url, tmp_path):
    csv_file, xlsx_file = tmp_path / "m.csv", tmp_path / "m.data"

    assert main(["export", "matrix", "1", "-o", str(csv_file), "--database-url", url]) == 0
    assert main(["export", "matrix", "1", "--format", "xlsx", "-o", str(xlsx_file), "--database-url", url]) == 0

    assert csv_file.read_bytes().startswith(b"\xef\xbb\xbfoption,Disruption of cartel supply chains,")
    assert load_workbook(io.BytesIO(xlsx_file.read_bytes())).sheetnames == ["Matrix", "Options", "Criteria"]


def test_export_of_an_unknown_matrix(url, tmp_path, capsys):
    assert main(["export", "matrix", "99", "-o", str(tmp_path / "x.json"), "--database-url", url]) == 1
    assert capsys.readouterr().err == "optionsmatrix: Matrix 99 not found\n"


def test_import_a_csv_for_an_owner_stores_and_reports_its_scores(url, tmp_path, capsys):
    path = tmp_path / "Library sites.csv"
    path.write_text(SCORED_CSV, encoding="utf-8")

    assert main(["import", str(path), "--owner", "nobody@example.org", "--database-url", url]) == 1
    assert "no active instructor nobody@example.org" in capsys.readouterr().err
    assert main(["import", str(path), "--database-url", url]) == 0

    out = capsys.readouterr().out
    assert out == 'imported matrix 2 "Library sites" for admin@localhost: 3 options, 2 criteria, 6 scores\n'
    exported = tmp_path / "again.csv"
    assert main(["export", "matrix", "2", "-o", str(exported), "--database-url", url]) == 0
    assert exported.read_bytes().decode("utf-8-sig").splitlines()[-3:] == SCORED_CSV.strip().splitlines()[-3:]


def test_import_of_a_bad_file_exits_2_and_creates_nothing(url, tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_text("option,Leverage\nA,1\nB,high\nC,9\n", encoding="utf-8")

    assert main(["import", str(path), "--database-url", url]) == 2
    assert capsys.readouterr().err == (
        f"optionsmatrix import: {path}:\n"
        '  row 3, column "Leverage": "high" is not a number\n'
        '  row 4, column "Leverage": 9 is outside the scale 1 to 5\n'
    )
    assert main(["export", "matrix", "2", "-o", str(tmp_path / "x.json"), "--database-url", url]) == 1


def test_rank_reads_the_csv_layout(tmp_path, capsys):
    path = tmp_path / "sites.csv"
    path.write_text(SCORED_CSV, encoding="utf-8")

    assert main(["rank", str(path), "--format", "json"]) == 0

    result = json.loads(capsys.readouterr().out)
    assert result["method"] == "wsm"
    assert result["order"] == ["Old town", "Campus", "Riverside"]


def test_rank_reads_the_xlsx_layout_and_takes_a_method(tmp_path, capsys):
    workbook = Workbook()
    for row in [["option", "Cost", "Access"], ["direction", "cost", "benefit"], ["weight", 2, 1],
                ["Riverside", 4, 2], ["Old town", 1, 5], ["Campus", 3, 3]]:  # fmt: skip
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    path = tmp_path / "sites.xlsx"
    path.write_bytes(buffer.getvalue())

    assert main(["rank", str(path), "--method", "topsis", "--format", "json"]) == 0

    result = json.loads(capsys.readouterr().out)
    assert result["method"] == "topsis"
    assert result["order"][0] == "Old town"


def test_rank_needs_every_score(tmp_path, capsys):
    path = tmp_path / "sites.csv"
    path.write_text("option,Cost,Access\nRiverside,4,\nOld town,,5\n", encoding="utf-8")

    assert main(["rank", str(path)]) == 2
    assert capsys.readouterr().err == (
        f'optionsmatrix rank: {path}: ranking needs every score; missing: "Riverside" on "Access", '
        '"Old town" on "Cost"\n'
    )


def test_an_export_to_a_folder_that_does_not_exist_says_so_without_a_traceback(url, capsys, tmp_path):
    code = main(["export", "matrix", "1", "-o", str(tmp_path / "missing" / "m.json"), "--database-url", url])

    assert code == 1
    error = capsys.readouterr().err
    assert "cannot write" in error and "No such file or directory" in error and "Traceback" not in error
