"""T3 AFK: a coding-agent workspace that keeps working while its owner is away.

The T3 UI and a dispatcher that queues work for it; the workspace on NFS. Behind
forward-auth for the admins.
"""

from homestack import Stack, tier
from homestack.kit import (
    Catalog,
    auth,
    deployment,
    external_secret,
    ingress,
    nfs_volume,
)

stack = Stack("t3-afk", tier=tier.AUX, needs=["platform", "vault", "external-secrets"],
              description="Agent workspace for when away")
IMAGE = "docker.io/library/node:24.11.1-bookworm"
data = nfs_volume(stack, "data", export="/srv/nfs/t3-afk", size="20Gi")
secrets = external_secret(stack, "t3-afk-env", data_from=["secret/t3-afk"])
t3 = deployment(stack, "t3-afk", image=IMAGE, memory="1Gi", memory_request="512Mi", cpu="100m",
                port=3773, command=["npx", "--yes", "t3@0.0.21", "--host", "0.0.0.0"],
                env_from=[secrets], mounts={"/home/node": data})
deployment(stack, "dispatcher", image=IMAGE, memory="128Mi", memory_request="64Mi", cpu="10m",
           port=8080, command=["node", "/home/node/dispatcher/index.js"],
           env={"T3_URL": t3.url}, env_from=[secrets], mounts={"/home/node": data},
           backend_kind="api")
ingress(stack, t3, host="t3-afk", dns="proxied", auth=auth.required(groups=["admins"]),
        catalog=Catalog(name="T3 AFK", group="Development",
                        description="Agent workspace that runs while away"))
