"""The benchmark code runs end to end on the small example and writes JSON of the right shape.

Terraform and cdk8s are left out (they install or start other tools); no timing is asserted.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench import incremental, live, noop_plan, policy_bench, scaling
from bench._common import write_json
from bench._report import results_markdown

SMALL = Path(__file__).resolve().parents[2] / "examples" / "small-homelab"


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, object]]:
    folder = tmp_path_factory.mktemp("results")
    found = {
        "noop_plan": noop_plan.run_benchmark(SMALL, quick=True, repeat=1, warmup=0),
        "scaling": scaling.run_benchmark(SMALL, quick=True, factors=(1, 2)),
        "live": live.run_benchmark(SMALL, quick=True),
        "incremental": incremental.run_benchmark(SMALL, quick=True, warmup=0),
        "policy": policy_bench.run_benchmark(SMALL, quick=True, repeat=1),
    }
    for name, result in found.items():
        path = write_json(name, result, folder)
        found[name] = json.loads(path.read_text())
    return found


def test_every_result_names_its_homelab_and_machine(results: dict[str, dict]) -> None:
    for result in results.values():
        assert result["homelab"] == "examples/small-homelab"
        assert {"cores", "ram_gib", "python"} <= set(result["machine"])


def test_noop_plan_reports_whole_process_figures(results: dict[str, dict]) -> None:
    result = results["noop_plan"]
    assert result["stacks"] == 4
    assert result["stacks_with_changes"] == 0
    for key in ("import_floor", "plan_from_state", "plan_gitops"):
        assert {"wall_median", "cpu_median", "rss_mib_max", "runs"} <= set(result[key])
    assert isinstance(result["meets_target"], bool)


def test_scaling_reports_each_size_and_the_growth(results: dict[str, dict]) -> None:
    result = results["scaling"]
    assert [s["factor"] for s in result["sizes"]] == [1, 2]
    assert result["sizes"][1]["stacks"] == 2 * result["sizes"][0]["stacks"]
    assert all(s["stacks_with_changes"] == 0 for s in result["sizes"])
    assert result["time_growth"] > 0


def test_live_counts_requests_per_kind_and_object(results: dict[str, dict]) -> None:
    result = results["live"]
    assert result["first_apply"]["changes"]["create"] == \
        result["k8s_objects"] + result["applyset_parents"]
    assert result["noop_plan"]["by_verb"].get("patch", 0) == 0
    assert result["noop_plan_requests_per_kind"] is not None
    assert result["update_objects"] == 1


def test_incremental_plans_the_edited_stack_and_its_dependents(
        results: dict[str, dict]) -> None:
    edits = results["incremental"]["edits"]
    assert set(edits) == {"leaf", "hub"}
    for edit in edits.values():
        assert edit["selected_from_state"]["stacks_planned"] == edit["dependents"] + 1
        assert edit["full_from_state"]["stacks_with_changes"] == 1


def test_policy_times_all_rules_and_each_rule(results: dict[str, dict]) -> None:
    result = results["policy"]
    assert result["rules"] == len(result["per_rule_ms"])
    assert result["check_all_ms"]["median"] >= 0


def test_results_markdown_has_a_row_per_measure(results: dict[str, dict]) -> None:
    text = results_markdown(results, "python bench/run_all.py", 1.0)
    assert "| measure | result | target | met |" in text
    assert "Python" in text and "cores" in text
