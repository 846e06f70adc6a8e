"""TripIt (self-hosted): trips from forwarded booking mails, with documents and a shared calendar.

The SPA shell is public and the API checks its own sessions, so most paths are open; the
token-gated ones (calendar feeds, mail confirmation, Slack webhooks) are named as their own
carve-outs with their gate, and the metrics path is narrowed back to forward-auth. Personal
documents are on an encrypted block volume, trip attachments on NFS.
"""

from homestack import Stack, tier
from homestack.kit import (
    Catalog,
    auth,
    block_volume,
    cronjob,
    deployment,
    external_secret,
    http_probe,
    ingress,
    job,
    nfs_volume,
    postgres_database,
)

stack = Stack("tripit", tier=tier.AUX,
              needs=["platform", "vault", "external-secrets", "authentik"],
              description="Trips from booking mails")
IMAGE = "registry.home.arpa/homelab/tripit:2.4.0"
db = postgres_database(stack, "tripit")
documents = nfs_volume(stack, "documents", export="/srv/nfs/tripit", size="20Gi")
personal = block_volume(stack, "personal-documents", size="2Gi")
secrets = external_secret(stack, "tripit-env", data_from=["secret/tripit"])
ENV = {"DB_HOST": db.host, "DB_NAME": db.database, "DB_USER": db.user,
       "DB_PASSWORD": db.password}
job(stack, "alembic-migrate", image=IMAGE, memory="128Mi", cpu="20m",
    args=["alembic", "upgrade", "head"], env=ENV)
app = deployment(stack, "tripit", image=IMAGE, memory="512Mi", memory_request="256Mi",
                 cpu="50m", port=8080, env=ENV, env_from=[secrets],
                 mounts={"/documents": documents, "/personal": personal},
                 probes=http_probe("/healthz"))
ingress(stack, app, host="tripit", dns="proxied", max_body_size="50Mi",
        auth=auth.none("Public SPA shell; the API answers only with a TripIt session"),
        carve_outs={
            "/api/calendar": auth.none("ICS feeds: an HMAC token in the URL is the gate"),
            "/api/emails/confirm": auth.none("Mail confirmation: the one-time token gates it"),
            "/api/planner/slack": auth.none("Slack webhooks: Slack's request signature"),
            "/metrics": auth.required(groups=["admins"]),
        },
        catalog=Catalog(name="TripIt", group="Travel", description="Trips and bookings"))
ingress(stack, app, name="tripit-api", host="tripit-api", dns="proxied", backend_kind="api",
        auth=auth.none("Mobile clients: the backend validates each bearer token"),
        catalog=Catalog(hidden=True))
cronjob(stack, "mail-import", schedule="*/10 * * * *", image=IMAGE, memory="256Mi", cpu="20m",
        args=["import-mail"], env=ENV, env_from=[secrets])
