"""Namespaces of the namespace owners in the roster: each owner administers their own.

Governance gives these namespaces the owner's quota from the roster (tier 4-aux defaults).
"""

from homestack import Stack, tier
from homestack.kit import raw

stack = Stack("tenants", tier=tier.AUX, needs=["platform"],
              description="Namespaces and RBAC of the namespace owners")
OWNERS = {"robin": "robin@example.org", "kim": "kim@example.org"}


def tenant(owner: str, email: str) -> None:
    """The owner's namespace and admin rights in it (cluster read comes from the roster RBAC)."""
    raw(stack, [
        {"apiVersion": "v1", "kind": "Namespace",
         "metadata": {"name": owner, "labels": {"homestack.dev/owner": owner}}},
        {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
         "metadata": {"name": f"{owner}-admin", "namespace": owner},
         "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole",
                     "name": "admin"},
         "subjects": [{"apiGroup": "rbac.authorization.k8s.io", "kind": "User", "name": email}]},
    ], name=owner)


for name, address in OWNERS.items():
    tenant(name, address)
