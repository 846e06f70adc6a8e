"""pvc-autoresizer: grows block PVCs annotated by the kit (10% free, +100%, up to a limit),
reading free space from Prometheus."""

from homestack import Stack, tier
from homestack.kit import deployment, raw, stack_ref

stack = Stack("pvc-autoresizer", tier=tier.CLUSTER, needs=["monitoring"],
              description="Grows block volumes before they fill up")
PROMETHEUS = stack_ref("monitoring").service("prometheus", port=9090)
deployment(
    stack, "pvc-autoresizer", image="ghcr.io/topolvm/pvc-autoresizer:0.15.0", memory="64Mi",
    cpu="10m", port=8080,
    args=[f"--prometheus-url={PROMETHEUS.url}",
          "--interval=1m", "--metrics-addr=:8080"],
)
raw(stack, [
    {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
     "metadata": {"name": "pvc-autoresizer"},
     "rules": [{"apiGroups": [""], "resources": ["persistentvolumeclaims"],
                "verbs": ["get", "list", "watch", "patch", "update"]},
               {"apiGroups": ["storage.k8s.io"], "resources": ["storageclasses"],
                "verbs": ["get", "list", "watch"]},
               {"apiGroups": [""], "resources": ["events"], "verbs": ["create", "patch"]}]},
    {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
     "metadata": {"name": "pvc-autoresizer"},
     "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole",
                 "name": "pvc-autoresizer"},
     "subjects": [{"kind": "ServiceAccount", "name": "default",
                   "namespace": "pvc-autoresizer"}]},
], name="rbac")
