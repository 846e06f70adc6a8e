"""A tiny echo service, the smallest thing that proves the ingress path works."""

from homestack import Stack, tier
from homestack.kit import namespace, raw

stack = Stack("whoami", tier=tier.AUX, needs=["traefik"], description="Echo service")
namespace(stack)
raw(stack, {
    "apiVersion": "apps/v1",
    "kind": "Deployment",
    "metadata": {"name": "whoami", "labels": {"app": "whoami"}},
    "spec": {
        "replicas": 1,
        "selector": {"matchLabels": {"app": "whoami"}},
        "template": {
            "metadata": {"labels": {"app": "whoami"}},
            "spec": {"containers": [{
                "name": "whoami",
                "image": "docker.io/traefik/whoami:v1.10.3",
                "resources": {"requests": {"cpu": "10m", "memory": "32Mi"},
                              "limits": {"memory": "32Mi"}},
            }]},
        },
    },
})
