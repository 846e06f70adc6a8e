"""External Secrets: syncs Vault values into Kubernetes Secrets through two ClusterSecretStores.

``vault-kv`` reads the KV engine (``secret/<service>``); ``vault-database`` reads the database
engine's static roles, whose passwords rotate every 7 days. Both log in to Vault with this
operator's ServiceAccount.
"""

from homestack import Stack, StateTier, tier
from homestack.kit import helm_release, namespace, raw, stack_ref

stack = Stack("external-secrets", tier=tier.CLUSTER, needs=["vault"],
              state_tier=StateTier.BOOTSTRAP, description="Vault to Kubernetes Secret sync")
VAULT = stack_ref("vault").service("vault", port=8200)
namespace(stack)
helm_release(stack, "external-secrets", chart="external-secrets",
             repo="https://charts.external-secrets.io", version="0.18.2")


def store(name: str, path: str | None, version: str) -> dict[str, object]:
    """A ClusterSecretStore on the in-cluster Vault with Kubernetes auth."""
    vault: dict[str, object] = {
        "server": VAULT.url,
        "version": version,
        "auth": {"kubernetes": {"mountPath": "kubernetes", "role": "external-secrets",
                                "serviceAccountRef": {"name": "external-secrets",
                                                      "namespace": "external-secrets"}}},
    }
    if path:
        vault["path"] = path
    return {"apiVersion": "external-secrets.io/v1", "kind": "ClusterSecretStore",
            "metadata": {"name": name}, "spec": {"provider": {"vault": vault}}}


raw(stack, [store("vault-kv", "secret", "v2"), store("vault-database", None, "v1")],
    name="stores")
