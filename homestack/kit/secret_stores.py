"""The ESO wiring to Vault: the ``vault-kv`` and ``vault-database`` ClusterSecretStores.

Declared once, by the Stack that runs External Secrets. Both stores log in with Vault's
Kubernetes auth as the operator's ServiceAccount. When the Site configures Vault, the stores
point at the Site's Vault address, KV mount and database mount, and the Stack also declares
what that login needs in Vault: the Kubernetes auth role (bound to the ServiceAccount) and a
read-only policy on the KV mount and the database static credentials, both applied by the
vault target. Without Vault in the Site the stores point at ``server`` and nothing is declared
for Vault.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from homestack.kit._meta import check_name, metadata
from homestack.kit._strict import strict
from homestack.kit.secrets import DATABASE_STORE, ESO_API, KV_STORE
from homestack.model import ModelError, Provider, RenderContext, Resource, Stack

# The first line of every policy Homestack writes: the vault target only updates or prunes
# policies that carry it.
POLICY_MARKER = "# managed-by: homestack"
ESO_POLICY = "homestack-eso"
AUTH_ROLE_KIND = "kubernetes:role"
POLICY_KIND = "policy"


def eso_policy(kv_mount: str, database_mount: str) -> str:
    """The HCL policy of the ESO login: read every KV secret and static credential."""
    paths = (f"{kv_mount}/data/*", f"{kv_mount}/metadata/*",
             f"{database_mount}/static-creds/*")
    blocks = [f'path "{p}" {{\n  capabilities = ["read", "list"]\n}}' for p in paths]
    return "\n".join([f"{POLICY_MARKER} (external-secrets)", *blocks]) + "\n"


@dataclass
class SecretStores:
    """The two ClusterSecretStores, and their Vault role and policy when Vault is configured."""

    server: str
    role: str
    service_account: str
    namespace: str

    @property
    def name(self) -> str:
        """One per Stack."""
        return "secret-stores"

    def _store(self, context: RenderContext, name: str, server: str, path: str | None,
               version: str, mount: str) -> Resource:
        vault: dict[str, Any] = {
            "server": server, "version": version,
            "auth": {"kubernetes": {"mountPath": mount, "role": self.role,
                                    "serviceAccountRef": {"name": self.service_account,
                                                          "namespace": self.namespace}}}}
        if path:
            vault["path"] = path
        settings = context.site.vault
        if settings is not None and settings.namespace:
            vault["namespace"] = settings.namespace
        body = {"apiVersion": ESO_API, "kind": "ClusterSecretStore",
                "metadata": metadata(context.stack, name, cluster_scoped=True),
                "spec": {"provider": {"vault": vault}}}
        return Resource.k8s(body)

    def render(self, context: RenderContext) -> Sequence[Resource]:
        settings = context.site.vault
        if settings is None:
            return [self._store(context, KV_STORE, self.server, "secret", "v2", "kubernetes"),
                    self._store(context, DATABASE_STORE, self.server, None, "v1",
                                "kubernetes")]
        mount = settings.kubernetes_mount
        policy = eso_policy(settings.kv_mount, settings.database_mount)
        role = {"bound_service_account_names": [self.service_account],
                "bound_service_account_namespaces": [self.namespace],
                "token_policies": [ESO_POLICY], "token_ttl": settings.token_ttl}
        return [
            self._store(context, KV_STORE, settings.address, settings.kv_mount, "v2", mount),
            self._store(context, DATABASE_STORE, settings.address, None, "v1", mount),
            Resource(provider=Provider.VAULT, kind=POLICY_KIND, name=ESO_POLICY,
                     body={"policy": policy}),
            Resource(provider=Provider.VAULT, kind=AUTH_ROLE_KIND, name=self.role, body=role),
        ]


@strict
def secret_stores(stack: Stack, *, server: str, role: str = "external-secrets",
                  service_account: str = "external-secrets",
                  namespace: str | None = None) -> SecretStores:
    """Declare the ``vault-kv`` / ``vault-database`` ClusterSecretStores (and their Vault login).

    ``server`` is used only when the Site does not configure Vault; otherwise the stores
    point at the Site's Vault address. ``service_account`` in ``namespace`` (the Stack's by
    default) is the ESO operator's ServiceAccount the Vault ``role`` is bound to.

    Example::

        secret_stores(stack, server="http://vault.vault.svc.cluster.local:8200")
    """
    check_name(role, "secret_stores role")
    check_name(service_account, "secret_stores service_account")
    if not server.startswith(("http://", "https://")):
        raise ModelError(f"secret_stores server {server!r} must start with http:// or https://",
                         hint="Write the in-cluster Vault URL, like http://vault.vault.svc:8200")
    component = SecretStores(server=server.rstrip("/"), role=role,
                             service_account=service_account,
                             namespace=namespace or stack.namespace)
    stack.add(component)
    return component
