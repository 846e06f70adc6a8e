"""The Kubernetes portal: self-service kubeconfig and CLI setup for the homelab's users.

The portal is behind forward-auth; the setup script and the agent endpoint are carved out so
``curl | sh`` works without cookies.
"""

from homestack import Stack, tier
from homestack.kit import Catalog, auth, deployment, ingress

stack = Stack("k8s-portal", tier=tier.EDGE, needs=["infra", "authentik"],
              description="Kubeconfig and CLI setup")
portal = deployment(stack, "k8s-portal", image="registry.home.arpa/homelab/k8s-portal:1.2.0",
                    memory="128Mi", memory_request="64Mi", cpu="10m", port=3000,
                    service_port=80,
                    env={"OIDC_ISSUER": "https://authentik.example.org/application/o/kubernetes/",
                         "API_SERVER": "https://10.0.20.100:6443"})
SCRIPTS = auth.none("Setup script and agent endpoint must be curl-able without cookies")
ingress(stack, portal, host="k8s-portal", dns="non-proxied", auth=auth.required(),
        carve_outs={"/setup/script": SCRIPTS, "/agent": SCRIPTS},
        catalog=Catalog(name="Kubernetes portal", group="Infrastructure",
                        description="Kubeconfig and CLI setup"))
