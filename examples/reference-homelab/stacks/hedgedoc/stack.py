"""HedgeDoc: collaborative markdown notes; uploads on NFS."""

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

stack = Stack("hedgedoc", tier=tier.EDGE, needs=["authentik"], description="Shared notes")
db = postgres_database(stack, "hedgedoc")
uploads = nfs_volume(stack, "uploads", export="/srv/nfs/hedgedoc", size="5Gi")
app = deployment(
    stack, "hedgedoc", image="quay.io/hedgedoc/hedgedoc:1.10.0", memory="256Mi", cpu="50m",
    port=3000, mounts={"/hedgedoc/public/uploads": uploads},
    env={"CMD_DB_URL": f"postgres://{db.user}@{db.host}:{db.port}/{db.database}",
         "CMD_DB_PASSWORD": db.password, "CMD_DOMAIN": "notes.example.org",
         "CMD_PROTOCOL_USESSL": True, "CMD_SESSION_SECRET": vault_secret(stack, "session_secret"),
         "CMD_ALLOW_ANONYMOUS": False},
)
ingress(stack, app, host="notes", auth=auth.required(groups=["family", "developers"]),
        catalog=Catalog(name="HedgeDoc", group="Productivity", icon="hedgedoc.png",
                        description="Collaborative markdown notes"))
