"""Legacy (unaggregated) discovery documents, /version and a minimal OpenAPI v3 index.

Clients asking for aggregated discovery get the legacy form and fall back, as they
do against older servers."""

from __future__ import annotations

from typing import Any

from .kinds import Registry, ResourceKind

VERSION_INFO = {
    "major": "1", "minor": "32", "gitVersion": "v1.32.0-homestack",
    "gitCommit": "0000000000000000000000000000000000000000", "gitTreeState": "clean",
    "buildDate": "2025-01-01T00:00:00Z", "goVersion": "go1.23.0", "compiler": "gc",
    "platform": "linux/amd64",
}


def api_versions(address: str) -> dict[str, Any]:
    return {"kind": "APIVersions", "versions": ["v1"],
            "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0",
                                            "serverAddress": address}]}


def _group(name: str, versions: list[str]) -> dict[str, Any]:
    vs = [{"groupVersion": f"{name}/{v}", "version": v} for v in versions]
    return {"name": name, "versions": vs, "preferredVersion": vs[0]}


def api_group_list(registry: Registry) -> dict[str, Any]:
    groups = [_group(g, vs) for g, vs in sorted(registry.groups().items()) if g]
    return {"kind": "APIGroupList", "apiVersion": "v1", "groups": groups}


def api_group(registry: Registry, group: str) -> dict[str, Any] | None:
    versions = registry.groups().get(group)
    if not versions or not group:
        return None
    return {"kind": "APIGroup", "apiVersion": "v1", **_group(group, versions)}


def resource_list(registry: Registry, group: str, version: str) -> dict[str, Any] | None:
    kinds: list[ResourceKind] = [
        rk for rk in registry.all() if rk.group == group and rk.version == version
    ]
    if not kinds:
        return None
    resources = []
    for rk in sorted(kinds, key=lambda k: k.plural):
        resources.append(rk.discovery())
        if rk.has_status:
            resources.append({"name": f"{rk.plural}/status", "singularName": "",
                              "namespaced": rk.namespaced, "kind": rk.kind,
                              "verbs": ["get", "patch", "update"]})
        if rk.has_scale:
            resources.append({"name": f"{rk.plural}/scale", "singularName": "",
                              "namespaced": rk.namespaced, "group": "autoscaling",
                              "version": "v1", "kind": "Scale",
                              "verbs": ["get", "patch", "update"]})
    gv = f"{group}/{version}" if group else version
    return {"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": gv,
            "resources": resources}


def openapi_v3_index(registry: Registry) -> dict[str, Any]:
    paths: dict[str, Any] = {}
    for group, versions in registry.groups().items():
        for v in versions:
            key = f"apis/{group}/{v}" if group else f"api/{v}"
            paths[key] = {"serverRelativeURL": f"/openapi/v3/{key}?hash=0"}
    return {"paths": paths}


def openapi_v3_group_version(registry: Registry, group: str, version: str) -> dict[str, Any]:
    """Just enough OpenAPI v3 for clients to see that PATCH takes fieldValidation and
    dryRun (kubectl then validates server-side instead of downloading schemas)."""
    prefix = f"/apis/{group}/{version}" if group else f"/api/{version}"
    params = [{"name": n, "in": "query", "schema": {"type": "string"}, "uniqueItems": True}
              for n in ("dryRun", "fieldManager", "fieldValidation", "force")]
    paths: dict[str, Any] = {}
    for rk in registry.all():
        if rk.group != group or rk.version != version:
            continue
        base = f"{prefix}/namespaces/{{namespace}}" if rk.namespaced else prefix
        gvk = {"group": group, "version": version, "kind": rk.kind}
        paths[f"{base}/{rk.plural}/{{name}}"] = {
            "patch": {"operationId": f"patch{rk.kind}", "x-kubernetes-action": "patch",
                      "x-kubernetes-group-version-kind": gvk,
                      "responses": {"200": {"description": "OK"}}},
            "parameters": params,
        }
    return {"openapi": "3.0.0", "info": {"title": "Kubernetes", "version": "v1.32.0"},
            "paths": paths, "components": {"schemas": {}}}
