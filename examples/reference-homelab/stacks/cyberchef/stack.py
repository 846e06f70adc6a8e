"""CyberChef: the data-wrangling toolbox, a static site. Public behind proof-of-work."""

from homestack import Stack, tier
from homestack.kit import Catalog, auth, deployment, ingress

stack = Stack("cyberchef", tier=tier.AUX, needs=["traefik"], description="Data toolbox")
app = deployment(
    stack, "cyberchef", image="ghcr.io/gchq/cyberchef:10.19.4", memory="32Mi", cpu="10m",
    port=80,
)
ingress(stack, app, host="cyberchef", pow=True, scale_to_zero=True,
        auth=auth.none("Static tool that runs in the browser; Anubis keeps scrapers out"),
        catalog=Catalog(name="CyberChef", group="Tools", icon="cyberchef.png",
                        description="Encode, decode and analyse data in the browser"))
