"""Technitium: the internal DNS server for home.arpa, with ad blocking for the LAN.

On its own LB IP (ETP Local) so query logs show real client addresses. ``internal`` ingresses
get their A records here, pointing at Traefik's LB IP.
"""

from homestack import Stack, tier
from homestack.kit import (
    Catalog,
    auth,
    block_volume,
    cronjob,
    deployment,
    http_probe,
    ingress,
    load_balancer,
    stack_ref,
    vault_secret,
)

stack = Stack("technitium", tier=tier.CORE, needs=["metallb", "traefik"],
              description="Internal DNS and ad blocking")
TECHNITIUM_DNS = stack_ref("technitium").service("dns", port=5380)
config = block_volume(stack, "config", size="2Gi")
dns = deployment(
    stack, "dns", image="docker.io/technitium/dns-server:13.2", memory="384Mi", cpu="100m",
    ports={"dns": "53/udp", "dns-tcp": 53, "web": 5380},
    env={"DNS_SERVER_DOMAIN": "dns.home.arpa", "DNS_SERVER_FORWARDERS": "1.1.1.1,9.9.9.9",
         "DNS_SERVER_FORWARDER_PROTOCOL": "Https",
         "DNS_SERVER_ADMIN_PASSWORD": vault_secret(stack, "admin_password")},
    mounts={"/etc/dns": config}, probes=http_probe("/", port="web", roles=["readiness"]),
)
load_balancer(stack, dns, dedicated="technitium", ports={"dns": "53/udp", "dns-tcp": 53})
ingress(stack, dns, host="dns.home.arpa", port=5380, auth=auth.required(), lan_only=True,
        catalog=Catalog(name="Technitium", group="Infrastructure", icon="technitium.png",
                        description="Internal DNS zones, blocklists and query logs"))
cronjob(
    stack, "blocklist-refresh", schedule="0 5 * * 1", image="docker.io/curlimages/curl:8.11.0",
    memory="32Mi", cpu="10m",
    args=["-fsS", "-X", "POST",
          f"{TECHNITIUM_DNS.url}/api/settings/forceUpdateBlockLists"
          "?token=$(DNS_TOKEN)"],
    env={"DNS_TOKEN": vault_secret(stack, "api_token")},
)
