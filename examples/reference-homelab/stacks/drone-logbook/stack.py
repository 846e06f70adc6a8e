"""Drone logbook: flight logs from the drone's controller, parsed and mapped.

Flight logs are GPS traces of home and travel: forward-auth in front, the database on an
encrypted block volume; the controller's logs arrive through an NFS share it syncs to.
"""

from homestack import Stack, tier
from homestack.kit import (
    Catalog,
    auth,
    block_volume,
    deployment,
    ingress,
    mount,
    nfs_volume,
    vault_secret,
)

stack = Stack("drone-logbook", tier=tier.AUX, needs=["platform", "sablier"],
              description="Drone flight logs")
data = block_volume(stack, "data", size="2Gi", sqlite=True)
sync_logs = nfs_volume(stack, "sync-logs", export="/srv/nfs/drone-logs", size="10Gi")
app = deployment(
    stack, "drone-logbook", image="ghcr.io/arpanghosh8453/open-dronelog:v1.4.2",
    memory="256Mi", memory_request="128Mi", cpu="20m", port=80,
    env={"RUST_LOG": "info", "KEEP_UPLOADED_FILES": "true", "SYNC_LOGS_PATH": "/sync-logs",
         "SYNC_INTERVAL": "3600",
         "PROFILE_CREATION_PASS": vault_secret(stack, "profile_creation_pass")},
    mounts={"/data": data, "/sync-logs": mount(sync_logs, read_only=True)},
)
ingress(stack, app, host="drone-logbook", dns="proxied", auth=auth.required(),
        scale_to_zero=True, max_body_size="500Mi",
        catalog=Catalog(name="Drone logbook", group="Home",
                        description="Flight logs and maps of the drone"))
