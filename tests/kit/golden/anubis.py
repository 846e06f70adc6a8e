"""A public blog behind the Anubis PoW proxy, scaled to zero when idle."""

from homestack import Stack, tier
from homestack.kit import Catalog, auth, deployment, ingress

stack = Stack("blog", tier=tier.AUX)
site = deployment(stack, "ghost", image="docker.io/library/ghost:5.101.0", port=2368,
                  memory="256Mi", cpu="50m")
ingress(stack, site, host="blog", pow=True, scale_to_zero=True,
        auth=auth.none("Public blog, PoW-fronted"),
        catalog=Catalog(description="Blog"),
        carve_outs={"/ghost/api": auth.app("Ghost admin API has its own login")})
