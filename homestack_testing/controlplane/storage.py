"""The StorageClasses of a homelab cluster, as its CSI drivers install them, for tests whose
homelab does not declare its own: block storage on Proxmox (binding on first use, kept on
delete), NFS (binding at once) and local-path, the default class.

Volumes for them come from the node agent's provisioner.
"""

from __future__ import annotations

from typing import Any

from homestack_testing.kubeapi.client import Client

_PATH = "/apis/storage.k8s.io/v1/storageclasses"


def _klass(name: str, provisioner: str, binding: str, reclaim: str, *,
           default: bool = False) -> dict[str, Any]:
    meta: dict[str, Any] = {"name": name}
    if default:
        meta["annotations"] = {"storageclass.kubernetes.io/is-default-class": "true"}
    return {"apiVersion": "storage.k8s.io/v1", "kind": "StorageClass", "metadata": meta,
            "provisioner": provisioner, "volumeBindingMode": binding,
            "reclaimPolicy": reclaim, "allowVolumeExpansion": provisioner != "nfs.csi.k8s.io"}


HOMELAB_STORAGE_CLASSES = (
    _klass("local-path", "rancher.io/local-path", "WaitForFirstConsumer", "Delete",
           default=True),
    _klass("proxmox-lvm-encrypted", "csi.proxmox.sinextra.dev", "WaitForFirstConsumer",
           "Retain"),
    _klass("proxmox-lvm", "csi.proxmox.sinextra.dev", "WaitForFirstConsumer", "Retain"),
    _klass("nfs-truenas", "nfs.csi.k8s.io", "Immediate", "Retain"),
)


def install_storage_classes(client: Client,
                            classes: tuple[dict[str, Any], ...] = HOMELAB_STORAGE_CLASSES
                            ) -> None:
    """Create the classes (as the cluster's installer did: with its own field manager)."""
    for klass in classes:
        created = client.request("POST", f"{_PATH}?fieldManager=csi-installer", klass)
        if created.code not in (201, 409):
            raise RuntimeError(f"StorageClass {klass['metadata']['name']}: {created.code} "
                               f"{created.body}")


def install_local_path(client: Client) -> None:
    """Only the default ``local-path`` class: what a fresh k3s cluster has."""
    install_storage_classes(client, tuple(c for c in HOMELAB_STORAGE_CLASSES
                                          if c["metadata"]["name"] == "local-path"))
