"""Kyverno ClusterPolicies equivalent to the in-cluster conventions, built from the Site.

The export lets the cluster enforce what ``homestack validate`` checked, for objects created
outside Homestack (Helm hooks, operators, ``kubectl run``). Ownership is split so no field has two
owners:

- generate and mutate rules exclude namespaces labelled ``app.kubernetes.io/managed-by:
  homestack``: there Homestack renders the LimitRange, ResourceQuota, priority class, ndots and
  tier label itself (see ``homestack.policy.govern``);
- mutate rules match Pods only, never the Deployments or StatefulSets Homestack applies, so
  admission changes never show as drift on applied objects;
- validate rules (privileged, host namespaces, SYS_ADMIN, trusted registries) apply everywhere
  outside the exempt namespaces: validation owns no field.
"""

from __future__ import annotations

from typing import Any

from homestack.model import Site
from homestack.model import annotations as a
from homestack.model.tier import (
    GOVERNANCE_EXCLUDED_NAMESPACES,
    GPU_PRIORITY_CLASS,
    NO_TIER_LIMITS,
    OPT_OUT_LIMITRANGE_LABEL,
    OPT_OUT_QUOTA_LABEL,
    TIER_LABEL,
    TierSpec,
)
from homestack.policy._generate import (
    LIMIT_RANGE_NAME,
    MANAGER,
    QUOTA_NAME,
    limit_range_spec,
    quota_spec,
)
from homestack.policy.govern import NDOTS

API_VERSION = "kyverno.io/v1"
POLICY_PREFIX = "homestack-"
_GPU_COUNT = (
    "{{ length(request.object.spec.containers[?resources.limits.\"nvidia.com/gpu\"] || `[]`) }}"
)
_MANAGED = {"namespaceSelector": {"matchLabels": {a.MANAGED_BY: MANAGER}}}


def _policy(name: str, description: str, rules: list[dict[str, Any]], *,
            validate: bool = False, background: bool = True) -> dict[str, Any]:
    spec: dict[str, Any] = {"background": background, "rules": rules}
    if validate:
        spec["validationFailureAction"] = "Enforce"
    return {
        "apiVersion": API_VERSION,
        "kind": "ClusterPolicy",
        "metadata": {
            "name": f"{POLICY_PREFIX}{name}",
            "labels": {a.MANAGED_BY: MANAGER},
            "annotations": {"policies.kyverno.io/description": description},
        },
        "spec": spec,
    }


def _pods_outside_homestack(exclude_names: tuple[str, ...] = ()) -> dict[str, Any]:
    excluded: list[dict[str, Any]] = [{"resources": _MANAGED}]
    names = tuple(GOVERNANCE_EXCLUDED_NAMESPACES) + exclude_names
    excluded.append({"resources": {"namespaces": list(names)}})
    return {"match": {"any": [{"resources": {"kinds": ["Pod"]}}]}, "exclude": {"any": excluded}}


def _namespaces_of(selector: dict[str, Any], opt_out: str) -> dict[str, Any]:
    return {
        "match": {"any": [{"resources": {"kinds": ["Namespace"], "selector": selector}}]},
        "exclude": {"any": [
            {"resources": {"selector": {"matchLabels": {a.MANAGED_BY: MANAGER}}}},
            {"resources": {"selector": {"matchExpressions": [
                {"key": opt_out, "operator": "Exists"}]}}},
            {"resources": {"names": list(GOVERNANCE_EXCLUDED_NAMESPACES)}},
        ]},
    }


def _generate(kind: str, name: str, spec: dict[str, Any]) -> dict[str, Any]:
    return {
        "apiVersion": "v1",
        "kind": kind,
        "name": name,
        "namespace": "{{request.object.metadata.name}}",
        "synchronize": True,
        "data": {"metadata": {"labels": {a.MANAGED_BY: "kyverno"}}, "spec": spec},
    }


def _tier_selector(spec: TierSpec) -> dict[str, Any]:
    return {"matchLabels": {TIER_LABEL: spec.tier.value}}


