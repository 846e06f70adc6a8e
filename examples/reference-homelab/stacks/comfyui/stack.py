"""ComfyUI: node-based image generation on the T4."""

from homestack import Stack, tier
from homestack.kit import Catalog, auth, deployment, ingress, mount, nfs_volume

stack = Stack("comfyui", tier=tier.GPU, needs=["authentik", "nvidia"],
              description="Image generation workflows")
models = nfs_volume(stack, "models", export="/srv/nfs-ssd/comfyui", size="300Gi")
comfy = deployment(
    stack, "comfyui", image="ghcr.io/ai-dock/comfyui:v2-cuda-12.1.1-base-22.04-v0.2.7",
    memory="6Gi", cpu="500m", port=8188, gpu=1,
    replicas=0,  # asleep until the first request: Sablier wakes it (scale_to_zero below)
    env={"WEB_ENABLE_AUTH": False, "CF_QUICK_TUNNELS": False},
    mounts={"/opt/ComfyUI/models": mount(models, sub_path="models"),
            "/opt/ComfyUI/output": mount(models, sub_path="output")},
)
ingress(stack, comfy, host="comfy", auth=auth.required(groups=["developers"]),
        max_body_size="2Gi", scale_to_zero=True,
        catalog=Catalog(name="ComfyUI", group="AI", icon="comfyui.png",
                        description="Stable Diffusion workflows on the GPU"))
