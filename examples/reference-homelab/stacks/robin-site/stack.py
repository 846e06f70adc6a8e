"""Robin's personal site, deployed into the namespace Robin owns, on Robin's subdomain."""

from homestack import Stack, tier
from homestack.kit import Catalog, auth, deployment, ingress

stack = Stack("robin-site", namespace="robin", tier=tier.AUX, needs=["tenants", "traefik"],
              description="Robin's personal site")
site = deployment(stack, "site", image="docker.io/library/nginx:1.27.3-alpine", memory="32Mi",
                  cpu="10m", port=80, image_owner="keel")
ingress(stack, site, host="robin", pow=True,
        auth=auth.none("Personal public site; Anubis in front"),
        catalog=Catalog(name="Robin", group="People", description="Robin's homepage"))
