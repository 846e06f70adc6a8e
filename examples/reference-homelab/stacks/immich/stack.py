"""Immich: the family photo and video library, with machine learning on the GPU node.

Originals live on the NFS library (RWX, backed up by the host); the database is on the shared
Postgres (with the vector extension), sessions and jobs in the shared Redis. Share links are
public on purpose; the app carves them out of the anti-AI defaults.
"""

from homestack import SecretRef, Stack, tier
from homestack.kit import (
    Catalog,
    Widget,
    auth,
    block_volume,
    cronjob,
    deployment,
    http_probe,
    ingress,
    mount,
    nfs_volume,
    postgres_database,
    stack_ref,
    vault_secret,
)

stack = Stack("immich", tier=tier.GPU, needs=["authentik", "redis"],
              description="Photo and video library")
REDIS = stack_ref("redis").service("redis")
MACHINE_LEARNING = stack_ref("immich").service("machine-learning", port=3003)
IMMICH_SERVER = stack_ref("immich").service("server", port=2283)
VERSION = "v1.121.0"
# The Homepage tile's API key: the homepage Stack maps it into its env (homepage_var).
WIDGET_KEY = SecretRef.parse("secret/homepage#immich_api_key")
db = postgres_database(stack, "immich")
library = nfs_volume(stack, "library", export="/srv/nfs/immich", size="2Ti")
cache = block_volume(stack, "model-cache", size="10Gi", sensitive=False)
env = {
    "DB_HOSTNAME": db.host, "DB_DATABASE_NAME": db.database, "DB_USERNAME": db.user,
    "DB_PASSWORD": db.password, "REDIS_HOSTNAME": REDIS.host,
    "REDIS_PASSWORD": vault_secret(stack, "password", path="secret/redis"),
    "IMMICH_MACHINE_LEARNING_URL": MACHINE_LEARNING.url,
}
server = deployment(
    stack, "server", image=f"ghcr.io/immich-app/immich-server:{VERSION}", memory="2Gi",
    cpu="500m", port=2283, env=env, mounts={"/usr/src/app/upload": library},
    probes=http_probe("/api/server/ping"),
)
deployment(
    stack, "machine-learning", image=f"ghcr.io/immich-app/immich-machine-learning:{VERSION}-cuda",
    memory="4Gi", cpu="500m", port=3003, gpu=1,
    env={"MACHINE_LEARNING_MODEL_TTL": "600", "TRANSFORMERS_CACHE": "/cache"},
    mounts={"/cache": cache}, probes=http_probe("/ping"),
)
ingress(stack, server, host="photos",
        auth=auth.app("Immich has its own login (OIDC through Authentik) and the mobile app "
                      "uses API keys"),
        dns="non-proxied", max_body_size="50Gi", anti_ai=False,
        carve_outs={"/share": auth.none("Share links are meant for people without accounts"),
                    "/api/shared-links": auth.none("Share links call this API anonymously")},
        catalog=Catalog(name="Immich", group="Media", icon="immich.png",
                        description="Photo and video library of the family",
                        widget=Widget("immich", fields={"key": WIDGET_KEY, "version": "2"})),
        external_monitor=True)
ingress(stack, server, name="server-lan", host="photos.home.arpa",
        auth=auth.app("Immich login; LAN name for uploads that skip the tunnel"),
        max_body_size="50Gi", catalog=Catalog(hidden=True))
cronjob(
    stack, "library-report", schedule="0 6 * * 0", image="docker.io/curlimages/curl:8.11.0",
    memory="32Mi", cpu="10m",
    args=["-fsS", "-H", "x-api-key: $(IMMICH_API_KEY)",
          f"{IMMICH_SERVER.url}/api/server/statistics"],
    env={"IMMICH_API_KEY": vault_secret(stack, "api_key")},
    mounts={"/library": mount(library, read_only=True)},
)
