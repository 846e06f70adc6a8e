"""``homestack policy export``: Kyverno ClusterPolicies to stdout or a folder."""

from __future__ import annotations

from pathlib import Path

import yaml
from typer.testing import CliRunner

from homestack.cli import app


def test_export_prints_cluster_policies(small_homelab: Path, runner: CliRunner) -> None:
    result = runner.invoke(app, ["-C", str(small_homelab), "policy", "export"])
    assert result.exit_code == 0, result.output
    documents = [d for d in yaml.safe_load_all(result.stdout) if d]
    assert documents and {d["kind"] for d in documents} == {"ClusterPolicy"}
    registries = next(d for d in documents
                      if d["metadata"]["name"] == "homestack-trusted-registries")
    rule = registries["spec"]["rules"][0]
    assert rule["validate"]["deny"]["conditions"]["any"][0]["value"] == [
        "docker.io", "ghcr.io", "registry.k8s.io"]


def test_export_writes_one_file_per_policy(
    small_homelab: Path, runner: CliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "kyverno"
    result = runner.invoke(app, ["-C", str(small_homelab), "policy", "export", "-o", str(out)])
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in out.glob("*.yaml"))
    assert "homestack-ndots.yaml" in files and len(files) == 9
    body = yaml.safe_load((out / "homestack-ndots.yaml").read_text())
    assert body["apiVersion"] == "kyverno.io/v1"


def test_export_is_byte_stable(small_homelab: Path, runner: CliRunner) -> None:
    first = runner.invoke(app, ["-C", str(small_homelab), "policy", "export"]).stdout
    assert first == runner.invoke(app, ["-C", str(small_homelab), "policy", "export"]).stdout
