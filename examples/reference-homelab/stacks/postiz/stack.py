"""Postiz: schedules social-media posts; the public API for webhooks, the app behind auth.

The seeds install it from its upstream Helm chart; here the same two workloads are declared
with the kit (the app and its Temporal-free worker share one image), so no stand-in chart is
needed. Its uploads sit on a non-sensitive block volume; its database is the shared CNPG one.
"""

from homestack import Stack, tier
from homestack.kit import (
    Catalog,
    auth,
    block_volume,
    deployment,
    ingress,
    postgres_database,
    stack_ref,
    vault_secret,
)

stack = Stack("postiz", tier=tier.AUX, needs=["platform", "vault", "authentik", "redis"],
              description="Social-media scheduler")
REDIS = stack_ref("redis").service("redis")
IMAGE = "ghcr.io/gitroomhq/postiz-app:v1.40.3"
db = postgres_database(stack, "postiz")
uploads = block_volume(stack, "uploads", size="5Gi", sensitive=False)
app = deployment(
    stack, "postiz", image=IMAGE, memory="1Gi", cpu="100m", port=5000,
    env={"DATABASE_URL": f"postgresql://{db.user}@{db.host}:{db.port}/{db.database}",
         "DATABASE_PASSWORD": db.password, "REDIS_URL": REDIS.url,
         "JWT_SECRET": vault_secret(stack, "jwt_secret"),
         "MAIN_URL": "https://postiz.example.org", "FRONTEND_URL": "https://postiz.example.org",
         "NEXT_PUBLIC_BACKEND_URL": "https://postiz.example.org/api",
         "STORAGE_PROVIDER": "local", "UPLOAD_DIRECTORY": "/uploads"},
    mounts={"/uploads": uploads})
# Public post previews and the API's webhook callbacks stay reachable without a login; the
# wildcard routes them anyway, so they are carve-outs of the one host, not a second ingress.
public = auth.none("Public post previews and webhook callbacks, checked by token")
ingress(stack, app, host="postiz", auth=auth.required(groups=["admins"]), dns="proxied",
        scale_to_zero=True, carve_outs={"/api/public": public, "/p": public},
        catalog=Catalog(name="Postiz", group="Social", icon="postiz.png",
                        description="Schedules posts to social networks"))
