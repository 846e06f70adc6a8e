"""Headscale: the self-hosted Tailscale control server for remote access to the LAN.

The control API is public (clients authenticate with node keys) on non-proxied DNS, since
Cloudflare's proxy breaks its long-poll upgrade; the embedded DERP relay's STUN port is on a
dedicated LB IP. The admin UI sits behind forward-auth.
"""

from homestack import Stack, tier
from homestack.kit import (
    Catalog,
    auth,
    block_volume,
    deployment,
    http_probe,
    ingress,
    load_balancer,
    raw,
)

stack = Stack("headscale", tier=tier.CORE, needs=["metallb", "traefik"],
              description="Mesh VPN control server")
state = block_volume(stack, "state", size="1Gi", sqlite=True)
server = deployment(
    stack, "headscale", image="ghcr.io/juanfont/headscale:0.23.0", memory="128Mi", cpu="50m",
    ports={"http": 8080, "metrics": 9090, "stun": "3478/udp"}, args=["serve"],
    env={"HEADSCALE_SERVER_URL": "https://vpn.example.org",
         "HEADSCALE_LISTEN_ADDR": "0.0.0.0:8080",
         "HEADSCALE_DATABASE_TYPE": "sqlite",
         "HEADSCALE_DATABASE_SQLITE_PATH": "/var/lib/headscale/db.sqlite",
         "HEADSCALE_DNS_BASE_DOMAIN": "tail.home.arpa",
         "HEADSCALE_DERP_SERVER_ENABLED": True,
         "HEADSCALE_DERP_SERVER_STUN_LISTEN_ADDR": "0.0.0.0:3478"},
    mounts={"/var/lib/headscale": state}, probes=http_probe("/health"),
)
load_balancer(stack, server, dedicated="headscale", ports={"stun": "3478/udp"})
ingress(stack, server, host="vpn",
        auth=auth.app("Tailscale clients authenticate with node keys and pre-auth keys"),
        dns="non-proxied", anti_ai=False,
        catalog=Catalog(name="Headscale", group="Infrastructure",
                        description="Mesh VPN control server"), external_monitor=True)
ui = deployment(
    stack, "headscale-ui", image="ghcr.io/gurucomputing/headscale-ui:2024.02.24-beta1",
    memory="32Mi", cpu="10m", port=8080,
)
ingress(stack, ui, host="vpn-admin", auth=auth.required(), dns="none",
        catalog=Catalog(name="Headscale admin", group="Infrastructure",
                        description="Nodes, users and pre-auth keys of the mesh VPN"))
raw(stack, {
    "apiVersion": "v1",
    "kind": "ConfigMap",
    "metadata": {"name": "acl-policy"},
    "data": {"acl.hujson": '{"acls": [{"action": "accept", "src": ["group:admins"], '
                           '"dst": ["*:*"]}, {"action": "accept", "src": ["group:family"], '
                           '"dst": ["10.0.20.203:443", "10.0.20.201:53"]}]}'},
})
