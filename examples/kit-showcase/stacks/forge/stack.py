"""Git forge: the web UI with its own login, git over HTTPS open for clients, on public DNS."""

from homestack import Stack, tier
from homestack.kit import Catalog, auth, deployment, ingress, nfs_volume

stack = Stack("forge", tier=tier.EDGE, needs=["traefik"], description="Git forge")
repos = nfs_volume(stack, "repos", export="/srv/nfs-ssd/forgejo", size="200Gi")
forge = deployment(stack, "forgejo", image="codeberg.org/forgejo/forgejo:9.0.2", port=3000,
                   memory="512Mi", cpu="100m", backend_kind="git", mounts={"/data": repos})
ingress(stack, forge, host="git", dns="non-proxied",
        auth=auth.app("Forgejo has its own login and 2FA"),
        carve_outs={"/api": auth.none("API tokens checked by Forgejo")},
        catalog=Catalog(description="Git forge", group="Development"))
