"""A git forge: app auth, an API carve-out with no auth, the apex on non-proxied DNS."""

from homestack import Stack, tier
from homestack.kit import Catalog, auth, deployment, ingress

stack = Stack("forge", tier=tier.EDGE)
forge = deployment(stack, "forgejo", image="codeberg.org/forgejo/forgejo:9.0.2", port=3000,
                   memory="512Mi", cpu="100m", backend_kind="git")
ingress(stack, forge, host="@", auth=auth.app("Forgejo has its own login and 2FA"),
        dns="non-proxied", carve_outs={"/api": auth.none("API tokens"),
                                       "/user/login": auth.public()},
        catalog=Catalog(description="Git forge"), anti_ai=False)
