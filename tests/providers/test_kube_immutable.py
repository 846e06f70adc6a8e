"""The immutable-field table (``providers/kubernetes/immutable.py``) checked against the real
API server: for every entry, the server refuses the change in place (asked directly, as a
dry-run merge patch), and Homestack plans it as a replace naming the field. Growing a bound
claim is planned as refused when its StorageClass does not allow expansion, and applied in
place when it does."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from homestack.engine import Action, EngineOptions, FailureKind
from tests.providers.conftest import KubeLab

RBAC = "rbac.authorization.k8s.io"
# (kind, apiVersion, URL of its collection, body, the field changed, its new value)
CASES: list[tuple[str, str, str, dict[str, Any], str, Any]] = [
    ("StorageClass", "storage.k8s.io/v1", "/apis/storage.k8s.io/v1/storageclasses",
     {"metadata": {"name": "fid-fast"}, "provisioner": "example.org/fast",
      "parameters": {"tier": "fast"}, "reclaimPolicy": "Delete",
      "volumeBindingMode": "Immediate"}, "parameters", {"tier": "slow"}),
    ("StorageClass", "storage.k8s.io/v1", "/apis/storage.k8s.io/v1/storageclasses",
     {"metadata": {"name": "fid-fast"}, "provisioner": "example.org/fast",
      "reclaimPolicy": "Delete"}, "reclaimPolicy", "Retain"),
    ("StorageClass", "storage.k8s.io/v1", "/apis/storage.k8s.io/v1/storageclasses",
     {"metadata": {"name": "fid-fast"}, "provisioner": "example.org/fast"},
     "provisioner", "example.org/other"),
    ("PriorityClass", "scheduling.k8s.io/v1", "/apis/scheduling.k8s.io/v1/priorityclasses",
     {"metadata": {"name": "fid-high"}, "value": 1000}, "value", 2000),
    ("PriorityClass", "scheduling.k8s.io/v1", "/apis/scheduling.k8s.io/v1/priorityclasses",
     {"metadata": {"name": "fid-high"}, "value": 1000,
      "preemptionPolicy": "PreemptLowerPriority"}, "preemptionPolicy", "Never"),
    ("ClusterRoleBinding", f"{RBAC}/v1", f"/apis/{RBAC}/v1/clusterrolebindings",
     {"metadata": {"name": "fid-view"},
      "roleRef": {"apiGroup": RBAC, "kind": "ClusterRole", "name": "view"}},
     "roleRef", {"apiGroup": RBAC, "kind": "ClusterRole", "name": "edit"}),
    ("RoleBinding", f"{RBAC}/v1", f"/apis/{RBAC}/v1/namespaces/apps/rolebindings",
     {"metadata": {"name": "fid-view", "namespace": "apps"},
      "roleRef": {"apiGroup": RBAC, "kind": "ClusterRole", "name": "view"}},
     "roleRef", {"apiGroup": RBAC, "kind": "ClusterRole", "name": "edit"}),
    ("Secret", "v1", "/api/v1/namespaces/apps/secrets",
     {"metadata": {"name": "fid-typed", "namespace": "apps"}, "type": "Opaque"},
     "type", "example.org/other"),
    ("IngressClass", "networking.k8s.io/v1", "/apis/networking.k8s.io/v1/ingressclasses",
     {"metadata": {"name": "fid-edge"}, "spec": {"controller": "example.org/a"}},
     "spec.controller", "example.org/b"),
    ("CSIDriver", "storage.k8s.io/v1", "/apis/storage.k8s.io/v1/csidrivers",
     {"metadata": {"name": "fid.example.org"}, "spec": {"attachRequired": True}},
     "spec.attachRequired", False),
]


def _with(body: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    out = json.loads(json.dumps(body))
    node = out
    *parents, last = path.split(".")
    for key in parents:
        node = node[key]
    node[last] = value
    return out


def _stack(lab: KubeLab, objects: list[dict[str, Any]]) -> None:
    folder = lab.root / "stacks" / "extra"
    folder.mkdir(exist_ok=True)
    (folder / "stack.py").write_text(
        "from homestack import Stack\nfrom homestack.kit import raw\n\n"
        'stack = Stack("extra", namespace="apps", needs=["base"])\n'
        f"raw(stack, {json.dumps(objects)!s})\n".replace("true", "True")
        .replace("false", "False"))


def _object(kind: str, api_version: str, body: dict[str, Any]) -> dict[str, Any]:
    return {"apiVersion": api_version, "kind": kind, **body}


@pytest.mark.parametrize(("kind", "api_version", "collection", "body", "path", "value"), CASES,
                         ids=[f"{c[0]}.{c[4]}" for c in CASES])
def test_the_server_refuses_the_change_in_place_and_the_plan_replaces(
        kubelab: KubeLab, kind: str, api_version: str, collection: str,
        body: dict[str, Any], path: str, value: Any) -> None:
    before = _object(kind, api_version, body)
    _stack(kubelab, [before])
    applied = kubelab.apply()
    assert not applied.failed, [(s.stack, s.error) for s in applied.failed]
    url = f"{collection}/{body['metadata']['name']}"
    patch: Any = value
    for key in reversed(path.split(".")):
        patch = {key: patch}
    refused = kubelab.client.request("PATCH", f"{url}?dryRun=All", patch,
                                     "application/merge-patch+json")
    assert refused.code == 422, (refused.code, refused.body)
    _stack(kubelab, [_with(before, path, value)])
    [change] = [c for s in kubelab.plan().stacks for c in s.changes
                if c.address.kind == kind and c.address.name == body["metadata"]["name"]]
    assert change.action is Action.REPLACE, (change.action, change.fields, change.failure)
    assert change.fields[0].startswith(f"{path}: immutable")


CLASSES = '''
raw(stack, [
    {"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass", "metadata": {"name": "grows"},
     "provisioner": "example.org/lvm", "volumeBindingMode": "Immediate",
     "allowVolumeExpansion": True},
    {"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass", "metadata": {"name": "fixed"},
     "provisioner": "example.org/lvm", "volumeBindingMode": "Immediate"},
], name="classes")
'''


def _claims(lab: KubeLab, size: str) -> None:
    path = lab.root / "stacks" / "data" / "stack.py"
    text = path.read_text().split("raw(stack,")[0]
    claims = [{"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": name},
               "spec": {"accessModes": ["ReadWriteOnce"], "storageClassName": name,
                        "resources": {"requests": {"storage": size}}}}
              for name in ("grows", "fixed")]
    path.write_text(text + CLASSES + f"raw(stack, {json.dumps(claims)}, name=\"claims\")\n")


def _bound(lab: KubeLab, name: str) -> bool:
    claim = lab.client.get(f"/api/v1/namespaces/apps/persistentvolumeclaims/{name}").body
    return bool(claim["status"].get("phase") == "Bound")


def test_growing_a_claim_is_refused_in_the_plan_unless_its_class_allows_it(
        kubelab: KubeLab) -> None:
    _claims(kubelab, "1Gi")
    assert not kubelab.apply().failed
    deadline = time.monotonic() + 60
    while not (_bound(kubelab, "grows") and _bound(kubelab, "fixed")):
        assert time.monotonic() < deadline, "the claims never bound"
        time.sleep(0.1)
    _claims(kubelab, "2Gi")
    changes = {c.address.name: c for s in kubelab.plan().stacks for c in s.changes
               if c.address.kind == "PersistentVolumeClaim"}
    assert changes["grows"].action is Action.UPDATE
    fixed = changes["fixed"]
    assert fixed.action is Action.FAILED and fixed.failure is not None
    assert fixed.failure.kind is FailureKind.FORBIDDEN
    assert 'StorageClass "fixed" does not allow volume expansion' in fixed.failure.message
    result = kubelab.apply(EngineOptions(parallelism=2))
    [failed] = result.failed
    assert failed.stack == "data" and "allowVolumeExpansion" in failed.error
    # Nothing of the refused Stack was written: the claim that may grow waits too.
    live = kubelab.client.get("/api/v1/namespaces/apps/persistentvolumeclaims/grows").body
    assert live["spec"]["resources"]["requests"]["storage"] == "1Gi"


def test_a_claim_that_is_not_bound_yet_is_replaced_to_change_its_size(kubelab: KubeLab
                                                                      ) -> None:
    assert not kubelab.apply().failed  # the data Stack's claim waits for its first consumer
    kubelab.edit("data", '"storage": "1Gi"', '"storage": "2Gi"')
    [change] = [c for s in kubelab.plan().stacks for c in s.changes
                if c.address.kind == "PersistentVolumeClaim"]
    assert change.action is Action.REPLACE
    assert change.fields[0].startswith("spec.resources: immutable")
