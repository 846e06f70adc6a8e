"""External Secrets: syncs Vault values into Kubernetes Secrets through two ClusterSecretStores.

``vault-kv`` reads the KV engine (``secret/<service>``); ``vault-database`` reads the database
engine's static roles, whose passwords rotate every 7 days. Both log in to Vault with this
operator's ServiceAccount; when the Site configures Vault, the stores use its address and the
vault target applies the Kubernetes auth role and read policy of that login.
"""

from homestack import Stack, StateTier, tier
from homestack.kit import helm_release, namespace, secret_stores, stack_ref

stack = Stack("external-secrets", tier=tier.CLUSTER, needs=["vault"],
              state_tier=StateTier.BOOTSTRAP, description="Vault to Kubernetes Secret sync")
VAULT = stack_ref("vault").service("vault", port=8200)
namespace(stack)
helm_release(stack, "external-secrets", chart="external-secrets",
             repo="https://charts.external-secrets.io", version="0.18.2")

secret_stores(stack, server=VAULT.url)
