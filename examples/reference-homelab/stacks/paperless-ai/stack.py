"""Paperless-AI: tags, titles and answers questions about the Paperless documents with the
local LLM. Its RAG index is refreshed every night; the state is on an encrypted volume."""

from homestack import Stack, tier
from homestack.kit import (
    Catalog,
    auth,
    block_volume,
    cronjob,
    deployment,
    external_secret,
    ingress,
    stack_ref,
)

stack = Stack("paperless-ai", tier=tier.EDGE,
              needs=["platform", "vault", "paperless", "llama-cpp", "authentik"],
              description="AI tagging and questions for Paperless")
PAPERLESS = stack_ref("paperless").service("paperless", port=8000)
LLAMA = stack_ref("llama-cpp").service("llama-swap", port=8080)
data = block_volume(stack, "data", size="2Gi")
secrets = external_secret(stack, "paperless-ai-env", {
    "PAPERLESS_API_TOKEN": "secret/paperless-ai#paperless_token",
    "API_KEY": "secret/paperless-ai#api_key",
})
app = deployment(
    stack, "paperless-ai", image="docker.io/clusterzx/paperless-ai:3.0.9", memory="1Gi",
    memory_request="512Mi", cpu="100m", ports={"http": 3000, "rag": 8000},
    env={"PAPERLESS_API_URL": f"{PAPERLESS.url}/api", "AI_PROVIDER": "custom",
         "CUSTOM_BASE_URL": f"{LLAMA.url}/v1", "LLM_MODEL": "qwen2.5-7b"},
    env_from=[secrets], mounts={"/app/data": data},
)
ingress(stack, app, host="paperless-ai", dns="proxied", auth=auth.required(),
        catalog=Catalog(name="Paperless-AI", group="Documents", icon="paperless-ngx.png",
                        description="Ask questions about the documents"))
cronjob(stack, "rag-index-refresh", schedule="30 4 * * *",
        image="docker.io/curlimages/curl:8.11.0", memory="32Mi", cpu="5m",
        command=["/bin/sh", "-c"],
        args=[f"curl -sf -X POST -H \"x-api-key: $API_KEY\" {app.url}/api/rag/index"],
        env={"API_KEY": secrets["API_KEY"]})
