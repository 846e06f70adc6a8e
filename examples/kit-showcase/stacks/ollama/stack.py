"""Local LLMs on the GPU node, reachable on the LAN only."""

from homestack import Stack, tier
from homestack.kit import Catalog, deployment, ingress, nfs_volume

stack = Stack("ollama", tier=tier.GPU, needs=["traefik"], description="Local LLMs")
models = nfs_volume(stack, "models", export="/srv/nfs-ssd/ollama", size="200Gi")
server = deployment(stack, "ollama", image="docker.io/ollama/ollama:0.4.7", port=11434,
                    memory="8Gi", cpu="1", gpu=1, backend_kind="api",
                    mounts={"/root/.ollama": models})
ingress(stack, server, host="ollama.home.arpa", lan_only=True,
        catalog=Catalog(description="LLM API"))
