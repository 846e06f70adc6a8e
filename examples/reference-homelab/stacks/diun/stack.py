"""Diun: tells ntfy when a newer image exists for a pinned workload; it never rolls anything
(Keel does that for the few workloads that opt in)."""

from homestack import Stack, tier
from homestack.kit import block_volume, deployment, raw, stack_ref, vault_secret

stack = Stack("diun", tier=tier.AUX, needs=["platform"], description="Image update notices")
NTFY = stack_ref("ntfy").service("ntfy")
data = block_volume(stack, "data", size="512Mi", sensitive=False)
deployment(
    stack, "diun", image="docker.io/crazymax/diun:4.28.0", memory="64Mi", cpu="10m",
    args=["serve"], mounts={"/data": data},
    env={"DIUN_WATCH_SCHEDULE": "0 */6 * * *", "DIUN_PROVIDERS_KUBERNETES": True,
         "DIUN_PROVIDERS_KUBERNETES_WATCHBYDEFAULT": True,
         "DIUN_NOTIF_NTFY_ENDPOINT": NTFY.url,
         "DIUN_NOTIF_NTFY_TOPIC": "image-updates",
         "DIUN_NOTIF_NTFY_TOKEN": vault_secret(stack, "ntfy_token")},
)
raw(stack, [
    {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
     "metadata": {"name": "diun"},
     "rules": [{"apiGroups": [""], "resources": ["pods"], "verbs": ["get", "list", "watch"]}]},
    {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
     "metadata": {"name": "diun"},
     "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "diun"},
     "subjects": [{"kind": "ServiceAccount", "name": "default", "namespace": "diun"}]},
], name="rbac")
