"""Descheduler: every night, evicts pods from crowded nodes so the scheduler can spread them."""

from homestack import Stack, tier
from homestack.kit import cronjob, raw

stack = Stack("descheduler", tier=tier.CLUSTER, needs=["platform"],
              description="Nightly rebalancing of pods across nodes")
POLICY = """apiVersion: descheduler/v1alpha2
kind: DeschedulerPolicy
profiles:
  - name: balance
    pluginConfig:
      - name: DefaultEvictor
        args: {evictLocalStoragePods: false, nodeFit: true}
      - name: LowNodeUtilization
        args:
          thresholds: {cpu: 20, memory: 30}
          targetThresholds: {cpu: 60, memory: 70}
    plugins:
      balance: {enabled: [LowNodeUtilization]}
"""
cronjob(
    stack, "descheduler", schedule="30 4 * * *",
    image="registry.k8s.io/descheduler/descheduler:v0.31.0", memory="128Mi", cpu="50m",
    command=["/bin/sh", "-c"],
    args=[f"cat > /tmp/policy.yaml <<'END'\n{POLICY}END\n"
          "exec /bin/descheduler --policy-config-file=/tmp/policy.yaml --v=3"],
)
raw(stack, [
    {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
     "metadata": {"name": "descheduler"},
     "rules": [{"apiGroups": [""], "resources": ["nodes", "namespaces", "pods"],
                "verbs": ["get", "list", "watch"]},
               {"apiGroups": [""], "resources": ["pods/eviction"], "verbs": ["create"]},
               {"apiGroups": ["scheduling.k8s.io"], "resources": ["priorityclasses"],
                "verbs": ["get", "list", "watch"]},
               {"apiGroups": ["policy"], "resources": ["poddisruptionbudgets"],
                "verbs": ["get", "list", "watch"]}]},
    {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
     "metadata": {"name": "descheduler"},
     "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole",
                 "name": "descheduler"},
     "subjects": [{"kind": "ServiceAccount", "name": "default", "namespace": "descheduler"}]},
], name="rbac")
