"""The vault client logs in with a service account token, as Homestack does inside a cluster.

A real OpenBao checks the token through the TokenReview API of the real API server (the test
control plane), which issued it for a service account; the role binds that account. As in a
real setup, OpenBao reviews with a token of its own reviewer account, which the
``system:auth-delegator`` ClusterRole allows to. A token of another account, or of an account
deleted since, is refused.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from homestack.model import VaultAuth, VaultAuthMethod, VaultSettings
from homestack.providers.errors import ForbiddenError
from homestack.providers.vault.client import VaultClient
from homestack_testing.controlplane import ControlPlane
from homestack_testing.openbao import OpenBaoServer

MOUNT = "kubernetes-login"  # its own mount: the session's kubernetes mount holds Stack roles
NAMESPACE = "homestack-system"


def _post(cluster: ControlPlane, path: str, body: dict[str, Any]) -> dict[str, Any]:
    answer = cluster.client().post(path, body)
    assert answer.ok, answer.body
    return dict(answer.body)


def _service_account(cluster: ControlPlane, name: str) -> str:
    """Create the account; a token for it."""
    _post(cluster, f"/api/v1/namespaces/{NAMESPACE}/serviceaccounts",
          {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": name}})
    issued = _post(cluster, f"/api/v1/namespaces/{NAMESPACE}/serviceaccounts/{name}/token",
                   {"apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest",
                    "spec": {}})
    return str(issued["status"]["token"])


def _reviews(cluster: ControlPlane) -> int:
    return sum(1 for r in cluster.audit.all_requests if r.resource == "tokenreviews")


@pytest.fixture
def cluster(openbao: OpenBaoServer, kube_cluster: ControlPlane) -> Iterator[ControlPlane]:
    """The API server OpenBao reviews tokens with, and a role for one service account."""
    _post(kube_cluster, "/api/v1/namespaces",
          {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": NAMESPACE}})
    reviewer = _service_account(kube_cluster, "vault-reviewer")
    _post(kube_cluster, "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings", {
        "apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
        "metadata": {"name": "vault-reviewer"},
        "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole",
                    "name": "system:auth-delegator"},
        "subjects": [{"kind": "ServiceAccount", "name": "vault-reviewer",
                      "namespace": NAMESPACE}]})
    openbao.request("POST", f"sys/auth/{MOUNT}", {"type": "kubernetes"})
    openbao.request("POST", f"auth/{MOUNT}/config", {
        "kubernetes_host": kube_cluster.url, "disable_local_ca_jwt": True,
        "kubernetes_ca_cert": kube_cluster.authority.cert_pem.decode(),
        "token_reviewer_jwt": reviewer})
    openbao.request("POST", "sys/policies/acl/k8s-login-test",
                    {"policy": 'path "secret/data/k8s-login" { capabilities = ["read"] }'})
    openbao.request("POST", f"auth/{MOUNT}/role/homestack", {
        "bound_service_account_names": ["homestack"],
        "bound_service_account_namespaces": [NAMESPACE],
        "token_policies": ["k8s-login-test"]})
    openbao.cli("kv", "put", "secret/k8s-login", "api_key=x")
    kube_cluster.audit.reset_stats()
    yield kube_cluster
    openbao.request("DELETE", f"sys/auth/{MOUNT}")


def _client(openbao: OpenBaoServer, jwt_file: Path) -> VaultClient:
    auth = VaultAuth(method=VaultAuthMethod.KUBERNETES, role="homestack",
                     jwt_path=str(jwt_file), mount=MOUNT)
    return VaultClient(VaultSettings(address=openbao.address, auth=auth))


def test_a_service_account_token_logs_in_through_token_review(
        openbao: OpenBaoServer, cluster: ControlPlane, tmp_path: Path) -> None:
    jwt = tmp_path / "token"
    jwt.write_text(_service_account(cluster, "homestack") + "\n")
    client = _client(openbao, jwt)
    try:
        found = client.kv_read("secret", "k8s-login")
        assert found is not None and found[0] == {"api_key": "x"}
        with pytest.raises(ForbiddenError):  # the role's policy reads that path only
            client.kv_read("secret", "other")
    finally:
        client.close()
    assert _reviews(cluster), "OpenBao never asked the API server about the token"


def test_another_account_s_token_is_refused(openbao: OpenBaoServer, cluster: ControlPlane,
                                            tmp_path: Path) -> None:
    jwt = tmp_path / "token"
    jwt.write_text(_service_account(cluster, "intruder"))
    with pytest.raises(ForbiddenError, match="service account name not authorized"):
        _client(openbao, jwt)


def test_a_token_of_a_deleted_account_is_refused(openbao: OpenBaoServer,
                                                 cluster: ControlPlane, tmp_path: Path) -> None:
    jwt = tmp_path / "token"
    jwt.write_text(_service_account(cluster, "homestack-old"))
    openbao.request("POST", f"auth/{MOUNT}/role/old", {
        "bound_service_account_names": ["homestack-old"],
        "bound_service_account_namespaces": [NAMESPACE], "token_policies": ["k8s-login-test"]})
    assert cluster.client().delete(
        f"/api/v1/namespaces/{NAMESPACE}/serviceaccounts/homestack-old").ok
    auth = VaultAuth(method=VaultAuthMethod.KUBERNETES, role="old", jwt_path=str(jwt),
                     mount=MOUNT)
    reviewed = _reviews(cluster)
    with pytest.raises(ForbiddenError):  # the role binds it; the review no longer vouches
        VaultClient(VaultSettings(address=openbao.address, auth=auth))
    assert _reviews(cluster) > reviewed
