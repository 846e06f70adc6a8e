"""Sablier: scales idle apps to zero and wakes them on the next request.

Apps opt in with ``ingress(..., scale_to_zero=True)``: the kit labels the workload with its
Sablier group and puts the sablier middleware after every gate, so scanners never wake an app.
"""

from homestack import Stack, tier
from homestack.kit import Pdb, deployment, http_probe, raw

stack = Stack("sablier", tier=tier.CLUSTER, needs=["traefik"],
              description="Scale-to-zero for idle apps")
deployment(
    stack, "sablier", image="docker.io/sablierapp/sablier:1.8.1", replicas=2, memory="64Mi",
    cpu="20m", port=10000, pdb=Pdb(max_unavailable=1),
    args=["start", "--provider.name=kubernetes", "--sessions.default-duration=30m",
          "--strategy.dynamic.default-theme=hacker-terminal"],
    probes=http_probe("/health"),
)
raw(stack, [
    {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
     "metadata": {"name": "sablier"},
     "rules": [{"apiGroups": ["apps"], "resources": ["deployments", "statefulsets"],
                "verbs": ["get", "list", "watch"]},
               {"apiGroups": ["apps"],
                "resources": ["deployments/scale", "statefulsets/scale"],
                "verbs": ["get", "patch", "update"]}]},
    {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
     "metadata": {"name": "sablier"},
     "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole",
                 "name": "sablier"},
     "subjects": [{"kind": "ServiceAccount", "name": "default", "namespace": "sablier"}]},
], name="rbac")
