"""Helm releases delivered by Flux: the gitops target writes HelmRepository + HelmRelease."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import jsonschema
import yaml

from tests.providers.helm.conftest import HelmLab

# The parts of Flux's HelmRelease v2 and HelmRepository v1 CRD schemas a release relies on
# (required fields, types and enums as the CRDs declare them).
DURATION = {"type": "string", "pattern": r"^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$"}
HELM_RELEASE = {
    "type": "object",
    "required": ["apiVersion", "kind", "metadata", "spec"],
    "properties": {
        "apiVersion": {"const": "helm.toolkit.fluxcd.io/v2"},
        "kind": {"const": "HelmRelease"},
        "spec": {
            "type": "object",
            "required": ["interval"],
            "oneOf": [{"required": ["chart"]}, {"required": ["chartRef"]}],
            "properties": {
                "interval": DURATION,
                "releaseName": {"type": "string", "maxLength": 53, "minLength": 1},
                "chart": {"type": "object", "required": ["spec"], "properties": {"spec": {
                    "type": "object", "required": ["chart", "sourceRef"],
                    "properties": {
                        "chart": {"type": "string", "minLength": 1},
                        "version": {"type": "string"},
                        "sourceRef": {"type": "object", "required": ["kind", "name"],
                                      "properties": {"kind": {"enum": [
                                          "HelmRepository", "GitRepository", "Bucket"]}}}}}}},
                "install": {"type": "object", "properties": {"crds": {
                    "enum": ["Skip", "Create", "CreateReplace"]}}},
                "upgrade": {"type": "object", "properties": {"crds": {
                    "enum": ["Skip", "Create", "CreateReplace"]}}},
                "dependsOn": {"type": "array", "items": {"type": "object", "required": ["name"]}},
                "values": {"type": "object"},
            },
        },
    },
}
HELM_REPOSITORY = {
    "type": "object",
    "properties": {
        "apiVersion": {"const": "source.toolkit.fluxcd.io/v1"},
        "kind": {"const": "HelmRepository"},
        "spec": {"type": "object", "required": ["url"],
                 "properties": {"url": {"type": "string", "pattern": "^(http|https|oci)://.*$"},
                                "interval": DURATION}},
    },
}
BASE = '''from homestack import Stack
from homestack.kit import helm_release, namespace

stack = Stack("base")
namespace(stack)
helm_release(stack, "base", chart="demo", repo="https://charts.example.org/demo",
             version="1.0.0", crds="skip")
'''


def _homestack(lab: HelmLab, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run([sys.executable, "-m", "homestack", "-C", str(lab.root), *args],
                          capture_output=True, text=True, env=env, check=False, timeout=120)


def _flux_site(lab: HelmLab) -> None:
    site = lab.root / "site.py"
    text = site.read_text()
    assert "from homestack import " in text
    text = text.replace("from homestack import ",
                        "from homestack import ChartSettings, ReleaseDelivery, ")
    text = text.replace("    cluster=Cluster(),\n",
                        "    charts=ChartSettings(delivery=ReleaseDelivery.FLUX),\n")
    site.write_text(text)
    (lab.root / "stacks" / "base").mkdir()
    (lab.root / "stacks" / "base" / "stack.py").write_text(BASE)
    lab.edit("demo", 'Stack("demo")', 'Stack("demo", needs=["base"])')


def _head(repo: Path) -> str:
    return subprocess.run(["git", "-C", str(repo), "rev-parse", "HEAD"], capture_output=True,
                          text=True, check=True).stdout.strip()


def test_flux_delivery_writes_a_valid_helm_release_and_reapplies_without_a_commit(
        helmlab: HelmLab) -> None:
    _flux_site(helmlab)
    done = _homestack(helmlab, "apply", "--yes")
    assert done.returncode == 0, done.stderr
    repo = helmlab.root / ".homestack" / "gitops"
    folder = repo / "stacks" / "demo"
    files = {p.name: yaml.safe_load(p.read_text()) for p in folder.glob("*.yaml")}
    releases = [b for b in files.values() if b.get("kind") == "HelmRelease"]
    sources = [b for b in files.values() if b.get("kind") == "HelmRepository"]
    assert len(releases) == 1 and len(sources) == 1
    release, source = releases[0], sources[0]
    jsonschema.validate(release, HELM_RELEASE)
    jsonschema.validate(source, HELM_REPOSITORY)
    assert release["metadata"] == {"name": "shop", "namespace": "demo"}
    assert release["spec"]["chart"]["spec"] == {
        "chart": "demo", "version": "1.0.0",
        "sourceRef": {"kind": "HelmRepository", "name": "shop"}}
    assert release["spec"]["values"] == {"greeting": "hello"}
    assert release["spec"]["dependsOn"] == [{"name": "base", "namespace": "base"}]
    assert source["spec"]["url"] == "https://charts.example.org/demo"
    assert not any(b.get("kind") in ("Deployment", "CustomResourceDefinition")
                   for b in files.values()), "Flux renders the chart, not the repository"

    head = _head(repo)
    again = _homestack(helmlab, "apply", "--yes")
    assert again.returncode == 0, again.stderr
    assert _head(repo) == head, "re-applying makes no new commit"
    assert _homestack(helmlab, "plan", "--detailed-exitcode").returncode == 0


def test_policy_still_runs_on_the_rendered_chart(helmlab: HelmLab) -> None:
    _flux_site(helmlab)
    helmlab.edit("demo", 'values={"greeting": "hello"}',
                 'values={"image": "docker.io/library/nginx:latest"}')
    validated = _homestack(helmlab, "validate", "--json")
    assert validated.returncode == 1
    assert "HS-IMAGE-001" in validated.stdout and "Deployment:demo/shop-web" in validated.stdout
    helmlab.edit("demo", "version=\"1.0.0\",",
                 "version=\"1.0.0\", ignore=(\"HS-IMAGE-001: the chart's own tag\",),")
    silenced = _homestack(helmlab, "validate")
    assert silenced.returncode == 0, silenced.stdout
