"""Roles beyond the own namespace: a Role in another namespace with its reason, and rules bound
to the namespace's existing default ServiceAccount."""

from homestack import Stack, tier
from homestack.kit import READ, deployment, rule, service_account

stack = Stack("grafana-sync", tier=tier.CLUSTER)
sync = service_account(
    stack, "sync", namespace_rules={"monitoring": [rule([""], ["configmaps"], READ)]},
    reason="reads the dashboards the monitoring Stack publishes as ConfigMaps",
)
service_account(stack, "default", existing=True, rules=[rule([""], ["pods"], READ)])
deployment(stack, "sync", image="ghcr.io/acme/sync:1.2.0", memory="32Mi", cpu="5m",
           service_account=sync)
deployment(stack, "watcher", image="ghcr.io/acme/watch:1.0.0", memory="32Mi", cpu="5m",
           service_account="default")
