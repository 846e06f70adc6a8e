"""Beads: the agents' shared task database (Dolt, MySQL-compatible) with two web views.

Dolt serves SQL on the shared LB IP for the dev VM's agents; the Dolt workbench is public
(the task data is encrypted client-side, Anubis keeps scrapers out) and BeadBoard, the
board view, sits behind forward-auth. A job adds the presence table; two CronJobs keep Dolt's
history small and push it to the Forgejo remote.
"""

from homestack import Stack, tier
from homestack.kit import (
    Catalog,
    auth,
    block_volume,
    config_files,
    cronjob,
    deployment,
    external_secret,
    ingress,
    job,
    load_balancer,
    tcp_probe,
)

stack = Stack("beads-server", tier=tier.AUX, needs=["metallb", "authentik", "forgejo"],
              description="Task database for the coding agents")
data = block_volume(stack, "dolt-data", size="5Gi", sensitive=False)
init = config_files(stack, "dolt-init", {
    "01-create-database.sql": "CREATE DATABASE IF NOT EXISTS beads;\n",
    "02-create-presence-table.sql":
        "CREATE TABLE IF NOT EXISTS beads.presence (agent VARCHAR(64) PRIMARY KEY, "
        "seen_at DATETIME NOT NULL);\n",
})
creds = external_secret(stack, "dolt", {"DOLT_ROOT_PASSWORD": "secret/beads-server#root_password",
                                        "FORGEJO_TOKEN": "secret/beads-server#forgejo_token"})
dolt = deployment(
    stack, "dolt", image="docker.io/dolthub/dolt-sql-server:2.0.3", memory="512Mi",
    memory_request="256Mi", cpu="50m", ports={"mysql": 3306}, strategy="Recreate",
    env={"DOLT_ROOT_HOST": "%", "DOLT_ROOT_PASSWORD": creds["DOLT_ROOT_PASSWORD"]},
    mounts={"/var/lib/dolt": data, "/docker-entrypoint-initdb.d": init},
    probes=tcp_probe(), backend_kind="api",
)
load_balancer(stack, dolt, ports={"mysql": 3306})
job(stack, "presence-schema", image="docker.io/library/mysql:8.4.3", memory="64Mi", cpu="10m",
    command=["/bin/sh", "-c"],
    args=["mysql -h dolt -uroot -p\"$DOLT_ROOT_PASSWORD\" < /sql/02-create-presence-table.sql"],
    env={"DOLT_ROOT_PASSWORD": creds["DOLT_ROOT_PASSWORD"]}, mounts={"/sql": init})
workbench = deployment(
    stack, "dolt-workbench", image="docker.io/dolthub/dolt-workbench:0.3.73", memory="384Mi",
    memory_request="192Mi", cpu="20m", ports={"http": 3000, "graphql": 9002},
    env={"GRAPHQLAPI_URL": "https://dolt-workbench.example.org/graphql"},
)
ingress(stack, workbench, host="dolt-workbench", dns="proxied", pow=True,
        auth=auth.none("Task data is encrypted client-side; Anubis proof-of-work fronts it"),
        catalog=Catalog(name="Dolt workbench", group="Development",
                        description="SQL workbench over the beads database"))
board = deployment(
    stack, "beadboard", image="registry.home.arpa/homelab/beadboard:0.9.2", memory="256Mi",
    memory_request="128Mi", cpu="20m", port=3000,
    env={"DOLT_HOST": dolt.host, "DOLT_PASSWORD": creds["DOLT_ROOT_PASSWORD"]},
)
ingress(stack, board, host="beadboard", dns="proxied", auth=auth.required(),
        catalog=Catalog(name="BeadBoard", group="Development",
                        description="Board view of the agents' tasks"))
SQL = {"DOLT_ROOT_PASSWORD": creds["DOLT_ROOT_PASSWORD"]}
cronjob(stack, "dolt-gc", schedule="0 4 * * 0", image="docker.io/library/mysql:8.4.3",
        memory="64Mi", cpu="10m", command=["/bin/sh", "-c"],
        args=["mysql -h dolt -uroot -p\"$DOLT_ROOT_PASSWORD\" beads -e 'CALL dolt_gc()'"],
        env=SQL)
cronjob(stack, "dolt-push", schedule="15 * * * *", image="docker.io/library/mysql:8.4.3",
        memory="64Mi", cpu="10m", command=["/bin/sh", "-c"],
        args=["mysql -h dolt -uroot -p\"$DOLT_ROOT_PASSWORD\" beads "
              "-e \"CALL dolt_push('origin', 'main')\""],
        env={**SQL, "FORGEJO_TOKEN": creds["FORGEJO_TOKEN"]})
