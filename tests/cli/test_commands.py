"""The CLI on the small example homelab: validate, render, graph."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from homestack.cli import app
from homestack_testing.homelabs import copy_homelab


def test_validate_exits_0(small_homelab: Path, runner: CliRunner) -> None:
    result = runner.invoke(app, ["-C", str(small_homelab), "validate"])
    assert result.exit_code == 0, result.output
    assert "4 Stacks" in result.output


def test_validate_json(small_homelab: Path, runner: CliRunner) -> None:
    result = runner.invoke(app, ["-C", str(small_homelab), "validate", "--json"])
    data = json.loads(result.stdout)
    assert data["stacks"] == 4


def test_render_prints_every_object_as_yaml(small_homelab: Path, runner: CliRunner) -> None:
    result = runner.invoke(app, ["-C", str(small_homelab), "render"])
    assert result.exit_code == 0
    documents = [d for d in yaml.safe_load_all(result.stdout) if d]
    kinds = [d["kind"] for d in documents]
    assert sorted(k for k in kinds if k in ("ConfigMap", "Deployment", "Service",
                                            "ServiceAccount")) == [
        "ConfigMap", "ConfigMap", "ConfigMap", "Deployment", "Service", "ServiceAccount"]
    # governance is part of render: every namespace gets its tier objects
    assert kinds.count("Namespace") == kinds.count("LimitRange") == 4
    assert kinds.count("ResourceQuota") == 4
    assert kinds.count("PriorityClass") == 6


def test_render_is_byte_stable(small_homelab: Path, runner: CliRunner) -> None:
    first = runner.invoke(app, ["-C", str(small_homelab), "render"]).stdout
    second = runner.invoke(app, ["-C", str(small_homelab), "render"]).stdout
    assert first == second


def test_render_to_folder_writes_one_file_per_object(
    small_homelab: Path, runner: CliRunner, tmp_path: Path
) -> None:
    result = runner.invoke(app, ["-C", str(small_homelab), "render", "whoami", "traefik",
                                 "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    files = sorted(str(p.relative_to(tmp_path)) for p in tmp_path.rglob("*.yaml"))
    assert files == [
        "traefik/limitrange-traefik-homestack-limits.yaml",
        "traefik/namespace-traefik.yaml",
        "traefik/resourcequota-traefik-homestack-quota.yaml",
        "traefik/service-traefik-traefik.yaml",
        "traefik/serviceaccount-traefik-traefik.yaml",
        "whoami/deployment-whoami-whoami.yaml",
        "whoami/limitrange-whoami-homestack-limits.yaml",
        "whoami/namespace-whoami.yaml",
        "whoami/resourcequota-whoami-homestack-quota.yaml",
    ]


def test_render_unknown_stack_is_invalid(small_homelab: Path, runner: CliRunner) -> None:
    result = runner.invoke(app, ["-C", str(small_homelab), "render", "nope"])
    assert result.exit_code == 3
    assert "unknown Stack 'nope'" in result.output


@pytest.mark.parametrize("command", [["plan", "--from-state"], ["apply", "--yes"],
                                     ["plan", "whoami", "--with-dependents"]])
def test_a_typo_in_a_stack_name_is_invalid_input_not_an_empty_plan(
        small_homelab: Path, tmp_path: Path, runner: CliRunner, command: list[str]) -> None:
    lab = tmp_path / "lab"
    copy_homelab(small_homelab, lab)
    result = runner.invoke(app, ["-C", str(lab), *command, "whoamii"])
    assert result.exit_code == 3, result.output
    assert "unknown Stack 'whoamii'" in result.output and "Known Stacks: notes" in result.output
    gitops = lab / ".homestack" / "gitops"  # nothing was applied: no Stack's folder
    assert not [p for p in gitops.glob("*") if p.name != ".git"]


def test_graph_json_shape(small_homelab: Path, runner: CliRunner) -> None:
    result = runner.invoke(app, ["-C", str(small_homelab), "graph", "--format", "json"])
    data = json.loads(result.stdout)
    assert data["waves"] == [["platform"], ["traefik"], ["notes", "whoami"]]


def test_console_command_runs_as_a_process(small_homelab: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "homestack", "-C", str(small_homelab), "graph"],
        capture_output=True, text=True, check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "wave 2:" in done.stdout


@pytest.mark.parametrize("args", [["validate", "--bogus"], ["plan", "--parallel", "x"],
                                  ["nope"], ["state", "unlock", "x"]])
def test_command_line_usage_errors_exit_3(args: list[str], runner: CliRunner) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 3, result.output
    assert "Traceback" not in result.output
