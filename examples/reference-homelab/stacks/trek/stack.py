"""TREK: trip planning with maps, packing lists and budgets; parked until opened (Sablier).

Travel documents are personal: data and uploads on encrypted block volumes, forward-auth in
front.
"""

from homestack import Stack, tier
from homestack.kit import Catalog, auth, block_volume, deployment, ingress, vault_secret

stack = Stack("trek", tier=tier.AUX, needs=["platform", "vault", "sablier"],
              description="Trip planner")
data = block_volume(stack, "data", size="1Gi", sqlite=True)
uploads = block_volume(stack, "uploads", size="5Gi")
app = deployment(stack, "trek", image="docker.io/mauriceboe/trek:2.6.2", memory="256Mi",
                 memory_request="128Mi", cpu="20m", port=3000,
                 env={"JWT_SECRET": vault_secret(stack, "jwt_secret"), "NODE_ENV": "production"},
                 mounts={"/app/data": data, "/app/uploads": uploads})
ingress(stack, app, host="trek", dns="proxied", auth=auth.required(groups=["family"]),
        scale_to_zero=True, max_body_size="50Mi",
        catalog=Catalog(name="TREK", group="Travel", description="Trips, maps and packing lists"))
