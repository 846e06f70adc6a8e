"""An app on the shared Postgres and MySQL servers, credentials through Vault."""

from homestack import Stack, tier
from homestack.kit import deployment, mysql_database, postgres_database

stack = Stack("wiki", tier=tier.AUX, needs=["dbaas"])
pg = postgres_database(stack, "wiki-js", user="wiki")
my = mysql_database(stack, "wiki-legacy")
deployment(stack, "wiki", image="ghcr.io/requarks/wiki:2.5.305", port=3000, memory="256Mi",
           cpu="100m", env={"DB_HOST": pg.host, "DB_PORT": pg.port, "DB_USER": pg.user,
                            "DB_NAME": pg.database, "DB_PASS": pg.password,
                            "LEGACY_HOST": my.host, "LEGACY_PASS": my.password},
           reload_on_secret_change=False)
