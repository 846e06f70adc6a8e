"""The NFS CSI driver: mounts the PVE host's /srv/nfs exports for the static NFS volumes."""

from homestack import Stack, tier
from homestack.kit import helm_release, namespace

stack = Stack("nfs-csi", tier=tier.CLUSTER, needs=["platform"],
              description="CSI driver for the NFS exports of the PVE host")
namespace(stack)
helm_release(stack, "csi-driver-nfs", chart="csi-driver-nfs",
             repo="https://raw.githubusercontent.com/kubernetes-csi/csi-driver-nfs/master/charts",
             version="v4.11.0")
