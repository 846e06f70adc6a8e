"""Fidelity with the stock kubectl: server-side apply, get, diff, conflicts, delete."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import yaml

from homestack_testing.kubeapi import KubeApiServer
from homestack_testing.kubectl import Kubectl, needs_kubectl

pytestmark = needs_kubectl

MANIFESTS = """
apiVersion: v1
kind: Namespace
metadata: {name: demo}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg, namespace: demo}
data: {a: "1"}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: demo, labels: {app: web}}
spec:
  replicas: REPLICAS
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        ports: [{containerPort: 80}]
        env: [{name: MODE, value: prod}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: demo}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 80}]
"""

CRD = """
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  names: {kind: Widget, plural: widgets, singular: widget, listKind: WidgetList}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        x-kubernetes-preserve-unknown-fields: true
"""

WIDGET = """
apiVersion: example.com/v1
kind: Widget
metadata: {name: w1, namespace: demo}
spec: {size: 3, tags: [a, b]}
"""


@pytest.fixture(scope="module")
def kubectl(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Kubectl]:
    workdir = tmp_path_factory.mktemp("kubectl")
    server = KubeApiServer(crd_delay_ms=10).start()
    try:
        yield Kubectl(server.write_kubeconfig(workdir / "kubeconfig"), workdir)
    finally:
        server.stop()


def test_server_side_apply_get_and_diff(kubectl: Kubectl) -> None:
    path = kubectl.write("app.yaml", MANIFESTS.replace("REPLICAS", "2"))
    r = kubectl("apply", "--server-side", "-f", path)
    assert r.returncode == 0, r.stderr
    assert "deployment.apps/web serverside-applied" in r.stdout
    assert "namespace/demo serverside-applied" in r.stdout
    again = kubectl("apply", "--server-side", "-f", path)
    assert again.returncode == 0, again.stderr

    r = kubectl("get", "deployment", "web", "-n", "demo", "-o", "yaml",
                "--show-managed-fields")
    live = yaml.safe_load(r.stdout)
    assert live["spec"]["replicas"] == 2
    entry = live["metadata"]["managedFields"][0]
    assert (entry["manager"], entry["operation"]) == ("kubectl", "Apply")
    svc = json.loads(kubectl("get", "svc", "web", "-n", "demo", "-o", "json").stdout)
    assert svc["spec"]["type"] == "ClusterIP" and svc["spec"]["clusterIP"]

    r = kubectl("diff", "--server-side", "-f", path)
    assert r.returncode == 0, r.stdout + r.stderr
    changed = kubectl.write("app3.yaml", MANIFESTS.replace("REPLICAS", "3"))
    r = kubectl("diff", "--server-side", "-f", changed)
    assert r.returncode == 1, r.stderr
    assert "-  replicas: 2" in r.stdout and "+  replicas: 3" in r.stdout


def test_conflict_with_second_manager_and_force(kubectl: Kubectl) -> None:
    path = kubectl.write("app.yaml", MANIFESTS.replace("REPLICAS", "2"))
    assert kubectl("apply", "--server-side", "-f", path).returncode == 0
    r = kubectl("patch", "deployment", "web", "-n", "demo", "--type=merge",
                "--field-manager=other-manager", "-p", '{"spec":{"replicas":5}}')
    assert r.returncode == 0, r.stderr
    changed = kubectl.write("app3.yaml", MANIFESTS.replace("REPLICAS", "3"))
    r = kubectl("apply", "--server-side", "-f", changed)
    assert r.returncode == 1
    assert ('Apply failed with 1 conflict: conflict with "other-manager" using apps/v1: '
            ".spec.replicas") in r.stderr
    assert "--force-conflicts" in r.stderr

    other = kubectl.write("other.yaml", MANIFESTS.replace("REPLICAS", "3"))
    kubectl("apply", "--server-side", "--force-conflicts", "-f", other)
    r = kubectl("apply", "--server-side", "--field-manager=platform", "-f",
                kubectl.write("app4.yaml", MANIFESTS.replace("REPLICAS", "4")))
    assert r.returncode == 1
    assert 'conflict with "kubectl"' in r.stderr

    r = kubectl("apply", "--server-side", "--field-manager=platform", "--force-conflicts",
                "-f", kubectl.write("app4.yaml", MANIFESTS.replace("REPLICAS", "4")))
    assert r.returncode == 0, r.stderr
    r = kubectl("get", "deployment", "web", "-n", "demo", "-o",
                "jsonpath={.spec.replicas}")
    assert r.stdout == "4"


def test_crd_custom_resource_and_delete(kubectl: Kubectl) -> None:
    kubectl("apply", "--server-side", "-f", kubectl.write("ns.yaml", MANIFESTS.replace(
        "REPLICAS", "2")))
    r = kubectl("apply", "--server-side", "-f", kubectl.write("crd.yaml", CRD))
    assert r.returncode == 0, r.stderr
    r = kubectl("wait", "--for=condition=Established", "crd/widgets.example.com",
                "--timeout=10s")
    assert r.returncode == 0, r.stderr
    widget = kubectl.write("w.yaml", WIDGET)
    r = kubectl("apply", "--server-side", "-f", widget)
    assert r.returncode == 0, r.stderr
    assert "widget.example.com/w1 serverside-applied" in r.stdout
    got = yaml.safe_load(kubectl("get", "widgets", "w1", "-n", "demo", "-o", "yaml").stdout)
    assert got["spec"] == {"size": 3, "tags": ["a", "b"]}
    assert kubectl("diff", "--server-side", "-f", widget).returncode == 0

    r = kubectl("delete", "-f", widget)
    assert r.returncode == 0, r.stderr
    assert 'widget.example.com "w1" deleted' in r.stdout
    r = kubectl("get", "widgets", "w1", "-n", "demo")
    assert r.returncode == 1 and "NotFound" in r.stderr
    r = kubectl("delete", "namespace", "demo")
    assert r.returncode == 0, r.stderr
    r = kubectl("get", "deployments", "-A", "-o", "json")
    assert json.loads(r.stdout)["items"] == []
