"""service_account: a ServiceAccount for workloads that talk to the Kubernetes API, with the
Role (namespace) and ClusterRole (cluster) rules it needs, bound to it.

``namespace_rules`` grants a Role in another namespace (with a ``reason``: reaching into another
Stack's namespace is a decision a reviewer should see); ``existing=True`` binds rules to a
ServiceAccount that exists already (``default``, a chart's) instead of declaring one.

Example::

    sa = service_account(stack, "homepage",
                         cluster_rules=[rule(["", "apps"], ["pods", "deployments"], READ)])
    deployment(stack, "homepage", ..., service_account=sa)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from homestack.kit._arguments import checked
from homestack.kit._meta import check_name, metadata
from homestack.kit._strict import strict
from homestack.kit.namespace import implied_namespace
from homestack.model import ModelError, RenderContext, Resource, Stack

REASON = "homestack.dev/rbac-reason"

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


@strict
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
    namespace_rules: tuple[tuple[str, tuple[Rule, ...]], ...] = ()
    reason: str = ""
    existing: bool = False
    owned_elsewhere: tuple[str, ...] = ()

    def _role(self, stack: Stack, name: str, namespace: str, rules: tuple[Rule, ...],
              subject: dict[str, Any]) -> list[dict[str, Any]]:
        notes = {REASON: self.reason} if namespace != stack.namespace else None
        meta = metadata(stack, name, namespace=namespace, annotations=notes)
        return [
            {"apiVersion": _RBAC, "kind": "Role", "metadata": meta,
             "rules": [r.body() for r in rules]},
            {"apiVersion": _RBAC, "kind": "RoleBinding", "metadata": meta,
             "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": name},
             "subjects": [subject]},
        ]

    def render(self, context: RenderContext) -> Sequence[Resource]:
        stack = context.stack
        subject: dict[str, Any] = {"kind": "ServiceAccount", "name": self.name,
                                   "namespace": stack.namespace}
        out: list[dict[str, Any]] = []
        if not self.existing:
            out.append({"apiVersion": "v1", "kind": "ServiceAccount",
                        "metadata": metadata(stack, self.name)})
        if self.rules:
            out += self._role(stack, self.name, stack.namespace, self.rules, subject)
        for namespace, rules in self.namespace_rules:
            # Named after the subject's namespace: the target namespace may hold its own "app".
            out += self._role(stack, f"{stack.namespace}-{self.name}", namespace, rules, subject)
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
        return [Resource.k8s(body, owned_elsewhere=self.owned_elsewhere) for body in out]


@strict
@checked
def service_account(
    stack: Stack, name: str, *, rules: Sequence[Rule] = (), cluster_rules: Sequence[Rule] = (),
    namespace_rules: Mapping[str, Sequence[Rule]] | None = None, reason: str = "",
    existing: bool = False, owned_elsewhere: Sequence[str] = (),
) -> ServiceAccount:
    """Declare a ServiceAccount with namespace ``rules`` and cluster-wide ``cluster_rules``.

    ``namespace_rules`` maps other namespaces to the rules it gets there (``reason`` required);
    ``existing=True`` binds the rules to an existing ServiceAccount such as ``default``.

    Example: ``service_account(stack, "default", existing=True,
    namespace_rules={"monitoring": [rule([""], ["configmaps"], READ)]},
    reason="reads the dashboards the monitoring Stack publishes")``
    """
    check_name(name, "ServiceAccount")
    subject = f"service_account {name}"
    if name == "default" and not existing:
        raise ModelError("the namespace's 'default' ServiceAccount exists already",
                         subject=subject, hint="Bind rules to it with existing=True")
    others = tuple((check_name(ns, "namespace"), tuple(r)) for ns, r in
                   (namespace_rules or {}).items())
    if any(ns == stack.namespace for ns, _ in others):
        raise ModelError(f"namespace_rules names the Stack's own namespace {stack.namespace!r}",
                         subject=subject, hint="Use rules= for the own namespace")
    if others and not reason.strip():
        raise ModelError("roles in another namespace need a reason", subject=subject,
                         hint="Say why, e.g. reason='reads the dashboards monitoring publishes'")
    if existing and not (rules or cluster_rules or others):
        raise ModelError("existing=True binds nothing without rules", subject=subject)
    component = ServiceAccount(name, tuple(rules), tuple(cluster_rules), others,
                               reason.strip(), existing, tuple(owned_elsewhere))
    implied_namespace(stack)
    stack.add(component)
    return component
