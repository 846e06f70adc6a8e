"""Every core Kubernetes object the kit renders passes kubernetes-validate in strict mode.

Custom resources have no offline schema; their shape is asserted explicitly instead.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

import pytest

from homestack.catalog import load
from homestack.model import Resource
from tests.kit.support import GOLDEN, SITE, load_stack

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import kubernetes_validate  # type: ignore[import-untyped]

KUBERNETES = "1.34.0"
CORE = {"v1", "apps/v1", "batch/v1", "policy/v1", "networking.k8s.io/v1",
        "rbac.authorization.k8s.io/v1"}
SHOWCASE = Path(__file__).resolve().parents[2] / "examples" / "kit-showcase"


def _rendered() -> list[Resource]:
    out: list[Resource] = []
    for case in sorted(GOLDEN.glob("*.py")):
        out.extend(load_stack(case).render(SITE))
    showcase = load(SHOWCASE)
    for name in sorted(showcase.stacks):
        out.extend(showcase.stacks[name].render(showcase.site))
    return out


RESOURCES = _rendered()
CORE_OBJECTS = [r for r in RESOURCES if r.api_version in CORE]
CUSTOM = [r for r in RESOURCES if r.provider.value == "k8s" and r.api_version not in CORE]


def test_the_kit_renders_every_core_kind() -> None:
    kinds = {r.k8s_kind for r in CORE_OBJECTS}
    assert kinds >= {"Deployment", "StatefulSet", "DaemonSet", "CronJob", "Job", "Service",
                     "PodDisruptionBudget", "Ingress", "PersistentVolume",
                     "PersistentVolumeClaim", "ConfigMap", "Namespace"}


@pytest.mark.parametrize("resource", CORE_OBJECTS, ids=lambda r: r.address)
def test_core_object_passes_strict_schema(resource: Resource) -> None:
    kubernetes_validate.validate(resource.body, KUBERNETES, strict=True)


def _spec(resource: Resource) -> dict[str, Any]:
    spec = resource.body["spec"]
    assert isinstance(spec, dict)
    return spec


@pytest.mark.parametrize("resource", CUSTOM, ids=lambda r: r.address)
def test_custom_resource_has_its_required_shape(resource: Resource) -> None:
    body, spec = resource.body, _spec(resource)
    assert body["metadata"]["name"] and body["metadata"]["namespace"]
    kind = (resource.api_version, resource.k8s_kind)
    if kind == ("external-secrets.io/v1", "ExternalSecret"):
        assert spec["secretStoreRef"]["kind"] == "ClusterSecretStore"
        assert spec["secretStoreRef"]["name"] in ("vault-kv", "vault-database")
        assert spec["target"]["name"] == body["metadata"]["name"]
        data, data_from = spec.get("data", []), spec.get("dataFrom", [])
        assert data or data_from
        assert all(set(d) == {"secretKey", "remoteRef"} for d in data)
        assert all(set(d["remoteRef"]) == {"key", "property"} for d in data)
        assert all(set(d) == {"extract"} and set(d["extract"]) == {"key"} for d in data_from)
        assert len(resource.secret_refs) == len(data)
        template = spec["target"].get("template", {})
        assert set(template) <= {"type", "engineVersion", "data"}
    elif kind == ("traefik.io/v1alpha1", "Middleware"):
        assert len(spec) == 1
        assert next(iter(spec)) in ("ipAllowList", "plugin", "headers", "buffering")
    elif kind == ("postgresql.cnpg.io/v1", "Database"):
        assert set(spec) == {"cluster", "name", "owner", "ensure", "databaseReclaimPolicy"}
        assert body["metadata"]["namespace"] == "dbaas"
    elif kind[0] == "k8s.mariadb.com/v1alpha1":
        assert spec["mariaDbRef"] == {"name": "mysql", "namespace": "mysql"}
        assert resource.k8s_kind in ("Database", "User", "Grant")
    else:
        pytest.fail(f"no shape check for {resource.address}")
