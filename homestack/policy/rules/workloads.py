"""Rules on workloads: resources, critical-path replicas and PDBs, drains, GPU placement, and
privileged or host access outside the exempt namespaces."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from homestack.model import Vm, format_bytes
from homestack.model import annotations as a
from homestack.policy import _manifest as m
from homestack.policy.context import Item, PolicyContext
from homestack.policy.rule import Hit, Rule, Scope, Severity

HOST_NAMESPACES = ("hostNetwork", "hostPID", "hostIPC")
SYS_ADMIN = "SYS_ADMIN"
REPLICATED = ("Deployment", "StatefulSet")


def _cname(container: dict[str, Any]) -> str:
    return str(container.get("name", "?"))


def burstable(ctx: PolicyContext, namespace: str) -> bool:
    """True when the namespace's tier runs Burstable QoS (request may be below the limit)."""
    facts = ctx.namespaces.get(namespace)
    if facts is None or facts.tier is None:
        return False
    try:
        return not ctx.site.tier(facts.tier).guaranteed_qos
    except KeyError:
        return False


def _memory(ctx: PolicyContext) -> Iterator[Hit]:
    for item in ctx.workloads():
        lower_allowed = burstable(ctx, item.namespace)
        for container in m.containers(m.pod_spec(item.body)):
            request = m.quantity(m.requests(container).get("memory"))
            limit = m.quantity(m.limits(container).get("memory"))
            where = f"container {_cname(container)!r}"
            if request is None or limit is None:
                missing = "request" if request is None else "limit"
                yield Hit(item.stack, item.address, f"{where} has no memory {missing}")
            elif request > limit or (request < limit and not lower_allowed):
                yield Hit(item.stack, item.address,
                          f"{where} requests {format_bytes(request)} memory but is limited "
                          f"to {format_bytes(limit)}")


def _cpu_request(ctx: PolicyContext) -> Iterator[Hit]:
    for item in ctx.workloads():
        for container in m.containers(m.pod_spec(item.body)):
            if m.quantity(m.requests(container).get("cpu")) is None:
                yield Hit(item.stack, item.address,
                          f"container {_cname(container)!r} has no cpu request")


def _cpu_limit(ctx: PolicyContext) -> Iterator[Hit]:
    for item in ctx.workloads():
        for container in m.containers(m.pod_spec(item.body)):
            if "cpu" in m.limits(container):
                yield Hit(item.stack, item.address,
                          f"container {_cname(container)!r} sets a cpu limit "
                          f"({m.limits(container)['cpu']})")


def is_critical(ctx: PolicyContext, item: Item) -> bool:
    """Critical-path: annotated, or named in ``site.critical_services`` (name, ns/name or
    stack/name)."""
    if m.is_true(m.annotations_of(item.body).get(a.CRITICAL)):
        return True
    names = {item.name, f"{item.namespace}/{item.name}", f"{item.stack}/{item.name}"}
    return bool(names & set(ctx.site.critical_services))


def _critical(ctx: PolicyContext) -> Iterator[Item]:
    return (item for item in ctx.of_kind(*REPLICATED) if is_critical(ctx, item))


def _critical_replicas(ctx: PolicyContext) -> Iterator[Hit]:
    for item in _critical(ctx):
        count = m.replicas(item.body)
        if count < 3:
            yield Hit(item.stack, item.address,
                      f"critical-path workload runs {count} replica(s), needs at least 3")


def selects(selector: dict[str, Any], pod_labels: dict[str, str]) -> bool:
    """True when a label selector's matchLabels (and In expressions) match ``pod_labels``."""
    match = {str(k): str(v) for k, v in m.as_dict(selector.get("matchLabels")).items()}
    expressions = m.as_list(selector.get("matchExpressions"))
    if not match and not expressions:
        return False
    if any(pod_labels.get(k) != v for k, v in match.items()):
        return False
    for expression in expressions:
        expression = m.as_dict(expression)
        key, operator = str(expression.get("key")), expression.get("operator")
        values = [str(v) for v in m.as_list(expression.get("values"))]
        if operator == "In" and pod_labels.get(key) not in values:
            return False
        if operator == "Exists" and key not in pod_labels:
            return False
    return True


