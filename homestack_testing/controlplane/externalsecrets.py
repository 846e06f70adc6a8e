"""A stand-in for the External Secrets Operator: every ExternalSecret gets the Secret it
declares, so the workloads that read it start, as they would once the operator synced.

The Secret holds the keys the ExternalSecret names (``data[].secretKey``, the keys of
``target.template.data``) with placeholder values; keys that ``dataFrom`` would bring are
unknown without the secret store and left out. Like the operator's ``creationPolicy: Owner``,
the Secret is owned by its ExternalSecret (the garbage collector deletes it with it), and the
ExternalSecret reports ``Ready``.
"""

from __future__ import annotations

import base64
import threading
from typing import Any

from homestack_testing.controlplane import watch
from homestack_testing.controlplane.api import MERGE_PATCH, Api, ApiError, Credentials

GROUP = "external-secrets.io"
VERSIONS = ("v1", "v1beta1")
PLACEHOLDER = base64.b64encode(b"stand-in").decode()


def secret_for(external: dict[str, Any]) -> dict[str, Any]:
    """The Secret the operator would write for ``external`` (placeholder values)."""
    meta, spec = external["metadata"], external.get("spec") or {}
    target = spec.get("target") or {}
    template = target.get("template") or {}
    keys = {item["secretKey"] for item in spec.get("data") or [] if "secretKey" in item}
    keys |= set(template.get("data") or {})
    owner = {"apiVersion": external["apiVersion"], "kind": "ExternalSecret",
             "name": meta["name"], "uid": meta["uid"], "controller": True,
             "blockOwnerDeletion": True}
    return {"apiVersion": "v1", "kind": "Secret", "type": template.get("type", "Opaque"),
            "metadata": {"name": target.get("name") or meta["name"],
                         "namespace": meta["namespace"], "ownerReferences": [owner],
                         "labels": {"reconcile.external-secrets.io/managed": "true"}},
            "data": {key: PLACEHOLDER for key in sorted(keys)}}


class ExternalSecretsStandIn:
    """Watches ExternalSecrets (each served version) and writes their Secrets."""

    def __init__(self, credentials: Credentials, report: watch.Report) -> None:
        self._credentials = credentials
        self._report = report
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []

    def start(self) -> ExternalSecretsStandIn:
        for version in VERSIONS:
            path = f"/apis/{GROUP}/{version}/externalsecrets"
            thread = threading.Thread(
                target=watch.run, name=f"external-secrets-{version}", daemon=True,
                args=(self._credentials, path, self._sync, self._stopping, self._report))
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        self._stopping.set()

    def _sync(self, api: Api, external: dict[str, Any]) -> None:
        meta = external["metadata"]
        if meta.get("deletionTimestamp"):
            return
        wanted = secret_for(external)
        path = f"/api/v1/namespaces/{meta['namespace']}/secrets"
        name = wanted["metadata"]["name"]
        live = api.get(f"{path}/{name}")
        if live is None:
            try:
                api.request("POST", path, wanted)
            except ApiError as error:
                if error.status != 409:
                    raise
            self._report("synced", f"secret {meta['namespace']}/{name}",
                         f"for ExternalSecret {meta['name']}")
        elif (live.get("data") or {}).keys() != wanted["data"].keys():
            api.request("PATCH", f"{path}/{name}", {"data": wanted["data"]},
                        content_type=MERGE_PATCH)
        conditions = ((external.get("status") or {}).get("conditions")) or []
        if not any(c.get("type") == "Ready" and c.get("status") == "True" for c in conditions):
            status = {"status": {"conditions": [{"type": "Ready", "status": "True",
                                                 "reason": "SecretSynced",
                                                 "message": "Secret was synced"}]}}
            resource = f"/apis/{external['apiVersion']}/namespaces/{meta['namespace']}/" \
                       f"externalsecrets/{meta['name']}"
            try:
                api.request("PATCH", resource + "/status", status, content_type=MERGE_PATCH)
            except ApiError as error:
                if error.status != 404:  # a CRD without the status subresource
                    raise
