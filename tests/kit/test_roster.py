"""tenants(stack): the roster's namespaces and RBAC, by role, from the Site alone."""

from __future__ import annotations

from typing import Any

from homestack import Stack
from homestack.kit import tenants
from homestack.model import Identity, Quota, Role, User
from tests.kit.support import SITE

USERS = (
    User(name="ada", role=Role.ADMIN, email="ada@example.org"),
    User(name="pat", role=Role.POWER_USER, email="pat@example.org"),
    User(name="olu", role=Role.NAMESPACE_OWNER, email="olu@example.org",
         namespaces=("olu", "olu-lab"), quota=Quota(requests_cpu="1", requests_memory="1Gi",
                                                    limits_memory="2Gi", pods=5)),
)


def _render(*users: User) -> dict[str, dict[str, Any]]:
    site = SITE.model_copy(update={"identity": Identity(users=users)})
    stack = Stack("tenants", tier="4-aux")
    tenants(stack)
    return {r.address: r.body for r in stack.render(site)}


def _binding(bodies: dict[str, dict[str, Any]], kind: str, name: str) -> dict[str, Any]:
    (body,) = [b for b in bodies.values() if b["kind"] == kind and b["metadata"]["name"] == name]
    return body


def test_admin_gets_cluster_admin() -> None:
    body = _binding(_render(*USERS), "ClusterRoleBinding", "homestack-ada-admin")
    assert body["roleRef"]["name"] == "cluster-admin"
    assert body["subjects"] == [{"apiGroup": "rbac.authorization.k8s.io", "kind": "User",
                                 "name": "ada@example.org"}]


def test_power_user_reads_the_cluster_but_not_secrets_nor_exec() -> None:
    bodies = _render(*USERS)
    body = _binding(bodies, "ClusterRoleBinding", "homestack-pat-power-user")
    role = _binding(bodies, "ClusterRole", body["roleRef"]["name"])
    resources = {res for rule in role["rules"] for res in rule["resources"]}
    verbs = {verb for rule in role["rules"] for verb in rule["verbs"]}
    assert "pods" in resources and "deployments" not in resources  # apps/* covers those
    assert "secrets" not in resources and "pods/exec" not in resources
    assert verbs == {"get", "list", "watch"}
    core_wildcard = [r for r in role["rules"] if "" in r["apiGroups"] and "*" in r["resources"]]
    assert core_wildcard == []


def test_namespace_owner_gets_namespaces_admin_there_and_cluster_read() -> None:
    bodies = _render(*USERS)
    for namespace in ("olu", "olu-lab"):
        ns = _binding(bodies, "Namespace", namespace)
        assert ns["metadata"]["labels"]["tier"] == "4-aux"
        assert ns["metadata"]["labels"]["homestack.dev/owner"] == "olu"
        admin = bodies[f"k8s:rbac.authorization.k8s.io/v1:RoleBinding:{namespace}/"
                       "homestack-olu-admin"]
        assert admin["roleRef"]["name"] == "admin"
    read = _binding(bodies, "ClusterRoleBinding", "homestack-olu-namespace-owner")
    role = _binding(bodies, "ClusterRole", read["roleRef"]["name"])
    assert all(set(rule["verbs"]) == {"get", "list", "watch"} for rule in role["rules"])


def test_a_user_changes_only_their_own_objects() -> None:
    before = _render(*USERS)
    extra = User(name="zed", role=Role.NAMESPACE_OWNER, email="zed@example.org",
                 namespaces=("zed",))
    after = _render(*USERS, extra)
    assert {k: v for k, v in after.items() if k in before} == before
    assert sorted(set(after) - set(before)) == [
        "k8s:rbac.authorization.k8s.io/v1:ClusterRoleBinding:homestack-zed-namespace-owner",
        "k8s:rbac.authorization.k8s.io/v1:RoleBinding:zed/homestack-zed-admin",
        "k8s:v1:Namespace:zed",
    ]


def test_roles_nobody_has_are_not_rendered() -> None:
    bodies = _render(USERS[0])
    assert [b for b in bodies.values() if b["kind"] == "ClusterRole"] == []
