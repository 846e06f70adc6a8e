"""NovelApp: a writing app for long fiction, for a friend; it has its own accounts."""

from homestack import Stack, tier
from homestack.kit import (
    Catalog,
    auth,
    block_volume,
    deployment,
    external_secret,
    http_probe,
    ingress,
)

stack = Stack("novelapp", tier=tier.AUX, needs=["platform", "vault"],
              description="Novel writing app")
data = block_volume(stack, "data", size="2Gi", sensitive=False, sqlite=True)
secrets = external_secret(stack, "novelapp-env", {
    "JWT_SECRET": "secret/novelapp#jwt_secret",
    "ADMIN_PASSWORD": "secret/novelapp#admin_password",
    "OWNER_EMAIL": "secret/novelapp#owner_email",
})
app = deployment(stack, "novelapp", image="docker.io/mghee/novelapp:v1.1.3", memory="256Mi",
                 memory_request="128Mi", cpu="20m", port=3000, env_from=[secrets],
                 mounts={"/app/data": data}, probes=http_probe("/"))
ingress(stack, app, host="novel", dns="non-proxied",
        auth=auth.app("NovelApp has its own accounts for the writer and her readers"),
        catalog=Catalog(name="NovelApp", group="Productivity", description="Novel writing"))
