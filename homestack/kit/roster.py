"""The roster's Kubernetes side, generated from the Site: tenant namespaces and people's RBAC.

``tenants(stack)`` renders, for every user of ``site.identity``:

- each of the user's ``namespaces`` as a Namespace in tier ``4-aux`` labelled with its owner
  (governance gives it the user's quota from the roster);
- RBAC by role, bound to the user's OIDC name (their email): ``admin`` gets ``cluster-admin``;
  ``power-user`` a cluster-wide read-only ClusterRole that leaves out Secrets and exec;
  ``namespace-owner`` ``admin`` in each own namespace plus cluster read (namespaces, nodes,
  storage classes, quotas). Any user gets ``admin`` in the namespaces listed for them.

Adding, changing or removing a user changes exactly that user's objects. The Vault policy over a
user's paths comes from the Vault target (one policy per roster user with namespaces).

Example::

    stack = Stack("tenants", tier=tier.AUX)
    tenants(stack)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from homestack.kit._meta import labels
from homestack.kit._strict import strict
from homestack.model import RenderContext, Resource, Role, Stack, User
from homestack.model.tier import TIER_LABEL, NamespaceTier

RBAC = "rbac.authorization.k8s.io"
RBAC_API = f"{RBAC}/v1"
OWNER_LABEL = "homestack.dev/owner"
POWER_USER_ROLE = "homestack-power-user"
CLUSTER_READ_ROLE = "homestack-cluster-read"
READ = ["get", "list", "watch"]
# Everything a power user may read: every core kind but Secrets; no pods/exec, pods/attach.
CORE_READABLE = ["configmaps", "endpoints", "events", "limitranges", "namespaces", "nodes",
                 "persistentvolumeclaims", "persistentvolumes", "pods", "replicationcontrollers",
                 "resourcequotas", "serviceaccounts", "services"]
API_GROUPS_READABLE = ["apps", "autoscaling", "batch", "discovery.k8s.io", "networking.k8s.io",
                       "policy", "storage.k8s.io", "traefik.io", "cert-manager.io"]


def _power_user_rules() -> list[dict[str, Any]]:
    return [
        {"apiGroups": [""], "resources": CORE_READABLE, "verbs": READ},
        {"apiGroups": [""], "resources": ["pods/log"], "verbs": ["get"]},
        {"apiGroups": API_GROUPS_READABLE, "resources": ["*"], "verbs": READ},
    ]


def _cluster_read_rules() -> list[dict[str, Any]]:
    return [
        {"apiGroups": [""], "resources": ["namespaces", "nodes", "resourcequotas",
                                          "limitranges"], "verbs": READ},
        {"apiGroups": ["storage.k8s.io"], "resources": ["storageclasses"], "verbs": READ},
    ]


@dataclass(frozen=True)
class Tenants:
    """The roster's namespaces and RBAC, rendered from the Site at render time."""

    name: str = "tenants"

    def render(self, context: RenderContext) -> Sequence[Resource]:
        stack = context.stack
        users = sorted(context.site.identity.users, key=lambda user: user.name)
        bodies: list[dict[str, Any]] = []
        roles = {user.role for user in users}
        if Role.POWER_USER in roles:
            bodies.append(_cluster_role(stack, POWER_USER_ROLE, _power_user_rules()))
        if Role.NAMESPACE_OWNER in roles:
            bodies.append(_cluster_role(stack, CLUSTER_READ_ROLE, _cluster_read_rules()))
        for user in users:
            bodies.extend(_user_objects(stack, user))
        return [Resource.k8s(body) for body in bodies]


def _meta(stack: Stack, name: str, namespace: str | None = None,
          owner: str | None = None) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": name}
    if namespace:
        meta["namespace"] = namespace
    meta["labels"] = labels(stack)
    if owner:
        meta["labels"][OWNER_LABEL] = owner
    return meta


def _cluster_role(stack: Stack, name: str, rules: list[dict[str, Any]]) -> dict[str, Any]:
    return {"apiVersion": RBAC_API, "kind": "ClusterRole", "metadata": _meta(stack, name),
            "rules": rules}


def _subjects(user: User) -> list[dict[str, str]]:
    return [{"apiGroup": RBAC, "kind": "User", "name": user.email}]


def _binding(stack: Stack, user: User, name: str, role: str,
             namespace: str | None = None) -> dict[str, Any]:
    return {"apiVersion": RBAC_API, "kind": "RoleBinding" if namespace else "ClusterRoleBinding",
            "metadata": _meta(stack, name, namespace, user.name),
            "roleRef": {"apiGroup": RBAC, "kind": "ClusterRole", "name": role},
            "subjects": _subjects(user)}


def _user_objects(stack: Stack, user: User) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for namespace in user.namespaces:
        meta = _meta(stack, namespace, owner=user.name)
        meta["labels"][TIER_LABEL] = NamespaceTier.AUX.label
        out.append({"apiVersion": "v1", "kind": "Namespace", "metadata": meta})
        out.append(_binding(stack, user, f"homestack-{user.name}-admin", "admin", namespace))
    cluster_role = {Role.ADMIN: "cluster-admin", Role.POWER_USER: POWER_USER_ROLE,
                    Role.NAMESPACE_OWNER: CLUSTER_READ_ROLE}[user.role]
    out.append(_binding(stack, user, f"homestack-{user.name}-{user.role.value}", cluster_role))
    return out


@strict
def tenants(stack: Stack) -> Tenants:
    """Render the roster's tenant namespaces and people's RBAC into ``stack`` (see the module).

    Example: ``tenants(stack)``
    """
    return stack.add(Tenants())  # type: ignore[return-value]
