"""Repowise: code intelligence over the homelab's repositories (docs, search, an MCP server).

One pod per role on the shared image: the API and the web UI behind forward-auth (same host,
API paths split off), and the MCP endpoint on the internal host for the agents on the LAN.
The index workspace is on an encrypted block volume (the code is private).
"""

from homestack import Stack, tier
from homestack.kit import (
    Catalog,
    auth,
    block_volume,
    deployment,
    external_secret,
    ingress,
)

stack = Stack("repowise", tier=tier.AUX,
              needs=["platform", "vault", "traefik", "forgejo", "kyverno"],
              description="Code intelligence over the repositories")
IMAGE = "registry.home.arpa/homelab/repowise:0.42.0"
workspace = block_volume(stack, "workspace", size="20Gi")
secrets = external_secret(stack, "repowise-env", data_from=["secret/repowise"])
api = deployment(stack, "api", image=IMAGE, memory="1Gi", memory_request="512Mi", cpu="100m",
                 port=7337, args=["serve", "--factory", "--host", "0.0.0.0", "--port", "7337"],
                 env_from=[secrets], mounts={"/workspace": workspace}, backend_kind="api")
web = deployment(stack, "web", image=IMAGE, memory="256Mi", memory_request="128Mi", cpu="20m",
                 port=3000, args=["web"], env={"API_URL": api.url})
ingress(stack, web, name="repowise", host="repowise", dns="proxied", auth=auth.required(),
        catalog=Catalog(name="Repowise", group="Development",
                        description="Docs and search over the code"))
ingress(stack, api, name="repowise-api", host="repowise", paths=["/api", "/health", "/metrics"],
        dns="proxied", auth=auth.required(), catalog=Catalog(hidden=True))
ingress(stack, api, name="repowise-mcp", host="repowise.home.arpa", paths=["/mcp"],
        dns="internal", lan_only=True,
        auth=auth.none("MCP clients cannot follow forward-auth; LAN-only on the internal host"),
        catalog=Catalog(hidden=True))
