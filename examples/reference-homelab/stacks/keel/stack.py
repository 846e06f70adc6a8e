"""Keel: rolls Deployments whose images it owns (``image_owner="keel"``) when a new tag lands.

Homestack then sets those image fields on create only. Keel never touches operator-managed
StatefulSets. Its RBAC is bound to the namespace's default ServiceAccount, which its pod uses.
"""

from homestack import Stack, tier
from homestack.kit import deployment, http_probe, raw, stack_ref

stack = Stack("keel", tier=tier.CLUSTER, needs=["platform", "kyverno"],
              description="Automatic image updates for opted-in workloads")
NTFY = stack_ref("ntfy").service("ntfy")
deployment(
    stack, "keel", image="docker.io/keelhq/keel:0.19.1", memory="128Mi", cpu="20m",
    port=9300, env={"POLL": True, "HELM_PROVIDER": False, "NOTIFICATION_LEVEL": "info",
                    "WEBHOOK_ENDPOINT": f"{NTFY.url}/keel"},
    probes=http_probe("/healthz"),
)
raw(stack, [
    {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
     "metadata": {"name": "keel"},
     "rules": [
         {"apiGroups": [""], "resources": ["namespaces", "pods", "secrets", "configmaps"],
          "verbs": ["get", "list", "watch"]},
         {"apiGroups": ["apps"], "resources": ["deployments", "daemonsets", "statefulsets",
                                                "replicasets"],
          "verbs": ["get", "list", "watch", "update", "patch"]},
         {"apiGroups": ["batch"], "resources": ["cronjobs"],
          "verbs": ["get", "list", "watch", "update", "patch"]},
     ]},
    {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
     "metadata": {"name": "keel"},
     "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "keel"},
     "subjects": [{"kind": "ServiceAccount", "name": "default", "namespace": "keel"}]},
], name="rbac")
