"""WireGuard: the fallback VPN into the LAN when Headscale is down. UDP on the shared LB IP."""

from homestack import Stack, tier
from homestack.kit import Security, deployment, external_secret, load_balancer

stack = Stack("wireguard", tier=tier.CORE, needs=["metallb", "external-secrets"],
              description="Fallback VPN")
keys = external_secret(stack, "wg0", {"wg0.conf": "secret/wireguard#wg0_conf"})
server = deployment(
    stack, "wireguard", image="lscr.io/linuxserver/wireguard:1.0.20210914", memory="64Mi",
    cpu="20m", ports={"wireguard": "51820/udp"}, mounts={"/config/wg_confs": keys},
    env={"PEERDNS": "10.0.20.201", "INTERNAL_SUBNET": "10.13.13.0/24",
         "ALLOWEDIPS": "192.168.1.0/24,10.0.10.0/24,10.0.20.0/24"},
    security=Security(capabilities=("NET_ADMIN",)),
)
load_balancer(stack, server)
