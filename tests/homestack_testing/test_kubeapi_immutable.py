"""Immutable fields: the fake refuses changing them as the real API server does (422)."""

from __future__ import annotations

from homestack_testing.kubeapi.client import Client

PVC = {"apiVersion": "v1", "kind": "PersistentVolumeClaim",
       "metadata": {"name": "data", "namespace": "default"},
       "spec": {"accessModes": ["ReadWriteOnce"], "storageClassName": "fast",
                "resources": {"requests": {"storage": "1Gi"}}}}
PATH = "/api/v1/namespaces/default/persistentvolumeclaims/data"


def test_changing_a_pvc_storage_class_is_refused_as_immutable(api: Client) -> None:
    assert api.post("/api/v1/namespaces/default/persistentvolumeclaims", PVC).ok
    refused = api.request("PATCH", PATH, {"spec": {"storageClassName": "slow"}},
                          "application/merge-patch+json")
    assert refused.code == 422
    [cause] = refused.body["details"]["causes"]
    assert cause["field"] == "spec.storageClassName"
    assert cause["message"] == "field is immutable"
    assert api.get(PATH).body["spec"]["storageClassName"] == "fast"


def test_growing_a_pvc_is_allowed(api: Client) -> None:
    assert api.post("/api/v1/namespaces/default/persistentvolumeclaims", PVC).ok
    grown = api.request("PATCH", PATH, {"spec": {"resources": {"requests": {"storage": "2Gi"}}}},
                        "application/merge-patch+json")
    assert grown.ok, grown.body
