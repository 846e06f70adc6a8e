"""FreshRSS: the feed reader. Feeds the app fetched are kept on a block volume; the OPML
exports land on NFS."""

from homestack import Stack, tier
from homestack.kit import (
    Catalog,
    auth,
    block_volume,
    cronjob,
    deployment,
    http_probe,
    ingress,
    nfs_volume,
)

stack = Stack("freshrss", tier=tier.AUX, needs=["authentik"], description="Feed reader")
IMAGE = "docker.io/freshrss/freshrss:1.24.3"
data = block_volume(stack, "data", size="2Gi", sensitive=False, sqlite=True)
exports = nfs_volume(stack, "exports", export="/srv/nfs/freshrss", size="1Gi")
reader = deployment(
    stack, "freshrss", image=IMAGE, memory="192Mi", cpu="25m", port=80,
    env={"TZ": "Europe/Sofia", "CRON_MIN": "*/20", "TRUSTED_PROXY": "172.16.0.0/16"},
    mounts={"/var/www/FreshRSS/data": data}, probes=http_probe("/i/"),
)
ingress(stack, reader, host="rss",
        auth=auth.app("FreshRSS has its own login; mobile readers use its API password"),
        catalog=Catalog(name="FreshRSS", group="Reading", icon="freshrss.png",
                        description="Feed reader"))
cronjob(
    stack, "opml-export", schedule="0 3 * * 0", image=IMAGE, memory="64Mi", cpu="10m",
    command=["/bin/sh", "-c"],
    args=["./cli/export-opml-for-user.php --user alex > /exports/alex-$(date +%F).opml"],
    mounts={"/var/www/FreshRSS/data": data, "/exports": exports},
)
