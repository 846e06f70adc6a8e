"""A dashboard that reads the cluster: its config as files, a Secret as files, RBAC to read."""

from homestack import Stack, tier
from homestack.kit import (
    READ,
    config_files,
    config_map,
    deployment,
    rule,
    secret_files,
    service_account,
)

stack = Stack("dash", tier=tier.AUX)
settings = config_files(stack, "dash-config", {"settings.yaml": "title: Home\nlayout: grid\n",
                                               "widgets.yaml": "- resources\n"})
reader = service_account(
    stack, "dash",
    rules=[rule([""], ["configmaps"], READ)],
    cluster_rules=[rule(["", "apps"], ["pods", "nodes", "deployments"], READ)],
)
deployment(stack, "dash", image="ghcr.io/gethomepage/homepage:v0.9.13", port=3000,
           memory="128Mi", cpu="50m", service_account=reader,
           mounts={"/app/config": settings, "/app/extra": config_map("shared-widgets"),
                   "/run/secrets/dash": secret_files("dash-api-keys")})
