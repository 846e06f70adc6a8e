"""Cluster RBAC for OIDC groups: dashboard navigation and quota reading.

People's own access (admin, power user, namespace owner) is generated from the roster by the
tenants Stack. The API server's OIDC flags live on the control-plane VM, outside what
Homestack applies.
"""

from homestack import Stack
from homestack.kit import raw

stack = Stack("rbac", namespace="kube-system", needs=["infra", "authentik"],
              description="People's access to the cluster")
READ = ["get", "list", "watch"]


def cluster_role(name: str, rules: list[dict[str, object]]) -> dict[str, object]:
    """A ClusterRole with the given rules."""
    return {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
            "metadata": {"name": name}, "rules": rules}


def bind(name: str, role: str, group: str) -> dict[str, object]:
    """A ClusterRoleBinding of an OIDC group (``oidc:<group>``) to ``role``."""
    return {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
            "metadata": {"name": name},
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole",
                        "name": role},
            "subjects": [{"apiGroup": "rbac.authorization.k8s.io", "kind": "Group",
                          "name": f"oidc:{group}"}]}


raw(stack, [
    cluster_role("dashboard-nav-readonly", [
        {"apiGroups": [""], "resources": ["namespaces"], "verbs": READ},
    ]),
    cluster_role("user-quota-reader", [
        {"apiGroups": [""], "resources": ["resourcequotas", "limitranges"], "verbs": READ},
    ]),
    bind("dashboard-nav-readonly", "dashboard-nav-readonly", "family"),
    bind("user-quota", "user-quota-reader", "developers"),
], name="roles")
