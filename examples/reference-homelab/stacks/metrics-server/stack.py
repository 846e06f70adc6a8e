"""metrics-server: CPU and memory of pods and nodes for `kubectl top` and autoscalers."""

from homestack import Stack, tier
from homestack.kit import helm_release, namespace

stack = Stack("metrics-server", tier=tier.CLUSTER, needs=["platform"],
              description="Resource metrics API")
namespace(stack)
helm_release(stack, "metrics-server", chart="metrics-server",
             repo="https://kubernetes-sigs.github.io/metrics-server/", version="3.12.2",
             values={"args": ["--kubelet-insecure-tls"]})
