"""Ollama: local LLMs on the T4, with Open WebUI as the chat front end."""

from homestack import Stack, tier
from homestack.kit import (
    Catalog,
    auth,
    block_volume,
    deployment,
    http_probe,
    ingress,
    nfs_volume,
    stack_ref,
    vault_secret,
)

stack = Stack("ollama", tier=tier.GPU, needs=["authentik", "nvidia"],
              description="Local LLMs and a chat UI")
OLLAMA = stack_ref("ollama").service("ollama", port=11434)
models = nfs_volume(stack, "models", export="/srv/nfs-ssd/ollama", size="200Gi")
server = deployment(
    stack, "ollama", image="docker.io/ollama/ollama:0.5.4", memory="8Gi", cpu="1",
    port=11434, gpu=1, backend_kind="api", mounts={"/root/.ollama": models},
    env={"OLLAMA_KEEP_ALIVE": "30m", "OLLAMA_MAX_LOADED_MODELS": "1"},
    probes=http_probe("/", roles=["readiness"]),
)
ingress(stack, server, host="ollama.home.arpa", auth=auth.required(groups=["developers"]),
        catalog=Catalog(name="Ollama API", group="AI", icon="ollama.png",
                        description="LLM API for tools on the LAN"))
chats = block_volume(stack, "webui", size="5Gi")
webui = deployment(
    stack, "open-webui", image="ghcr.io/open-webui/open-webui:v0.4.8", memory="1Gi",
    cpu="100m", port=8080, mounts={"/app/backend/data": chats},
    env={"OLLAMA_BASE_URL": OLLAMA.url,
         "WEBUI_AUTH_TRUSTED_EMAIL_HEADER": "X-authentik-email",
         "WEBUI_SECRET_KEY": vault_secret(stack, "webui_secret_key")},
)
ingress(stack, webui, host="chat", auth=auth.required(groups=["family"]),
        scale_to_zero=True,
        catalog=Catalog(name="Open WebUI", group="AI", icon="open-webui.png",
                        description="Chat with the local models"))
