"""Vault: the source of truth for every secret in the homelab.

Single server on Raft storage (an encrypted block volume), unsealed by the transit key of the
devvm; nightly Raft snapshots go to NFS. Its web UI is routed by the vault-ui Stack: an ingress
here would make Vault wait for the External Secrets operator, which itself waits for Vault.
"""

import json

from homestack import Stack, StateTier, tier
from homestack.kit import (
    Security,
    block_volume,
    cronjob,
    http_probe,
    nfs_volume,
    stack_ref,
    statefulset,
)

stack = Stack("vault", tier=tier.CORE, needs=["platform", "proxmox-csi", "nfs-csi"],
              state_tier=StateTier.BOOTSTRAP, description="Secrets management (KV, database)")
VAULT = stack_ref("vault").service("vault", port=8200)

CONFIG = {
    "ui": True,
    "listener": [{"tcp": {"address": "[::]:8200", "cluster_address": "[::]:8201",
                          "tls_disable": True}}],
    "storage": {"raft": {"path": "/vault/data", "node_id": "vault-0"}},
    "seal": {"transit": {"address": "http://10.0.10.10:8200", "key_name": "autounseal",
                         "mount_path": "transit/"}},
    "api_addr": VAULT.url,
    "cluster_addr": f"http://{VAULT.pod(0)}:8201",
    "disable_mlock": True,
}

raft = block_volume(stack, "raft", size="10Gi")
snapshots = nfs_volume(stack, "snapshots", export="/srv/nfs/vault-snapshots", size="20Gi")
statefulset(
    stack, "vault", image="docker.io/hashicorp/vault:1.18.1", memory="512Mi", cpu="250m",
    ports={"http": 8200, "cluster": 8201}, args=["server"],
    env={"VAULT_LOCAL_CONFIG": json.dumps(CONFIG), "VAULT_ADDR": "http://127.0.0.1:8200",
         "SKIP_SETCAP": "true"},
    mounts={"/vault/data": raft},
    probes=http_probe("/v1/sys/health?standbyok=true&uninitcode=204", roles=["readiness"]),
    security=Security(run_as_user=100, run_as_group=1000, fs_group=1000, run_as_non_root=True),
)
cronjob(
    stack, "raft-snapshot", schedule="15 2 * * *", image="docker.io/hashicorp/vault:1.18.1",
    memory="64Mi", cpu="20m",
    command=["/bin/sh", "-c"],
    args=["vault login -method=kubernetes role=raft-snapshot >/dev/null && "
          "vault operator raft snapshot save /snapshots/vault-$(date +%Y%m%d).snap && "
          "find /snapshots -name 'vault-*.snap' -mtime +28 -delete"],
    env={"VAULT_ADDR": VAULT.url},
    mounts={"/snapshots": snapshots},
)
