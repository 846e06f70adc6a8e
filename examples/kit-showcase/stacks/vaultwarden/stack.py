"""Password manager: SQLite on an encrypted block volume, backed up nightly to NFS."""

from homestack import Stack, tier
from homestack.kit import Catalog, auth, block_volume, deployment, generated_secret, ingress

stack = Stack("vaultwarden", tier=tier.EDGE, needs=["traefik"], description="Passwords")
data = block_volume(stack, "data", size="2Gi", sqlite=True)
app = deployment(stack, "vaultwarden", image="docker.io/vaultwarden/server:1.32.5", port=80,
                 memory="128Mi", cpu="50m", mounts={"/data": data},
                 # Homestack creates the admin token in Vault once; nobody types it in.
                 env={"ADMIN_TOKEN": generated_secret(stack, "secret/vaultwarden#admin_token",
                                                      length=48),
                      "SIGNUPS_ALLOWED": False})
ingress(stack, app, host="vault", auth=auth.app("Vaultwarden has its own login and 2FA"),
        carve_outs={"/admin": auth.required()},
        catalog=Catalog(description="Password manager", group="Security"))
