"""Gramps Web: the family tree. Genealogy data is personal: encrypted volume, LAN name only."""

from homestack import Stack, tier
from homestack.kit import Catalog, auth, block_volume, deployment, ingress, stack_ref, vault_secret

stack = Stack("grampsweb", tier=tier.AUX, needs=["authentik", "redis"],
              description="Family tree")
REDIS = stack_ref("redis").service("redis", port=6379, scheme="redis")
data = block_volume(stack, "data", size="2Gi", sqlite=True)
app = deployment(
    stack, "grampsweb", image="ghcr.io/gramps-project/grampsweb:v24.12.2", memory="512Mi",
    cpu="50m", port=5000, mounts={"/app/users": data},
    env={"GRAMPSWEB_TREE": "Family", "GRAMPSWEB_SECRET_KEY": vault_secret(stack, "secret_key"),
         "GRAMPSWEB_CELERY_CONFIG__broker_url": f"{REDIS.url}/3"},
)
ingress(stack, app, host="family-tree.home.arpa", auth=auth.required(groups=["family"]),
        scale_to_zero=True,
        catalog=Catalog(name="Gramps Web", group="Home", icon="gramps.png",
                        description="The family tree"))
