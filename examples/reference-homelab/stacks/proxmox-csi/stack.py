"""The Proxmox CSI driver: hot-plugs LVM-thin volumes from the PVE host into node VMs.

Backs proxmox-lvm and proxmox-lvm-encrypted (LUKS2). Its Proxmox API token and the LUKS
passphrase are bootstrap secrets: the infra Stack's Proxmox provider creates the token with the
VMs and writes the ``proxmox-csi-credentials`` and ``proxmox-csi-luks`` Secrets, since Vault's own
volume is one of the first this driver provisions.
"""

from homestack import Stack, tier
from homestack.kit import helm_release, namespace

stack = Stack("proxmox-csi", tier=tier.CLUSTER, needs=["platform", "infra"],
              description="Block volumes from the PVE thin pool")
namespace(stack)
helm_release(stack, "proxmox-csi", chart="proxmox-csi-plugin",
             repo="oci://ghcr.io/sergelogvinov/charts", version="0.3.12")
