"""Nextcloud todos: a quick-capture API and page that files tasks into Nextcloud's CalDAV lists.

Phones and shortcuts post with a token, so the ingress has no forward-auth.
"""

from homestack import Stack, tier
from homestack.kit import (
    Catalog,
    auth,
    deployment,
    external_secret,
    http_probe,
    ingress,
    job,
    postgres_database,
)

stack = Stack("nextcloud-todos", tier=tier.AUX,
              needs=["platform", "vault", "external-secrets", "nextcloud"],
              description="Quick capture into Nextcloud tasks")
IMAGE = "registry.home.arpa/homelab/nextcloud-todos:1.1.0"
db = postgres_database(stack, "nextcloud-todos", database="nextcloud_todos")
secrets = external_secret(stack, "nextcloud-todos-env", data_from=["secret/nextcloud-todos"])
ENV = {"DB_HOST": db.host, "DB_NAME": db.database, "DB_USER": db.user,
       "DB_PASSWORD": db.password, "NEXTCLOUD_URL": "https://cloud.example.org"}
job(stack, "alembic-migrate", image=IMAGE, memory="128Mi", cpu="20m",
    args=["alembic", "upgrade", "head"], env=ENV)
app = deployment(stack, "nextcloud-todos", image=IMAGE, memory="128Mi", memory_request="64Mi",
                 cpu="10m", port=8080, env=ENV, env_from=[secrets],
                 probes=http_probe("/healthz"), backend_kind="api")
ingress(stack, app, host="todos", dns="proxied",
        auth=auth.none("Shortcuts post with a per-device token; the page asks for it"),
        catalog=Catalog(name="Todos", group="Productivity",
                        description="Quick capture into Nextcloud tasks"))
