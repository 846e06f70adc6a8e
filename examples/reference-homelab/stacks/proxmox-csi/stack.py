"""The Proxmox CSI driver: hot-plugs LVM-thin volumes from the PVE host into node VMs.

Backs proxmox-lvm and proxmox-lvm-encrypted (LUKS2). Its Proxmox API token and the LUKS
passphrase are bootstrap secrets: Vault's own volume is one of the first this driver
provisions, so they cannot come from Vault. They are committed here as SealedSecrets (sealed
with ``kubeseal`` against the sealed-secrets controller's key), which the controller decrypts
into the ``proxmox-csi-credentials`` and ``proxmox-csi-luks`` Secrets.
"""

from homestack import Stack, tier
from homestack.kit import helm_release, namespace, raw

stack = Stack("proxmox-csi", tier=tier.CLUSTER, needs=["platform", "infra", "sealed-secrets"],
              description="Block volumes from the PVE thin pool")
namespace(stack)
helm_release(stack, "proxmox-csi", chart="proxmox-csi-plugin",
             repo="oci://ghcr.io/sergelogvinov/charts", version="0.3.12")


def sealed(name: str, key: str, ciphertext: str) -> dict[str, object]:
    """A SealedSecret whose controller writes Secret ``name`` with ``key``."""
    return {"apiVersion": "bitnami.com/v1alpha1", "kind": "SealedSecret",
            "metadata": {"name": name},
            "spec": {"encryptedData": {key: ciphertext},
                     "template": {"metadata": {"name": name}, "type": "Opaque"}}}


raw(stack, [
    sealed("proxmox-csi-credentials", "config.yaml",
           "AgBy3i4OJSWK+PiTySYZZA9rO43cGDEq0XGHOI1hdjQ2Yg2e7v5bC2mQ8kAmRqZ1S7ZGk0vY"),
    sealed("proxmox-csi-luks", "encryption-passphrase",
           "AgCc0ffee5a1tedPassphraseCipherTextZm9yIHRoZSBMVUtTIHZvbHVtZXMgb2YgdGhl"),
])
