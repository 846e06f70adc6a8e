"""AFFiNE: docs, whiteboards and databases in one workspace."""

from homestack import Stack, tier
from homestack.kit import (
    Catalog,
    auth,
    block_volume,
    deployment,
    ingress,
    job,
    postgres_database,
    stack_ref,
    vault_secret,
)

stack = Stack("affine", tier=tier.AUX, needs=["authentik", "redis"], description="Workspace")
REDIS = stack_ref("redis").service("redis")
IMAGE = "ghcr.io/toeverything/affine-graphql:stable-0.18.1"
db = postgres_database(stack, "affine")
storage = block_volume(stack, "storage", size="5Gi")
env = {"DATABASE_URL": f"postgresql://{db.user}@{db.host}:{db.port}/{db.database}",
       "DATABASE_PASSWORD": db.password, "REDIS_SERVER_HOST": REDIS.host,
       "REDIS_SERVER_PASSWORD": vault_secret(stack, "password", path="secret/redis"),
       "AFFINE_SERVER_HOST": "affine.example.org", "AFFINE_SERVER_HTTPS": True}
job(stack, "migrate", image=IMAGE, memory="256Mi", cpu="100m",
    command=["node", "./scripts/self-host-predeploy.js"], env=env)
app = deployment(stack, "affine", image=IMAGE, memory="768Mi", cpu="100m", port=3010, env=env,
                 mounts={"/root/.affine/storage": storage})
ingress(stack, app, host="affine",
        auth=auth.app("AFFiNE has its own accounts; the desktop app syncs through its API"),
        dns="non-proxied", scale_to_zero=True,
        catalog=Catalog(name="AFFiNE", group="Productivity", icon="affine.png",
                        description="Docs, whiteboards and databases"))
