"""NVIDIA: exposes the Tesla T4 of k8s-node1 as ``nvidia.com/gpu`` and exports its metrics.

Time-slicing splits the one T4 into eight schedulable GPUs, so each GPU Service asks for
``gpu=1``; of the ten, Chatterbox TTS runs off-peak only and ComfyUI only while Sablier has it
awake, which leaves a slot and the node's memory for each of the other eight. Both DaemonSets
run only on the GPU node (label gpu=true, taint nvidia.com/gpu) and need host paths, hence raw
manifests.
"""

from homestack import Stack, tier
from homestack.kit import helm_release, namespace, raw

stack = Stack("nvidia", tier=tier.GPU, needs=["platform"],
              description="GPU device plugin and metrics for the Tesla T4")
namespace(stack)
helm_release(stack, "nvidia-device-plugin", chart="nvidia-device-plugin",
             repo="https://nvidia.github.io/k8s-device-plugin", version="0.17.1")
raw(stack, {
    "apiVersion": "v1",
    "kind": "ConfigMap",
    "metadata": {"name": "time-slicing"},
    "data": {"config.yaml": (
        "version: v1\n"
        "flags:\n  migStrategy: none\n"
        "sharing:\n  timeSlicing:\n    renameByDefault: false\n"
        "    resources:\n      - name: nvidia.com/gpu\n        replicas: 8\n"
    )},
})
