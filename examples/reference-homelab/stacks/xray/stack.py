"""Xray: a censorship-resistant VPN for travel (REALITY on the shared LB IP; WebSocket and gRPC
through Cloudflare). Native clients, not browsers: no forward-auth, the UUID in the client
config is the gate."""

from homestack import Stack, tier
from homestack.kit import (
    Catalog,
    auth,
    deployment,
    external_secret,
    ingress,
    load_balancer,
)

stack = Stack("xray", tier=tier.CORE, needs=["infra", "metallb", "traefik"],
              description="Travel VPN")
config = external_secret(stack, "xray-config", {"config.json": "secret/xray#config_json"})
server = deployment(
    stack, "xray", image="docker.io/teddysun/xray:25.1.30", memory="128Mi", cpu="20m",
    ports={"reality": 7443, "websocket": 8443, "grpc": 9443},
    mounts={"/etc/xray": config},
)
load_balancer(stack, server, name="xray-reality", ports={"reality": 7443})
CLIENTS = auth.none("VPN protocol for native clients; the client UUID is the gate")
ingress(stack, server, name="xray-ws", host="xray-ws", port=8443, dns="proxied", auth=CLIENTS,
        anti_ai=False, backend_kind="api",
        catalog=Catalog(name="Xray", group="Infrastructure", description="Travel VPN"))
ingress(stack, server, name="xray-grpc", host="xray-grpc", port=9443, paths=["/grpc-vpn"],
        dns="proxied", auth=CLIENTS, anti_ai=False, backend_kind="api",
        catalog=Catalog(hidden=True))
