"""Homepage: the dashboard. Its tiles come from the gethomepage.dev annotations every ingress
carries (name, group, icon, description, href, widget), read live from the cluster. Widget API
keys reach Homepage as HOMEPAGE_VAR_* env from Vault; the ingress annotations only name them."""

from homestack import SecretRef, Stack, tier
from homestack.kit import (
    Catalog,
    auth,
    config_map,
    deployment,
    homepage_var,
    http_probe,
    ingress,
    raw,
)

stack = Stack("homepage", tier=tier.AUX, needs=["authentik"],
              description="Dashboard of every Service")

# Widget keys the other Stacks' tiles name (Catalog(widget=Widget(..., fields={"key": ref}))).
WIDGET_KEYS = [SecretRef.parse("secret/homepage#immich_api_key")]

raw(stack, "config.yaml")
dashboard = deployment(
    stack, "homepage", image="ghcr.io/gethomepage/homepage:v0.10.9", memory="192Mi",
    cpu="50m", port=3000,
    env={"HOMEPAGE_ALLOWED_HOSTS": "example.org,home.example.org",
         **{homepage_var(ref): ref for ref in WIDGET_KEYS}},
    mounts={"/app/config": config_map("homepage-config")},
    probes=http_probe("/api/healthcheck"),
)
ingress(stack, dashboard, host="home-dash", auth=auth.required(groups=["family"]),
        csp="default-src 'self'; img-src 'self' data: https://cdn.jsdelivr.net; "
            "style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'",
        catalog=Catalog(name="Homepage", group="Infrastructure", icon="homepage.png",
                        description="Dashboard of every Service in the homelab"))
