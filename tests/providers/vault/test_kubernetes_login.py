"""The vault client logs in with a service account token, as Homestack does inside a cluster.

A real OpenBao checks the token through the TokenReview API of the loopback API server, which
issued it for a service account; the role binds that account. A token of another account, or
of an account deleted since, is refused.
"""

from __future__ import annotations

import json
import subprocess
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from homestack.model import VaultAuth, VaultAuthMethod, VaultSettings
from homestack.providers.errors import ForbiddenError
from homestack.providers.vault.client import VaultClient
from homestack_testing.kubeapi import KubeApiServer
from homestack_testing.openbao import OpenBaoServer

MOUNT = "kubernetes-login"  # its own mount: the session's kubernetes mount holds Stack roles
NAMESPACE = "homestack-system"


def _post(server: KubeApiServer, path: str, body: dict[str, Any]) -> dict[str, Any]:
    request = urllib.request.Request(server.url + path, data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"},
                                     method="POST")
    with urllib.request.urlopen(request, timeout=10) as answer:
        return dict(json.loads(answer.read()))


def _service_account(server: KubeApiServer, name: str) -> str:
    """Create the account; a token for it."""
    _post(server, f"/api/v1/namespaces/{NAMESPACE}/serviceaccounts",
          {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": name}})
    issued = _post(server, f"/api/v1/namespaces/{NAMESPACE}/serviceaccounts/{name}/token",
                   {"apiVersion": "authentication.k8s.io/v1", "kind": "TokenRequest",
                    "spec": {}})
    return str(issued["status"]["token"])


def _ca_certificate(folder: Path) -> str:
    """A CA certificate for the mount's configuration, which requires one outside a pod (the
    loopback server speaks plain HTTP, so it is never used to verify anything)."""
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                    "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj",
                    "/CN=kubeapi-fake", "-keyout", str(folder / "ca.key"), "-out",
                    str(folder / "ca.crt")], check=True, capture_output=True)
    return (folder / "ca.crt").read_text()


@pytest.fixture(scope="module")
def cluster(openbao: OpenBaoServer, tmp_path_factory: pytest.TempPathFactory
            ) -> Iterator[KubeApiServer]:
    """The API server OpenBao reviews tokens with, and a role for one service account."""
    with KubeApiServer() as server:
        _post(server, "/api/v1/namespaces",
              {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": NAMESPACE}})
        openbao.request("POST", f"sys/auth/{MOUNT}", {"type": "kubernetes"})
        openbao.request("POST", f"auth/{MOUNT}/config", {
            "kubernetes_host": server.url, "disable_local_ca_jwt": True,
            "kubernetes_ca_cert": _ca_certificate(tmp_path_factory.mktemp("ca"))})
        openbao.request("POST", "sys/policies/acl/k8s-login-test",
                        {"policy": 'path "secret/data/k8s-login" { capabilities = ["read"] }'})
        openbao.request("POST", f"auth/{MOUNT}/role/homestack", {
            "bound_service_account_names": ["homestack"],
            "bound_service_account_namespaces": [NAMESPACE],
            "token_policies": ["k8s-login-test"]})
        openbao.cli("kv", "put", "secret/k8s-login", "api_key=x")
        yield server
        openbao.request("DELETE", f"sys/auth/{MOUNT}")


def _client(openbao: OpenBaoServer, jwt_file: Path) -> VaultClient:
    auth = VaultAuth(method=VaultAuthMethod.KUBERNETES, role="homestack",
                     jwt_path=str(jwt_file), mount=MOUNT)
    return VaultClient(VaultSettings(address=openbao.address, auth=auth))


def test_a_service_account_token_logs_in_through_token_review(
        openbao: OpenBaoServer, cluster: KubeApiServer, tmp_path: Path) -> None:
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
    reviews = [r for r in cluster.requests if "tokenreviews" in r.path]
    assert reviews, "OpenBao never asked the API server about the token"


def test_another_account_s_token_is_refused(openbao: OpenBaoServer, cluster: KubeApiServer,
                                            tmp_path: Path) -> None:
    jwt = tmp_path / "token"
    jwt.write_text(_service_account(cluster, "intruder"))
    with pytest.raises(ForbiddenError, match="service account name not authorized"):
        _client(openbao, jwt)


def test_a_token_of_a_deleted_account_is_refused(openbao: OpenBaoServer,
                                                 cluster: KubeApiServer, tmp_path: Path) -> None:
    jwt = tmp_path / "token"
    jwt.write_text(_service_account(cluster, "homestack-old"))
    openbao.request("POST", f"auth/{MOUNT}/role/old", {
        "bound_service_account_names": ["homestack-old"],
        "bound_service_account_namespaces": [NAMESPACE], "token_policies": ["k8s-login-test"]})
    urllib.request.urlopen(urllib.request.Request(
        f"{cluster.url}/api/v1/namespaces/{NAMESPACE}/serviceaccounts/homestack-old",
        method="DELETE"), timeout=10).close()
    auth = VaultAuth(method=VaultAuthMethod.KUBERNETES, role="old", jwt_path=str(jwt),
                     mount=MOUNT)
    reviewed = len([r for r in cluster.requests if "tokenreviews" in r.path])
    with pytest.raises(ForbiddenError):  # the role binds it; the review no longer vouches
        VaultClient(VaultSettings(address=openbao.address, auth=auth))
    assert len([r for r in cluster.requests if "tokenreviews" in r.path]) > reviewed
