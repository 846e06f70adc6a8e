"""Homepage: the dashboard. Its tiles come from the catalog annotations every ingress carries
(name, group, icon, description, href), read live from the cluster."""

from homestack import Stack, tier
from homestack.kit import Catalog, auth, config_map, deployment, http_probe, ingress, raw

stack = Stack("homepage", tier=tier.AUX, needs=["authentik"],
              description="Dashboard of every Service")

raw(stack, "config.yaml")
dashboard = deployment(
    stack, "homepage", image="ghcr.io/gethomepage/homepage:v0.10.9", memory="192Mi",
    cpu="50m", port=3000, env={"HOMEPAGE_ALLOWED_HOSTS": "example.org,home.example.org"},
    mounts={"/app/config": config_map("homepage-config")},
    probes=http_probe("/api/healthcheck"),
)
ingress(stack, dashboard, host="home-dash", auth=auth.required(groups=["family"]),
        csp="default-src 'self'; img-src 'self' data: https://cdn.jsdelivr.net; "
            "style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'",
        catalog=Catalog(name="Homepage", group="Infrastructure", icon="homepage.png",
                        description="Dashboard of every Service in the homelab"))
