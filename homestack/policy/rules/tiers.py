"""Rules on namespace tiers: valid tier labels, one tier per namespace, quota fit, explicit
priority classes, and memory within the tier's LimitRange."""

from __future__ import annotations

from collections.abc import Iterator

from homestack.model import annotations as a
from homestack.model import format_bytes, parse_quantity
from homestack.model.tier import (
    GPU_PRIORITY_CLASS,
    NO_TIER_LIMITS,
    OPT_OUT_QUOTA_LABEL,
    TIER_LABEL,
    NamespaceTier,
)
from homestack.policy import _manifest as m
from homestack.policy._namespaces import NamespaceFacts, owning_stack, quota_for, tier_of_label
from homestack.policy.context import PolicyContext
from homestack.policy.govern import PRIORITY_OWNER
from homestack.policy.quota import Usage, overflows, workload_usage
from homestack.policy.rule import Hit, Rule, Scope, Severity

_TIERS = ", ".join(tier.value for tier in NamespaceTier)


def namespace_subject(ctx: PolicyContext, namespace: str) -> tuple[str, str]:
    """(Stack, address) to report a namespace-wide finding on: its Namespace object when one
    is rendered, else the owning Stack and the Namespace's would-be address."""
    item = ctx.find("Namespace", "", namespace)
    if item is not None:
        return item.stack, item.address
    stack = owning_stack(namespace, ctx.stacks)
    return (stack.name if stack else ""), f"k8s:v1:Namespace:{namespace}"


def _namespace_declared(ctx: PolicyContext) -> Iterator[Hit]:
    declared = {item.name for item in ctx.of_kind("Namespace")}
    reported: set[str] = set()
    for item in ctx.k8s:
        namespace = item.namespace
        if not namespace or namespace in declared or namespace in reported:
            continue
        facts = ctx.namespaces.get(namespace)
        if facts is not None and facts.excluded:
            continue
        reported.add(namespace)
        yield Hit(item.stack, item.address,
                  f"namespace {namespace!r} is not declared by any Stack: the apply fails "
                  "unless it already exists, and it is not governed")


def _label_valid(ctx: PolicyContext) -> Iterator[Hit]:
    for item in ctx.of_kind("Namespace"):
        value = m.labels(item.body).get(TIER_LABEL)
        if value is not None and tier_of_label(value) is None:
            yield Hit(item.stack, item.address,
                      f"tier label {value!r} is not a tier (one of {_TIERS})")


def _label_present(ctx: PolicyContext) -> Iterator[Hit]:
    for item in ctx.of_kind("Namespace"):
        facts = ctx.namespaces.get(item.name)
        if facts is None or facts.excluded:
            continue
        if TIER_LABEL not in m.labels(item.body) and facts.tier is None:
            yield Hit(item.stack, item.address,
                      "namespace has no tier: it gets the fallback LimitRange and no quota")


def _shared_tiers(ctx: PolicyContext) -> Iterator[Hit]:
    by_namespace: dict[str, dict[str, NamespaceTier | None]] = {}
    for declared in ctx.stacks.values():
        by_namespace.setdefault(declared.namespace, {})[declared.name] = declared.tier
    for namespace, tiers in sorted(by_namespace.items()):
        if len(set(tiers.values())) > 1:
            listed = ", ".join(f"{name} {tier.value if tier else 'none'}"
                               for name, tier in sorted(tiers.items()))
            owner, address = namespace_subject(ctx, namespace)
            yield Hit(owner, address,
                      f"Stacks sharing namespace {namespace} disagree on its tier ({listed})")


def _label_matches_stack(ctx: PolicyContext) -> Iterator[Hit]:
    for item in ctx.of_kind("Namespace"):
        label = tier_of_label(m.labels(item.body).get(TIER_LABEL))
        stack = owning_stack(item.name, ctx.stacks)
        if label and stack and stack.tier and stack.tier is not label:
            yield Hit(item.stack, item.address,
                      f"tier label {label.value} contradicts Stack {stack.name}'s tier "
                      f"{stack.tier.value}")


def usage_by_namespace(ctx: PolicyContext) -> dict[str, Usage]:
    """What each namespace's workloads ask of its quota."""
    usage: dict[str, Usage] = {}
    for item in ctx.workloads():
        if item.namespace:
            one = workload_usage(item.body, daemon_nodes=ctx.worker_count)
            usage[item.namespace] = usage.get(item.namespace, Usage()) + one
    return usage


def _quota_fit(ctx: PolicyContext) -> Iterator[Hit]:
    for namespace, usage in sorted(usage_by_namespace(ctx).items()):
        facts = ctx.namespaces.get(namespace)
        if facts is None or OPT_OUT_QUOTA_LABEL in facts.labels:
            continue
        quota = quota_for(ctx.site, facts)
        if quota is None:
            continue
        stack, address = namespace_subject(ctx, namespace)
        for message in overflows(usage, quota.quota, quota.source):
            yield Hit(stack, address, f"namespace {namespace}: {message}")


def _quota_reason(ctx: PolicyContext) -> Iterator[Hit]:
    for item in ctx.of_kind("Namespace"):
        notes = m.annotations_of(item.body)
        if OPT_OUT_QUOTA_LABEL in m.labels(item.body) and not notes.get(
            a.NO_QUOTA_REASON, ""
        ).strip():
            yield Hit(item.stack, item.address,
                      f"namespace {item.name} opts out of its tier quota without a reason")


