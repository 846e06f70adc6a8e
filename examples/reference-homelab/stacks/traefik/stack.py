"""Traefik v3: the ingress controller, on its own LB IP so it sees real client IPs.

Three replicas with a PDB (critical path), ETP Local on 10.0.20.203 for CrowdSec's real client
IPs and QUIC. It owns the shared middlewares of the ingress chain (middlewares.yaml) in the fixed
order the kit references them; CrowdSec's bouncer and compression run at the entry point.
"""

from homestack import Stack, tier
from homestack.kit import (
    Catalog,
    Pdb,
    auth,
    deployment,
    helm_release,
    http_probe,
    ingress,
    load_balancer,
    raw,
)

stack = Stack("traefik", tier=tier.CORE, needs=["metallb"],
              description="Ingress controller and the shared middleware chain")
# Traefik's CRDs (Middleware, ServersTransport, ...) come from the upstream CRD chart; the
# controller itself is a kit deployment (three replicas, a PDB, its dedicated LB IP).
helm_release(stack, "traefik-crds", chart="traefik-crds", repo="https://traefik.github.io/charts",
             version="1.8.1")

ARGS = [
    "--entrypoints.web.address=:8000/tcp",
    "--entrypoints.web.http.redirections.entryPoint.to=:443",
    "--entrypoints.websecure.address=:8443/tcp",
    "--entrypoints.websecure.http3.advertisedPort=443",
    "--entrypoints.websecure.http.tls=true",
    "--entrypoints.websecure.http.middlewares="
    "traefik-crowdsec-bouncer@kubernetescrd,traefik-compress@kubernetescrd",
    "--entrypoints.websecure.forwardedHeaders.trustedIPs=10.0.20.0/24",
    "--entrypoints.metrics.address=:9100/tcp",
    "--entrypoints.traefik.address=:9000/tcp",
    "--api.dashboard=true",
    "--ping=true",
    "--metrics.prometheus.entrypoint=metrics",
    "--providers.kubernetescrd.allowCrossNamespace=true",
    "--providers.kubernetescrd.allowExternalNameServices=true",
    "--providers.kubernetesingress.allowExternalNameServices=true",
    "--providers.kubernetesingress.ingressendpoint.ip=10.0.20.203",
    "--experimental.plugins.bouncer.modulename="
    "github.com/maxlerebourg/crowdsec-bouncer-traefik-plugin",
    "--experimental.plugins.bouncer.version=v1.3.5",
    "--experimental.plugins.sablier.modulename=github.com/sablierapp/sablier",
    "--experimental.plugins.sablier.version=v1.8.1",
    "--accesslog=true",
    "--accesslog.format=json",
]

traefik = deployment(
    stack, "traefik", image="docker.io/library/traefik:v3.2.1", replicas=3, memory="256Mi",
    cpu="200m", critical=True, pdb=Pdb(max_unavailable=1), args=ARGS,
    ports={"web": 8000, "websecure": 8443, "websecure-udp": "8443/udp", "traefik": 9000,
           "metrics": 9100},
    probes=http_probe("/ping", port="traefik"),
)
load_balancer(stack, traefik, dedicated="traefik",
              ports={"web": 80, "websecure": 443, "websecure-udp": "443/udp"})
raw(stack, "rbac.yaml")
raw(stack, "middlewares.yaml")

error_pages = deployment(
    stack, "error-pages", image="ghcr.io/tarampampam/error-pages:3.3.1", replicas=2,
    memory="32Mi", cpu="10m", port=8080, pdb=Pdb(max_unavailable=1),
    env={"TEMPLATE_NAME": "ghost", "SHOW_DETAILS": False}, probes=http_probe("/healthz"),
)
ingress(stack, traefik, name="dashboard", host="traefik", port=9000,
        auth=auth.required(), dns="non-proxied", lan_only=True,
        catalog=Catalog(name="Traefik", group="Infrastructure", icon="traefik.png",
                        description="Routers, services and middlewares"))
