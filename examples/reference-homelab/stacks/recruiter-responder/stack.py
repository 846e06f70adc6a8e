"""Recruiter responder: drafts polite answers to recruiter mail and logs the conversations.

The mail hook posts with a signed token, so the ingress has no forward-auth.
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

stack = Stack("recruiter-responder", tier=tier.AUX,
              needs=["platform", "vault", "external-secrets", "mailserver"],
              description="Answers to recruiter mail")
IMAGE = "registry.home.arpa/homelab/recruiter-responder:1.6.0"
db = postgres_database(stack, "recruiter-responder", database="recruiter_responder")
secrets = external_secret(stack, "recruiter-responder-env",
                          data_from=["secret/recruiter-responder"])
ENV = {"DB_HOST": db.host, "DB_NAME": db.database, "DB_USER": db.user,
       "DB_PASSWORD": db.password}
job(stack, "alembic-migrate", image=IMAGE, memory="128Mi", cpu="20m",
    args=["alembic", "upgrade", "head"], env=ENV)
app = deployment(stack, "recruiter-responder", image=IMAGE, memory="256Mi",
                 memory_request="128Mi", cpu="20m", port=8080, env=ENV, env_from=[secrets],
                 probes=http_probe("/healthz"), backend_kind="api")
ingress(stack, app, host="recruiter-responder", dns="proxied",
        auth=auth.none("The mail hook signs each call; the review page asks for a token"),
        catalog=Catalog(name="Recruiter responder", group="Productivity",
                        description="Drafted answers to recruiters"))
