"""The objects tier governance generates: PriorityClasses, LimitRanges and ResourceQuotas.

Numbers come from the Site's tier table (``site.tiers``), never from literals here.
"""

from __future__ import annotations

from typing import Any

from homestack.model import Quota, Resource, Site
from homestack.model import annotations as a
from homestack.model.tier import (
    GPU_PRIORITY_CLASS,
    GPU_PRIORITY_VALUE,
    NO_TIER_LIMITS,
    PREEMPT,
    LimitDefaults,
    TierSpec,
)

MANAGER = a.FIELD_MANAGER
LIMIT_RANGE_NAME = "homestack-limits"
QUOTA_NAME = "homestack-quota"


def _metadata(name: str, namespace: str | None = None) -> dict[str, Any]:
    metadata: dict[str, Any] = {"name": name, "labels": {a.MANAGED_BY: MANAGER}}
    if namespace:
        metadata["namespace"] = namespace
    return metadata


def priority_class_body(spec: TierSpec) -> dict[str, Any]:
    """The PriorityClass of one tier."""
    return {
        "apiVersion": "scheduling.k8s.io/v1",
        "kind": "PriorityClass",
        "metadata": _metadata(spec.priority_class),
        "value": spec.priority_value,
        "preemptionPolicy": spec.preemption,
        "globalDefault": False,
        "description": f"Pods in namespaces of tier {spec.tier.value}",
    }


def gpu_priority_class_body() -> dict[str, Any]:
    """The PriorityClass of pods that request a GPU."""
    return {
        "apiVersion": "scheduling.k8s.io/v1",
        "kind": "PriorityClass",
        "metadata": _metadata(GPU_PRIORITY_CLASS),
        "value": GPU_PRIORITY_VALUE,
        "preemptionPolicy": PREEMPT,
        "globalDefault": False,
        "description": "Pods that request nvidia.com/gpu",
    }


def priority_classes(site: Site) -> list[Resource]:
    """One PriorityClass per tier of the Site, plus gpu-workload."""
    bodies = [priority_class_body(spec) for spec in site.tiers] + [gpu_priority_class_body()]
    return [Resource.k8s(body) for body in bodies]


def limit_range_spec(limits: LimitDefaults) -> dict[str, Any]:
    """The spec of a LimitRange with ``limits``."""
    return {"limits": [{
        "type": "Container",
        "default": {"memory": limits.default_memory_limit},
        "defaultRequest": {"cpu": limits.default_cpu_request,
                           "memory": limits.default_memory_request},
        "max": {"memory": limits.max_memory},
    }]}


def quota_spec(quota: Quota) -> dict[str, Any]:
    """The spec of a ResourceQuota with ``quota``."""
    return {"hard": {
        "requests.cpu": quota.requests_cpu,
        "requests.memory": quota.requests_memory,
        "limits.memory": quota.limits_memory,
        "pods": str(quota.pods),
    }}


def limit_range(namespace: str, spec: TierSpec | None) -> Resource:
    """The LimitRange of a namespace of tier ``spec`` (the no-tier fallback for None)."""
    limits = spec.limits if spec is not None else NO_TIER_LIMITS
    return Resource.k8s({
        "apiVersion": "v1",
        "kind": "LimitRange",
        "metadata": _metadata(LIMIT_RANGE_NAME, namespace),
        "spec": limit_range_spec(limits),
    })


def resource_quota(namespace: str, quota: Quota) -> Resource:
    """The ResourceQuota of a namespace."""
    return Resource.k8s({
        "apiVersion": "v1",
        "kind": "ResourceQuota",
        "metadata": _metadata(QUOTA_NAME, namespace),
        "spec": quota_spec(quota),
    })
