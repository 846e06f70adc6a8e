"""Books: Calibre-Web for e-books, Audiobookshelf for audiobooks and podcasts, both on the NFS
library. OPDS readers cannot do forward-auth; their paths are carved out to the app's login."""

from homestack import Stack, tier
from homestack.kit import (
                              Catalog,
                              auth,
                              block_volume,
                              deployment,
                              ingress,
                              mount,
                              nfs_volume,
)

stack = Stack("ebooks", tier=tier.EDGE, needs=["authentik"], description="E-books and audiobooks")
books = nfs_volume(stack, "books", export="/srv/nfs/books", size="500Gi")
audio = nfs_volume(stack, "audiobooks", export="/srv/nfs/audiobooks", size="1Ti")

calibre_config = block_volume(stack, "calibre-config", size="1Gi", sensitive=False,
                              sqlite=True)
calibre = deployment(
    stack, "calibre-web", image="lscr.io/linuxserver/calibre-web:0.6.24", memory="384Mi",
    cpu="50m", port=8083, env={"PUID": "1000", "PGID": "1000"},
    mounts={"/config": calibre_config, "/books": books},
)
ingress(stack, calibre, host="books", auth=auth.required(groups=["family"]),
        carve_outs={"/opds": auth.app("OPDS readers log in to Calibre-Web with basic auth")},
        catalog=Catalog(name="Calibre-Web", group="Reading", icon="calibre-web.png",
                        description="E-book library"))

shelf_config = block_volume(stack, "audiobookshelf-config", size="2Gi", sensitive=False,
                            sqlite=True)
shelf = deployment(
    stack, "audiobookshelf", image="ghcr.io/advplyr/audiobookshelf:2.17.5", memory="384Mi",
    cpu="50m", port=80,
    mounts={"/config": shelf_config, "/audiobooks": mount(audio, read_only=True),
            "/metadata": mount(audio, sub_path=".metadata")},
)
ingress(stack, shelf, host="listen",
        auth=auth.app("Audiobookshelf has its own login; the phone apps need its API"),
        dns="non-proxied",
        catalog=Catalog(name="Audiobookshelf", group="Reading", icon="audiobookshelf.png",
                        description="Audiobooks and podcasts"))
