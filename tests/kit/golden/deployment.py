"""A photo library: Deployment + Service + PDB, NFS library, probes, secrets from Vault."""

from homestack import Stack, tier
from homestack.kit import Pdb, deployment, http_probe, mount, nfs_volume, vault_secret

stack = Stack("photos", tier=tier.AUX, needs=["traefik"])
library = nfs_volume(stack, "library", export="/srv/nfs/photos", size="2Ti")
deployment(
    stack, "server", image="ghcr.io/immich-app/immich-server:v1.120.0", replicas=2,
    port=2283, memory="2Gi", cpu="500m",
    env={"TZ": "Europe/London", "LOG_JSON": True, "WORKERS": 4,
         "JWT_SECRET": vault_secret(stack, "jwt_secret")},
    mounts={"/data": library, "/import": mount(library, sub_path="import", read_only=True)},
    probes=http_probe("/api/server/ping"), pdb=Pdb(min_available=1),
)