def _pdbs_for(ctx: PolicyContext, item: Item) -> list[Item]:
    pod_labels = m.labels(m.pod_template(item.body) or {})
    return [
        pdb for pdb in ctx.of_kind("PodDisruptionBudget")
        if pdb.namespace == item.namespace
        and selects(m.as_dict(m.dig(pdb.body, "spec", "selector")), pod_labels)
    ]


def _critical_pdb(ctx: PolicyContext) -> Iterator[Hit]:
    for item in _critical(ctx):
        if not _pdbs_for(ctx, item):
            yield Hit(item.stack, item.address,
                      "critical-path workload has no PodDisruptionBudget selecting its pods")


def _blocking_pdb(ctx: PolicyContext) -> Iterator[Hit]:
    for item in ctx.of_kind(*REPLICATED):
        count = m.replicas(item.body)
        for pdb in _pdbs_for(ctx, item):
            spec = m.as_dict(pdb.body.get("spec"))
            unavailable, available = spec.get("maxUnavailable"), spec.get("minAvailable")
            if unavailable in (0, "0", "0%"):
                reason = "maxUnavailable 0"
            elif available == "100%" or (isinstance(available, int) and available >= count):
                reason = f"minAvailable {available} with {count} replica(s)"
            else:
                continue
            yield Hit(pdb.stack, pdb.address,
                      f"{reason} for {item.kind} {item.name}: no pod may ever be evicted, "
                      "so node drains block")


def _tolerates(tolerations: list[Any], key: str, value: str, effect: str) -> bool:
    for toleration in tolerations:
        toleration = m.as_dict(toleration)
        if toleration.get("effect") not in (None, "", effect):
            continue
        if toleration.get("operator") == "Exists" and toleration.get("key") in (None, key):
            return True
        if toleration.get("key") == key and str(toleration.get("value", "")) == value:
            return True
    return False


def _affinity_keys(spec: dict[str, Any]) -> set[str]:
    required = m.dig(spec, "affinity", "nodeAffinity",
                     "requiredDuringSchedulingIgnoredDuringExecution")
    return {
        str(m.as_dict(expression).get("key"))
        for term in m.as_list(m.as_dict(required).get("nodeSelectorTerms"))
        for expression in m.as_list(m.as_dict(term).get("matchExpressions"))
    }


def _placement_hint(nodes: list[Vm]) -> list[str]:
    hints = []
    for vm in nodes:
        if vm.k8s is None:
            continue
        hints += [f"nodeSelector {k}={v}" for k, v in sorted(vm.k8s.labels.items())]
        hints += [f"toleration {t.key}={t.value}:{t.effect}" for t in vm.k8s.taints]
    return hints


def _gpu_placement(ctx: PolicyContext) -> Iterator[Hit]:
    nodes = [vm for vm in ctx.site.gpu_nodes() if vm.k8s is not None]
    for item in ctx.workloads():
        spec = m.pod_spec(item.body)
        if not m.wants_gpu(spec):
            continue
        if not nodes:
            yield Hit(item.stack, item.address,
                      "requests nvidia.com/gpu but the Site has no GPU node")
            continue
        selector = {str(k): str(v) for k, v in m.as_dict(spec.get("nodeSelector")).items()}
        affinity = _affinity_keys(spec)
        tolerations = m.as_list(spec.get("tolerations"))
        for vm in nodes:
            assert vm.k8s is not None
            tolerated = all(_tolerates(tolerations, t.key, t.value, t.effect)
                            for t in vm.k8s.taints if t.effect != "PreferNoSchedule")
            placed = not vm.k8s.labels or any(
                selector.get(k) == v or k in affinity for k, v in vm.k8s.labels.items())
            if tolerated and placed:
                break
        else:
            wanted = ", ".join(_placement_hint(nodes))
            yield Hit(item.stack, item.address,
                      f"requests nvidia.com/gpu but does not target the GPU node ({wanted})")


def _outside_exempt(ctx: PolicyContext) -> Iterator[Item]:
    exempt = set(ctx.site.exempt_namespaces)
    return (item for item in ctx.workloads() if item.namespace not in exempt)


def _privileged(ctx: PolicyContext) -> Iterator[Hit]:
    for item in _outside_exempt(ctx):
        for container in m.containers(m.pod_spec(item.body)):
            if m.dig(container, "securityContext", "privileged") is True:
                yield Hit(item.stack, item.address,
                          f"container {_cname(container)!r} is privileged in namespace "
                          f"{item.namespace}")


