"""A music server as its upstream chart declares it: Service port 80 in front of container port
4533, a memory request below the limit, probe timings, a second NAS, an existing claim, env from
a Secret and a ConfigMap, a Homepage tile with a widget, and a parked scanner (replicas=0)."""

from homestack import SecretRef, Stack, tier
from homestack.kit import (
    Catalog,
    Widget,
    auth,
    claim,
    config_files,
    deployment,
    external_secret,
    http_probe,
    ingress,
    nfs_volume,
    tcp_probe,
)

stack = Stack("music", tier=tier.AUX, needs=["traefik", "external-secrets"],
              description="Music streaming")
library = nfs_volume(stack, "library", export="/volume1/music", size="500Gi",
                     server="192.168.1.20")
lastfm = external_secret(stack, "lastfm", {"ND_LASTFM_APIKEY": "secret/music#lastfm_key"})
settings = config_files(stack, "navidrome-settings", {"ND_SCANSCHEDULE": "@every 24h"})
server = deployment(
    stack, "navidrome", image="docker.io/deluan/navidrome:0.53.3", port=4533, service_port=80,
    memory="512Mi", memory_request="128Mi", cpu="50m", strategy="Recreate",
    pod_annotations={"diun.enable": "true"},
    env_from=[lastfm, (settings, "")],
    mounts={"/music": library, "/data": claim("navidrome-data")},
    probes=[http_probe("/ping", roles=["readiness"], initial_delay=10, timeout=5, period=30),
            tcp_probe(roles=["startup"], failure_threshold=30)],
)
site = ingress(
    stack, server, host="music", auth=auth.app("Navidrome has its own login and Subsonic tokens"),
    backend_kind="api",
    catalog=Catalog(name="Navidrome", group="Media", icon="navidrome.png",
                    description="Music streaming",
                    widget=Widget("navidrome", fields={
                        "user": "homepage", "token": SecretRef.parse("secret/homepage#nd_token"),
                        "salt": SecretRef.parse("secret/homepage#nd_salt")})),
    annotations={"dependency.kyverno.io/wait-for": "deployment/navidrome"},
)
deployment(stack, "scanner", image="docker.io/deluan/navidrome:0.53.3", replicas=0,
           memory="256Mi", cpu="10m", env={"ND_BASEURL": site.url, "ND_SERVER": server.url})
