"""Freedify: a music streamer, one instance per listener, each with its own library.

Declared with a plain function: the listeners are data. A protected instance sits behind
forward-auth; an open one is shared through its own link with a key in the URL.
"""

from homestack import Stack, tier
from homestack.kit import (
    Catalog,
    auth,
    deployment,
    external_secret,
    ingress,
    nfs_volume,
)

stack = Stack("freedify", tier=tier.AUX, needs=["platform", "vault"],
              description="Music streaming, one per listener")
IMAGE = "registry.home.arpa/homelab/freedify:1.9.3"
keys = external_secret(stack, "freedify-secrets", data_from=["secret/freedify"])
LISTENERS = {"alex": True, "sam": False}


def instance(person: str, protected: bool) -> None:
    """One listener's Freedify: the library share, the server, music-<person>."""
    library = nfs_volume(stack, f"music-library-{person}",
                         export=f"/srv/nfs/music/{person}", size="200Gi")
    server = deployment(stack, f"freedify-{person}", image=IMAGE, memory="256Mi",
                        memory_request="128Mi", cpu="20m", port=8000, env_from=[keys],
                        env={"FREEDIFY_USER": person}, mounts={"/music": library})
    gate = (auth.required() if protected
            else auth.none("Shared by link; the stream key in the URL gates it"))
    ingress(stack, server, host=f"music-{person}", dns="non-proxied", auth=gate,
            catalog=Catalog(name=f"Music ({person})", group="Media",
                            description=f"{person.title()}'s music"))


for name, protected in LISTENERS.items():
    instance(name, protected)
