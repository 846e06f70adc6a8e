"""The Stack DAG: waves, cycles, impact."""

from __future__ import annotations

import json

import pytest

from homestack.graph import CycleError, GraphFormat, UnknownStackError, build_graph, format_graph
from homestack.model import Stack


def _stacks(**needs: list[str]) -> dict[str, Stack]:
    return {name: Stack(name, needs=deps) for name, deps in needs.items()}


def test_waves_follow_the_longest_path() -> None:
    graph = build_graph(_stacks(infra=[], vault=["infra"], eso=["vault"], app=["eso", "infra"]))
    assert graph.waves == (("infra",), ("vault",), ("eso",), ("app",))


def test_independent_stacks_share_a_wave() -> None:
    graph = build_graph(_stacks(a=[], b=[], c=["a", "b"]))
    assert graph.waves == (("a", "b"), ("c",))


def test_cycle_error_prints_the_path() -> None:
    with pytest.raises(CycleError) as caught:
        build_graph(_stacks(a=["b"], b=["a"]))
    assert caught.value.cycle[0] == caught.value.cycle[-1]
    assert "->" in str(caught.value)


def test_dependents_are_transitive() -> None:
    graph = build_graph(_stacks(infra=[], vault=["infra"], app=["vault"], other=[]))
    assert graph.dependents(["infra"]) == {"vault", "app"}
    assert graph.dependencies(["app"]) == {"vault", "infra"}


def test_json_format_is_stacks_and_waves() -> None:
    graph = build_graph(_stacks(a=[], b=["a"]))
    data = json.loads(format_graph(graph, GraphFormat.JSON))
    assert data["waves"] == [["a"], ["b"]]
    assert data["stacks"][1] == {"name": "b", "wave": 1, "needs": ["a"], "inferred": []}


def test_mermaid_and_dot_name_every_edge() -> None:
    graph = build_graph(_stacks(a=[], b=["a"]))
    assert "a --> b" in format_graph(graph, GraphFormat.MERMAID)
    assert '"a" -> "b";' in format_graph(graph, GraphFormat.DOT)


def test_unknown_stack_names_are_refused_with_the_known_ones() -> None:
    graph = build_graph(_stacks(infra=[], vault=["infra"]))
    graph.check_known(["vault", "infra"])
    with pytest.raises(UnknownStackError, match=r"unknown Stack 'vaul' \(and 1 more\)") as found:
        graph.check_known(["vaul", "vault", "x"])
    assert found.value.unknown == ["vaul", "x"]
    assert found.value.hint is not None and "Known Stacks: infra, vault" in found.value.hint
