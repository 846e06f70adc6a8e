"""Bring the shared test cluster back to how it was after start, between tests.

A baseline (the uid of every object once the cluster settled) is taken once; a reset deletes
everything else: webhooks and admission policies first (one left by a test could refuse the
rest), then objects in namespaces that existed at start, then namespaces a test created and
cluster-scoped objects. Each namespace is deleted first, so the API server's namespace
lifecycle admission refuses new objects in it, then emptied here and finalized here: the
namespace controller would do the same after its fixed five-second grace period, which a
reset per test cannot afford. Tests of namespace termination itself never meet this path:
they delete their namespaces through Homestack, and the real controller removes them.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from homestack_testing.controlplane.api import MERGE_PATCH, Api, ApiError

_AGGREGATED = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"
# Kept whoever made them: written by the control plane for itself.
_KEPT = {("", "events"), ("events.k8s.io", "events"), ("coordination.k8s.io", "leases"),
         ("", "nodes"), ("networking.k8s.io", "ipaddresses"),
         ("networking.k8s.io", "servicecidrs"), ("", "componentstatuses")}
_FIRST = {("admissionregistration.k8s.io", r) for r in (
    "validatingwebhookconfigurations", "mutatingwebhookconfigurations",
    "validatingadmissionpolicies", "validatingadmissionpolicybindings",
    "mutatingadmissionpolicies", "mutatingadmissionpolicybindings")}
_AUTOMANAGED = "kube-aggregator.kubernetes.io/automanaged"


@dataclass(frozen=True)
class ResourceType:
    """One listable, deletable resource of the API server."""

    group: str
    version: str
    plural: str
    namespaced: bool

    def path(self, namespace: str | None = None, name: str | None = None) -> str:
        base = f"/api/{self.version}" if not self.group else \
            f"/apis/{self.group}/{self.version}"
        if namespace:
            base += f"/namespaces/{namespace}"
        base += f"/{self.plural}"
        return f"{base}/{name}" if name else base


def resource_types(api: Api) -> list[ResourceType]:
    """Every resource served now (custom resources included) that can be listed and deleted,
    in its group's preferred version, from two aggregated discovery documents."""
    found: list[ResourceType] = []
    for root in ("/api", "/apis"):
        document = api.request("GET", root, accept=_AGGREGATED)
        for group in document.get("items") or []:
            name = group["metadata"].get("name", "")
            preferred = (group.get("versions") or [{}])[0]
            for resource in preferred.get("resources") or []:
                verbs = set(resource.get("verbs") or [])
                if {"list", "delete"} <= verbs and (name, resource["resource"]) not in _KEPT:
                    found.append(ResourceType(name, preferred["version"], resource["resource"],
                                              resource.get("scope") == "Namespaced"))
    return found


def _objects(api: Api, types: list[ResourceType]) -> Iterator[tuple[ResourceType, dict[str,
                                                                                       Any]]]:
    for kind in types:
        try:
            listed = api.request("GET", kind.path())
        except ApiError as error:
            if error.status in (404, 405, 503):  # a CRD going away, an aggregated API down
                continue
            raise
        for item in listed.get("items") or []:
            yield kind, item


def snapshot(api: Api) -> frozenset[str]:
    """The uids of every object that exists now."""
    return frozenset(obj["metadata"]["uid"] for _, obj in _objects(api, resource_types(api))
                     if "uid" in obj.get("metadata", {}))


