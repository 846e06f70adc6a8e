"""Book plotter: a friend's tool for outlining novels (scenes, arcs, timelines).

Behind forward-auth for the writer; data on a block volume; the weekly export to NFS is the
volume's own backup job.
"""

from homestack import Stack, tier
from homestack.kit import (
    Catalog,
    auth,
    block_volume,
    deployment,
    external_secret,
    ingress,
    nfs_volume,
)

stack = Stack("plotting-book", tier=tier.AUX, needs=["platform", "vault", "authentik"],
              description="Novel outlining tool")
data = block_volume(stack, "data", size="2Gi", sensitive=False, sqlite=True,
                    backup_schedule="0 3 * * 0")
exports = nfs_volume(stack, "exports", export="/srv/nfs/plotting-book", size="5Gi")
secrets = external_secret(stack, "plotting-book-env", {
    "SESSION_SECRET": "secret/plotting-book#session_secret",
    "OPENAI_API_KEY": "secret/plotting-book#openai_api_key",
})
app = deployment(stack, "plotting-book",
                 image="registry.home.arpa/homelab/book-plotter:0.3.0", memory="256Mi",
                 memory_request="128Mi", cpu="20m", port=3001, env_from=[secrets],
                 mounts={"/app/data": data, "/app/exports": exports})
ingress(stack, app, host="plotting-book", dns="non-proxied", auth=auth.required(groups=["family"]),
        catalog=Catalog(name="Book plotter", group="Productivity",
                        description="Outlines, scenes and timelines"))
