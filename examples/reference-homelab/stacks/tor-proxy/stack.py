"""A Tor SOCKS proxy for the LAN and a small UI showing the circuit; LAN-only."""

from homestack import Stack, tier
from homestack.kit import Catalog, auth, block_volume, deployment, ingress, load_balancer

stack = Stack("tor-proxy", tier=tier.AUX, needs=["authentik", "metallb"],
              description="Tor SOCKS proxy for the LAN")
state = block_volume(stack, "state", size="512Mi", sensitive=False)
proxy = deployment(
    stack, "tor", image="docker.io/dperson/torproxy:latest", image_owner="keel",
    memory="128Mi", cpu="50m", ports={"socks": 9050, "http": 8118},
    mounts={"/var/lib/tor": state},
)
load_balancer(stack, proxy, ports={"socks": 9050})
ingress(stack, proxy, host="tor.home.arpa", port=8118, auth=auth.required(), lan_only=True,
        catalog=Catalog(name="Tor proxy", group="Tools", description="HTTP side of the Tor proxy"))
