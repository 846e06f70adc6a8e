"""Paperless-ngx: scanned documents with OCR. Documents are sensitive: encrypted volume for the
index, NFS for the originals (the scanner drops into the consume folder over SMB on the host)."""

from homestack import Stack, tier
from homestack.kit import (
    Catalog,
    auth,
    block_volume,
    deployment,
    http_probe,
    ingress,
    nfs_volume,
    postgres_database,
    stack_ref,
    vault_secret,
)

stack = Stack("paperless", tier=tier.EDGE, needs=["authentik", "redis"],
              description="Document archive with OCR")
REDIS = stack_ref("redis").service("redis", port=6379, scheme="redis")
db = postgres_database(stack, "paperless")
index = block_volume(stack, "data", size="5Gi")
documents = nfs_volume(stack, "media", export="/srv/nfs/paperless/media", size="200Gi")
consume = nfs_volume(stack, "consume", export="/srv/nfs/paperless/consume", size="10Gi")
app = deployment(
    stack, "paperless", image="ghcr.io/paperless-ngx/paperless-ngx:2.13.5", memory="1Gi",
    cpu="200m", port=8000,
    env={"PAPERLESS_URL": "https://docs.example.org", "PAPERLESS_DBHOST": db.host,
         "PAPERLESS_DBNAME": db.database, "PAPERLESS_DBUSER": db.user,
         "PAPERLESS_DBPASS": db.password,
         "PAPERLESS_REDIS": REDIS.url,
         "PAPERLESS_SECRET_KEY": vault_secret(stack, "secret_key"),
         "PAPERLESS_OCR_LANGUAGE": "eng+bul", "PAPERLESS_ENABLE_HTTP_REMOTE_USER": True,
         "PAPERLESS_HTTP_REMOTE_USER_HEADER_NAME": "HTTP_X_AUTHENTIK_USERNAME"},
    mounts={"/usr/src/paperless/data": index, "/usr/src/paperless/media": documents,
            "/usr/src/paperless/consume": consume},
    probes=http_probe("/", roles=["readiness"]),
)
ingress(stack, app, host="docs", auth=auth.required(groups=["family"]), max_body_size="200Mi",
        catalog=Catalog(name="Paperless", group="Productivity", icon="paperless-ngx.png",
                        description="Scanned documents, searchable"))