def _host_namespaces(ctx: PolicyContext) -> Iterator[Hit]:
    for item in _outside_exempt(ctx):
        spec = m.pod_spec(item.body)
        used = [key for key in HOST_NAMESPACES if spec.get(key) is True]
        if used:
            yield Hit(item.stack, item.address,
                      f"uses {', '.join(used)} in namespace {item.namespace}")


def _sys_admin(ctx: PolicyContext) -> Iterator[Hit]:
    for item in _outside_exempt(ctx):
        for container in m.containers(m.pod_spec(item.body)):
            added = m.as_list(m.dig(container, "securityContext", "capabilities", "add"))
            if any(str(cap).upper() in (SYS_ADMIN, "CAP_SYS_ADMIN") for cap in added):
                yield Hit(item.stack, item.address,
                          f"container {_cname(container)!r} adds SYS_ADMIN in namespace "
                          f"{item.namespace}")


_EXEMPT_FIX = "Drop it, or list the namespace in site.exempt_namespaces if it truly needs it"
RULES = (
    Rule("HS-WORKLOAD-001", "memory request equals the limit in Guaranteed tiers", Severity.ERROR,
         "Memory is not compressible: a limit above the request overcommits nodes and the OOM "
         "killer picks victims, which tiers 0-2 (Guaranteed QoS) must not risk; tiers 3-4 run "
         "Burstable and may request less. A missing limit takes the LimitRange default and "
         "OOM-kills.",
         "Set resources.requests.memory and resources.limits.memory to the same value (kit: "
         "drop memory_request), or move the Stack to a Burstable tier (3-edge, 4-aux)",
         _memory),
    Rule("HS-WORKLOAD-002", "every container requests cpu", Severity.ERROR,
         "The scheduler and the namespace quota work from requests.",
         "Set resources.requests.cpu (like 50m)", _cpu_request, scope=Scope.STACK),
    Rule("HS-WORKLOAD-003", "no cpu limits", Severity.ERROR,
         "CPU limits throttle pods while cores sit idle; the cluster strips them, which would "
         "show as drift forever.",
         "Remove resources.limits.cpu", _cpu_limit, scope=Scope.STACK),
    Rule("HS-WORKLOAD-004", "critical-path workloads run at least 3 replicas", Severity.ERROR,
         "Traefik, Authentik, CrowdSec LAPI, PgBouncer and Cloudflared are on every request's "
         "path; one replica means a node drain is an outage.",
         "Set replicas to 3 or more", _critical_replicas, scope=Scope.STACK),
    Rule("HS-WORKLOAD-005", "critical-path workloads have a PodDisruptionBudget", Severity.ERROR,
         "Without a PDB a drain may evict every replica at once.",
         "Add a PodDisruptionBudget with maxUnavailable: 1 selecting the pods", _critical_pdb),
    Rule("HS-WORKLOAD-006", "no PodDisruptionBudget blocks node drains", Severity.ERROR,
         "A PDB that allows no eviction (minAvailable equal to replicas, or maxUnavailable 0) "
         "makes every node drain hang.",
         "Use maxUnavailable: 1, or minAvailable below the replica count", _blocking_pdb),
    Rule("HS-WORKLOAD-007", "GPU workloads target the GPU node", Severity.ERROR,
         "The GPU node is tainted; a pod requesting nvidia.com/gpu without the toleration and "
         "selector stays Pending.",
         "Add the GPU node's nodeSelector and toleration (see the Site's GPU VM)",
         _gpu_placement, scope=Scope.STACK),
    Rule("HS-WORKLOAD-008", "no privileged containers outside exempt namespaces", Severity.ERROR,
         "A privileged container owns its node.", _EXEMPT_FIX, _privileged, scope=Scope.STACK),
    Rule("HS-WORKLOAD-009", "no host namespaces outside exempt namespaces", Severity.ERROR,
         "hostNetwork, hostPID and hostIPC break pod isolation.", _EXEMPT_FIX, _host_namespaces,
         scope=Scope.STACK),
    Rule("HS-WORKLOAD-010", "no SYS_ADMIN outside exempt namespaces", Severity.ERROR,
         "SYS_ADMIN is nearly root on the node.", _EXEMPT_FIX, _sys_admin, scope=Scope.STACK),
)
