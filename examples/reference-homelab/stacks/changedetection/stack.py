"""changedetection.io: watches web pages for changes and notifies through ntfy."""

from homestack import Stack, tier
from homestack.kit import Catalog, auth, deployment, ingress, nfs_volume, stack_ref

stack = Stack("changedetection", tier=tier.AUX, needs=["authentik"],
              description="Web page change alerts")
CHANGEDETECTION_BROWSER = stack_ref("changedetection").service("browser", port=3000, scheme="ws")
data = nfs_volume(stack, "datastore", export="/srv/nfs/changedetection", size="2Gi")
browser = deployment(
    stack, "browser", image="docker.io/dgtlmoon/sockpuppetbrowser:0.0.3", memory="512Mi",
    cpu="100m", port=3000,
)
app = deployment(
    stack, "changedetection", image="ghcr.io/dgtlmoon/changedetection.io:0.47.6",
    memory="256Mi", cpu="50m", port=5000, mounts={"/datastore": data},
    env={"PLAYWRIGHT_DRIVER_URL": CHANGEDETECTION_BROWSER.url,
         "BASE_URL": "https://changes.example.org"},
)
ingress(stack, app, host="changes", auth=auth.required(),
        catalog=Catalog(name="changedetection.io", group="Tools", icon="changedetection.png",
                        description="Watches pages for changes"))
