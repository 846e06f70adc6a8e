"""Audiobooks from e-books on the GPU: ebook2audiobook (many voices) and Audiblez (Kokoro).

Both read the book library and write audiobooks on NFS; the Audiblez web UI queues jobs for
its worker. Each UI sits behind forward-auth.
"""

from homestack import Stack, tier
from homestack.kit import Catalog, auth, deployment, ingress, nfs_volume

stack = Stack("ebook2audiobook", tier=tier.GPU, needs=["platform", "nvidia", "authentik"],
              description="E-books read aloud on the GPU")
data = nfs_volume(stack, "data", export="/srv/nfs/ebook2audiobook", size="100Gi")
audiblez_data = nfs_volume(stack, "audiblez-data", export="/srv/nfs/audiblez", size="100Gi")
converter = deployment(
    stack, "ebook2audiobook", image="docker.io/athomasson2/ebook2audiobook:v25.12.30-cu128",
    memory="4Gi", cpu="500m", gpu=1, port=7860,
    env={"LD_LIBRARY_PATH": "/usr/local/cuda/lib64"}, mounts={"/app/audiobooks": data},
)
ingress(stack, converter, host="ebook2audiobook", dns="non-proxied", auth=auth.required(),
        max_body_size="200Mi",
        catalog=Catalog(name="ebook2audiobook", group="Media",
                        description="Convert e-books to audiobooks"))
deployment(
    stack, "audiblez", image="registry.home.arpa/homelab/audiblez:0.4.9", memory="2Gi",
    cpu="250m", replicas=0, args=["worker", "--queue", "/data/queue"],
    mounts={"/data": audiblez_data},
)
web = deployment(
    stack, "audiblez-web", image="registry.home.arpa/homelab/audiblez-web:0.4.9",
    memory="256Mi", cpu="20m", port=8000, mounts={"/data": audiblez_data},
)
ingress(stack, web, host="audiblez", dns="non-proxied", auth=auth.required(),
        max_body_size="200Mi",
        catalog=Catalog(name="Audiblez", group="Media",
                        description="Queue e-books for the Kokoro voice"))
