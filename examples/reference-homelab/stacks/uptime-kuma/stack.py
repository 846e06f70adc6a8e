"""Uptime Kuma: watches every ingress that sets ``external_monitor=True`` and the critical path.

The status page is public on purpose (family checks it when something is down); the admin UI
is behind forward-auth. SQLite data on a block volume, never on NFS.
"""

from homestack import Stack, tier
from homestack.kit import Catalog, auth, block_volume, deployment, http_probe, ingress

stack = Stack("uptime-kuma", tier=tier.CLUSTER, needs=["authentik"],
              description="Uptime monitors and status page")
data = block_volume(stack, "data", size="2Gi", sensitive=False, sqlite=True)
kuma = deployment(
    stack, "uptime-kuma", image="docker.io/louislam/uptime-kuma:1.23.16", memory="256Mi",
    cpu="50m", port=3001, mounts={"/app/data": data}, probes=http_probe("/api/entry-page"),
)
ingress(stack, kuma, host="uptime", auth=auth.required(groups=["admins"]),
        catalog=Catalog(name="Uptime Kuma", group="Observability", icon="uptime-kuma.png",
                        description="Monitors of public hosts and the critical path"))
ingress(stack, kuma, name="status", host="status", paths=["/status", "/api/status-page"],
        auth=auth.none("Read-only status page, meant to be seen when other things are down"),
        anti_ai=True, catalog=Catalog(hidden=True))
