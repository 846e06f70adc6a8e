"""The benchmark code on a tiny homelab (two Stacks, six kinds), in seconds, with exact figures.

The live benchmark's request counts are exact for this homelab: one LIST per kind to observe,
one write per created or changed object, no dry-run during apply, and no write at all when
nothing changed. The whole-process benchmarks (no-op plan, scaling, incremental, Terraform,
cdk8s) start several CLI processes each; ``bench/run_all.py`` runs them, the smoke test does
not.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bench import incremental, live, policy_bench
from bench._common import write_json
from bench._report import results_markdown
from homestack.catalog import load
from homestack.engine import desired
from homestack.model import Provider
from homestack.policy import RULES

TINY = Path(__file__).parent / "fixtures" / "tiny-homelab"


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    folder = tmp_path_factory.mktemp("results")
    found = {
        "live": live.run_benchmark(TINY, quick=True),
        "policy": policy_bench.run_benchmark(TINY, quick=True, repeat=1),
    }
    return {name: json.loads(write_json(name, result, folder).read_text())
            for name, result in found.items()}


@pytest.fixture(scope="module")
def shape() -> dict[str, int]:
    """Objects, kinds and Stacks of the tiny homelab, counted from its desired state."""
    wanted = desired(load(TINY))
    k8s = [r for r in wanted.all_resources() if r.provider is Provider.K8S]
    return {"objects": len(k8s), "kinds": len({(r.api_version, r.k8s_kind) for r in k8s}),
            "stacks": len(wanted.resources)}


def test_live_counts_what_the_tiny_homelab_holds(results: dict[str, dict[str, Any]],
                                                 shape: dict[str, int]) -> None:
    result = results["live"]
    assert result["homelab"] == "tests/bench/fixtures/tiny-homelab"
    assert (result["k8s_objects"], result["kinds"]) == (shape["objects"], shape["kinds"])
    assert result["applyset_parents"] == shape["stacks"] == 2


def test_the_first_apply_lists_each_kind_twice_and_writes_each_object_once(
        results: dict[str, dict[str, Any]], shape: dict[str, int]) -> None:
    first = results["live"]["first_apply"]
    objects = shape["objects"] + shape["stacks"]  # and one ApplySet parent per Stack
    assert first["failed"] == []
    assert first["changes"] == {"create": objects}
    # every kind has objects to create: one LIST of Homestack's objects, one of all objects
    # (an existing object that is not Homestack's is planned as adopt, never as create)
    assert first["by_verb"]["list"] == 2 * shape["kinds"]
    assert first["by_verb"]["patch"] == objects
    assert "patch (dry-run)" not in first["by_verb"]
    assert results["live"]["first_apply_writes_per_object"] == 1.0


@pytest.mark.parametrize("run", ["noop_plan", "noop_apply"])
def test_a_no_op_run_only_lists_each_kind_once(results: dict[str, dict[str, Any]],
                                               shape: dict[str, int], run: str) -> None:
    noop = results["live"][run]
    assert noop["changes"] == {"unchanged": shape["objects"] + shape["stacks"]}
    assert noop["by_verb"] == {"list": shape["kinds"]}  # no write, no dry-run, no GET
    assert noop["requests"] == shape["kinds"]


def test_the_no_op_plan_meets_its_requests_per_kind_target(
        results: dict[str, dict[str, Any]]) -> None:
    result = results["live"]
    assert result["noop_plan_requests_per_kind"] == 1.0
    assert result["meets_target"] is True


def test_an_edit_of_one_deployment_writes_it_once(results: dict[str, dict[str, Any]],
                                                 shape: dict[str, int]) -> None:
    result = results["live"]
    update = result["update_apply"]
    assert result["update_objects"] == 1
    assert update["changes"] == {"update": 1,
                                 "unchanged": shape["objects"] + shape["stacks"] - 1}
    assert update["by_verb_resource"]["patch deployments"] == 1
    assert update["by_verb"]["patch"] == 1
    assert "patch (dry-run)" not in update["by_verb"]


def test_policy_times_every_rule_once(results: dict[str, dict[str, Any]],
                                      shape: dict[str, int]) -> None:
    result = results["policy"]
    assert sorted(result["per_rule_ms"]) == sorted(rule.id for rule in RULES)
    assert result["rules"] == len(RULES)
    assert (result["stacks"], result["resources"]) == (shape["stacks"], shape["objects"])


def test_incremental_edits_the_hub_and_a_leaf() -> None:
    assert incremental.pick(TINY) == {"hub": ("base", 1), "leaf": ("web", 0)}


def test_results_markdown_has_a_row_per_measure(results: dict[str, dict[str, Any]]) -> None:
    text = results_markdown(results, "python bench/run_all.py", 1.0)
    assert "| measure | result | target | met |" in text
    assert "tests/bench/fixtures/tiny-homelab" in text
    rows = [line for line in text.splitlines() if line.startswith("| ") and "---" not in line]
    assert len(rows) > len(results)  # the header and at least one row per measure
    assert "incomplete result" not in text and "failed:" not in text