def limit_range_policy(site: Site) -> dict[str, Any]:
    """Generate the tier's LimitRange in every tiered namespace (the fallback when untiered)."""
    rules = [
        {"name": f"limitrange-{spec.tier.value}",
         **_namespaces_of(_tier_selector(spec), OPT_OUT_LIMITRANGE_LABEL),
         "generate": _generate("LimitRange", LIMIT_RANGE_NAME, limit_range_spec(spec.limits))}
        for spec in site.tiers
    ]
    rules.append({
        "name": "limitrange-no-tier",
        **_namespaces_of({"matchExpressions": [{"key": TIER_LABEL, "operator": "DoesNotExist"}]},
                         OPT_OUT_LIMITRANGE_LABEL),
        "generate": _generate("LimitRange", LIMIT_RANGE_NAME, limit_range_spec(NO_TIER_LIMITS)),
    })
    return _policy("tier-limitrange", "Per-tier LimitRange in namespaces not managed by "
                   "Homestack.", rules)


def quota_policy(site: Site) -> dict[str, Any]:
    """Generate the tier's ResourceQuota in every tiered namespace."""
    rules = [
        {"name": f"quota-{spec.tier.value}",
         **_namespaces_of(_tier_selector(spec), OPT_OUT_QUOTA_LABEL),
         "generate": _generate("ResourceQuota", QUOTA_NAME, quota_spec(spec.quota))}
        for spec in site.tiers
    ]
    return _policy("tier-quota", "Per-tier ResourceQuota in namespaces not managed by "
                   "Homestack.", rules)


def priority_policy(site: Site) -> dict[str, Any]:
    """Inject the tier's PriorityClass, or gpu-workload for GPU pods, when none is set."""
    rules: list[dict[str, Any]] = [{
        "name": "gpu-priority",
        **_pods_outside_homestack(),
        "preconditions": {"all": [{"key": _GPU_COUNT, "operator": "GreaterThan", "value": 0}]},
        "mutate": {"patchStrategicMerge": {
            "spec": {"+(priorityClassName)": GPU_PRIORITY_CLASS}}},
    }]
    for spec in site.tiers:
        match = _pods_outside_homestack()
        match["match"]["any"][0]["resources"]["namespaceSelector"] = _tier_selector(spec)
        rules.append({
            "name": f"priority-{spec.tier.value}",
            **match,
            "preconditions": {"all": [{"key": _GPU_COUNT, "operator": "Equals", "value": 0}]},
            "mutate": {"patchStrategicMerge": {
                "spec": {"+(priorityClassName)": spec.priority_class}}},
        })
    return _policy("tier-priority", "PriorityClass from the namespace tier; gpu-workload for "
                   "GPU pods.", rules, background=False)


def ndots_policy() -> dict[str, Any]:
    """Inject ``ndots: 2`` into every pod's DNS config."""
    return _policy("ndots", "dnsConfig ndots 2 on pods.", [{
        "name": "ndots",
        **_pods_outside_homestack(),
        "mutate": {"patchStrategicMerge": {"spec": {"dnsConfig": {
            "options": [{"name": "ndots", "value": NDOTS}]}}}},
    }], background=False)


def cpu_limit_policy() -> dict[str, Any]:
    """Strip CPU limits from every container."""
    return _policy("strip-cpu-limits", "No CPU limits: they throttle pods while cores idle.", [{
        "name": "strip-cpu-limits",
        **_pods_outside_homestack(),
        "mutate": {"foreach": [{
            "list": "request.object.spec.containers",
            "patchStrategicMerge": {"spec": {"containers": [{
                "(name)": "{{ element.name }}",
                "resources": {"limits": {"cpu": None}},
            }]}},
        }]},
    }], background=False)


def tier_label_policy() -> dict[str, Any]:
    """Copy the namespace's tier label onto its pods."""
    return _policy("copy-tier-label", "The namespace tier label on every pod.", [{
        "name": "copy-tier-label",
        **_pods_outside_homestack(),
        "context": [{"name": "tier", "apiCall": {
            "urlPath": "/api/v1/namespaces/{{request.namespace}}",
            "jmesPath": f"metadata.labels.\"{TIER_LABEL}\" || ''",
        }}],
        "preconditions": {"all": [{"key": "{{ tier }}", "operator": "NotEquals", "value": ""}]},
        "mutate": {"patchStrategicMerge": {"metadata": {"labels": {TIER_LABEL: "{{ tier }}"}}}},
    }], background=False)


