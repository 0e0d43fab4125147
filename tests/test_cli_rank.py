"""`optionsmatrix rank FILE.json`: the /analyze body ranked offline, as a table or JSON; bad input → exit 2."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from numpy.testing import assert_allclose

from optionsmatrix.cli import main

PROBLEM = {
    "options": ["Riverside", "Old town", "Campus"],
    "criteria": [
        {"name": "Cost", "direction": "cost", "weight": 2, "scale_min": 1, "scale_max": 5},
        {"name": "Access", "direction": "benefit", "weight": 1, "scale_min": 1, "scale_max": 5},
        {"name": "Floor space", "direction": "benefit", "weight": 1, "scale_min": 0, "scale_max": 10},
    ],
    "scores": [[3, 4, 5], [2, 5, 1], [4, 3, 4]],
    "method": "wsm",
}


@pytest.fixture
def problem_file(tmp_path):
    def write(body=PROBLEM, name="problem.json"):
        path = tmp_path / name
        path.write_text(body if isinstance(body, str) else json.dumps(body), encoding="utf-8")
        return str(path)

    return write


def test_ranks_the_file_as_an_aligned_table(problem_file, capsys):
    status = main(["rank", problem_file()])

    out = capsys.readouterr().out
    assert status == 0
    assert out.splitlines()[0] == (
        "Weighted sum (WSM), normalisation scale — each score's position on its criterion's declared scale. "
        "Higher score ranks first."
    )
    assert "\n".join(out.splitlines()[2:7]) == (
        "Rank  Option      Score\n"
        "----  ---------  ------\n"
        "   1  Old town     0.65\n"
        "   2  Riverside  0.5625\n"
        "   3  Campus       0.35"
    )


def test_method_and_normalization_on_the_command_line_override_the_file(problem_file, capsys):
    main(["rank", problem_file(), "--method", "topsis", "--normalization", "minmax", "--format", "json"])

    result = json.loads(capsys.readouterr().out)
    assert (result["method"], result["normalization"]) == ("topsis", "minmax")


def test_a_new_method_drops_the_files_settings_it_does_not_take(problem_file, capsys):
    vikor = {**PROBLEM, "method": "vikor", "params": {"v": 1}}
    topsis = {**PROBLEM, "method": "topsis", "normalization": "vector"}

    assert main(["rank", problem_file(vikor), "--method", "wsm", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["normalization"] == "scale"  # WSM's default, and no 'v'
    assert main(["rank", problem_file(topsis), "--method", "wpm", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["normalization"] == "none"


def test_json_output_matches_the_api_answer(problem_file, capsys, anonymous):
    main(["rank", problem_file(), "--format", "json"])

    assert json.loads(capsys.readouterr().out) == anonymous.post("/api/v1/analyze", json=PROBLEM).json()


def test_explain_prints_every_step_table_with_labels(problem_file, capsys):
    main(["rank", problem_file(), "--method", "vikor", "--explain"])

    out = capsys.readouterr().out
    assert "VIKOR compromise set: Old town, Riverside" in out
    assert [line for line in out.splitlines() if line.startswith("Step ")] == [
        "Step 1. Regret terms d",
        "Step 2. Weighted regret w × d",
        "Step 3. Best and worst values",
        "Step 4. S, R and Q",
    ]
    assert "Best value f*      2       5            5" in out
    assert "Option     S (group utility)  R (individual regret)       Q" in out


def test_explain_in_json_includes_the_steps(problem_file, capsys):
    main(["rank", problem_file(), "--explain", "--format", "json"])

    result = json.loads(capsys.readouterr().out)
    assert_allclose(result["steps"]["weighted"], [[0.25, 0.1875, 0.125], [0.375, 0.25, 0.025], [0.125, 0.125, 0.1]])


def test_warnings_are_listed_under_the_table(problem_file, capsys):
    main(["rank", problem_file({**PROBLEM, "options": ["Riverside"], "scores": [[3, 4, 5]]})])

    assert "Warnings:\n  - there is only one option, so it ranks first by default" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read {path}: no such file"),
        ("{not json", "{path} is not valid JSON: Expecting property name enclosed in double quotes (line 1, column 2)"),
        ("[1, 2]", "the file must hold a JSON object like the body of POST /api/v1/analyze"),
        (json.dumps({**PROBLEM, "method": "electre"}), "method: Input should be 'wsm', 'wpm', 'topsis', 'vikor' or"),
        (
            json.dumps({**PROBLEM, "scores": [[3, 4, 5], [2, 5, 7], [4, 3, 4]]}).replace("7", "NaN"),
            "scores[1][2]: Input should be a finite number",
        ),
        (
            json.dumps({**PROBLEM, "scores": [[3, 4, 5], [9, 5, 1], [4, 3, 4]]}),
            "scores[1][0]: criterion 'Cost' has score 9 outside its scale 1–5 for option 'Old town'",
        ),
        (
            json.dumps({**PROBLEM, "criteria": [{**c, "weight": 0} for c in PROBLEM["criteria"]]}),
            "criteria: weights must not all be zero",
        ),
    ],
)
def test_bad_files_and_bad_input_exit_2_with_a_message_and_no_traceback(
    problem_file, tmp_path, capsys, content, message
):
    path = str(tmp_path / "missing.json") if content is None else problem_file(content)

    status = main(["rank", path])

    captured = capsys.readouterr()
    assert status == 2
    assert captured.out == ""
    assert message.format(path=path) in captured.err
    assert captured.err.startswith("optionsmatrix rank: ")
    assert "Traceback" not in captured.err


def test_a_file_that_is_not_utf8_is_refused_plainly(tmp_path, capsys):
    path = tmp_path / "latin1.json"
    path.write_bytes('{"options": ["Café"]}'.encode("latin-1"))

    assert main(["rank", str(path)]) == 2
    assert "it is not UTF-8 text" in capsys.readouterr().err


def test_the_console_script_ranks_from_standard_input():
    script = Path(sys.executable).with_name("optionsmatrix")

    done = subprocess.run(
        [str(script), "rank", "-", "--method", "promethee2"],
        input=json.dumps(PROBLEM),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert "   1  Old town        0.5" in done.stdout
    bad = subprocess.run(
        [str(script), "rank", "-"], input="{}", capture_output=True, text=True, timeout=60, check=False
    )
    assert bad.returncode == 2
    assert "options: Field required" in bad.stderr and "Traceback" not in bad.stderr
