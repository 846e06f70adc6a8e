"""Offline reader: saves articles as clean pages for reading later, on NFS.

The reader is the owner's only (forward-auth narrowed to admins; the app trusts the
forwarded user name); the capture endpoint the browser extension posts to is carved out and
checks its own token.
"""

from homestack import Stack, tier
from homestack.kit import (
    Catalog,
    auth,
    deployment,
    external_secret,
    http_probe,
    ingress,
    nfs_volume,
)

stack = Stack("offline-reader", tier=tier.AUX, needs=["platform", "vault", "external-secrets"],
              description="Read-it-later pages")
pages = nfs_volume(stack, "pages", export="/srv/nfs/offline-reader", size="20Gi")
secrets = external_secret(stack, "offline-reader-env", data_from=["secret/offline-reader"])
app = deployment(stack, "offline-reader", image="registry.home.arpa/homelab/offline-reader:0.8.0",
                 memory="384Mi", memory_request="192Mi", cpu="50m", port=8000,
                 env_from=[secrets], mounts={"/pages": pages}, probes=http_probe("/healthz"))
ingress(stack, app, host="reader", dns="proxied", auth=auth.required(groups=["admins"]),
        carve_outs={"/api/capture": auth.none("The extension posts pages with its own token")},
        catalog=Catalog(name="Offline reader", group="Reading",
                        description="Saved articles, readable offline"))