def expected_priority(ctx: PolicyContext, facts: NamespaceFacts, gpu: bool) -> str | None:
    """The PriorityClass governance gives a pod in ``facts``' namespace."""
    if gpu:
        return GPU_PRIORITY_CLASS
    if facts.tier is None:
        return None
    try:
        return ctx.site.tier(facts.tier).priority_class
    except KeyError:
        return None


def _explicit_priority(ctx: PolicyContext) -> Iterator[Hit]:
    for item in ctx.workloads():
        spec = m.pod_spec(item.body)
        explicit = spec.get("priorityClassName")
        facts = ctx.namespaces.get(item.namespace)
        if explicit is None or facts is None or facts.excluded:
            continue
        expected = expected_priority(ctx, facts, m.wants_gpu(spec))
        if expected is not None and explicit != expected:
            yield Hit(item.stack, item.address,
                      f"priorityClassName {explicit} overrides the namespace's {expected}")


def _max_memory(ctx: PolicyContext) -> Iterator[Hit]:
    for item in ctx.workloads():
        facts = ctx.namespaces.get(item.namespace)
        if facts is None or facts.excluded:
            continue
        try:
            limits = ctx.site.tier(facts.tier).limits if facts.tier else NO_TIER_LIMITS
        except KeyError:
            continue
        ceiling = parse_quantity(limits.max_memory)
        label = facts.tier.value if facts.tier else "no-tier"
        for container in m.containers(m.pod_spec(item.body)):
            limit = m.quantity(m.limits(container).get("memory"))
            if limit is not None and limit > ceiling:
                yield Hit(item.stack, item.address,
                          f"container {container.get('name', '?')!r} memory limit "
                          f"{format_bytes(limit)} exceeds the {label} LimitRange max "
                          f"{limits.max_memory}")


def _priority_owner(ctx: PolicyContext) -> Iterator[Hit]:
    if PRIORITY_OWNER in ctx.stacks:
        return
    classes = [item for item in ctx.of_kind("PriorityClass")
               if (item.body.get("metadata") or {}).get("labels", {}).get(a.MANAGED_BY)]
    for item in classes[:1]:
        yield Hit(item.stack, item.address,
                  f"the tier PriorityClasses belong to Stack {item.stack} only because it "
                  f"sorts first among the Stacks that need nothing: a Stack added ahead of it "
                  f"takes all {len(classes)} over (a move in the next plan)")


RULES = (
    Rule("HS-TIER-001", "namespace tier labels name a tier", Severity.ERROR,
         "The tier label selects priority, defaults and quota; an unknown value selects none.",
         f"Use one of {_TIERS}", _label_valid, scope=Scope.STACK),
    Rule("HS-TIER-002", "namespaces have a tier", Severity.WARNING,
         "A namespace without a tier gets the small fallback LimitRange, no quota and no "
         "priority.",
         "Give the owning Stack a tier (Stack(..., tier=tier.AUX)) or label the Namespace",
         _label_present),
    Rule("HS-TIER-003", "namespace requests fit the tier quota", Severity.ERROR,
         "Pods beyond the quota are rejected at admission; a rollout that needs a surge pod "
         "stalls half-way.",
         "Lower requests (kit: memory_request= in Burstable tiers) or replicas, use strategy "
         "Recreate (kit: strategy='Recreate'), or move the Stack to a larger tier", _quota_fit),
    Rule("HS-TIER-004", "Stacks sharing a namespace agree on its tier", Severity.ERROR,
         "A namespace has one tier; governance would pick one Stack's silently.",
         "Give every Stack in the namespace the same tier", _shared_tiers),
    Rule("HS-TIER-005", "a Namespace's tier label matches its Stack's tier", Severity.ERROR,
         "The label wins in the cluster; the Stack's tier would be a lie in docs and plans.",
         "Remove the label (Homestack sets it from the Stack) or change the Stack's tier",
         _label_matches_stack),
    Rule("HS-TIER-006", "no hand-set priorityClassName", Severity.WARNING,
         "Priority follows the namespace tier (and gpu-workload for GPU pods); a hand-set class "
         "jumps the queue or starves.",
         "Remove priorityClassName; governance sets it", _explicit_priority),
    Rule("HS-TIER-008", "objects live in namespaces a Stack declares", Severity.WARNING,
         "An undeclared namespace exists only if someone made it by hand: applies fail on a "
         "fresh cluster and no tier governance reaches it.",
         "Call namespace(stack) in the Stack that owns the namespace", _namespace_declared),
    Rule("HS-TIER-009", "a quota opt-out says why", Severity.ERROR,
         "Without the quota a namespace can starve its tier; the reason is what a reviewer "
         "weighs, as with ignore=.",
         f"Use namespace(stack, no_quota='why') (it sets {a.NO_QUOTA_REASON})", _quota_reason,
         scope=Scope.STACK),
    Rule("HS-TIER-010", "a platform Stack owns the tier PriorityClasses", Severity.WARNING,
         "Without a Stack named platform, the first Stack that needs nothing owns them, and "
         "adding a Stack that sorts ahead moves every PriorityClass into it.",
         f"Add a Stack named {PRIORITY_OWNER} (homestack init writes one): it owns them for "
         "good", _priority_owner),
    Rule("HS-TIER-007", "memory limits fit the tier's LimitRange", Severity.ERROR,
         "Admission rejects a container whose memory limit exceeds the LimitRange max.",
         "Lower the memory limit or move the Stack to a tier with a higher max", _max_memory),
)