def pull_policy_policy() -> dict[str, Any]:
    """Always for ``:latest`` images, IfNotPresent for pinned tags."""
    def rule(name: str, operator: str, policy: str) -> dict[str, Any]:
        return {
            "name": name,
            **_pods_outside_homestack(),
            "mutate": {"foreach": [{
                "list": "request.object.spec.containers",
                "preconditions": {"all": [
                    {"key": "{{ element.image }}", "operator": operator, "value": "*:latest"}]},
                "patchStrategicMerge": {"spec": {"containers": [{
                    "(name)": "{{ element.name }}", "imagePullPolicy": policy}]}},
            }]},
        }
    return _policy("pull-policy", "Pull policy follows the tag.", [
        rule("latest-always", "Equals", "Always"),
        rule("pinned-if-not-present", "NotEquals", "IfNotPresent"),
    ], background=False)


def _validate_pods(exempt: tuple[str, ...]) -> dict[str, Any]:
    excluded = tuple(GOVERNANCE_EXCLUDED_NAMESPACES) + exempt
    return {
        "match": {"any": [{"resources": {"kinds": ["Pod"]}}]},
        "exclude": {"any": [{"resources": {"namespaces": sorted(set(excluded))}}]},
    }


def security_policy(site: Site) -> dict[str, Any]:
    """Deny privileged containers, host namespaces and SYS_ADMIN outside exempt namespaces."""
    exempt = tuple(site.exempt_namespaces)
    return _policy("deny-privileged", "No privileged, host namespaces or SYS_ADMIN outside "
                   "the exempt namespaces.", [
        {"name": "deny-privileged", **_validate_pods(exempt), "validate": {
            "message": "Privileged containers are allowed only in exempt namespaces.",
            "pattern": {"spec": {"=(initContainers)": [
                {"=(securityContext)": {"=(privileged)": "false"}}],
                "containers": [{"=(securityContext)": {"=(privileged)": "false"}}]}}}},
        {"name": "deny-host-namespaces", **_validate_pods(exempt), "validate": {
            "message": "hostNetwork, hostPID and hostIPC are allowed only in exempt namespaces.",
            "pattern": {"spec": {"=(hostNetwork)": "false", "=(hostPID)": "false",
                                 "=(hostIPC)": "false"}}}},
        {"name": "deny-sys-admin", **_validate_pods(exempt), "validate": {
            "message": "SYS_ADMIN is allowed only in exempt namespaces.",
            "deny": {"conditions": {"any": [{
                "key": "{{ request.object.spec.[containers, initContainers][].securityContext"
                       ".capabilities.add[] || `[]` }}",
                "operator": "AnyIn", "value": ["SYS_ADMIN", "CAP_SYS_ADMIN"]}]}}}},
    ], validate=True)


def registry_policy(site: Site) -> dict[str, Any] | None:
    """Admit images only from the Site's trusted registries (None when the Site lists none)."""
    if not site.trusted_registries:
        return None
    return _policy("trusted-registries", "Images only from trusted registries.", [{
        "name": "trusted-registries",
        **_validate_pods(tuple(site.exempt_namespaces)),
        "validate": {
            "message": "Images must come from: " + ", ".join(site.trusted_registries),
            "deny": {"conditions": {"any": [{
                "key": "{{ images.[containers, initContainers][].*.registry[] || `[]` }}",
                "operator": "AnyNotIn",
                "value": list(site.trusted_registries),
            }]}},
        },
    }], validate=True)


def cluster_policies(site: Site) -> list[dict[str, Any]]:
    """Every exported ClusterPolicy, in a stable order."""
    policies = [
        limit_range_policy(site),
        quota_policy(site),
        priority_policy(site),
        ndots_policy(),
        cpu_limit_policy(),
        tier_label_policy(),
        pull_policy_policy(),
        security_policy(site),
        registry_policy(site),
    ]
    return [policy for policy in policies if policy is not None]
