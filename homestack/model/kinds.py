"""Kind tables: apply order inside a Stack and which kinds hold data (the prune guard).

Rules are data: change the order or the guard here, never with ``if kind == ...`` elsewhere.
"""

from __future__ import annotations

# Lower rank applies first; deletes run in reverse. Unknown kinds (custom resources) go last.
KIND_RANK: dict[str, int] = {
    "CustomResourceDefinition": 0,
    "Namespace": 1,
    "PriorityClass": 2,
    "StorageClass": 2,
    "LimitRange": 3,
    "ResourceQuota": 3,
    "ServiceAccount": 4,
    "ClusterRole": 4,
    "ClusterRoleBinding": 4,
    "Role": 4,
    "RoleBinding": 4,
    "ConfigMap": 5,
    "Secret": 5,
    "PersistentVolume": 5,
    "PersistentVolumeClaim": 6,
    "Service": 7,
    "Endpoints": 7,
    "EndpointSlice": 7,
    "Deployment": 8,
    "StatefulSet": 8,
    "DaemonSet": 8,
    "Job": 8,
    "CronJob": 8,
    "PodDisruptionBudget": 9,
    "Ingress": 10,
}
CUSTOM_RANK = 11

# Deleting these loses data; prune and destroy refuse without --allow-data-loss.
DATA_HOLDER_KINDS = frozenset(
    {
        "PersistentVolumeClaim",
        "PersistentVolume",
        "Namespace",
        "postgresql.cnpg.io/Database",
        "postgresql.cnpg.io/Cluster",
        "mysql.oracle.com/InnoDBCluster",
    }
)


def split_address(address: str) -> tuple[str, str, str, str]:
    """``k8s:apps/v1:Deployment:ns/name`` → (provider, apiVersion, kind, name)."""
    provider, _, rest = address.partition(":")
    if provider != "k8s":
        kind, _, name = rest.rpartition(":")
        return provider, "", kind, name
    api_version, _, rest = rest.partition(":")
    kind, _, name = rest.partition(":")
    return provider, api_version, kind, name


def kind_rank(address: str) -> int:
    """Apply rank of the object at ``address``."""
    _, _, kind, _ = split_address(address)
    return KIND_RANK.get(kind, CUSTOM_RANK)


def is_data_holder(address: str) -> bool:
    """True when deleting the object at ``address`` can lose data."""
    provider, api_version, kind, _ = split_address(address)
    if provider != "k8s":
        return provider == "pve"
    group = api_version.rpartition("/")[0]
    return kind in DATA_HOLDER_KINDS or f"{group}/{kind}" in DATA_HOLDER_KINDS
