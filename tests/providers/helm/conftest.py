"""A homelab with one Helm release of a test chart served by the loopback chart repository.

``demo`` 1.0.0 renders a ConfigMap and a Deployment from values, a pre-install hook Job, a
post-install hook ConfigMap, a test hook (skipped) and one CRD; 1.1.0 drops the ConfigMap.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from homestack_testing.charts import ChartRepository, package
from homestack_testing.controlplane import ControlPlane
from homestack_testing.controlplane.storage import install_storage_classes
from tests.providers.conftest import FIXTURE, KubeLab

CHART = """apiVersion: v2
name: demo
version: {version}
appVersion: "1.0"
"""
VALUES = """greeting: hello
replicas: 1
"""
CONFIGMAP = """apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-settings
  labels:
    app.kubernetes.io/managed-by: {{ .Release.Service }}
    helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version }}
data:
  greeting: {{ .Values.greeting | quote }}
  namespace: {{ .Release.Namespace | quote }}
"""
DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}-web
  labels:
    app.kubernetes.io/instance: {{ .Release.Name }}
spec:
  replicas: {{ .Values.replicas }}
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: {{ .Values.image | default "docker.io/library/nginx:1.27.3" }}
          resources:
            requests: {cpu: 10m, memory: 32Mi}
            limits: {memory: 32Mi}
"""
PRE_HOOK = """apiVersion: batch/v1
kind: Job
metadata:
  name: {{ .Release.Name }}-migrate
  annotations:
    helm.sh/hook: pre-install,pre-upgrade
    helm.sh/hook-delete-policy: before-hook-creation
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: migrate
          image: docker.io/library/busybox:1.37.0
          command: ["true"]
          resources:
            requests: {cpu: 10m, memory: 16Mi}
            limits: {memory: 16Mi}
"""
POST_HOOK = """apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Release.Name }}-installed
  annotations:
    helm.sh/hook: post-install
data: {done: "yes"}
"""
TEST_HOOK = """apiVersion: v1
kind: Pod
metadata:
  name: {{ .Release.Name }}-test
  annotations:
    helm.sh/hook: test
spec:
  containers: [{name: t, image: docker.io/library/busybox:1.37.0}]
"""
CRD = """apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.demo.example.org
spec:
  group: demo.example.org
  scope: Namespaced
  names: {kind: Widget, listKind: WidgetList, plural: widgets, singular: widget}
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
"""
STACK = '''from homestack import Stack
from homestack.kit import helm_release, namespace

stack = Stack("demo")
namespace(stack)
helm_release(stack, "shop", chart="demo", repo="https://charts.example.org/demo",
             version="1.0.0", values={"greeting": "hello"})
'''


def write_chart(root: Path, version: str, *, settings: bool = True) -> Path:
    """Write the demo chart at ``version``; without ``settings`` its ConfigMap is gone."""
    chart = root / f"demo-{version}"
    (chart / "templates" / "tests").mkdir(parents=True)
    (chart / "crds").mkdir()
    (chart / "Chart.yaml").write_text(CHART.format(version=version))
    (chart / "values.yaml").write_text(VALUES)
    if settings:
        (chart / "templates" / "settings.yaml").write_text(CONFIGMAP)
    (chart / "templates" / "web.yaml").write_text(DEPLOYMENT)
    (chart / "templates" / "migrate.yaml").write_text(PRE_HOOK)
    (chart / "templates" / "installed.yaml").write_text(POST_HOOK)
    (chart / "templates" / "tests" / "probe.yaml").write_text(TEST_HOOK)
    (chart / "crds" / "widgets.yaml").write_text(CRD)
    return chart


class HelmLab(KubeLab):
    """A KubeLab whose one Stack is the ``shop`` release of the demo chart."""

    def __init__(self, root: Path, cluster: ControlPlane, repository: ChartRepository) -> None:
        super().__init__(root, cluster.kubeconfig, cluster.client(), cluster.audit, cluster)
        self.repository = repository


@pytest.fixture
def demo_repository(tmp_path: Path) -> Iterator[ChartRepository]:
    charts = tmp_path / "charts"
    repository = ChartRepository(standins=False)
    repository.add([package(write_chart(charts, "1.0.0")),
                    package(write_chart(charts, "1.1.0", settings=False))])
    repository.start()
    yield repository
    repository.stop()


@pytest.fixture
def helmlab(tmp_path: Path, kube_cluster: ControlPlane, demo_repository: ChartRepository,
            monkeypatch: pytest.MonkeyPatch) -> HelmLab:
    monkeypatch.setenv("HOMESTACK_CHART_MIRROR", demo_repository.url)
    monkeypatch.setenv("HOMESTACK_CHART_CACHE", str(tmp_path / "cache"))
    root = tmp_path / "lab"
    (root / "stacks" / "demo").mkdir(parents=True)
    shutil.copy(FIXTURE / "site.py", root / "site.py")
    (root / "stacks" / "demo" / "stack.py").write_text(STACK)
    install_storage_classes(kube_cluster.client())
    kube_cluster.audit.reset_stats()
    return HelmLab(root, kube_cluster, demo_repository)
