"""FIRE planner: retirement projections from the portfolio, recomputed monthly.

It reads the portfolio copy that Wealthfolio's sync writes to Postgres and keeps its own
database (migrated by a Job). The UI sits behind forward-auth; its webhook for the bank
feed is a carve-out the sender signs.
"""

from homestack import Stack, tier
from homestack.kit import (
    Catalog,
    auth,
    cronjob,
    deployment,
    external_secret,
    http_probe,
    ingress,
    job,
    postgres_database,
    vault_secret,
)

stack = Stack("fire-planner", tier=tier.AUX,
              needs=["platform", "vault", "external-secrets", "dbaas", "wealthfolio"],
              description="Retirement planning")
IMAGE = "registry.home.arpa/homelab/fire-planner:1.8.0"
db = postgres_database(stack, "fire-planner", database="fire_planner")
portfolio = external_secret(stack, "wealthfolio-sync-db-creds", {
    "PORTFOLIO_DB_PASSWORD": "database/static-creds/wealthfolio-sync#password"},
    store="vault-database")
app_secrets = external_secret(stack, "fire-planner-env", data_from=["secret/fire-planner"])
ENV = {"DB_HOST": db.host, "DB_NAME": db.database, "DB_USER": db.user,
       "DB_PASSWORD": db.password, "PORTFOLIO_DB_NAME": "wealthfolio_sync",
       "PORTFOLIO_DB_USER": "wealthfolio-sync",
       "PORTFOLIO_DB_PASSWORD": portfolio["PORTFOLIO_DB_PASSWORD"]}
job(stack, "alembic-migrate", image=IMAGE, memory="256Mi", cpu="50m",
    args=["alembic", "upgrade", "head"], env=ENV)
app = deployment(stack, "fire-planner", image=IMAGE, memory="384Mi", memory_request="192Mi",
                 cpu="50m", port=8080, env=ENV, env_from=[app_secrets],
                 probes=http_probe("/healthz"))
ingress(stack, app, host="fire", dns="proxied", auth=auth.required(),
        carve_outs={"/api/webhook": auth.none("Bank-feed webhook: the sender signs each call")},
        catalog=Catalog(name="FIRE planner", group="Finance",
                        description="Retirement projections"))
JOBS = {"recompute": ("0 9 2 * *", ["recompute", "--all"]),
        "quotes": ("0 18 * * 1-5", ["fetch-quotes"]),
        "snapshot": ("0 23 * * *", ["snapshot"]),
        "report": ("0 8 1 * *", ["report", "--email"])}
for name, (schedule, args) in JOBS.items():
    cronjob(stack, name, schedule=schedule, image=IMAGE, memory="256Mi", cpu="50m",
            args=args, env={**ENV, "SMTP_PASSWORD": vault_secret(stack, "smtp_password")})
