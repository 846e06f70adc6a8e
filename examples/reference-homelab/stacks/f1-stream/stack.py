"""F1 stream: race weekends in the browser, behind Anubis; a guard checks the sources.

The stream pages are public (friends watch too) with proof-of-work in front; the cache and the
recordings are on NFS. Every six hours a guard run checks the sources still play.
"""

from homestack import Stack, tier
from homestack.kit import (
    Catalog,
    anubis,
    auth,
    cronjob,
    deployment,
    external_secret,
    http_probe,
    ingress,
    nfs_volume,
)

stack = Stack("f1-stream", tier=tier.AUX, needs=["platform", "vault"],
              description="Formula 1 streams")
IMAGE = "registry.home.arpa/homelab/f1-stream:2.6.0"
cache = nfs_volume(stack, "cache", export="/srv/nfs/f1-stream/cache", size="20Gi")
recordings = nfs_volume(stack, "recordings", export="/srv/nfs/f1-stream/recordings",
                        size="200Gi")
app_secrets = external_secret(stack, "f1-stream-env", data_from=["secret/f1-stream"])
chrome = external_secret(stack, "chrome-service-client-secrets", {
    "CHROME_SERVICE_TOKEN": "secret/chrome-service#client_token"})
guard = external_secret(stack, "guard-secrets", {
    "NTFY_TOKEN": "secret/f1-stream#ntfy_token"})
app = deployment(
    stack, "f1-stream", image=IMAGE, memory="512Mi", memory_request="256Mi", cpu="50m",
    port=8000, env_from=[app_secrets, chrome],
    mounts={"/cache": cache, "/recordings": recordings}, probes=http_probe("/health"),
)
gate = anubis(stack, app, difficulty=4)
ingress(stack, gate, host="f1", dns="non-proxied",
        auth=auth.none("Shared with friends; Anubis proof-of-work keeps scrapers out"),
        catalog=Catalog(name="F1 stream", group="Media", description="Race weekends"))
cronjob(stack, "guard", schedule="0 */6 * * *", image=IMAGE, memory="128Mi", cpu="20m",
        args=["guard", "--notify"], env_from=[guard, chrome])
