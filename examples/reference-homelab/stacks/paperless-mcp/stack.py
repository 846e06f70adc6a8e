"""Paperless MCP: lets the assistants search and read Paperless documents over MCP.

Clients send a bearer token the server checks, so the ingress has no forward-auth.
"""

from homestack import Stack, tier
from homestack.kit import Catalog, auth, deployment, external_secret, ingress, stack_ref

stack = Stack("paperless-mcp", tier=tier.AUX, needs=["platform", "vault", "traefik", "paperless"],
              description="MCP access to Paperless")
PAPERLESS = stack_ref("paperless").service("paperless", port=8000)
secrets = external_secret(stack, "paperless-mcp-env", {
    "PAPERLESS_TOKEN": "secret/paperless-mcp#paperless_token",
    "MCP_BEARER_TOKEN": "secret/paperless-mcp#bearer_token"})
server = deployment(stack, "paperless-mcp", image="ghcr.io/barryw/paperlessmcp:v0.1.19",
                    memory="128Mi", memory_request="64Mi", cpu="10m", port=5000,
                    env={"PAPERLESS_URL": PAPERLESS.url}, env_from=[secrets],
                    backend_kind="api")
ingress(stack, server, host="paperless-mcp", dns="proxied",
        auth=auth.none("MCP clients send a bearer token; the server checks it"),
        catalog=Catalog(name="Paperless MCP", group="Documents",
                        description="Document search for the assistants"))
