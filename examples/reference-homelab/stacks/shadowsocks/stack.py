"""Shadowsocks: an obfuscated proxy into the LAN for networks that block VPNs; TCP and UDP on the
shared LB IP."""

from homestack import Stack, tier
from homestack.kit import deployment, load_balancer, vault_secret

stack = Stack("shadowsocks", tier=tier.EDGE, needs=["platform", "vault", "metallb"],
              description="Obfuscated proxy")
server = deployment(
    stack, "shadowsocks", image="docker.io/shadowsocks/shadowsocks-libev:v3.3.5",
    memory="64Mi", memory_request="32Mi", cpu="10m",
    ports={"shadowsocks-tcp": 8388, "shadowsocks-udp": "8388/udp"},
    command=["ss-server"],
    args=["-s", "0.0.0.0", "-p", "8388", "-m", "chacha20-ietf-poly1305", "-u",
          "-k", "$(SS_PASSWORD)"],
    env={"SS_PASSWORD": vault_secret(stack, "password")},
)
load_balancer(stack, server, ports={"shadowsocks-tcp": 8388, "shadowsocks-udp": "8388/udp"})
