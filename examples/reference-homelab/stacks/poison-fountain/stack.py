"""Poison fountain: the anti-AI bot filter behind Traefik's ai-bot-block middleware.

Known AI crawlers get slow, useless pages (tarpit and generated junk); everyone else passes.
Its junk corpus lives on NFS and is refreshed weekly.
"""

from homestack import Stack, tier
from homestack.kit import (
    Catalog,
    auth,
    cronjob,
    deployment,
    http_probe,
    ingress,
    mount,
    nfs_volume,
)

stack = Stack("poison-fountain", tier=tier.CLUSTER, needs=["traefik"],
              description="Tarpit and junk pages for AI crawlers")
corpus = nfs_volume(stack, "corpus", export="/srv/nfs/poison-fountain", size="5Gi")
filter_app = deployment(
    stack, "poison-fountain", image="registry.home.arpa/homelab/poison-fountain:1.4.0",
    replicas=2, memory="128Mi", cpu="50m", port=8080,
    mounts={"/corpus": mount(corpus, read_only=True)}, probes=http_probe("/healthz"),
)
cronjob(
    stack, "refresh-corpus", schedule="0 2 * * 1",
    image="registry.home.arpa/homelab/poison-fountain:1.4.0", memory="256Mi", cpu="100m",
    args=["refresh", "--out", "/corpus"], mounts={"/corpus": corpus},
)
ingress(stack, filter_app, host="fountain", auth=auth.required(groups=["admins"]),
        dns="non-proxied",
        catalog=Catalog(name="Poison fountain", group="Security",
                        description="Stats of trapped AI crawlers"))
