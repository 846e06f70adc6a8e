"""Dashy: the old start page, kept parked (Sablier) and off the dashboard since Homepage."""

from homestack import Stack, tier
from homestack.kit import Catalog, auth, deployment, ingress

stack = Stack("dashy", tier=tier.AUX, needs=["platform", "sablier"],
              description="Former start page")
page = deployment(stack, "dashy", image="docker.io/lissy93/dashy:3.1.0", memory="256Mi",
                  memory_request="128Mi", cpu="10m", port=8080)
ingress(stack, page, host="dashy", dns="proxied", auth=auth.required(), scale_to_zero=True,
        catalog=Catalog(hidden=True))
