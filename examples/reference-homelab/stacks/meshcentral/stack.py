"""MeshCentral: remote desktop to the family's computers. Agents connect over websockets with
their own certificates; the UI has its own login with 2FA."""

from homestack import Stack, tier
from homestack.kit import Catalog, auth, block_volume, deployment, ingress, nfs_volume

stack = Stack("meshcentral", tier=tier.AUX, needs=["authentik"], description="Remote desktop")
data = block_volume(stack, "data", size="2Gi")
files = nfs_volume(stack, "files", export="/srv/nfs/meshcentral", size="10Gi")
app = deployment(
    stack, "meshcentral", image="ghcr.io/ylianst/meshcentral:1.1.35", memory="256Mi",
    cpu="50m", port=443,
    env={"HOSTNAME": "remote.example.org", "REVERSE_PROXY": "traefik",
         "REVERSE_PROXY_TLS_PORT": "443", "ALLOW_NEW_ACCOUNTS": False},
    mounts={"/opt/meshcentral/meshcentral-data": data,
            "/opt/meshcentral/meshcentral-files": files},
)
ingress(stack, app, host="remote",
        auth=auth.app("MeshCentral has its own login with 2FA; agents use certificates"),
        dns="non-proxied", anti_ai=False,
        catalog=Catalog(name="MeshCentral", group="Tools", icon="meshcentral.png",
                        description="Remote desktop to family computers"))
