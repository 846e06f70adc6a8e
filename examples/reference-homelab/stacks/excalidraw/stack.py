"""Excalidraw: whiteboard sketches, with the library saved to NFS."""

from homestack import Stack, tier
from homestack.kit import Catalog, auth, deployment, ingress, nfs_volume

stack = Stack("excalidraw", tier=tier.AUX, needs=["authentik"], description="Whiteboard")
library = nfs_volume(stack, "library", export="/srv/nfs/excalidraw", size="1Gi")
app = deployment(
    stack, "excalidraw", image="docker.io/excalidraw/excalidraw:sha-4bf4d4b", memory="64Mi",
    cpu="10m", port=80,
    mounts={"/usr/share/nginx/html/library": library},
)
ingress(stack, app, host="draw", auth=auth.required(groups=["family"]), scale_to_zero=True,
        csp="default-src 'self'; img-src 'self' data: blob:; font-src 'self' data:; "
            "style-src 'self' 'unsafe-inline'; connect-src 'self' wss:",
        catalog=Catalog(name="Excalidraw", group="Tools", icon="excalidraw.png",
                        description="Hand-drawn diagrams and whiteboards"))
