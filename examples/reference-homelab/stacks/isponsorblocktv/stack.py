"""iSponsorBlockTV: skips sponsor segments on the living-room TV's YouTube app.

No ingress: it talks to the TV over the YouTube lounge API. Its pairing config is on NFS.
"""

from homestack import Stack, tier
from homestack.kit import deployment, nfs_volume

stack = Stack("isponsorblocktv", tier=tier.EDGE, needs=["platform"],
              description="SponsorBlock for the TV")
data = nfs_volume(stack, "data", export="/srv/nfs/isponsorblocktv", size="100Mi")
deployment(stack, "isponsorblocktv-living-room",
           image="ghcr.io/dmunozv04/isponsorblocktv:v2.2.1", memory="128Mi",
           memory_request="64Mi", cpu="10m", mounts={"/app/data": data})