class Reset:
    """``Reset(api, baseline).run()`` deletes what the baseline does not hold."""

    def __init__(self, api: Api, baseline: frozenset[str]) -> None:
        self.api = api
        self.baseline = baseline
        self.namespaces: list[str] = []  # the namespaces a run deleted

    def run(self, timeout: float = 60.0) -> int:
        """Delete every object made since the baseline; how many there were."""
        types = resource_types(self.api)
        first = [t for t in types if (t.group, t.plural) in _FIRST]
        rest = [t for t in types if (t.group, t.plural) not in _FIRST]
        doomed = self._delete_all(first) + self._delete_all(rest)
        namespaces = [obj for kind, obj in doomed if kind.plural == "namespaces"]
        self.namespaces = [obj["metadata"]["name"] for obj in namespaces]
        for namespace in namespaces:
            self._empty(namespace["metadata"]["name"], rest)
        self._wait_gone(doomed, timeout)
        return len(doomed)

    def _new(self, types: list[ResourceType]) -> list[tuple[ResourceType, dict[str, Any]]]:
        return [(kind, obj) for kind, obj in _objects(self.api, types)
                if obj["metadata"].get("uid") not in self.baseline
                and _AUTOMANAGED not in (obj["metadata"].get("labels") or {})]

    def _delete_all(self, types: list[ResourceType]
                    ) -> list[tuple[ResourceType, dict[str, Any]]]:
        doomed = self._new(types)
        for kind, obj in doomed:
            self._delete(kind, obj)
        return doomed

    def _delete(self, kind: ResourceType, obj: dict[str, Any]) -> None:
        meta = obj["metadata"]
        options = {"apiVersion": "v1", "kind": "DeleteOptions", "gracePeriodSeconds": 0,
                   "propagationPolicy": "Background"}
        try:
            self.api.request("DELETE", kind.path(meta.get("namespace"), meta["name"]), options)
        except ApiError as error:
            if error.status not in (404, 409):
                raise

    def _empty(self, namespace: str, types: list[ResourceType]) -> None:
        """Delete what is left in a terminating namespace, then finalize it."""
        for kind in types:
            if kind.namespaced:
                try:
                    self.api.request("DELETE", kind.path(namespace),
                                     {"apiVersion": "v1", "kind": "DeleteOptions",
                                      "gracePeriodSeconds": 0}, )
                except ApiError as error:
                    if error.status not in (404, 405):
                        raise

    def _wait_gone(self, doomed: list[tuple[ResourceType, dict[str, Any]]],
                   timeout: float) -> None:
        deadline = time.monotonic() + timeout
        stripped = False
        pending = doomed
        while pending:
            present = self._uids({kind for kind, _ in pending})
            pending = [(k, o) for k, o in pending if o["metadata"]["uid"] in present]
            namespaces_in_use = {o["metadata"].get("namespace") for _, o in pending}
            for kind, obj in pending:
                if kind.plural == "namespaces" and obj["metadata"]["name"] not in \
                        namespaces_in_use:
                    self._finalize(obj["metadata"]["name"])
            if not pending:
                return
            if time.monotonic() > deadline - timeout + 5.0 and not stripped:
                for kind, obj in pending:  # a finalizer nobody in this cluster serves
                    self._strip_finalizers(kind, obj)
                stripped = True
            if time.monotonic() > deadline:
                names = ", ".join(f"{k.plural}/{o['metadata']['name']}" for k, o in pending)
                raise TimeoutError(f"reset: still present after {timeout:.0f} s: {names}")
            time.sleep(0.05)

    def _uids(self, types: set[ResourceType]) -> set[str]:
        return {obj["metadata"]["uid"] for _, obj in _objects(self.api, sorted(
            types, key=lambda t: (t.group, t.plural)))}

    def _finalize(self, name: str) -> None:
        live = self.api.get(f"/api/v1/namespaces/{name}")
        if live is None or not (live.get("spec") or {}).get("finalizers"):
            return
        live["spec"]["finalizers"] = []
        try:
            self.api.request("PUT", f"/api/v1/namespaces/{name}/finalize", live)
        except ApiError as error:
            if error.status not in (404, 409):
                raise

    def _strip_finalizers(self, kind: ResourceType, obj: dict[str, Any]) -> None:
        meta = obj["metadata"]
        try:
            self.api.request("PATCH", kind.path(meta.get("namespace"), meta["name"]),
                             {"metadata": {"finalizers": None}}, content_type=MERGE_PATCH)
        except ApiError as error:
            if error.status not in (404, 409, 422):
                raise
