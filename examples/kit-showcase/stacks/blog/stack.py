"""A public blog at the apex, behind the PoW proxy, asleep when nobody reads it."""

from homestack import Stack, tier
from homestack.kit import Catalog, auth, deployment, ingress

stack = Stack("blog", tier=tier.AUX, needs=["traefik"], description="Blog")
ghost = deployment(stack, "ghost", image="docker.io/library/ghost:5.101.0", port=2368,
                   memory="256Mi", cpu="50m")
ingress(stack, ghost, host="@", pow=True, scale_to_zero=True,
        auth=auth.none("Public blog, PoW-fronted"),
        catalog=Catalog(description="The blog"),
        carve_outs={"/ghost": auth.app("Ghost admin has its own login")})
