"""Traefik: the ingress controller every kit ingress routes through.

One replica serving the ingress controller's own certificate until the homelab has another
source (External Secrets with the wildcard certificate, or cert-manager). Its Service is a
ClusterIP one: give it a LoadBalancer (kit: load_balancer) once the cluster has one.
"""

from homestack import Stack, tier
from homestack.kit import deployment, helm_release, http_probe, raw

stack = Stack("traefik", tier=tier.CORE, description="Ingress controller")
# Traefik's CRDs (Middleware, IngressRoute, ...) from the upstream CRD chart.
helm_release(stack, "traefik-crds", chart="traefik-crds", repo="https://traefik.github.io/charts",
             version="1.8.1")
deployment(
    stack, "traefik", image="docker.io/library/traefik:v3.2.1", memory="128Mi", cpu="100m",
    args=[
        "--entrypoints.web.address=:8000/tcp",
        "--entrypoints.websecure.address=:8443/tcp",
        "--entrypoints.websecure.http.tls=true",
        "--entrypoints.traefik.address=:9000/tcp",
        "--ping=true",
        "--providers.kubernetesingress=true",
        "--providers.kubernetescrd=true",
    ],
    ports={"web": 8000, "websecure": 8443, "traefik": 9000},
    probes=http_probe("/ping", port="traefik"),
)
raw(stack, "rbac.yaml")
