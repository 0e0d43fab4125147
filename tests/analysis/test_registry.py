"""Every method is one module with its SPEC, and everything else reads the registry."""

from __future__ import annotations

import importlib
import pkgutil
import typing

import numpy as np
import pytest

from optionsmatrix.analysis import METHOD_NAMES, METHODS, AnalysisError, Problem, method_spec, rank
from optionsmatrix.analysis import methods as methods_package
from optionsmatrix.analysis.explain import step_tables
from optionsmatrix.schemas.analysis import MethodName, MethodParams

PROBLEM = Problem.build(
    options=["a", "b", "c"],
    criteria=["x", "y"],
    scores=[[1, 4], [3, 2], [2, 5]],
    directions=["benefit", "cost"],
    weights=[2, 1],
    scales=[(1, 5), (1, 5)],
)


def test_the_registry_holds_every_module_that_defines_a_spec_in_menu_order():
    modules = [m.name for m in pkgutil.iter_modules(methods_package.__path__)]
    with_spec = {
        importlib.import_module(f"{methods_package.__name__}.{m}").SPEC.name
        for m in modules
        if hasattr(importlib.import_module(f"{methods_package.__name__}.{m}"), "SPEC")
    }

    assert set(METHOD_NAMES) == with_spec
    assert METHOD_NAMES == ("wsm", "wpm", "topsis", "vikor", "promethee2")


def test_the_api_lists_exactly_the_registered_methods_and_their_parameters():
    assert typing.get_args(MethodName) == METHOD_NAMES
    parameters = {p.name for spec in METHODS.values() for p in spec.parameters}
    assert set(MethodParams.model_fields) == parameters == {"v"}


@pytest.mark.parametrize("method", METHOD_NAMES)
def test_every_table_of_the_working_has_a_title_from_its_method(method):
    tables = step_tables(rank(PROBLEM, method, explain=True))

    assert tables
    for table in tables:
        assert (table.key in METHODS[method].step_titles) and table.explanation, table.key


def test_a_parameter_outside_its_range_names_the_method_and_the_range():
    with pytest.raises(AnalysisError) as caught:
        rank(PROBLEM, "vikor", params={"v": 1.5})

    assert caught.value.code == "parameter_out_of_range"
    assert caught.value.field == "params.v"
    assert "VIKOR's 'v'" in caught.value.message and "from 0 to 1" in caught.value.message


def test_a_parameter_defaults_when_omitted():
    assert method_spec("vikor").settings(None) == {"v": 0.5}
    np.testing.assert_allclose(rank(PROBLEM, "vikor").scores, rank(PROBLEM, "vikor", params={"v": 0.5}).scores)


def test_an_unknown_method_is_refused_with_the_choices():
    with pytest.raises(AnalysisError) as caught:
        method_spec("electre")

    assert caught.value.code == "unknown_method" and "wsm, wpm, topsis, vikor, promethee2" in caught.value.message
