"""A node exporter on every node, with explicit security extras."""

from homestack import Stack, tier
from homestack.kit import Security, daemonset

stack = Stack("monitoring", tier=tier.CLUSTER)
daemonset(stack, "node-exporter", image="quay.io/prometheus/node-exporter:v1.8.2",
          ports={"metrics": 9100}, memory="64Mi", cpu="20m", args=["--path.rootfs=/host"],
          security=Security(run_as_user=65534, run_as_non_root=True,
                            read_only_root_filesystem=True, host_network=True))
