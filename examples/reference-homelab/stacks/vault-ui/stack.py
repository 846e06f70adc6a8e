"""The route to Vault's web UI and API, kept apart from the vault Stack.

The ingress needs the namespace's wildcard TLS copy, an ExternalSecret: in the vault Stack it
would make Vault wait for the External Secrets operator, which waits for Vault.
"""

from homestack import Stack, tier
from homestack.kit import Catalog, auth, ingress

stack = Stack("vault-ui", namespace="vault", tier=tier.CORE, needs=["vault", "traefik"],
              description="Web UI and API route of Vault")


class VaultService:
    """The vault Stack's Service, as an ingress backend."""

    name = "vault"
    service = "vault"
    port = 8200
    backend_kind = "api"


ingress(stack, VaultService(), host="vault",
        auth=auth.app("Vault has its own login: OIDC through Authentik, tokens for machines"),
        anti_ai=False, rate_limit=False,
        catalog=Catalog(name="Vault", group="Infrastructure", icon="vault.png",
                        description="Secrets: KV paths, database roles and policies"),
        external_monitor=True)
