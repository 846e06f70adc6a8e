"""Photo library: NFS media, Postgres on the shared cluster, its own login."""

from homestack import Stack, tier
from homestack.kit import (
    Catalog,
    auth,
    deployment,
    http_probe,
    ingress,
    nfs_volume,
    postgres_database,
)

stack = Stack("immich", tier=tier.AUX, needs=["traefik"], description="Photos")
db = postgres_database(stack, "immich")
library = nfs_volume(stack, "library", export="/srv/nfs/immich", size="2Ti")
server = deployment(stack, "server", image="ghcr.io/immich-app/immich-server:v1.120.0",
                    port=2283, memory="1Gi", cpu="500m", probes=http_probe("/api/server/ping"),
                    env={"DB_HOSTNAME": db.host, "DB_USERNAME": db.user,
                         "DB_DATABASE_NAME": db.database, "DB_PASSWORD": db.password},
                    mounts={"/usr/src/app/upload": library})
ingress(stack, server, host="immich", auth=auth.app("Immich has its own login"),
        max_body_size="4Gi",
        catalog=Catalog(description="Photo and video library", group="Media", icon="immich.png"),
        external_monitor=True)
