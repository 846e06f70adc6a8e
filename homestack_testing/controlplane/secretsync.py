"""Stand-ins for the controllers that turn secret custom resources into Secrets: the External
Secrets Operator (``ExternalSecret``, from Vault) and Sealed Secrets (``SealedSecret``,
decrypted in the cluster). Each custom resource gets the Secret it declares, so the workloads
that read it start, as they would once the real controller synced.

The Secret holds the keys the resource names (an ExternalSecret's ``data[].secretKey`` and
``target.template.data`` keys; a SealedSecret's ``encryptedData`` keys) with placeholder
values; keys an ExternalSecret's ``dataFrom`` would bring are unknown without the store and
left out. As with the real controllers, the Secret is owned by its resource (the garbage
collector deletes it with it), and an ExternalSecret reports ``Ready``.
"""

from __future__ import annotations

import base64
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from homestack_testing.controlplane import watch
from homestack_testing.controlplane.api import MERGE_PATCH, Api, ApiError, Credentials

PLACEHOLDER = base64.b64encode(b"stand-in").decode()


def _external_secret(source: dict[str, Any]) -> tuple[str, str, set[str]]:
    spec = source.get("spec") or {}
    target = spec.get("target") or {}
    template = target.get("template") or {}
    keys = {item["secretKey"] for item in spec.get("data") or [] if "secretKey" in item}
    keys |= set(template.get("data") or {})
    return target.get("name") or source["metadata"]["name"], \
        template.get("type", "Opaque"), keys


def _sealed_secret(source: dict[str, Any]) -> tuple[str, str, set[str]]:
    spec = source.get("spec") or {}
    template = spec.get("template") or {}
    return (template.get("metadata") or {}).get("name") or source["metadata"]["name"], \
        template.get("type", "Opaque"), set(spec.get("encryptedData") or {})


@dataclass(frozen=True)
class SecretSource:
    """A custom resource kind that a controller turns into Secrets."""

    paths: tuple[str, ...]
    shape: Callable[[dict[str, Any]], tuple[str, str, set[str]]]  # → (name, type, keys)
    reports_ready: bool


SOURCES = (
    SecretSource(("/apis/external-secrets.io/v1/externalsecrets",
                  "/apis/external-secrets.io/v1beta1/externalsecrets"),
                 _external_secret, reports_ready=True),
    SecretSource(("/apis/bitnami.com/v1alpha1/sealedsecrets",), _sealed_secret,
                 reports_ready=False),
)


def secret_for(source: dict[str, Any], shape: Callable[[dict[str, Any]],
                                                       tuple[str, str, set[str]]]
               ) -> dict[str, Any]:
    """The Secret the controller would write for ``source`` (placeholder values)."""
    meta = source["metadata"]
    name, kind, keys = shape(source)
    owner = {"apiVersion": source["apiVersion"], "kind": source["kind"], "name": meta["name"],
             "uid": meta["uid"], "controller": True, "blockOwnerDeletion": True}
    return {"apiVersion": "v1", "kind": "Secret", "type": kind,
            "metadata": {"name": name, "namespace": meta["namespace"],
                         "ownerReferences": [owner]},
            "data": {key: PLACEHOLDER for key in sorted(keys)}}


class SecretSync:
    """Watches every source kind (each served version) and writes their Secrets."""

    def __init__(self, credentials: Credentials, report: watch.Report) -> None:
        self._credentials = credentials
        self._report = report
        self._stopping = threading.Event()

    def start(self) -> SecretSync:
        for source in SOURCES:
            for path in source.paths:
                def handle(api: Api, obj: dict[str, Any], source: SecretSource = source
                           ) -> None:
                    self._sync(api, obj, source)
                threading.Thread(target=watch.run, name=f"secret-sync {path}", daemon=True,
                                 args=(self._credentials, path, handle, self._stopping,
                                       self._report)).start()
        return self

    def stop(self) -> None:
        self._stopping.set()

    def _sync(self, api: Api, source: dict[str, Any], kind: SecretSource) -> None:
        meta = source["metadata"]
        if meta.get("deletionTimestamp"):
            return
        wanted = secret_for(source, kind.shape)
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
                         f"for {source['kind']} {meta['name']}")
        elif (live.get("data") or {}).keys() != wanted["data"].keys():
            api.request("PATCH", f"{path}/{name}", {"data": wanted["data"]},
                        content_type=MERGE_PATCH)
        if kind.reports_ready:
            self._report_ready(api, source)

    @staticmethod
    def _report_ready(api: Api, source: dict[str, Any]) -> None:
        meta = source["metadata"]
        conditions = ((source.get("status") or {}).get("conditions")) or []
        if any(c.get("type") == "Ready" and c.get("status") == "True" for c in conditions):
            return
        status = {"status": {"conditions": [{"type": "Ready", "status": "True",
                                             "reason": "SecretSynced",
                                             "message": "Secret was synced"}]}}
        plural = source["kind"].lower() + "s"
        resource = f"/apis/{source['apiVersion']}/namespaces/{meta['namespace']}/{plural}/" \
                   f"{meta['name']}/status"
        try:
            api.request("PATCH", resource, status, content_type=MERGE_PATCH)
        except ApiError as error:
            if error.status != 404:  # a CRD without the status subresource
                raise
