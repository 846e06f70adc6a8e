"""Authentik: single sign-on for the homelab and the forward-auth behind ``auth.required()``.

The server runs three replicas with a PDB (critical path). Two outposts: ``outpost-proxy``
serves forward-auth for required ingresses (default deny; admins always allowed), and
``outpost-public`` the anonymous binding of ``auth.public()`` ingresses, for audit only.
Groups, users, one application per ``required`` host and the host → groups policy come from
the Site's roster and the ingresses: Homestack generates them as the ``homestack-blueprints``
ConfigMap (an Authentik blueprint), mounted into the worker where Authentik discovers it.
"""

from homestack import Stack, tier
from homestack.kit import (
    Catalog,
    Pdb,
    auth,
    config_map,
    deployment,
    http_probe,
    ingress,
    postgres_database,
    raw,
    stack_ref,
    vault_secret,
)

stack = Stack("authentik", tier=tier.CORE, needs=["traefik", "redis"],
              description="Single sign-on and forward-auth")
REDIS = stack_ref("redis").service("redis")
MAILSERVER = stack_ref("mailserver").service("mailserver")
AUTHENTIK_SERVER = stack_ref("authentik").service("server", port=9000)
VERSION = "2024.10.4"
db = postgres_database(stack, "authentik")

env = {
    "AUTHENTIK_POSTGRESQL__HOST": db.host,
    "AUTHENTIK_POSTGRESQL__NAME": db.database,
    "AUTHENTIK_POSTGRESQL__USER": db.user,
    "AUTHENTIK_POSTGRESQL__PASSWORD": db.password,
    "AUTHENTIK_POSTGRESQL__USE_PGBOUNCER": True,
    "AUTHENTIK_REDIS__HOST": REDIS.host,
    "AUTHENTIK_REDIS__PASSWORD": vault_secret(stack, "password", path="secret/redis"),
    "AUTHENTIK_SECRET_KEY": vault_secret(stack, "secret_key"),
    "AUTHENTIK_EMAIL__HOST": MAILSERVER.host,
    "AUTHENTIK_EMAIL__FROM": "auth@example.org",
    "AUTHENTIK_ERROR_REPORTING__ENABLED": False,
    "AUTHENTIK_BLUEPRINTS_DIR": "/blueprints",
}
server = deployment(
    stack, "server", image=f"ghcr.io/goauthentik/server:{VERSION}", replicas=3,
    memory="512Mi", cpu="150m", critical=True, pdb=Pdb(max_unavailable=1), args=["server"],
    ports={"http": 9000, "https": 9443, "metrics": 9300}, env=env,
    probes=http_probe("/-/health/ready/", roles=["readiness"]),
)
deployment(
    stack, "worker", image=f"ghcr.io/goauthentik/server:{VERSION}", replicas=2,
    memory="512Mi", cpu="100m", args=["worker"], env=env,
    mounts={"/blueprints/homestack": config_map("homestack-blueprints"),
            "/blueprints/outposts": config_map("blueprints-outposts")},
)


def outpost(name: str, token_key: str) -> None:
    """An Authentik proxy outpost, registered with its own API token."""
    deployment(
        stack, name, image=f"ghcr.io/goauthentik/proxy:{VERSION}", replicas=3,
        memory="128Mi", cpu="50m", pdb=Pdb(max_unavailable=1), port=9000,
        env={"AUTHENTIK_HOST": AUTHENTIK_SERVER.url,
             "AUTHENTIK_HOST_BROWSER": "https://auth.example.org",
             "AUTHENTIK_INSECURE": False,
             "AUTHENTIK_TOKEN": vault_secret(stack, token_key)},
        probes=http_probe("/outpost.goauthentik.io/ping"),
    )

outpost("outpost-proxy", "outpost_proxy_token")
outpost("outpost-public", "outpost_public_token")

raw(stack, "blueprints.yaml")
ingress(stack, server, host="auth",
        auth=auth.none("Authentik is the identity provider: its own login flow is the gate"),
        anti_ai=False,
        catalog=Catalog(name="Authentik", group="Infrastructure", icon="authentik.png",
                        description="Single sign-on: accounts, groups and applications"),
        external_monitor=True)
ingress(stack, server, name="server-internal", host="auth.home.arpa",
        auth=auth.none("Identity provider for LAN clients; its login flow is the gate"),
        catalog=Catalog(hidden=True))
