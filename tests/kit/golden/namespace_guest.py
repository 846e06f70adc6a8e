"""A Stack in a namespace another Stack owns: no Namespace object is implied."""

from homestack import Stack, tier
from homestack.kit import deployment

stack = Stack("robin-blog", namespace="robin", tier=tier.AUX)
deployment(stack, "blog", image="docker.io/library/nginx:1.27.3-alpine", port=80,
           memory="32Mi", cpu="10m")
