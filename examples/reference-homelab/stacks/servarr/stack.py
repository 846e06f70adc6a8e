"""The media stack: Jellyfin to watch, the *arr apps to find, qBittorrent to fetch.

Every app shares the NFS media library; each keeps its own SQLite config on a plain block
volume. Jellyfin has its own login for TV clients; the rest sit behind forward-auth for the
media group, and their APIs are carved out for the apps that call each other with API keys.
"""

from homestack import Stack, tier
from homestack.kit import (
    Catalog,
    auth,
    block_volume,
    deployment,
    http_probe,
    ingress,
    mount,
    nfs_volume,
)

stack = Stack("servarr", tier=tier.EDGE, needs=["authentik"], description="Media library")
media = nfs_volume(stack, "media", export="/srv/nfs/media", size="8Ti")
downloads = nfs_volume(stack, "downloads", export="/srv/nfs/downloads", size="1Ti")
MEDIA_GROUP = ["media"]
ENV = {"PUID": "1000", "PGID": "1000", "TZ": "Europe/Sofia"}

jellyfin_config = block_volume(stack, "jellyfin-config", size="10Gi", sensitive=False,
                               sqlite=True)
jellyfin = deployment(
    stack, "jellyfin", image="docker.io/jellyfin/jellyfin:10.10.3", memory="1536Mi",
    cpu="500m", port=8096, env=ENV,
    mounts={"/config": jellyfin_config, "/media": mount(media, read_only=True)},
    probes=http_probe("/health"),
)
ingress(stack, jellyfin, host="tv",
        auth=auth.app("Jellyfin has its own login; TV and phone clients cannot do forward-auth"),
        dns="non-proxied",
        catalog=Catalog(name="Jellyfin", group="Media", icon="jellyfin.png",
                        description="Films and series"), external_monitor=True)


def arr(name: str, image: str, port: int, memory: str, what: str) -> None:
    """One *arr app: SQLite config volume, the shared library, forward-auth, API carved out."""
    config = block_volume(stack, f"{name}-config", size="2Gi", sensitive=False, sqlite=True)
    app = deployment(
        stack, name, image=image, memory=memory, cpu="50m", port=port, env=ENV,
        mounts={"/config": config, "/media": media, "/downloads": downloads},
        probes=http_probe("/ping"),
    )
    ingress(stack, app, host=name, auth=auth.required(groups=MEDIA_GROUP),
            carve_outs={"/api": auth.none(f"{name.title()} API: callers send the API key")},
            catalog=Catalog(name=name.title(), group="Media", icon=f"{name}.png", description=what))


arr("sonarr", "lscr.io/linuxserver/sonarr:4.0.11", 8989, "384Mi", "Series: search and queue")
arr("radarr", "lscr.io/linuxserver/radarr:5.16.3", 7878, "384Mi", "Films: search and queue")
arr("prowlarr", "lscr.io/linuxserver/prowlarr:1.28.2", 9696, "256Mi", "Indexers for the apps")

torrent_config = block_volume(stack, "qbittorrent-config", size="1Gi", sensitive=False)
torrent = deployment(
    stack, "qbittorrent", image="lscr.io/linuxserver/qbittorrent:5.0.2", memory="512Mi",
    cpu="100m", ports={"http": 8080, "bt": 6881, "bt-udp": "6881/udp"},
    env={**ENV, "WEBUI_PORT": "8080"},
    mounts={"/config": torrent_config, "/downloads": downloads},
)
ingress(stack, torrent, host="torrent", auth=auth.required(groups=MEDIA_GROUP),
        dns="none",
        catalog=Catalog(name="qBittorrent", group="Media", icon="qbittorrent.png",
                        description="Downloads for the media library"))
