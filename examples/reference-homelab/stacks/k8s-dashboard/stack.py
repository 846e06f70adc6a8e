"""The Kubernetes dashboard, read-only for power users, behind forward-auth."""

from homestack import Stack, tier
from homestack.kit import Catalog, Security, auth, deployment, ingress, raw

stack = Stack("k8s-dashboard", tier=tier.CLUSTER, needs=["authentik"],
              description="Cluster web console")
ui = deployment(
    stack, "dashboard", image="docker.io/kubernetesui/dashboard:v2.7.0", memory="128Mi",
    cpu="20m", port=9090,
    args=["--namespace=k8s-dashboard", "--enable-insecure-login", "--insecure-port=9090",
          "--enable-skip-login"],
    security=Security(run_as_user=1001, run_as_group=2001, run_as_non_root=True,
                      read_only_root_filesystem=True),
)
deployment(stack, "metrics-scraper", image="docker.io/kubernetesui/metrics-scraper:v1.0.9",
           memory="64Mi", cpu="10m", port=8000)
raw(stack, [
    {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
     "metadata": {"name": "k8s-dashboard-read"},
     "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole",
                 "name": "roster-power-user"},
     "subjects": [{"kind": "ServiceAccount", "name": "default",
                   "namespace": "k8s-dashboard"}]},
], name="rbac")
ingress(stack, ui, host="k8s", auth=auth.required(groups=["power-users"]), scale_to_zero=True,
        catalog=Catalog(name="Kubernetes", group="Infrastructure", icon="kubernetes-dashboard.png",
                        description="Read-only web console of the cluster"))
