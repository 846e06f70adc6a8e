"""``homestack validate`` with policy findings and ``homestack explain``."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from homestack.cli import app
from homestack_testing.homelabs import copy_homelab

BAD_STACK = '''
from homestack import Stack, tier
from homestack.kit import namespace, raw

stack = Stack("bad", tier=tier.AUX)
namespace(stack)
raw(stack, {
    "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"},
    "spec": {"selector": {"matchLabels": {"app": "web"}}, "template": {
        "metadata": {"labels": {"app": "web"}},
        "spec": {"containers": [{"name": "web", "image": "nginx:latest",
                 "resources": {"requests": {"cpu": "10m", "memory": "32Mi"},
                               "limits": {"memory": "32Mi"}}}]}}},
}, ignore=IGNORE)
'''


def _homelab(tmp_path: Path, small_homelab: Path, ignore: tuple[str, ...]) -> Path:
    root = tmp_path / "homelab"
    copy_homelab(small_homelab, root)
    (root / "stacks" / "bad").mkdir()
    (root / "stacks" / "bad" / "stack.py").write_text(
        BAD_STACK.replace("IGNORE", repr(ignore)))
    return root


def test_small_homelab_has_no_findings(small_homelab: Path, runner: CliRunner) -> None:
    result = runner.invoke(app, ["-C", str(small_homelab), "validate", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["findings"] == []


def test_error_finding_exits_1_and_names_rule_stack_address(
    tmp_path: Path, small_homelab: Path, runner: CliRunner
) -> None:
    root = _homelab(tmp_path, small_homelab, ())
    result = runner.invoke(app, ["-C", str(root), "validate", "--json"])
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    assert {"stacks", "resources", "waves", "findings"} <= set(data)
    assert data["findings"] == [{
        "rule": "HS-IMAGE-001", "severity": "error", "stack": "bad",
        "address": "k8s:apps/v1:Deployment:bad/web",
        "message": "container 'web' image nginx:latest is not pinned to a version",
        "fix": data["findings"][0]["fix"], "silenced": False, "reason": "",
    }]


def test_table_output_shows_the_finding(
    tmp_path: Path, small_homelab: Path, runner: CliRunner
) -> None:
    root = _homelab(tmp_path, small_homelab, ())
    result = runner.invoke(app, ["-C", str(root), "validate"])
    assert result.exit_code == 1
    assert "HS-IMAGE-001" in result.stdout and "invalid" in result.stdout


def test_silenced_finding_exits_0_and_shows_in_json(
    tmp_path: Path, small_homelab: Path, runner: CliRunner
) -> None:
    root = _homelab(tmp_path, small_homelab, ("HS-IMAGE-001: upstream ships only latest",))
    result = runner.invoke(app, ["-C", str(root), "validate", "--json"])
    assert result.exit_code == 0, result.output
    finding = json.loads(result.stdout)["findings"][0]
    assert (finding["rule"], finding["silenced"], finding["reason"]) == (
        "HS-IMAGE-001", True, "upstream ships only latest")


def test_silencing_without_reason_is_an_error(
    tmp_path: Path, small_homelab: Path, runner: CliRunner
) -> None:
    root = _homelab(tmp_path, small_homelab, ("HS-IMAGE-001",))
    result = runner.invoke(app, ["-C", str(root), "validate", "--json"])
    assert result.exit_code == 1
    rules = {f["rule"] for f in json.loads(result.stdout)["findings"] if not f["silenced"]}
    assert rules == {"HS-IMAGE-001", "HS-POLICY-001"}


def test_explain_prints_what_why_and_fix(runner: CliRunner) -> None:
    result = runner.invoke(app, ["explain", "HS-STORAGE-007"])
    assert result.exit_code == 0
    assert "no inline NFS volumes" in result.stdout
    assert "why:" in result.stdout and "fix:" in result.stdout
    assert "scope: one Stack's own objects and the Site" in result.stdout
    across = runner.invoke(app, ["explain", "HS-INGRESS-003"])
    assert "scope: the whole homelab" in across.stdout


def test_explain_lists_every_rule_without_an_id(runner: CliRunner) -> None:
    result = runner.invoke(app, ["explain"])
    assert result.exit_code == 0 and "HS-NET-006" in result.stdout


def test_explain_unknown_rule_exits_3(runner: CliRunner) -> None:
    result = runner.invoke(app, ["explain", "HS-NOPE-001"])
    assert result.exit_code == 3
    assert "unknown rule HS-NOPE-001" in result.output
