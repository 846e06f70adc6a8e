"""Forgejo: the git forge. Git over HTTPS and the API cannot do forward-auth or proof-of-work,
so the app owns its login; SSH is on the shared LB IP."""

from homestack import Stack, tier
from homestack.kit import (
    Catalog,
    auth,
    block_volume,
    deployment,
    http_probe,
    ingress,
    load_balancer,
    postgres_database,
    vault_secret,
)

stack = Stack("forgejo", tier=tier.EDGE, needs=["authentik", "metallb"],
              description="Git forge")
db = postgres_database(stack, "forgejo")
repos = block_volume(stack, "repositories", size="50Gi", storage_limit="200Gi")
forge = deployment(
    stack, "forgejo", image="codeberg.org/forgejo/forgejo:9.0.3", memory="512Mi", cpu="100m",
    ports={"http": 3000, "ssh": 2222}, backend_kind="git", mounts={"/data": repos},
    env={"FORGEJO__database__DB_TYPE": "postgres",
         "FORGEJO__database__HOST": f"{db.host}:{db.port}",
         "FORGEJO__database__NAME": db.database, "FORGEJO__database__USER": db.user,
         "FORGEJO__database__PASSWD": db.password,
         "FORGEJO__server__ROOT_URL": "https://git.example.org/",
         "FORGEJO__server__SSH_PORT": "2222",
         "FORGEJO__security__SECRET_KEY": vault_secret(stack, "secret_key"),
         "FORGEJO__service__DISABLE_REGISTRATION": True},
    probes=http_probe("/api/healthz"),
)
load_balancer(stack, forge, ports={"ssh": 2222})
ingress(stack, forge, host="git",
        auth=auth.app("Forgejo has its own login and 2FA; git clients use tokens"),
        dns="non-proxied", max_body_size="1Gi",
        carve_outs={"/api": auth.none("API calls authenticate with tokens"),
                    "/user/login": auth.public()},
        catalog=Catalog(name="Forgejo", group="Development", icon="forgejo.png",
                        description="Git repositories, issues and packages"), external_monitor=True)
