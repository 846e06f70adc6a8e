"""Whisper: speech-to-text API on the GPU for Home Assistant's voice pipeline and Immich."""

from homestack import Stack, tier
from homestack.kit import deployment, load_balancer, nfs_volume, tcp_probe

stack = Stack("whisper", tier=tier.GPU, needs=["nvidia", "metallb"],
              description="Speech-to-text on the GPU")
models = nfs_volume(stack, "models", export="/srv/nfs-ssd/whisper", size="20Gi")
server = deployment(
    stack, "whisper", image="docker.io/rhasspy/wyoming-whisper:2.4.0", memory="2Gi",
    cpu="250m", ports={"wyoming": 10300}, gpu=1, backend_kind="api",
    args=["--model", "medium-int8", "--language", "en", "--device", "cuda"],
    mounts={"/data": models}, probes=tcp_probe(),
)
load_balancer(stack, server)
