"""Tandoor: the family recipe book; scaled to zero when nobody is cooking."""

from homestack import Stack, tier
from homestack.kit import (
    Catalog,
    auth,
    deployment,
    ingress,
    nfs_volume,
    postgres_database,
    vault_secret,
)

stack = Stack("tandoor", tier=tier.AUX, needs=["authentik"], description="Recipes")
db = postgres_database(stack, "tandoor")
media = nfs_volume(stack, "media", export="/srv/nfs/tandoor", size="5Gi")
app = deployment(
    stack, "tandoor", image="docker.io/vabene1111/recipes:1.5.24", memory="384Mi", cpu="50m",
    port=8080, mounts={"/opt/recipes/mediafiles": media},
    env={"DB_ENGINE": "django.db.backends.postgresql", "POSTGRES_HOST": db.host,
         "POSTGRES_DB": db.database, "POSTGRES_USER": db.user,
         "POSTGRES_PASSWORD": db.password, "SECRET_KEY": vault_secret(stack, "secret_key"),
         "REMOTE_USER_AUTH": "1"},
)
ingress(stack, app, host="recipes", auth=auth.app("Tandoor has its own login and share links"),
        scale_to_zero=True,
        catalog=Catalog(name="Tandoor", group="Home", icon="tandoor.png",
                        description="Recipes and meal plans"))
