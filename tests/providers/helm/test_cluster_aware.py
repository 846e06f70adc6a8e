"""Cluster-aware rendering for the ``kube`` target: a chart that gates a template on
``.Capabilities.APIVersions.Has "monitoring.coreos.com/v1"`` renders it only for a cluster
that serves that API (the real API server, with or without the CRD registered); offline
commands keep Helm's defaults, and the plan names the release whose two renders differ."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from homestack_testing.charts import ChartRepository, package
from homestack_testing.controlplane import ControlPlane
from tests.providers.conftest import FIXTURE

CHART = "apiVersion: v2\nname: monitored\nversion: 1.0.0\n"
SETTINGS = """apiVersion: v1
kind: ConfigMap
metadata: {name: {{ .Release.Name }}-settings}
data:
  monitored: {{ .Capabilities.APIVersions.Has "monitoring.coreos.com/v1" | quote }}
"""
MONITOR = """{{- if .Capabilities.APIVersions.Has "monitoring.coreos.com/v1" }}
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: {name: {{ .Release.Name }}}
spec:
  selector: {matchLabels: {app: web}}
  endpoints: [{port: http}]
{{- end }}
"""
STACK = '''from homestack import Stack
from homestack.kit import helm_release, namespace

stack = Stack("watch")
namespace(stack)
helm_release(stack, "probe", chart="monitored", repo="https://charts.example.org/stable",
             version="1.0.0")
'''
CRD = {
    "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
    "metadata": {"name": "servicemonitors.monitoring.coreos.com"},
    "spec": {"group": "monitoring.coreos.com", "scope": "Namespaced",
             "names": {"kind": "ServiceMonitor", "listKind": "ServiceMonitorList",
                       "plural": "servicemonitors", "singular": "servicemonitor"},
             "versions": [{"name": "v1", "served": True, "storage": True, "schema": {
                 "openAPIV3Schema": {"type": "object",
                                     "x-kubernetes-preserve-unknown-fields": True}}}]},
}
MONITOR_ADDRESS = "k8s:monitoring.coreos.com/v1:ServiceMonitor:watch/probe"
SETTINGS_ADDRESS = "k8s:v1:ConfigMap:watch/probe-settings"


class Lab:
    """A one-Stack homelab with the ``probe`` release, and the API server it plans against."""

    def __init__(self, root: Path, cluster: ControlPlane, kubeconfig: Path) -> None:
        self.root, self.kubeconfig = root, kubeconfig
        self.url = cluster.url
        self.client = cluster.client()

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "KUBECONFIG": str(self.kubeconfig), "NO_COLOR": "1",
               "COLUMNS": "200"}
        return subprocess.run([sys.executable, "-m", "homestack", "-C", str(self.root), *args],
                              capture_output=True, text=True, env=env, check=False,
                              timeout=120)

    def plan(self, *args: str) -> dict[str, Any]:
        done = self.run("plan", "--json", *args)
        assert done.returncode in (0, 2), done.stdout + done.stderr
        [stack] = json.loads(done.stdout)["stacks"]
        return dict(stack)

    def serve_monitoring(self) -> None:
        path = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions"
        made = self.client.post(path, CRD)
        assert made.ok, made.body
        deadline = time.monotonic() + 30  # served once Established
        while not self.client.get("/apis/monitoring.coreos.com/v1").ok:
            assert time.monotonic() < deadline, "the CRD was never served"
            time.sleep(0.05)


@pytest.fixture
def lab(tmp_path: Path, kube_cluster: ControlPlane, monkeypatch: pytest.MonkeyPatch
        ) -> Iterator[Lab]:
    chart = tmp_path / "charts" / "monitored"
    (chart / "templates").mkdir(parents=True)
    (chart / "Chart.yaml").write_text(CHART)
    (chart / "templates" / "settings.yaml").write_text(SETTINGS)
    (chart / "templates" / "monitor.yaml").write_text(MONITOR)
    repository = ChartRepository(standins=False)
    repository.add([package(chart)])
    repository.start()
    monkeypatch.setenv("HOMESTACK_CHART_MIRROR", repository.url)
    monkeypatch.setenv("HOMESTACK_CHART_CACHE", str(tmp_path / "cache"))
    root = tmp_path / "lab"
    (root / "stacks" / "watch").mkdir(parents=True)
    shutil.copy(FIXTURE / "site.py", root / "site.py")
    (root / "stacks" / "watch" / "stack.py").write_text(STACK)
    kubeconfig = tmp_path / "kubeconfig"  # a copy: one test points it elsewhere
    shutil.copyfile(kube_cluster.kubeconfig, kubeconfig)
    yield Lab(root, kube_cluster, kubeconfig)
    repository.stop()


def _actions(stack: dict[str, Any]) -> dict[str, str]:
    return {c["address"]: c["action"] for c in stack["changes"]}


def test_a_cluster_without_the_api_renders_as_offline_and_notes_nothing(lab: Lab) -> None:
    stack = lab.plan()
    assert _actions(stack)[SETTINGS_ADDRESS] == "create"
    assert MONITOR_ADDRESS not in _actions(stack)
    assert stack["notes"] == []


def test_a_cluster_serving_the_api_gets_the_gated_template_and_the_plan_says_so(
        lab: Lab, tmp_path: Path) -> None:
    lab.serve_monitoring()
    stack = lab.plan()
    assert _actions(stack)[MONITOR_ADDRESS] == "create"
    settings = next(c for c in stack["changes"] if c["address"] == SETTINGS_ADDRESS)
    assert "+  monitored: 'true'" in settings["diff"].splitlines()
    [note] = stack["notes"]
    assert note.startswith("Helm release probe renders differently for this cluster")
    # Offline commands keep Helm's defaults: no ServiceMonitor in the rendered YAML.
    out = tmp_path / "rendered"
    rendered = lab.run("render", "-o", str(out))
    assert rendered.returncode == 0, rendered.stderr
    texts = "".join(p.read_text() for p in out.rglob("*.yaml"))
    assert "kind: ConfigMap" in texts and "ServiceMonitor" not in texts
    assert "monitored: 'false'" in texts or 'monitored: "false"' in texts


def test_cluster_aware_apply_then_a_clean_plan(lab: Lab) -> None:
    lab.serve_monitoring()
    done = lab.run("apply", "--yes")
    assert done.returncode == 0, done.stdout + done.stderr
    got = lab.client.get(
        "/apis/monitoring.coreos.com/v1/namespaces/watch/servicemonitors/probe")
    assert got.ok, got.body
    again = lab.run("plan", "--detailed-exitcode")
    assert again.returncode == 0, again.stdout + again.stderr
    # Drift compares with the same cluster-aware render: the ServiceMonitor is not drift.
    drifted = lab.run("drift")
    assert drifted.returncode == 0, drifted.stdout + drifted.stderr


def test_an_unreachable_cluster_keeps_helms_defaults_and_fails_the_stack_as_usual(
        lab: Lab) -> None:
    lab.kubeconfig.write_text(lab.kubeconfig.read_text().replace(
        lab.url, "https://127.0.0.1:9"))
    done = lab.run("plan", "--json")
    assert done.returncode == 1, done.stdout + done.stderr
    [stack] = json.loads(done.stdout)["stacks"]
    assert stack["outcome"] == "failed"
    [note] = stack["notes"]
    assert note.startswith("Helm releases rendered with Helm's default capabilities")


def test_changed_since_compares_like_with_like(lab: Lab) -> None:
    """The release renders differently for this cluster than offline; nothing changed since
    the commit, so --changed-since finds no Stack (an offline render of the old revision is
    compared with the offline render of now, never with the cluster-aware one)."""
    lab.serve_monitoring()
    for args in (("init", "-q"), ("add", "-A"), ("commit", "-qm", "lab")):
        subprocess.run(["git", "-C", str(lab.root), "-c", "user.name=t",
                        "-c", "user.email=t@example.org", *args], check=True)
    done = lab.run("plan", "--changed-since", "HEAD")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no Stack changed since HEAD" in done.stdout
