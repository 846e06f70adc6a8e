"""ntfy: push notifications for alerts, backups and CI. Publishers use access tokens."""

from homestack import Stack, tier
from homestack.kit import Catalog, auth, block_volume, deployment, http_probe, ingress

stack = Stack("ntfy", tier=tier.AUX, needs=["traefik"], description="Push notifications")
cache = block_volume(stack, "cache", size="1Gi", sensitive=False, sqlite=True)
server = deployment(
    stack, "ntfy", image="docker.io/binwiederhier/ntfy:v2.11.0", memory="64Mi", cpu="10m",
    port=80, args=["serve"], backend_kind="api", mounts={"/var/cache/ntfy": cache},
    env={"NTFY_BASE_URL": "https://ntfy.example.org", "NTFY_CACHE_FILE": "/var/cache/ntfy/c.db",
         "NTFY_AUTH_FILE": "/var/cache/ntfy/auth.db", "NTFY_AUTH_DEFAULT_ACCESS": "deny-all",
         "NTFY_BEHIND_PROXY": True},
    probes=http_probe("/v1/health"),
)
ingress(stack, server, host="ntfy",
        auth=auth.app("ntfy denies all by default; phones and publishers use access tokens"),
        catalog=Catalog(name="ntfy", group="Communication", icon="ntfy.png",
                        description="Push notifications to phones"))
