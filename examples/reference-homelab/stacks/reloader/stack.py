"""Reloader: restarts workloads annotated ``reloader.stakater.com/auto`` when their Secrets or
ConfigMaps change, for apps that read secrets only at start (the kit annotates them)."""

from homestack import Stack, tier
from homestack.kit import deployment, http_probe, raw

stack = Stack("reloader", tier=tier.AUX, needs=["platform"],
              description="Rolling restarts on Secret and ConfigMap changes")
deployment(
    stack, "reloader", image="ghcr.io/stakater/reloader:v1.2.0", memory="96Mi", cpu="10m",
    port=9090, args=["--reload-strategy=annotations", "--log-format=json"],
    probes=http_probe("/live", roles=["liveness"]),
)
raw(stack, "rbac.yaml")
