"""The shared Postgres: one CloudNativePG cluster (3 instances) behind PgBouncer.

Serves the apps' databases (each app declares its own with ``postgres_database``, which renders a
CNPG Database here and a Vault static role) and the standard-tier state of Homestack itself.
PgBouncer is on the critical path of every database user: three replicas and a PDB. Apps reach
it as pg-shared-pooler-rw.dbaas; the shared LB IP exposes it to the devvm and CI.
"""

from homestack import Stack, StateTier, tier
from homestack.kit import (
    Catalog,
    Pdb,
    auth,
    block_volume,
    cronjob,
    deployment,
    external_secret,
    ingress,
    load_balancer,
    nfs_volume,
    postgres_database,
    raw,
    stack_ref,
    tcp_probe,
    vault_secret,
)

stack = Stack("dbaas", tier=tier.CLUSTER, needs=["cnpg", "proxmox-csi", "nfs-csi", "traefik"],
              state_tier=StateTier.BOOTSTRAP, description="Shared PostgreSQL with PgBouncer")
PG_SHARED_RW = stack_ref("dbaas").service("pg-shared-rw")

# Roles the apps' Database objects own; the Vault database engine rotates their passwords.
APP_ROLES = ("authentik", "crowdsec", "immich", "forgejo", "woodpecker",
             "vaultwarden", "linkwarden", "tandoor", "netbox", "dawarich", "paperless",
             "hedgedoc", "synapse", "affine", "homestack_state")

raw(stack, {
    "apiVersion": "postgresql.cnpg.io/v1",
    "kind": "Cluster",
    "metadata": {"name": "pg-shared"},
    "spec": {
        "instances": 3,
        "imageName": "ghcr.io/cloudnative-pg/postgresql:16.6",
        "primaryUpdateStrategy": "unsupervised",
        "storage": {"storageClass": "proxmox-lvm-encrypted", "size": "40Gi"},
        "walStorage": {"storageClass": "proxmox-lvm-encrypted", "size": "10Gi"},
        "resources": {"requests": {"cpu": "250m", "memory": "768Mi"},
                      "limits": {"memory": "768Mi"}},
        "postgresql": {"parameters": {"max_connections": "200", "shared_buffers": "192MB"}},
        "superuserSecret": {"name": "pg-superuser"},
        "enableSuperuserAccess": True,
        "managed": {"roles": [{"name": role, "login": True, "ensure": "present"}
                              for role in APP_ROLES]},
        "monitoring": {"enablePodMonitor": True},
    },
}, name="cluster")
superuser = external_secret(stack, "pg-superuser", {
    "username": "secret/dbaas#superuser_name",
    "password": "secret/dbaas#superuser_password",
}, template_type="kubernetes.io/basic-auth")
pooler_auth = external_secret(stack, "pgbouncer-auth", {
    "userlist.txt": "secret/dbaas#pgbouncer_userlist",
})

pgbouncer = deployment(
    stack, "pgbouncer", image="ghcr.io/cloudnative-pg/pgbouncer:1.23.0", replicas=3,
    memory="128Mi", cpu="100m", port=5432, critical=True, pdb=Pdb(max_unavailable=1),
    env={"PGBOUNCER_DATABASE": "*", "POSTGRESQL_HOST": PG_SHARED_RW.host,
         "PGBOUNCER_POOL_MODE": "transaction", "PGBOUNCER_MAX_CLIENT_CONN": "1000",
         "PGBOUNCER_DEFAULT_POOL_SIZE": "20", "PGBOUNCER_AUTH_FILE": "/etc/pgbouncer/userlist.txt",
         "PGBOUNCER_ADMIN_PASSWORD": superuser["password"]},
    mounts={"/etc/pgbouncer": pooler_auth},
    probes=tcp_probe(),
)
# Apps connect to the name CNPG's own pooler would have; it selects the PgBouncer pods.
raw(stack, {
    "apiVersion": "v1",
    "kind": "Service",
    "metadata": {"name": "pg-shared-pooler-rw"},
    "spec": {"selector": {"app.kubernetes.io/name": "pgbouncer",
                          "app.kubernetes.io/instance": "dbaas"},
             "ports": [{"name": "postgres", "port": 5432, "targetPort": "http"}]},
})
load_balancer(stack, pgbouncer, ports={"http": 5432}, name="postgres-lb")

state = postgres_database(stack, "homestack-state", database="homestack_state",
                          user="homestack_state")

dumps = nfs_volume(stack, "dumps", export="/srv/nfs/dbaas-dumps", size="100Gi")
cronjob(
    stack, "pg-dump", schedule="0 1 * * *", image="ghcr.io/cloudnative-pg/postgresql:16.6",
    memory="256Mi", cpu="100m", command=["/bin/sh", "-c"],
    args=["for db in $(psql -Atc \"select datname from pg_database where not datistemplate "
          "and datname <> 'postgres'\"); do pg_dump -Fc -f /dumps/$db-$(date +%F).dump $db; "
          "done; find /dumps -name '*.dump' -mtime +14 -delete"],
    env={"PGHOST": PG_SHARED_RW.host, "PGUSER": superuser["username"],
         "PGPASSWORD": superuser["password"]},
    mounts={"/dumps": dumps},
)

sessions = block_volume(stack, "pgadmin", size="1Gi")
pgadmin = deployment(
    stack, "pgadmin", image="docker.io/dpage/pgadmin4:8.13", memory="256Mi", cpu="50m",
    port=80, mounts={"/var/lib/pgadmin": sessions},
    env={"PGADMIN_DEFAULT_EMAIL": "alex@example.org",
         "PGADMIN_DEFAULT_PASSWORD": vault_secret(stack, "pgadmin_password"),
         "PGADMIN_CONFIG_AUTHENTICATION_SOURCES": "['webserver']"},
)
ingress(stack, pgadmin, host="pgadmin", auth=auth.required(), scale_to_zero=True,
        catalog=Catalog(name="pgAdmin", group="Data", icon="pgadmin.png",
                        description="Admin console of the shared Postgres cluster"))
