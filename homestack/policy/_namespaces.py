"""Which namespaces exist, which tier each has, which quota applies, and who owns them.

A namespace's tier is its Namespace object's ``tier`` label when valid, else the tier of the
Stack that owns the namespace (the Stack named like it, else the first by name among the Stacks
deploying into it); a namespace-owner's namespace without a tier is ``4-aux``. Its quota is the
tier's, or the custom quota of the roster user whose namespaces list it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from homestack.model import NamespaceTier, Quota, Resource, Role, Site, Stack
from homestack.model.tier import GOVERNANCE_EXCLUDED_NAMESPACES, TIER_LABEL
from homestack.policy import _manifest as m


def tier_of_label(value: str | None) -> NamespaceTier | None:
    """The tier a label value names, or None when it names none."""
    try:
        return NamespaceTier(value) if value else None
    except ValueError:
        return None


def owning_stack(namespace: str, stacks: Mapping[str, Stack]) -> Stack | None:
    """The Stack owning ``namespace``: the one named like it, else the first by name."""
    sharing = sorted(
        (stack for stack in stacks.values() if stack.namespace == namespace),
        key=lambda stack: (stack.name != namespace, stack.name),
    )
    return sharing[0] if sharing else None


@dataclass(frozen=True)
class NamespaceQuota:
    """The quota a namespace must fit and what to call it in messages."""

    quota: Quota
    source: str


@dataclass(frozen=True)
class NamespaceFacts:
    """What policy knows about one namespace."""

    name: str
    tier: NamespaceTier | None
    labels: Mapping[str, str]
    managed: bool
    owner_user: str | None = None

    @property
    def excluded(self) -> bool:
        """True for the system namespaces governance never touches."""
        return self.name in GOVERNANCE_EXCLUDED_NAMESPACES


def namespace_objects(resources: Mapping[str, Sequence[Resource]]) -> dict[str, Resource]:
    """Rendered Namespace objects by name."""
    found: dict[str, Resource] = {}
    for rendered in resources.values():
        for resource in rendered:
            if resource.k8s_kind == "Namespace" and resource.api_version == "v1":
                found[resource.object_name] = resource
    return found


def namespace_facts(
    site: Site,
    stacks: Mapping[str, Stack],
    resources: Mapping[str, Sequence[Resource]],
    managed: Mapping[str, Resource] | None = None,
) -> dict[str, NamespaceFacts]:
    """Facts for every namespace a Stack deploys into or a Namespace object declares.

    ``managed`` are the Namespace objects Homestack renders (default: those in ``resources``).
    """
    objects = dict(managed) if managed is not None else namespace_objects(resources)
    names = {stack.namespace for stack in stacks.values()} | set(objects)
    for rendered in resources.values():
        names.update(r.namespace for r in rendered if r.namespace)
    # every roster user's namespaces take that user's quota; a namespace-owner wins a tie
    ranked = sorted(site.identity.users, key=lambda user: user.role is Role.NAMESPACE_OWNER)
    owners = {ns: user.name for user in ranked for ns in user.namespaces}
    facts = {}
    for name in sorted(names):
        obj = objects.get(name)
        labels = m.labels(obj.body) if obj else {}
        tier = tier_of_label(labels.get(TIER_LABEL))
        if tier is None and TIER_LABEL not in labels:
            stack = owning_stack(name, stacks)
            tier = stack.tier if stack else None
        if tier is None and name in owners and TIER_LABEL not in labels:
            tier = NamespaceTier.AUX
        facts[name] = NamespaceFacts(
            name=name, tier=tier, labels=labels, managed=obj is not None,
            owner_user=owners.get(name),
        )
    return facts


def quota_for(site: Site, facts: NamespaceFacts) -> NamespaceQuota | None:
    """The quota ``facts``' namespace must fit, or None when it has none."""
    if facts.excluded:
        return None
    if facts.owner_user is not None:
        user = site.user(facts.owner_user)
        if user is not None:
            return NamespaceQuota(quota=user.quota, source=f"{user.name}'s")
    if facts.tier is None:
        return None
    try:
        spec = site.tier(facts.tier)
    except KeyError:
        return None
    return NamespaceQuota(quota=spec.quota, source=f"the {facts.tier.value}")
