"""Taking over a release Helm installed: its objects plan as adopt naming the release and the
``helm`` manager, `homestack adopt` takes them in place, and Helm's release Secrets are listed
and deleted only with ``--remove-helm-history``. The objects are written as Helm writes them
(field manager ``helm``, the ``meta.helm.sh`` annotations) against the loopback API server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tests.providers.conftest import KubeLab

HELM = {"meta.helm.sh/release-name": "web", "meta.helm.sh/release-namespace": "apps"}
LABELS = {"app.kubernetes.io/managed-by": "Helm"}

CONFIGMAP = "k8s:v1:ConfigMap:apps/shared"
SERVICE = "k8s:v1:Service:apps/web"
PATHS = {CONFIGMAP: "/api/v1/namespaces/apps/configmaps/shared",
         SERVICE: "/api/v1/namespaces/apps/services/web"}
SECRETS = ("sh.helm.release.v1.web.v1", "sh.helm.release.v1.web.v2")
SECRET_PATH = "/api/v1/namespaces/apps/secrets/"


def _homestack(lab: KubeLab, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KUBECONFIG": str(lab.kubeconfig), "NO_COLOR": "1", "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "homestack", "-C", str(lab.root), *args],
                          capture_output=True, text=True, env=env, check=False, timeout=120)


def _installed_by_helm(lab: KubeLab) -> dict[str, str]:
    """What `helm install web` leaves: objects written by manager ``helm``, two revisions."""
    api = lab.client
    assert api.post("/api/v1/namespaces", {"apiVersion": "v1", "kind": "Namespace",
                                           "metadata": {"name": "apps"}}).ok
    objects = {
        "/api/v1/namespaces/apps/configmaps": {
            "apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": "shared", "labels": LABELS, "annotations": HELM},
            "data": {"greeting": "hi"}},
        "/api/v1/namespaces/apps/services": {
            "apiVersion": "v1", "kind": "Service",
            "metadata": {"name": "web", "labels": LABELS, "annotations": HELM},
            "spec": {"selector": {"app": "web"}, "ports": [{"port": 80, "targetPort": 80}]}},
    }
    for path, body in objects.items():
        made = api.post(f"{path}?fieldManager=helm", body)
        assert made.ok, made.body
    for revision, name in enumerate(SECRETS, start=1):
        made = api.post("/api/v1/namespaces/apps/secrets?fieldManager=helm", {
            "apiVersion": "v1", "kind": "Secret", "type": "helm.sh/release.v1",
            "metadata": {"name": name, "labels": {
                "owner": "helm", "name": "web", "version": str(revision),
                "status": "deployed" if revision == 2 else "superseded"}},
            "data": {"release": "SDRzSUFBQUFBQUFBLw=="}})
        assert made.ok, made.body
    return {a: _live(lab, p)["metadata"]["uid"] for a, p in PATHS.items()}


def _live(lab: KubeLab, path: str) -> dict[str, Any]:
    got = lab.client.get(path)
    assert got.ok, got.body
    return dict(got.body)


def _secrets(lab: KubeLab) -> set[str]:
    api = lab.client
    return {name for name in SECRETS if api.get(SECRET_PATH + name).ok}


def _changes(done: subprocess.CompletedProcess[str]) -> dict[str, dict[str, Any]]:
    assert done.returncode in (0, 2), done.stdout + done.stderr
    return {c["address"]: {**c, "stack": s["stack"]} for s in json.loads(done.stdout)["stacks"]
            for c in s["changes"]}


def test_a_helm_release_plans_as_adopt_naming_release_manager_and_history(
        kubelab: KubeLab) -> None:
    _installed_by_helm(kubelab)
    changes = _changes(_homestack(kubelab, "plan", "--json"))
    for address in PATHS:
        assert changes[address]["action"] == "adopt"
        assert changes[address]["fields"][:2] == ["owned by helm",
                                                  "Helm release web (namespace apps)"]
    assert any(f.startswith(".data.greeting") for f in changes[CONFIGMAP]["fields"])
    history = {a: c for a, c in changes.items() if "Secret" in a}
    assert set(history) == {f"k8s:v1:Secret:apps/{name}" for name in SECRETS}
    # One Stack lists them (the first declaring the release's objects), and keeps them.
    assert {c["stack"] for c in history.values()} == {"base"}
    assert {c["action"] for c in history.values()} == {"unchanged"}
    assert all("--remove-helm-history" in c["fields"][0] for c in history.values())
    shown = _homestack(kubelab, "plan")
    assert "history of Helm release web, kept" in shown.stdout


def test_adopt_takes_the_release_over_and_keeps_its_history(kubelab: KubeLab) -> None:
    uids = _installed_by_helm(kubelab)
    done = _homestack(kubelab, "adopt", "--yes")
    assert done.returncode == 0, done.stdout + done.stderr
    for address, path in PATHS.items():
        live = _live(kubelab, path)
        assert live["metadata"]["uid"] == uids[address], f"{address} was recreated"
        assert live["metadata"]["labels"]["app.kubernetes.io/managed-by"] == "homestack"
        owned = {e["manager"] for e in live["metadata"]["managedFields"]}
        assert "homestack" in owned
    assert _live(kubelab, PATHS[CONFIGMAP])["data"] == {"greeting": "hello"}
    assert _secrets(kubelab) == set(SECRETS)
    again = _homestack(kubelab, "plan", "--detailed-exitcode", "--json")
    assert again.returncode == 0, again.stdout + again.stderr
    assert {c["action"] for c in _changes(again).values()} == {"unchanged"}


def test_remove_helm_history_deletes_the_release_secrets_only_when_asked(
        kubelab: KubeLab) -> None:
    uids = _installed_by_helm(kubelab)
    done = _homestack(kubelab, "adopt", "--yes", "--remove-helm-history", "--json")
    assert done.returncode == 0, done.stdout + done.stderr
    removed = {a for a, c in _changes(done).items() if c["action"] == "delete"}
    assert removed == {f"k8s:v1:Secret:apps/{name}" for name in SECRETS}
    assert _secrets(kubelab) == set()
    assert {a: _live(kubelab, p)["metadata"]["uid"] for a, p in PATHS.items()} == uids
    again = _homestack(kubelab, "plan", "--detailed-exitcode", "--json")
    assert again.returncode == 0, again.stdout + again.stderr
    assert not any("Secret" in a for a in _changes(again))
