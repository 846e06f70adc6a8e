"""Linkwarden: bookmarks with archived copies of the pages."""

from homestack import Stack, tier
from homestack.kit import (
    Catalog,
    auth,
    block_volume,
    deployment,
    ingress,
    postgres_database,
    vault_secret,
)

stack = Stack("linkwarden", tier=tier.AUX, needs=["authentik"],
              description="Bookmarks and page archive")
db = postgres_database(stack, "linkwarden")
archive = block_volume(stack, "archive", size="10Gi")
app = deployment(
    stack, "linkwarden", image="ghcr.io/linkwarden/linkwarden:v2.8.3", memory="768Mi",
    cpu="100m", port=3000, mounts={"/data/data": archive},
    env={"NEXTAUTH_URL": "https://links.example.org/api/v1/auth",
         "NEXTAUTH_SECRET": vault_secret(stack, "nextauth_secret"),
         "DATABASE_PASSWORD": db.password, "DATABASE_HOST": db.host,
         "DATABASE_USER": db.user, "DATABASE_NAME": db.database},
)
ingress(stack, app, host="links",
        auth=auth.app("Linkwarden has its own login; the browser extension uses tokens"),
        catalog=Catalog(name="Linkwarden", group="Reading", icon="linkwarden.png",
                        description="Bookmarks with archived pages"))
