"""Networking toolbox: subnet calculators, DNS and TLS checks in the browser."""

from homestack import Stack, tier
from homestack.kit import Catalog, auth, deployment, ingress

stack = Stack("networking-toolbox", tier=tier.AUX, needs=["authentik"],
              description="Network calculators and checks")
app = deployment(stack, "networking-toolbox",
                 image="ghcr.io/lissy93/networking-toolbox:1.2.0", memory="96Mi", cpu="10m",
                 port=3000)
ingress(stack, app, host="nettools", auth=auth.required(groups=["developers"]),
        scale_to_zero=True,
        catalog=Catalog(name="Networking toolbox", group="Tools",
                        description="Subnet maths, DNS lookups and TLS checks"))
