"""A deferred module (deferred.py) runs on its first attribute read, once, and then is the real module."""

import subprocess
import sys
import textwrap


def _run(tmp_path, code: str) -> str:
    package = tmp_path / "probe_pkg"
    package.mkdir()
    (package / "__init__.py").write_text(
        "import os\nRUNS = int(os.environ.get('PROBE_RUNS', '0')) + 1\nos.environ['PROBE_RUNS'] = str(RUNS)\n"
    )
    (package / "sub.py").write_text("VALUE = 'from the submodule'\n")
    script = "import sys\nsys.path.insert(0, {!r})\nfrom optionsmatrix.deferred import defer\n".format(str(tmp_path))
    result = subprocess.run(
        [sys.executable, "-c", script + textwrap.dedent(code)], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_importing_a_deferred_module_runs_nothing_until_an_attribute_is_read(tmp_path):
    printed = _run(
        tmp_path,
        """
        import os
        defer("probe_pkg")
        import probe_pkg
        import probe_pkg as again
        print(os.environ.get("PROBE_RUNS"))
        print(probe_pkg.RUNS, again.RUNS, os.environ["PROBE_RUNS"])
        """,
    )
    assert printed.split("\n")[:2] == ["None", "1 1 1"]


def test_a_submodule_of_a_deferred_package_imports_after_its_package(tmp_path):
    printed = _run(
        tmp_path,
        """
        defer("probe_pkg")
        import probe_pkg
        from probe_pkg.sub import VALUE
        import probe_pkg.sub
        print(VALUE, probe_pkg.RUNS, probe_pkg.sub.VALUE == VALUE)
        """,
    )
    assert printed.strip() == "from the submodule 1 True"


def test_threads_reading_a_deferred_module_at_once_all_get_the_one_real_module(tmp_path):
    printed = _run(
        tmp_path,
        """
        import sys
        from concurrent.futures import ThreadPoolExecutor
        defer("probe_pkg")
        import probe_pkg
        with ThreadPoolExecutor(16) as pool:
            runs = set(pool.map(lambda _: probe_pkg.RUNS, range(64)))
        print(runs, type(sys.modules["probe_pkg"]).__name__)
        """,
    )
    assert printed.strip() == "{1} module"


def test_a_loaded_or_missing_module_is_left_alone(tmp_path):
    printed = _run(
        tmp_path,
        """
        import json, sys
        defer("json")
        defer("no_such_module_here")
        print(type(sys.modules["json"]).__name__, "no_such_module_here" in sys.modules)
        """,
    )
    assert printed.strip() == "module False"


def test_no_module_of_ours_imports_a_numpy_submodule_by_name():
    """`import numpy.linalg` before numpy has loaded would run numpy.linalg twice (deferred.py): use np.linalg."""
    import ast
    from pathlib import Path

    import optionsmatrix

    offenders = []
    for path in Path(optionsmatrix.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}:{node.lineno} {name}" for name in names if name.startswith("numpy.")]
    assert offenders == []
