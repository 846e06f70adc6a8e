"""CrowdSec: community-fed intrusion prevention in front of every ingress.

The agents parse Traefik's access logs on every node; the local API (LAPI, three replicas with a
PDB: the bouncer in Traefik's entry point asks it about every client IP) keeps decisions in the
shared Postgres. A small dashboard shows alerts and decisions.
"""

from homestack import Stack, tier
from homestack.kit import (
    Catalog,
    Pdb,
    auth,
    block_volume,
    cronjob,
    deployment,
    http_probe,
    ingress,
    postgres_database,
    raw,
    stack_ref,
    vault_secret,
)

stack = Stack("crowdsec", tier=tier.CLUSTER, needs=["traefik"],
              description="Intrusion prevention with community blocklists")
CROWDSEC_LAPI = stack_ref("crowdsec").service("lapi", port=8080)
IMAGE = "docker.io/crowdsecurity/crowdsec:v1.6.4"
db = postgres_database(stack, "crowdsec")

lapi = deployment(
    stack, "lapi", image=IMAGE, replicas=3, memory="256Mi", cpu="100m", critical=True,
    pdb=Pdb(max_unavailable=1), ports={"api": 8080, "metrics": 6060},
    env={"DISABLE_AGENT": True, "DB_TYPE": "postgresql", "DB_HOST": db.host,
         "DB_PORT": db.port, "DB_NAME": db.database, "DB_USER": db.user,
         "DB_PASSWORD": db.password,
         "BOUNCER_KEY_traefik": vault_secret(stack, "bouncer_key"),
         "ENROLL_KEY": vault_secret(stack, "console_enroll_key"),
         "ENROLL_INSTANCE_NAME": "homelab-lapi"},
    probes=http_probe("/health", port="api"),
)
raw(stack, "agent.yaml")

dashboard_data = block_volume(stack, "dashboard", size="2Gi", sensitive=False)
dashboard = deployment(
    stack, "dashboard", image="docker.io/metabase/metabase:v0.50.36", memory="768Mi",
    cpu="100m", port=3000, env={"MB_DB_FILE": "/data/metabase.db", "JAVA_OPTS": "-Xmx512m"},
    mounts={"/data": dashboard_data},
)
ingress(stack, dashboard, host="crowdsec", auth=auth.required(groups=["admins"]),
        catalog=Catalog(name="CrowdSec", group="Security", icon="crowdsec.png",
                        description="Alerts, decisions and blocklists"))
cronjob(
    stack, "hub-update", schedule="0 4 * * *", image=IMAGE, memory="128Mi", cpu="50m",
    command=["/bin/sh", "-c"], args=["cscli hub update && cscli hub upgrade"],
    env={"LOCAL_API_URL": CROWDSEC_LAPI.url,
         "AGENT_PASSWORD": vault_secret(stack, "agent_password")},
)
