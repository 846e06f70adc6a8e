"""Egress proxies: HTTP and SOCKS through a commercial VPN (gluetun), and a WireGuard exit.

Browsers and scrapers in the cluster use the proxies by their Services; a small broker hands
each family member a persistent remote browser through the proxy, behind forward-auth for the
family. The share links the broker creates are carved out (the token in the path gates them).
"""

from homestack import Stack, tier
from homestack.kit import (
    Catalog,
    Security,
    auth,
    config_files,
    deployment,
    external_secret,
    http_probe,
    ingress,
    rule,
    service_account,
)

stack = Stack("proxy", tier=tier.AUX, needs=["platform", "authentik"],
              description="VPN egress proxies and remote browsers")
vpn = external_secret(stack, "proxy-vpn", {
    "WIREGUARD_PRIVATE_KEY": "secret/proxy#nordvpn_private_key",
    "WIREGUARD_ADDRESSES": "secret/proxy#nordvpn_addresses",
})
peers = external_secret(stack, "proxy-wg-peers", {"wg0.conf": "secret/proxy#wg_server_conf"})
deployment(
    stack, "gluetun", image="ghcr.io/qdm12/gluetun:v3.40.0", memory="128Mi", memory_request="64Mi",
    cpu="20m", ports={"http-proxy": 8888, "socks5": 1080},
    env={"VPN_SERVICE_PROVIDER": "nordvpn", "VPN_TYPE": "wireguard", "SERVER_COUNTRIES": "UK",
         "HTTPPROXY": "on", "SHADOWSOCKS": "off"},
    env_from=[vpn], security=Security(capabilities=("NET_ADMIN",)), backend_kind="api",
)
deployment(
    stack, "wgserver", image="lscr.io/linuxserver/wireguard:1.0.20250521", memory="64Mi",
    cpu="10m", ports={"wg": "51820/udp"}, mounts={"/config/wg_confs": peers},
    security=Security(capabilities=("NET_ADMIN",)),
)
broker_code = config_files(stack, "proxy-broker-scripts", {
    "broker.py": "# Starts one browser per user through the proxy; keys it by the forwarded "
                 "user name.\n"})
launcher = service_account(stack, "proxy-broker",
                           rules=[rule(["apps"], ["deployments"],
                                       ["get", "list", "create", "patch", "delete"])])
broker = deployment(
    stack, "proxy-broker", image="docker.io/library/python:3.12.8-alpine", memory="128Mi",
    memory_request="64Mi", cpu="10m", port=8080, command=["python", "/app/broker.py"],
    service_account=launcher, mounts={"/app": broker_code}, probes=http_probe("/healthz"),
)
ingress(stack, broker, name="proxy", host="proxy", dns="proxied",
        auth=auth.required(groups=["family"]),
        carve_outs={"/s": auth.none("Share links: the token in the path gates the session")},
        catalog=Catalog(name="Remote browser", group="Tools",
                        description="A browser that exits through the VPN"))
