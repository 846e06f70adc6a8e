"""A GPU workload: the Site's GPU node selector, its toleration and the GPU priority class."""

from homestack import Stack, tier
from homestack.kit import Catalog, deployment, ingress

stack = Stack("ollama", tier=tier.GPU)
server = deployment(stack, "ollama", image="docker.io/ollama/ollama:0.4.7", port=11434,
                    memory="8Gi", cpu="1", gpu=1, backend_kind="api")
ingress(stack, server, host="ollama.home.arpa", catalog=Catalog(description="Local LLMs"))
