"""llama.cpp behind llama-swap: an OpenAI-compatible endpoint that loads GGUF models on demand.

The models live on NFS (a Job downloads them with the Hugging Face token from Vault);
llama-swap swaps models on the T4 as requests name them. In-cluster only: Paperless-AI and
the agents call it by its Service.
"""

from homestack import Stack, tier
from homestack.kit import (
    config_files,
    deployment,
    http_probe,
    job,
    mount,
    nfs_volume,
    vault_secret,
)

stack = Stack("llama-cpp", tier=tier.GPU, needs=["platform", "vault", "nvidia"],
              description="Local LLM endpoint on the GPU")
models = nfs_volume(stack, "models", export="/srv/nfs-ssd/llama-cpp", size="200Gi")
job(stack, "download-models", image="docker.io/library/python:3.12.8-slim", memory="512Mi",
    cpu="100m", command=["/bin/sh", "-c"],
    args=["pip install -q huggingface_hub==0.27.0 && huggingface-cli download "
          "bartowski/Qwen2.5-7B-Instruct-GGUF Qwen2.5-7B-Instruct-Q4_K_M.gguf --local-dir /models"],
    env={"HF_TOKEN": vault_secret(stack, "hf_token")}, mounts={"/models": models})
config = config_files(stack, "llama-swap-config", {
    "config.yaml": "models:\n  qwen2.5-7b:\n    cmd: llama-server --port ${PORT} -ngl 99 "
                   "-m /models/Qwen2.5-7B-Instruct-Q4_K_M.gguf\n    ttl: 600\n"})
deployment(
    stack, "llama-swap", image="ghcr.io/mostlygeek/llama-swap:v120-cuda", memory="6Gi",
    cpu="1", gpu=1, port=8080, args=["--config", "/config/config.yaml"],
    mounts={"/models": mount(models, read_only=True), "/config": config},
    probes=http_probe("/health"), backend_kind="api",
)
