"""Small sample manifests and their URLs, for tests of the fake server and its users."""

from __future__ import annotations

from typing import Any


def deployment(name: str = "web", ns: str = "default", replicas: int = 2,
               image: str = "nginx:1.27") -> dict[str, Any]:
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name, "namespace": ns, "labels": {"app": name}},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": {"app": name}},
            "template": {
                "metadata": {"labels": {"app": name}},
                "spec": {"containers": [{"name": "main", "image": image,
                                         "ports": [{"containerPort": 80}]}]},
            },
        },
    }


def configmap(name: str = "cfg", ns: str = "default", **data: str) -> dict[str, Any]:
    return {"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": name, "namespace": ns}, "data": dict(data)}


DEPLOY_URL = "/apis/apps/v1/namespaces/default/deployments"
CM_URL = "/api/v1/namespaces/default/configmaps"

# The StorageClasses a homelab cluster has installed (its CSI drivers and k3s' local-path),
# all binding Immediately; the first is the default class. Claims naming any other class
# stay Pending, as on a real cluster. The pytest fixtures and the live bench install these.
HOMELAB_STORAGE_CLASSES = ("local-path", "proxmox-lvm-encrypted", "proxmox-lvm",
                           "nfs-truenas")
