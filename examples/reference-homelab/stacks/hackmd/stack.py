"""HackMD (CodiMD): collaborative Markdown notes, uploads on NFS, notes in Postgres."""

from homestack import Stack, tier
from homestack.kit import (
    Catalog,
    auth,
    deployment,
    http_probe,
    ingress,
    nfs_volume,
    postgres_database,
    vault_secret,
)

stack = Stack("hackmd", tier=tier.EDGE, needs=["platform", "authentik"],
              description="Collaborative Markdown notes")
db = postgres_database(stack, "hackmd")
uploads = nfs_volume(stack, "uploads", export="/srv/nfs/hackmd", size="5Gi")
app = deployment(
    stack, "hackmd", image="docker.io/hackmdio/hackmd:2.5.4", memory="384Mi",
    memory_request="256Mi", cpu="50m", port=3000,
    env={"CMD_DB_HOST": db.host, "CMD_DB_PORT": str(db.port), "CMD_DB_DATABASE": db.database,
         "CMD_DB_USERNAME": db.user, "CMD_DB_PASSWORD": db.password, "CMD_DB_DIALECT": "postgres",
         "CMD_DOMAIN": "hackmd.example.org", "CMD_PROTOCOL_USESSL": "true",
         "CMD_SESSION_SECRET": vault_secret(stack, "session_secret")},
    mounts={"/home/hackmd/app/public/uploads": uploads}, probes=http_probe("/status"),
)
ingress(stack, app, host="hackmd", dns="proxied", auth=auth.required(groups=["family"]),
        max_body_size="20Mi",
        catalog=Catalog(name="HackMD", group="Productivity", icon="hedgedoc.png",
                        description="Shared Markdown notes"))
