"""PrivateBin: end-to-end encrypted pastes. Public: recipients open links without accounts;
the server never sees the plaintext."""

from homestack import Stack, tier
from homestack.kit import Catalog, Security, auth, block_volume, deployment, ingress

stack = Stack("privatebin", tier=tier.EDGE, needs=["traefik"], description="Encrypted pastes")
data = block_volume(stack, "data", size="1Gi", sensitive=False)
app = deployment(
    stack, "privatebin", image="docker.io/privatebin/nginx-fpm-alpine:1.7.5", memory="64Mi",
    cpu="10m", port=8080, mounts={"/srv/data": data},
    security=Security(run_as_user=65534, fs_group=82, read_only_root_filesystem=True),
)
ingress(stack, app, host="paste",
        auth=auth.none("Pastes are encrypted in the browser; links are shared with outsiders"),
        max_body_size="10Mi", scale_to_zero=True,
        catalog=Catalog(name="PrivateBin", group="Tools", icon="privatebin.png",
                        description="Encrypted pastebin"))
