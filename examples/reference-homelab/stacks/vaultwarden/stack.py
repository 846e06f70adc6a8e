"""Vaultwarden: the family password manager.

Clients need the API without forward-auth, so the app owns its login; the admin page is carved
out behind Authentik for admins only.
"""

from homestack import Stack, tier
from homestack.kit import (
    Catalog,
    auth,
    block_volume,
    deployment,
    http_probe,
    ingress,
    postgres_database,
    vault_secret,
)

stack = Stack("vaultwarden", tier=tier.EDGE, needs=["authentik"],
              description="Password manager")
db = postgres_database(stack, "vaultwarden")
data = block_volume(stack, "data", size="2Gi", backup_schedule="0 */6 * * *")
app = deployment(
    stack, "vaultwarden", image="docker.io/vaultwarden/server:1.32.7", memory="128Mi",
    cpu="25m", port=80, mounts={"/data": data},
    env={"DOMAIN": "https://pass.example.org",
         "SIGNUPS_ALLOWED": False, "WEBSOCKET_ENABLED": True,
         "DATABASE_URL": f"postgresql://{db.user}@{db.host}:{db.port}/{db.database}",
         "DATABASE_PASSWORD": db.password, "ADMIN_TOKEN": vault_secret(stack, "admin_token"),
         "SMTP_HOST": "mail.example.org", "SMTP_FROM": "vault@example.org"},
    probes=http_probe("/alive"),
)
ingress(stack, app, host="pass",
        auth=auth.app("Vaultwarden has its own master-password login; clients call the API"),
        carve_outs={"/admin": auth.required(groups=["admins"])},
        catalog=Catalog(name="Vaultwarden", group="Security", icon="vaultwarden.png",
                        description="Password manager for the family"), external_monitor=True)
