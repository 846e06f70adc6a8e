"""Learning: a spaced-repetition app for the study plans; its progress on an encrypted volume."""

from homestack import Stack, tier
from homestack.kit import Catalog, auth, block_volume, deployment, http_probe, ingress

stack = Stack("learning", tier=tier.AUX, needs=["platform", "kyverno", "authentik"],
              description="Spaced-repetition study app")
data = block_volume(stack, "data", size="1Gi", sqlite=True)
app = deployment(stack, "learning", image="registry.home.arpa/homelab/learning:0.5.2",
                 memory="128Mi", memory_request="64Mi", cpu="10m", port=8080,
                 mounts={"/data": data}, probes=http_probe("/healthz"))
ingress(stack, app, host="learn", dns="proxied", auth=auth.required(),
        catalog=Catalog(name="Learning", group="Learning",
                        description="Flashcards for the study plans"))
