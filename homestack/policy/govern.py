"""The govern step: tier governance generated and applied by Homestack, between render and order.

Generators add, per governed namespace, a LimitRange and a ResourceQuota with the tier's numbers
(the no-tier fallback LimitRange when the namespace has no tier) and, once per homelab, the
PriorityClasses of every tier plus ``gpu-workload``. Mutators set, on the pod templates of
workloads in governed namespaces, ``dnsConfig`` ``ndots: 2``, ``priorityClassName`` from the tier
(``gpu-workload`` for pods requesting ``nvidia.com/gpu``) and the ``tier`` label, and stamp the
Namespace itself with ``app.kubernetes.io/managed-by: homestack`` and its tier label.

Ownership, so nothing drifts:

- A namespace is governed by Homestack when Homestack renders its Namespace object (and it is
  not one of the excluded system namespaces). The Namespace then carries the managed-by label;
  the exported Kyverno policies skip namespaces with that label, so each generated field has
  exactly one owner: Homestack here, Kyverno everywhere else.
- The LimitRange and ResourceQuota belong to the Stack that renders the Namespace object; a
  namespace can opt out of either with the ``homestack.dev/no-limitrange`` or
  ``homestack.dev/no-quota`` label.
- The cluster-scoped PriorityClasses belong to the Stack named ``platform`` when there is one,
  else to the first Stack in tier order (then by name); they are emitted when at least one
  namespace is governed. Their addresses depend only on the tier names.
- The Authentik blueprint ConfigMap (``policy/blueprints.py``: the roster's groups and users,
  one application per ``required`` host, the host → groups policy) belongs to the Stack that
  renders the ``authentik`` Namespace.
- A field the author set (an explicit ``priorityClassName``) is left alone; a rule reports it.
  An object the author declared at a generated address wins over the generated one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from homestack.catalog import Homelab
from homestack.model import ModelError, Resource, Site, Stack, copy_json
from homestack.model import annotations as a
from homestack.model.tier import (
    GPU_PRIORITY_CLASS,
    OPT_OUT_LIMITRANGE_LABEL,
    OPT_OUT_QUOTA_LABEL,
    TIER_LABEL,
    NamespaceTier,
)
from homestack.policy import _manifest as m
from homestack.policy import blueprints
from homestack.policy._generate import (
    MANAGER,
    limit_range,
    priority_classes,
    resource_quota,
)
from homestack.policy._namespaces import NamespaceFacts, namespace_facts, quota_for
from homestack.policy.access import access_matrix

PRIORITY_OWNER = "platform"
NDOTS = "2"
_TIER_ORDER = {tier: index for index, tier in enumerate(NamespaceTier)}


def priority_owner(stacks: Mapping[str, Stack]) -> str | None:
    """The Stack that owns the PriorityClasses: ``platform``, else the first Stack in tier
    order among those that need nothing (every other Stack can then need it)."""
    if PRIORITY_OWNER in stacks:
        return PRIORITY_OWNER
    ranked = sorted(
        stacks.values(),
        key=lambda s: (bool(s.needs or s.requirements()),
                       _TIER_ORDER.get(s.tier, len(_TIER_ORDER)) if s.tier else 99, s.name),
    )
    return ranked[0].name if ranked else None


def all_rendered(
    homelab: Homelab, resources: Mapping[str, Sequence[Resource]]
) -> dict[str, Sequence[Resource]]:
    """``resources`` plus every other Stack rendered here (pure, no I/O), by Stack name.

    When only some Stacks were rendered, the others are rendered too so a Stack governs the same
    way whether it is rendered alone or with the whole homelab. A Stack that cannot render here
    (broken, or with Helm releases not prepared: preparing fetches charts, which this pure layer
    does not) is left out; ``engine.desired`` and the engine's builds pass every Stack.
    """
    found: dict[str, Sequence[Resource]] = dict(resources)
    for name in sorted(set(homelab.stacks) - set(resources)):
        try:
            found[name] = homelab.stacks[name].render(homelab.site)
        except ModelError:
            continue  # a broken Stack is reported when it is rendered itself
    return found


def rendered_namespaces(
    homelab: Homelab, resources: Mapping[str, Sequence[Resource]],
    everything: Mapping[str, Sequence[Resource]] | None = None,
) -> dict[str, tuple[str, Resource]]:
    """Namespace objects Homestack renders, by name, with the Stack that renders each.

    ``everything`` is ``all_rendered(homelab, resources)`` when the caller has it already.
    """
    found: dict[str, tuple[str, Resource]] = {}
    if everything is None:
        everything = all_rendered(homelab, resources)
    for stack_name in [*resources, *sorted(set(everything) - set(resources))]:
        for resource in everything[stack_name]:
            if resource.k8s_kind == "Namespace" and resource.api_version == "v1":
                found.setdefault(resource.object_name, (stack_name, resource))
    return found


def _governed(facts: NamespaceFacts | None) -> bool:
    return facts is not None and facts.managed and not facts.excluded


def _priority_class(site: Site, facts: NamespaceFacts, spec: Mapping[str, Any]) -> str | None:
    if m.wants_gpu(spec):
        return GPU_PRIORITY_CLASS
    if facts.tier is None:
        return None
    try:
        return site.tier(facts.tier).priority_class
    except KeyError:
        return None


def govern_pod_template(site: Site, facts: NamespaceFacts, template: dict[str, Any]) -> None:
    """Set ndots, the priority class and the tier label on a pod template, in place."""
    spec = template.setdefault("spec", {})
    dns = spec.setdefault("dnsConfig", {})
    options = [o for o in m.as_list(dns.get("options"))
               if not (isinstance(o, dict) and o.get("name") == "ndots")]
    dns["options"] = [*options, {"name": "ndots", "value": NDOTS}]
    if "priorityClassName" not in spec:
        priority = _priority_class(site, facts, spec)
        if priority is not None:
            spec["priorityClassName"] = priority
    if facts.tier is not None:
        metadata = template.setdefault("metadata", {})
        metadata.setdefault("labels", {})[TIER_LABEL] = facts.tier.value


def _mutate(site: Site, facts: Mapping[str, NamespaceFacts], resource: Resource) -> Resource:
    body = resource.body
    if resource.k8s_kind == "Namespace" and resource.api_version == "v1":
        ns_facts = facts.get(resource.object_name)
        if not _governed(ns_facts):
            return resource
        assert ns_facts is not None
        body = copy_json(body)
        labels = body.setdefault("metadata", {}).setdefault("labels", {})
        labels[a.MANAGED_BY] = MANAGER
        if ns_facts.tier is not None:
            labels.setdefault(TIER_LABEL, ns_facts.tier.value)
        return resource.model_copy(update={"body": body})
    ns_facts = facts.get(resource.namespace or "")
    if m.pod_template(body) is None or not _governed(ns_facts):
        return resource
    assert ns_facts is not None
    body = copy_json(body)
    template = m.pod_template(body)
    assert template is not None
    govern_pod_template(site, ns_facts, template)
    return resource.model_copy(update={"body": body})


def namespace_objects(site: Site, facts: NamespaceFacts) -> list[Resource]:
    """The LimitRange and ResourceQuota of one governed namespace (respecting opt-outs)."""
    generated = []
    spec = None
    if facts.tier is not None:
        try:
            spec = site.tier(facts.tier)
        except KeyError:
            spec = None
    if OPT_OUT_LIMITRANGE_LABEL not in facts.labels:
        generated.append(limit_range(facts.name, spec))
    quota = quota_for(site, facts)
    if quota is not None and OPT_OUT_QUOTA_LABEL not in facts.labels:
        generated.append(resource_quota(facts.name, quota.quota))
    return generated


def govern(
    homelab: Homelab, resources: Mapping[str, Sequence[Resource]]
) -> dict[str, list[Resource]]:
    """Add the generated tier objects and apply the mutators; returns Resources by Stack."""
    site = homelab.site
    everything = all_rendered(homelab, resources)
    rendered = rendered_namespaces(homelab, resources, everything)
    facts = namespace_facts(site, homelab.stacks, resources,
                            managed={name: obj for name, (_, obj) in rendered.items()})
    taken = {resource.address for rendered_list in resources.values() for resource in rendered_list}
    governed = sorted(name for name, f in facts.items() if _governed(f))
    owner = priority_owner(homelab.stacks) if governed else None
    result: dict[str, list[Resource]] = {}
    for stack_name, stack_resources in resources.items():
        out = [_mutate(site, facts, resource) for resource in stack_resources]
        extra: list[Resource] = []
        for namespace in governed:
            if rendered[namespace][0] == stack_name:
                extra.extend(namespace_objects(site, facts[namespace]))
        if stack_name == owner:
            extra.extend(priority_classes(site))
        if rendered.get(blueprints.NAMESPACE, ("",))[0] == stack_name:
            rows = access_matrix(site.identity, everything)
            extra.append(blueprints.config_map(site.identity, rows))
        out.extend(resource for resource in extra if resource.address not in taken)
        result[stack_name] = sorted(out, key=Resource.sort_key)
    return result
