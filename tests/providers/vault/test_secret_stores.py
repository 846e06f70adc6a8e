"""The ESO ClusterSecretStores: rendered from the Site's Vault, and their Kubernetes auth role
and read policy applied to a real OpenBao, where the policy grants exactly what ESO reads."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from homestack import Stack, tier
from homestack.kit import namespace, secret_stores
from homestack.model import Domains, Site, VaultSettings
from homestack.providers.vault.catalog import MARKER

if TYPE_CHECKING:
    from tests.providers.vault.conftest import VaultLab

IN_CLUSTER = "http://vault.vault.svc.cluster.local:8200"
ESO_STACK = '''\
from homestack import Stack, tier
from homestack.kit import namespace, secret_stores

stack = Stack("external-secrets", tier=tier.AUX)
namespace(stack)
secret_stores(stack, server="http://vault.vault.svc.cluster.local:8200")
'''


def _site(vault: VaultSettings | None) -> Site:
    return Site(name="lab", domains=Domains(public="example.org", internal="home.arpa"),
                vault=vault)


def _rendered(vault: VaultSettings | None) -> dict[str, Any]:
    stack = Stack("external-secrets", tier=tier.AUX)
    namespace(stack)
    secret_stores(stack, server=IN_CLUSTER)
    return {r.address: r.body for r in stack.render(_site(vault))}


def test_without_vault_in_the_site_the_stores_use_the_given_server_only() -> None:
    rendered = _rendered(None)
    stores = {a: b for a, b in rendered.items() if "ClusterSecretStore" in a}
    assert sorted(stores) == ["k8s:external-secrets.io/v1:ClusterSecretStore:vault-database",
                              "k8s:external-secrets.io/v1:ClusterSecretStore:vault-kv"]
    assert not [a for a in rendered if a.startswith("vault:")]
    for body in stores.values():
        assert body["spec"]["provider"]["vault"]["server"] == IN_CLUSTER


def test_stores_follow_the_site_vault_and_declare_its_role_and_policy() -> None:
    vault = VaultSettings(address="https://bao.home.arpa:8200/", kv_mount="kv",
                          kubernetes_mount="k8s-main", database_mount="db", namespace="lab",
                          token_ttl=600)
    rendered = _rendered(vault)
    kv = rendered["k8s:external-secrets.io/v1:ClusterSecretStore:vault-kv"]
    assert kv["apiVersion"] == "external-secrets.io/v1"
    assert "namespace" not in kv["metadata"]
    assert kv["spec"]["provider"]["vault"] == {
        "server": "https://bao.home.arpa:8200", "version": "v2", "path": "kv",
        "namespace": "lab",
        "auth": {"kubernetes": {"mountPath": "k8s-main", "role": "external-secrets",
                                "serviceAccountRef": {"name": "external-secrets",
                                                      "namespace": "external-secrets"}}}}
    database = rendered["k8s:external-secrets.io/v1:ClusterSecretStore:vault-database"][
        "spec"]["provider"]["vault"]
    assert database["version"] == "v1" and "path" not in database
    role = rendered["vault:kubernetes:role:external-secrets"]
    assert role == {"bound_service_account_names": ["external-secrets"],
                    "bound_service_account_namespaces": ["external-secrets"],
                    "token_policies": ["homestack-eso"], "token_ttl": 600}
    policy = rendered["vault:policy:homestack-eso"]["policy"]
    assert policy.startswith(MARKER)
    for path in ('"kv/data/*"', '"kv/metadata/*"', '"db/static-creds/*"'):
        assert f"path {path}" in policy


def _capabilities(lab: VaultLab, token: str, path: str) -> list[str]:
    answer = lab.server.request("POST", "sys/capabilities",
                                {"token": token, "paths": [path]})
    return sorted(answer["data"][path] if "data" in answer else answer[path])


def test_apply_writes_the_eso_role_and_a_policy_that_reads_but_cannot_write(
        vaultlab: VaultLab) -> None:
    folder = vaultlab.root / "stacks" / "external-secrets"
    folder.mkdir()
    (folder / "stack.py").write_text(ESO_STACK)
    vaultlab.server.cli("kv", "put", "secret/app", "token=t0ken")
    done = vaultlab.run("apply", "--yes")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "k8s:external-secrets.io/v1:ClusterSecretStore:vault-kv" in done.stdout
    role = vaultlab.server.request("GET", "auth/kubernetes/role/external-secrets")["data"]
    assert role["bound_service_account_names"] == ["external-secrets"]
    assert role["bound_service_account_namespaces"] == ["external-secrets"]
    assert role["token_policies"] == ["homestack-eso"]
    token = vaultlab.server.request("POST", "auth/token/create",
                                    {"policies": ["homestack-eso"], "ttl": "5m"})["auth"][
        "client_token"]
    assert _capabilities(vaultlab, token, "secret/data/app") == ["list", "read"]
    assert _capabilities(vaultlab, token, "database/static-creds/shop") == ["list", "read"]
    assert _capabilities(vaultlab, token, "sys/policies/acl/homestack-eso") == ["deny"]
    again = vaultlab.run("plan", "--detailed-exitcode")
    assert again.returncode == 0, again.stdout + again.stderr
    (folder / "stack.py").unlink()
    folder.rmdir()
    pruned = vaultlab.run("apply", "--yes", "--allow-prune", "--allow-data-loss")
    assert pruned.returncode == 0, pruned.stdout + pruned.stderr
    assert "homestack-eso" not in vaultlab.server.request("LIST", "sys/policies/acl")["data"][
        "keys"]
