"""The NFS CSI driver: mounts the PVE host's /srv/nfs exports for the static NFS volumes."""

from homestack import Stack, tier
from homestack.kit import namespace, raw

stack = Stack("nfs-csi", tier=tier.CLUSTER, needs=["platform"],
              description="CSI driver for the NFS exports of the PVE host")
namespace(stack)
raw(stack, "driver.yaml")
