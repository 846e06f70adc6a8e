"""A password manager on an encrypted block volume with its nightly backup."""

from homestack import Stack, tier
from homestack.kit import block_volume, statefulset, tcp_probe

stack = Stack("vault-pw", tier=tier.EDGE)
data = block_volume(stack, "data", size="5Gi", sqlite=True)
statefulset(stack, "vaultwarden", image="docker.io/vaultwarden/server:1.32.5", port=80,
            memory="256Mi", cpu="50m", mounts={"/data": data}, probes=tcp_probe())
