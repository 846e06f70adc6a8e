"""service_account: a ServiceAccount for workloads that talk to the Kubernetes API, with the
Role (namespace) and ClusterRole (cluster) rules it needs, bound to it.

Example::

    sa = service_account(stack, "homepage",
                         cluster_rules=[rule(["", "apps"], ["pods", "deployments"], READ)])
    deployment(stack, "homepage", ..., service_account=sa)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from homestack.kit._arguments import checked
from homestack.kit._meta import check_name, metadata
from homestack.model import ModelError, RenderContext, Resource, Stack

READ = ("get", "list", "watch")
_RBAC = "rbac.authorization.k8s.io/v1"


@dataclass(frozen=True)
class Rule:
    """One RBAC rule: API groups, resources and verbs."""

    api_groups: tuple[str, ...]
    resources: tuple[str, ...]
    verbs: tuple[str, ...]

    def body(self) -> dict[str, Any]:
        return {"apiGroups": list(self.api_groups), "resources": list(self.resources),
                "verbs": list(self.verbs)}


@checked
def rule(api_groups: Sequence[str], resources: Sequence[str], verbs: Sequence[str]) -> Rule:
    """An RBAC rule; ``""`` is the core API group. Example: ``rule([""], ["pods"], READ)``."""
    if not resources or not verbs:
        raise ModelError("an RBAC rule needs resources and verbs")
    return Rule(tuple(api_groups), tuple(resources), tuple(verbs))


@dataclass(frozen=True)
class ServiceAccount:
    """A ServiceAccount and its bindings; pass it as a workload's ``service_account``."""

    name: str
    rules: tuple[Rule, ...] = ()
    cluster_rules: tuple[Rule, ...] = ()

    def render(self, context: RenderContext) -> Sequence[Resource]:
        stack = context.stack
        subject: dict[str, Any] = {"kind": "ServiceAccount", "name": self.name,
                                   "namespace": stack.namespace}
        out: list[dict[str, Any]] = [{"apiVersion": "v1", "kind": "ServiceAccount",
                "metadata": metadata(stack, self.name)}]
        if self.rules:
            out += [
                {"apiVersion": _RBAC, "kind": "Role", "metadata": metadata(stack, self.name),
                 "rules": [r.body() for r in self.rules]},
                {"apiVersion": _RBAC, "kind": "RoleBinding",
                 "metadata": metadata(stack, self.name),
                 "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role",
                             "name": self.name},
                 "subjects": [subject]},
            ]
        if self.cluster_rules:
            # Cluster-wide names carry the namespace: two Stacks may both call theirs "app".
            cluster_name = f"{stack.namespace}-{self.name}"
            out += [
                {"apiVersion": _RBAC, "kind": "ClusterRole",
                 "metadata": metadata(stack, cluster_name, cluster_scoped=True),
                 "rules": [r.body() for r in self.cluster_rules]},
                {"apiVersion": _RBAC, "kind": "ClusterRoleBinding",
                 "metadata": metadata(stack, cluster_name, cluster_scoped=True),
                 "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole",
                             "name": cluster_name},
                 "subjects": [subject]},
            ]
        return [Resource.k8s(body) for body in out]


@checked
def service_account(
    stack: Stack, name: str, *, rules: Sequence[Rule] = (), cluster_rules: Sequence[Rule] = (),
) -> ServiceAccount:
    """Declare a ServiceAccount with namespace ``rules`` and cluster-wide ``cluster_rules``."""
    check_name(name, "ServiceAccount")
    component = ServiceAccount(name, tuple(rules), tuple(cluster_rules))
    stack.add(component)
    return component
