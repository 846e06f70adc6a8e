"""Wealthfolio: the investment portfolio tracker, its SQLite on an encrypted claim.

The claim keeps the name it had when the data moved to LUKS: on the running cluster it was
adopted (``homestack adopt``), on a new one it is created.
A CronJob copies the portfolio into Postgres for Grafana; another asks for the daily
valuation, which Wealthfolio otherwise only computes when the dashboard is open.
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
    mount,
    postgres_database,
)

stack = Stack("wealthfolio", tier=tier.AUX, needs=["platform", "vault", "external-secrets"],
              description="Investment portfolio tracker")
data = block_volume(stack, "wealthfolio-data-encrypted", size="1Gi", sqlite=True)
app_secrets = external_secret(stack, "wealthfolio-secrets", {
    "WF_AUTH_PASSWORD_HASH": "secret/wealthfolio#password_hash",
    "WF_SECRET_KEY": "secret/wealthfolio#secret_key",
    "WF_PASSWORD": "secret/wealthfolio#password",
})
db = postgres_database(stack, "wealthfolio-sync", database="wealthfolio_sync")
app = deployment(
    stack, "wealthfolio", image="docker.io/afadil/wealthfolio:3.6.1", memory="256Mi",
    memory_request="128Mi", cpu="20m", port=8080, service_port=8088, strategy="Recreate",
    env={"WF_LISTEN_ADDR": "0.0.0.0:8080", "WF_DB_PATH": "/data/wealthfolio.db",
         "WF_CORS_ALLOW_ORIGINS": "https://wealthfolio.example.org",
         "WF_AUTH_PASSWORD_HASH": app_secrets["WF_AUTH_PASSWORD_HASH"],
         "WF_SECRET_KEY": app_secrets["WF_SECRET_KEY"]},
    mounts={"/data": data}, probes=http_probe("/api/v1/health"),
)
ingress(stack, app, host="wealthfolio", dns="proxied", auth=auth.required(),
        catalog=Catalog(name="Wealthfolio", group="Finance", icon="wealthfolio.png",
                        description="Investments and net worth"))
cronjob(stack, "pg-sync", schedule="0 */6 * * *", image="docker.io/library/alpine:3.20.3",
        memory="128Mi", cpu="20m", command=["/bin/sh", "-c"],
        args=["apk add --no-cache sqlite postgresql16-client >/dev/null && "
              "sqlite3 -csv /data/wealthfolio.db .dump | psql -q"],
        env={"PGHOST": db.host, "PGPORT": str(db.port), "PGDATABASE": db.database,
             "PGUSER": db.user, "PGPASSWORD": db.password},
        mounts={"/data": mount(data, read_only=True)})
cronjob(stack, "valuation", schedule="0 16 * * *",
        image="docker.io/curlimages/curl:8.11.0", memory="32Mi", cpu="10m",
        command=["/bin/sh", "-c"],
        args=[f"T=$(curl -sf -X POST {app.url}/api/v1/auth/login -d \"password=$WF_PASSWORD\")"
              f" && curl -sf -X POST -H \"Authorization: Bearer $T\" "
              f"{app.url}/api/v1/market-data/sync"],
        env={"WF_PASSWORD": app_secrets["WF_PASSWORD"]})
