"""Speedtest Tracker: measures the uplink every few hours; results in the shared MariaDB."""

from homestack import Stack, tier
from homestack.kit import (
    Catalog,
    auth,
    deployment,
    ingress,
    mysql_database,
    vault_secret,
)

stack = Stack("speedtest", tier=tier.AUX, needs=["authentik"], description="Uplink speed history")
db = mysql_database(stack, "speedtest")
app = deployment(
    stack, "speedtest-tracker", image="lscr.io/linuxserver/speedtest-tracker:0.24.3",
    memory="256Mi", cpu="50m", port=80,
    env={"DB_CONNECTION": "mysql", "DB_HOST": db.host, "DB_DATABASE": db.database,
         "DB_USERNAME": db.user, "DB_PASSWORD": db.password,
         "APP_KEY": vault_secret(stack, "app_key"), "SPEEDTEST_SCHEDULE": "0 */4 * * *"},
)
ingress(stack, app, host="speed", auth=auth.required(), dns="internal",
        catalog=Catalog(name="Speedtest", group="Infrastructure", icon="speedtest-tracker.png",
                        description="Uplink speed over time"))
