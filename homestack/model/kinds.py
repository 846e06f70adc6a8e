"""Kind tables: apply order inside a Stack and which kinds hold data (the prune guard).

Rules are data: change the order or the guard here, never with ``if kind == ...`` elsewhere.
"""

from __future__ import annotations

from homestack.model.address import Address
from homestack.model.resource import Resource

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
# Outside Kubernetes, these (provider, kind) pairs hold data.
DATA_HOLDER_OTHER = frozenset({("pve", "vm"), ("pve", "disk"), ("vault", "kv")})


# Helm hooks mapped to order inside a Stack (the kit writes the annotation on hook objects):
# pre-install/pre-upgrade hooks before everything else, post-* hooks after.
APPLY_PHASE = "homestack.dev/apply-phase"
HOOK_PHASE: dict[str, int] = {"before": 0, "": 1, "after": 2}


def hook_phase(resource: Resource | None) -> int:
    """0 for a Helm pre-hook, 2 for a post-hook, 1 for every other object."""
    if resource is None:
        return 1
    metadata = resource.body.get("metadata") or {}
    annotations = metadata.get("annotations") or {} if isinstance(metadata, dict) else {}
    return HOOK_PHASE.get(str(annotations.get(APPLY_PHASE, "")), 1)


def kind_rank(address: Address) -> int:
    """Apply rank of the object at ``address`` inside its provider."""
    return KIND_RANK.get(address.kind, CUSTOM_RANK) if address.provider == "k8s" else 0


def is_data_holder(address: Address) -> bool:
    """True when deleting the object at ``address`` can lose data."""
    if address.provider != "k8s":
        family = address.kind.partition(":")[0]
        return (address.provider, family) in DATA_HOLDER_OTHER
    return address.kind in DATA_HOLDER_KINDS or address.group_kind in DATA_HOLDER_KINDS
