"""Cloudflared: the tunnel that carries proxied public traffic from Cloudflare to Traefik.

Only the apex has a DNS record to the tunnel; every other proxied host rides the zone-wide
wildcard. Three replicas with a PDB (critical path): the tunnel is the front door.
"""

from homestack import Stack, tier
from homestack.kit import Pdb, config_map, deployment, http_probe, raw, stack_ref, vault_secret

stack = Stack("cloudflared", tier=tier.CORE, needs=["traefik"],
              description="Cloudflare Tunnel to Traefik")
TRAEFIK = stack_ref("traefik").service("traefik", port=8443, scheme="https")
deployment(
    stack, "cloudflared", image="docker.io/cloudflare/cloudflared:2024.11.1", replicas=3,
    memory="128Mi", cpu="50m", critical=True, pdb=Pdb(max_unavailable=1),
    ports={"metrics": 2000},
    args=["tunnel", "--no-autoupdate", "--metrics", "0.0.0.0:2000", "--config",
          "/etc/cloudflared/config.yaml", "run"],
    env={"TUNNEL_TOKEN": vault_secret(stack, "tunnel_token")},
    mounts={"/etc/cloudflared": config_map("cloudflared-ingress")},
    probes=http_probe("/ready"),
)
raw(stack, {
    "apiVersion": "v1",
    "kind": "ConfigMap",
    "metadata": {"name": "cloudflared-ingress"},
    "data": {"config.yaml": (
        "ingress:\n"
        "  - hostname: example.org\n"
        f"    service: {TRAEFIK.url}\n"
        "    originRequest: {originServerName: example.org}\n"
        "  - hostname: '*.example.org'\n"
        f"    service: {TRAEFIK.url}\n"
        "    originRequest: {noTLSVerify: false, originServerName: example.org}\n"
        "  - service: http_status:404\n"
    )},
})
