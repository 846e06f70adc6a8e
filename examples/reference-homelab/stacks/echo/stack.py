"""Echo: returns the request it got. Behind the public outpost, so every visit is audited while
anyone can still reach it (used to debug headers through the tunnel)."""

from homestack import Stack, tier
from homestack.kit import Catalog, auth, deployment, ingress

stack = Stack("echo", tier=tier.EDGE, needs=["authentik"], description="Request echo")
app = deployment(stack, "echo", image="docker.io/traefik/whoami:v1.10.3", memory="16Mi",
                 cpu="5m", port=80)
ingress(stack, app, host="echo", auth=auth.public(),
        catalog=Catalog(name="Echo", group="Tools",
                        description="Shows the request as the backend sees it"))
