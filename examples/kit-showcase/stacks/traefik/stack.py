"""The ingress controller on its dedicated LB IP (ETP Local, real client IPs)."""

from homestack import Stack, tier
from homestack.kit import Pdb, deployment, http_probe, load_balancer

stack = Stack("traefik", tier=tier.CORE, description="Ingress controller")
proxy = deployment(stack, "traefik", image="docker.io/library/traefik:v3.2.1", replicas=3,
                   memory="256Mi", cpu="200m", ports={"web": 8000, "websecure": 8443},
                   probes=http_probe("/ping", port=8080), pdb=Pdb(max_unavailable=1),
                   critical=True, args=["--ping", "--entrypoints.websecure.address=:8443"])
load_balancer(stack, proxy, ports={"web": 80, "websecure": 443}, dedicated="traefik")
